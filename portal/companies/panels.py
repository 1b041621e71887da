"""Sections other apps add to a company's page, such as the viewer's match with the company and the actions
on it (matching) or a meeting at an upcoming event (events).

Dependencies point one way (DESIGN.md): the companies app imports none of those apps; each registers a
renderer from its ``AppConfig.ready()``, like the contact grants in ``portal.companies.rules``.
"""

from collections.abc import Callable

from django.http import HttpRequest

from portal.companies.models import Company

PanelRenderer = Callable[..., str]
_renderers: list[PanelRenderer] = []


def register_company_panel(render: PanelRenderer) -> None:
    """Register ``render(*, request, company) -> str`` (HTML, or "" when it has nothing for this viewer)."""
    if render not in _renderers:
        _renderers.append(render)


def company_panels(*, request: HttpRequest, company: Company) -> list[str]:
    """The registered sections for ``company`` as ``request.user`` sees it, in registration order."""
    if not request.user.is_authenticated:
        return []
    return [html for render in _renderers if (html := render(request=request, company=company))]


_vetting_renderers: list[PanelRenderer] = []


def register_vetting_panel(render: PanelRenderer) -> None:
    """Register ``render(*, request, company) -> str`` for a company's card in the vetting queue, such as the
    certificates its text states (matching). It must make no database query: the queue's cards are many,
    and what they show is loaded with the queue (``company_vetting_queue``)."""
    if render not in _vetting_renderers:
        _vetting_renderers.append(render)


def vetting_panels(*, request: HttpRequest, company: Company) -> list[str]:
    """The registered sections for ``company``'s vetting card, in registration order."""
    return [html for render in _vetting_renderers if (html := render(request=request, company=company))]
