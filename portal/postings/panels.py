"""Sections other apps add to a posting's page (the deals app: "Send a proposal" on a need, the poster's
proposals) and to a company's list of its postings (the proposals it sent on other companies' needs). Like
``portal.companies.panels``: portal imports none of those apps; each registers a renderer from its
``AppConfig.ready()``."""

from collections.abc import Callable

from django.http import HttpRequest

PanelRenderer = Callable[..., str]
_renderers: list[PanelRenderer] = []
_list_renderers: list[PanelRenderer] = []


def register_posting_panel(render: PanelRenderer) -> None:
    """Register ``render(*, request, posting) -> str`` (HTML, or "" when it has nothing for this viewer)."""
    if render not in _renderers:
        _renderers.append(render)


def posting_panels(*, request: HttpRequest, posting) -> list[str]:
    if not request.user.is_authenticated:
        return []
    return [html for render in _renderers if (html := render(request=request, posting=posting))]


def register_company_postings_panel(render: PanelRenderer) -> None:
    """Register ``render(*, request, company) -> str`` for the page of a company's own postings."""
    if render not in _list_renderers:
        _list_renderers.append(render)


def company_postings_panels(*, request: HttpRequest, company) -> list[str]:
    return [html for render in _list_renderers if (html := render(request=request, company=company))]
