"""Consultants: their profiles and their assignments to companies."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import TimeStampedModel

# --- Consultants -------------------------------------------------------------------------------------


class Qualification(models.TextChoices):
    DIP = "dip", _("DIP-trained Shindan consultant")
    SHINDANSHI = "shindanshi", _("Japanese SME management consultant (中小企業診断士)")
    OTHER = "other", _("Other")


class ConsultantProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_profile"
    )
    qualification = models.CharField(_("qualification"), max_length=12, choices=Qualification.choices)
    registration_no = models.CharField(_("consultant registration number"), max_length=40, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=20, blank=True, help_text=_("e.g. th,en"))
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("consultant profile")
        verbose_name_plural = _("consultant profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_qualification_display()})"

    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        return self.valid_until is None or self.valid_until >= (day or timezone.localdate())


class AssignmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Assignment(TimeStampedModel):
    """A coordinator assigns a consultant to a company for a period (open-ended when ``ends_on`` is empty)."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shindan_assignments"
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="shindan_assignments"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_period_ordered",
            )
        ]
        indexes = [models.Index(fields=["consultant", "company"])]

    def __str__(self) -> str:
        return f"{self.consultant} → {self.company} ({self.starts_on}–{self.ends_on or '…'})"

    def is_active(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @property
    def can_end_today(self) -> bool:
        """Active and not already ending today (the assignments page offers "End today" then only)."""
        today = timezone.localdate()
        return self.is_active(today) and (self.ends_on is None or self.ends_on > today)
