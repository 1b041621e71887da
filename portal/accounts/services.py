"""Writes on users: language preference, roles and API tokens."""

import datetime
import hashlib
import secrets

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import mfa
from portal.accounts.models import ApiToken, Role, TokenRevocation, User
from portal.accounts.rules import GROUP_FOR_ROLE, has_totp, must_enrol_second_factor
from portal.core.text import validate_single_line

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def user_set_language(*, user: User, language: str) -> User:
    if language not in SUPPORTED_LANGUAGES and language != "":
        raise ValueError(f"Unsupported language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> User:
    group, _created = Group.objects.get_or_create(name=GROUP_FOR_ROLE[role])
    user.groups.add(group)
    if role == Role.COORDINATOR and not user.is_staff:
        # Coordinators work in the Django admin (vetting, imports); their group holds the model permissions.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def user_revoke_role(*, user: User, role: Role) -> User:
    user.groups.remove(*Group.objects.filter(name=GROUP_FOR_ROLE[role]))
    return user


def user_update_preferences(*, user: User, first_name: str, last_name: str, language: str) -> User:
    if language not in SUPPORTED_LANGUAGES and language != "":
        raise ValueError(f"Unsupported language: {language!r}")
    user.first_name, user.last_name, user.language = first_name, last_name, language
    user.save(update_fields=["first_name", "last_name", "language"])
    return user


# --------------------------------------------------------------------------------------------------
# API tokens
# --------------------------------------------------------------------------------------------------
# A recognisable start lets secret scanners (and people) tell a leaked portal token from other strings.
TOKEN_START = "smp_"  # noqa: S105 - not a secret, the start of every token
PREFIX_LENGTH = len(TOKEN_START) + 8
# Each call of POST /api/auth/token/ creates a token (only a digest is kept, an old one cannot be handed
# out again): a bound on the live ones keeps a looping script from filling the table.
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token (a token used many times a second costs no write).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRejected(Exception):
    """A token that does not authenticate; ``str()`` is the (translated) reason for its holder."""


class SecondFactorRequired(PermissionDenied):
    """A staff account that must enrol TOTP first (``must_enrol_second_factor``)."""


def api_token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, lifetime_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is not stored and cannot be shown
    again. Whoever calls this has already checked the second factor (``api_token_issue``)."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = [
            ValidationError(
                _("Give the token a name, such as the program that will use it."), code="required"
            )
        ]
    else:
        try:
            validate_single_line(name)
        except ValidationError as error:
            errors["name"] = error.error_list
    maximum = settings.PORTAL_API_TOKEN_MAX_DAYS
    lifetime_days = settings.PORTAL_API_TOKEN_DAYS if lifetime_days is None else lifetime_days
    if not 1 <= lifetime_days <= maximum:
        errors["expires_in_days"] = [
            ValidationError(
                _("A token lasts from 1 to %(maximum)d days.") % {"maximum": maximum}, code="lifetime"
            ),
        ]
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per user
    if ApiToken.objects.filter(user=user).active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)d active tokens: revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
        )
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=api_token_digest(secret),
        prefix=secret[:PREFIX_LENGTH],
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    return token, secret


def api_token_issue(
    *,
    user: User,
    name: str,
    lifetime_days: int | None = None,
    code: str = "",
    verified_recently: bool = False,
) -> tuple[ApiToken, str]:
    """Issue a token to a user who has proved who they are, second factor included.

    - A consultant, coordinator or admin who must enrol TOTP (``must_enrol_second_factor``) gets none:
      ``SecondFactorRequired``.
    - A user with TOTP gives a current code or a recovery code (checked by allauth.mfa, rate-limited
      like logins: ``TooManyAttempts``), unless they used their second factor in this session moments
      ago (``verified_recently``, the account page only).
    """
    if must_enrol_second_factor(user):
        raise SecondFactorRequired(mfa.setup_required_message())
    if has_totp(user) and not verified_recently:
        code = (code or "").strip()
        if not code:
            message = _("Enter the code from your authenticator app (or a recovery code).")
            raise ValidationError({"code": [ValidationError(message, code="code_required")]})
        mfa.verify_code(user=user, code=code)
    return api_token_create(user=user, name=name, lifetime_days=lifetime_days)


def api_token_obtain(
    *, request: HttpRequest, email: str, password: str, code: str = "", name: str = "", lifetime_days=None
) -> tuple[ApiToken, str]:
    """``POST /api/auth/token/``: a token for an e-mail and password (and code).

    The password is checked by allauth exactly as the login page checks it, so both share one lockout:
    the IP limit on logins (``ACCOUNT_RATE_LIMITS["login"]``) and the failed-login limit per IP and per
    e-mail address (``["login_failed"]``); a locked account gets no token, even with the right password,
    and the message is allauth's. Then as ``api_token_issue``. ``request`` is the HttpRequest (the rate
    limits key on its address).
    """
    adapter = get_account_adapter(request)
    if not ratelimit.consume(request, action="login"):
        raise mfa.TooManyAttempts(adapter.error_messages["too_many_login_attempts"])
    try:
        user = adapter.authenticate(request, email=email.strip().lower(), password=password)
    except ValidationError as error:  # allauth's lockout ("too many failed login attempts")
        raise mfa.TooManyAttempts(error.messages[0]) from error
    if user is None or not user.is_active:
        raise ValidationError(adapter.error_messages["email_password_mismatch"], code="wrong_credentials")
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ValidationError(adapter.error_messages["unverified_primary_email"], code="unverified_email")
    return api_token_issue(user=user, name=name or _("API token"), lifetime_days=lifetime_days, code=code)


def api_token_authenticate(*, secret: str) -> ApiToken:
    """The live token with this secret (its user loaded), else ``TokenRejected`` with the reason."""
    token = (
        ApiToken.objects.select_related("user").filter(digest=api_token_digest(secret)).first()
        if secret.startswith(TOKEN_START)
        else None
    )
    if token is None or not token.user.is_active:
        raise TokenRejected(_("Invalid token."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRejected(_("This token was revoked. Create a new one on your account page."))
    if token.expires_at <= now:
        raise TokenRejected(_("This token has expired. Create a new one on your account page."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, token: ApiToken, reason: str = TokenRevocation.BY_USER) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at, token.revoked_because = timezone.now(), reason
        token.save(update_fields=["revoked_at", "revoked_because"])
    return token


def api_token_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every live token of ``user`` (password changed or reset, a role lost, account
    deactivated); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=reason
    )


def api_token_delete_all(*, user: User) -> int:
    """Account deletion: the tokens go entirely (their names may say something about the person)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
