"""Response headers Django does not set itself, a page for the empty 405 of a form's address, and the
portal's own 404 page while ``DEBUG`` is on (``make demo``)."""

from django.conf import settings
from django.shortcuts import render

from portal.core.views import page_not_found


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the portal needs no camera, microphone, location or payment APIs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class MethodNotAllowedPageMiddleware:
    """A browser that opens the address of a form's action (``@require_POST``) gets a translated page that
    says what happened and where to go, not Django's empty 405. The status and the ``Allow`` header stay;
    the API and non-GET requests keep the bare answer."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not response.content
            and not request.path_info.startswith("/api/")
        ):
            page = render(request, "errors/405.html", status=405)
            if "Allow" in response.headers:
                page.headers["Allow"] = response.headers["Allow"]
            return page
        return response


class NotFoundPageMiddleware:
    """With ``DEBUG`` on (the embedded default that ``make demo`` serves), Django answers a 404 with its
    technical page: English, every URL pattern of the site listed, no way back. People who try the demo get
    the portal's own translated 404 page instead (``portal.core.views.page_not_found``, as in production).
    ``TECHNICAL_404=1`` keeps Django's page for a developer who wants to see which patterns were tried. An
    address under /api/ gets the API's JSON 404, as in production; a 404 that is not an HTML page (the API's
    own) passes unchanged, and ``CommonMiddleware`` still adds a missing slash first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not getattr(settings, "TECHNICAL_404", False)
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, None)
        return response
