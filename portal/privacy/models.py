"""Personal data (Thailand's PDPA, Japan's APPI): consents with the notice version they were given under,
and data subjects' requests with their 30-day due date."""

import datetime
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import join_list
from portal.core.models import TimeStampedModel

RESPONSE_DAYS = 30  # PDPA: answer access, export and erasure requests within 30 days


class Purpose(models.TextChoices):
    ACCOUNT = "account", _("Run my account and the portal's services (required)")
    # A Thai member's data goes to Japan (PDPA), a Japanese member's to Thailand (APPI): one wording for both.
    TRANSFER_JAPAN = (
        "transfer_japan",
        _(
            "Share my company's profile and contacts with partner companies in Thailand and Japan, "
            "and with DIP and SMRJ (required)"
        ),
    )
    NEWS = "news", _("Send me news of events and programmes by e-mail (optional)")


REQUIRED_PURPOSES = (Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN)


class Consent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["user_id", "-given_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} v{self.notice_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access / copy of my data")
    ERASURE = "erasure", _("Erasure")
    CORRECTION = "correction", _("Correction")
    WITHDRAWAL = "withdrawal", _("Withdrawal of consent")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REJECTED = "rejected", pgettext_lazy("data request", "Rejected")


# What a person's erasure changed, by kind of record (the keys of the erasers' counts: privacy/registry.py).
ERASED_LABELS = {
    "contacts": _("Contacts"),
    "interviewees": _("Diagnosis interviewees"),
    "event_representatives": _("Representatives"),
    "interpreters": _("Interpreters"),
}


def erased_text(counts: dict) -> str:
    """``{"contacts": 2, …}`` as the reader reads it: "Contacts: 2, Interpreters: 0" in their language."""
    return join_list(
        f"{ERASED_LABELS.get(key, key.replace('_', ' '))}: {count}" for key, count in counts.items()
    )


class DataRequest(TimeStampedModel):
    """A data subject's request: made by a member in the portal (and often fulfilled at once), or logged by
    a coordinator for a person without an account (e.g. a company contact or an interviewee)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_requests",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("request"), max_length=12, choices=RequestKind.choices)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    due_on = models.DateField(_("due on"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.email or self.user_id} ({self.status})"

    def outcome_text(self) -> str:
        """The outcome in the reader's language: a person's erasure is stored as its counts (JSON), what
        the portal did for a member as its English message (``gettext_noop``), a coordinator's words as
        typed."""
        try:
            counts = json.loads(self.outcome)
        except ValueError:
            return gettext(self.outcome) if self.outcome else ""
        return erased_text(counts) if isinstance(counts, dict) else self.outcome

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == RequestStatus.OPEN and self.due_on < today
