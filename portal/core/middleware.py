"""Response headers Django does not set itself, and a page for the empty 405 of a form's address."""

from django.conf import settings
from django.shortcuts import render


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
