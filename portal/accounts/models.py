import re

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles held through Django groups; SME members are members through a company membership."""

    CONSULTANT = "consultant", _("Consultant")
    COORDINATOR = "coordinator", _("Coordinator")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


# Kana, kanji (and CJK ideographs), half-width katakana: a name written in them puts the family name first.
_CJK_NAME = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


class User(AbstractUser):
    """A person who signs in with an e-mail address. Roles: see ``portal.accounts.rules``."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and e-mails use this language. Empty: the browser's language."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        """The name in its own script's order: family name first when it is written in Japanese (田中 博),
        given name first otherwise (Somchai Jaidee, Hiroshi Tanaka), whatever the page's language."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if _CJK_NAME.search(first + last):
            return f"{last} {first}".strip()
        return super().get_full_name()


class TwoFactorMethod(Authenticator):
    """allauth's record of a user's second factor (a TOTP app, recovery codes), under a name the admin can
    translate: allauth's own model has no verbose name, so its admin showed "Authenticators" in English."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor method")
        verbose_name_plural = _("two-factor methods")


class TokenRevocation(models.TextChoices):
    """Why a token stopped working before it expired."""

    BY_USER = "user", _("revoked by you")
    PASSWORD = "password", _("password changed")
    ROLE = "role", _("role removed")
    ACCOUNT = "account", _("account deactivated")


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None) -> "ApiTokenQuerySet":
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A personal API token (``Authorization: Token <secret>``).

    Only a SHA-256 digest of the secret is stored: the secret is shown once, when the token is created.
    ``prefix`` (the secret's first characters) lets its owner recognise it in the list. Tokens expire
    (``PORTAL_API_TOKEN_DAYS``), and are revoked by their owner, on a password change or reset, when the
    user loses a role, and when the account is deleted (``portal.accounts.services``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_because = models.CharField(
        _("revoked because"), max_length=16, choices=TokenRevocation.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_apitoken_user_active")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_because="")
                | models.Q(revoked_at__isnull=False) & ~models.Q(revoked_because=""),
                name="accounts_apitoken_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
