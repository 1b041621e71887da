"""The second factor: one rule for every way in, and proof of a code through allauth.mfa's own forms.

The rule (``portal.accounts.rules.must_enrol_second_factor``): with ``PORTAL_REQUIRE_MFA_FOR_STAFF`` on,
consultants, coordinators and admins without TOTP may do nothing but enrol. It is enforced by
``RequireMFAMiddleware`` for every signed-in request (pages, the admin, the API with a session) and by
``ApiTokenAuthentication`` for token requests; both answer with ``setup_required_message()``.
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.mfa.base.forms import AuthenticateForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.accounts.models import User


class TooManyAttempts(Exception):
    """allauth's rate limit refused the attempt (shared with the web login); ``str()`` is its message."""


def setup_required_message() -> str:
    return _("Your role gives access to other companies' data: set up two-factor authentication first.")


def verify_code(*, user: User, code: str) -> None:
    """A current TOTP code or an unused recovery code of ``user``, checked by allauth.mfa's authenticate
    form: its rate limit (failed codes count like failed logins), replay protection (a TOTP code is
    accepted once) and its messages. Raises ``ValidationError`` or ``TooManyAttempts``."""
    form = AuthenticateForm(user=user, data={"code": code})
    if form.is_valid():
        form.authenticator.record_usage()
        return
    errors = form.errors.as_data().get("code", [])
    if any(error.code == "too_many_login_attempts" for error in errors):
        raise TooManyAttempts(errors[0].messages[0])
    raise ValidationError({"code": errors})  # allauth's errors, with their codes


def verified_recently(request: HttpRequest, user: User) -> bool:
    """Whether ``user`` used their second factor in this session within allauth's re-authentication
    window (``ACCOUNT_REAUTHENTICATION_TIMEOUT``, five minutes): at login or on allauth's re-authenticate
    page."""
    since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "mfa" and record.get("at", 0) >= since
        for record in get_authentication_records(request, user)
    )
