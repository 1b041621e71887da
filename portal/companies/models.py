"""SME companies and who belongs to them. The full profile (taxonomy, size class, postings…) grows here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.companies.identifiers import format_registration_number
from portal.core.models import TimeStampedModel


class Country(models.TextChoices):
    THAILAND = "TH", _("Thailand")
    JAPAN = "JP", _("Japan")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class CompanyQuerySet(models.QuerySet):
    def verified(self) -> "CompanyQuerySet":
        return self.filter(verification_status=VerificationStatus.VERIFIED)


class Company(TimeStampedModel):
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    registration_no = models.CharField(
        _("registration number"),
        max_length=13,
        help_text=_("Thai juristic person number or Japanese corporate number (13 digits)."),
    )
    verification_status = models.CharField(
        _("verification status"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name_en", "name_th", "name_ja", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_no"], name="company_unique_registration"
            ),
            models.CheckConstraint(
                condition=~Q(name_en="") | ~Q(name_th="") | ~Q(name_ja=""), name="company_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(registration_no__regex=r"^[0-9]{13}$"), name="company_reg_13_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the active one), falling back to what exists."""
        language = (language or get_language() or "en")[:2]
        order = [language] + [code for code in ("en", "th", "ja") if code != language]
        return next((getattr(self, f"name_{code}") for code in order if getattr(self, f"name_{code}")), "")

    @property
    def registration_no_display(self) -> str:
        return format_registration_number(self.country, self.registration_no)


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["company_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"
