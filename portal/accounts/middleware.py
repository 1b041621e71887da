import functools

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from portal.accounts.mfa import setup_required_message
from portal.accounts.rules import must_enrol_second_factor


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
    """Consultants, coordinators and admins must set up TOTP before they use the portal
    (``must_enrol_second_factor``; on when ``PORTAL_REQUIRE_MFA_FOR_STAFF`` is set, the default in
    production mode).

    Every signed-in request passes here: pages and the admin are sent to the enrolment page, the API
    (with a session) answers 403 with the same message. Token requests carry no session; the token
    authentication applies the same rule (``portal.accounts.authentication``). They may still reach
    the two-factor pages, log out, switch language and fetch static files.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_enrol(request):
            if request.path.startswith(self._api_path):
                return JsonResponse({"detail": setup_required_message()}, status=403)
            messages.warning(request, setup_required_message())
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @functools.cached_property
    def _api_path(self) -> str:
        return reverse("api-root")

    @functools.cached_property
    def _allowed_paths(self) -> tuple[str, ...]:
        return (
            reverse("mfa_index"),
            reverse("account_reauthenticate"),  # allauth asks for the password again before enrolment
            reverse("account_logout"),
            # Links of the pages above: the privacy notice (footer) and "Forgot your password?"
            reverse("privacy_notice"),
            reverse("account_reset_password"),
            reverse("set_language"),
            reverse("healthz"),
            settings.STATIC_URL,
        )

    def _must_enrol(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self._allowed_paths):
            return False
        return must_enrol_second_factor(user)
