"""API authentication by personal token: ``Authorization: Token <secret>``.

``ApiTokenAuthentication`` is the first of ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``: an
unknown, expired or revoked token answers 401 with the reason (and ``WWW-Authenticate: Token``), and a
staff account that must enrol TOTP first answers 403 (``must_enrol_second_factor``: the same rule and
message as the pages, see ``portal/accounts/mfa.py``). Kept apart from the views: DRF imports it while
``rest_framework.views`` loads.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from portal.accounts import mfa, services
from portal.accounts.rules import must_enrol_second_factor

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give Token and the token."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        try:
            token = services.api_token_authenticate(secret=secret)
        except services.TokenRejected as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        user = token.user
        if user.language:  # as UserLanguageMiddleware does for a session: the account's language first
            translation.activate(user.language)
            request._request.LANGUAGE_CODE = translation.get_language()
        if must_enrol_second_factor(user):
            raise exceptions.PermissionDenied(mfa.setup_required_message())
        return user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>`, from POST /api/auth/token/ or the account page.",
        }
