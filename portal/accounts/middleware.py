import functools

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.rules import has_totp, must_use_mfa


class UserLanguageMiddleware(LocaleMiddleware):
    """Language: the signed-in user's preference, else the cookie/browser (Django's LocaleMiddleware)."""

    def process_request(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


class RequireMFAMiddleware:
    """Consultants, coordinators and admins must set up TOTP before they use the portal.

    On when ``PORTAL_REQUIRE_MFA_FOR_STAFF`` is set (the default in production mode). They may still
    reach the two-factor pages, log out, switch language and fetch static files.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PORTAL_REQUIRE_MFA_FOR_STAFF and self._must_enrol(request):
            messages.warning(
                request,
                _("Your role gives access to other companies' data: set up two-factor authentication first."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @functools.cached_property
    def _allowed_paths(self) -> tuple[str, ...]:
        return (
            reverse("mfa_index"),
            reverse("account_reauthenticate"),  # allauth asks for the password again before enrolment
            reverse("account_logout"),
            reverse("set_language"),
            reverse("healthz"),
            settings.STATIC_URL,
        )

    def _must_enrol(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self._allowed_paths):
            return False
        return must_use_mfa(user) and not has_totp(user)
