"""Sections other apps add to a posting's page (the deals app: "Send a proposal" on a need, the poster's
proposals) and to the postings search (a member's proposals on other companies' needs). Like
``portal.companies.panels``: portal imports none of those apps; each registers a renderer from its
``AppConfig.ready()``."""

from collections.abc import Callable

from django.http import HttpRequest

PanelRenderer = Callable[..., str]
_renderers: list[PanelRenderer] = []
_search_renderers: list[PanelRenderer] = []


def register_posting_panel(render: PanelRenderer) -> None:
    """Register ``render(*, request, posting) -> str`` (HTML, or "" when it has nothing for this viewer)."""
    if render not in _renderers:
        _renderers.append(render)


def posting_panels(*, request: HttpRequest, posting) -> list[str]:
    if not request.user.is_authenticated:
        return []
    return [html for render in _renderers if (html := render(request=request, posting=posting))]


def register_postings_search_panel(render: PanelRenderer) -> None:
    """Register ``render(*, request) -> str`` for the postings search, shown to a signed-in person."""
    if render not in _search_renderers:
        _search_renderers.append(render)


def postings_search_panels(*, request: HttpRequest) -> list[str]:
    if not request.user.is_authenticated:
        return []
    return [html for render in _search_renderers if (html := render(request=request))]
