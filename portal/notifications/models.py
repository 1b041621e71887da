"""In-app notifications: one row per recipient and event (the in-app channel of
``portal.notifications.services.notification_send``; e-mail is the other channel)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_type = models.CharField(max_length=100, blank=True)  # "app_label.model"
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Strings only, rendered into the kind's sentences; never contact data (tests/deals check it).
    context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # what an answered, expired or cancelled request settles (services.notifications_settle)
            models.Index(
                fields=["target_type", "target_id"],
                condition=Q(read_at=None),
                name="notification_unread_target",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_dedupe"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How a person wants the e-mails of one kind (no row: the kind's default). In-app rows are always
    written; a kind registered ``mandatory`` (security, account) ignores the preference."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    frequency = models.CharField(_("e-mail"), max_length=12, choices=Frequency.choices)
    # For a kind with a threshold (kinds.Kind.threshold, e.g. matching's new strong match): the score the
    # person chose; null: the kind's default.
    threshold = models.PositiveSmallIntegerField(_("score threshold"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.frequency}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """The delivery log of the webhook channel: one row per notification and channel URL, with its
    attempts (retried with back-off until ``NOTIFICATION_WEBHOOK_ATTEMPTS``)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    url = models.CharField(max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "url"], name="webhook_delivery_once")]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.url}: {self.status}"


class SearchTarget(models.TextChoices):
    DIRECTORY = "directory", _("Company directory")
    POSTINGS = "postings", _("Postings")


class SavedSearch(models.Model):
    """A search of the directory or of the postings a member saved, with its filters and query as the
    page's query string; an alert (daily or weekly) lists the companies verified, or the postings
    published, since the last one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    target = models.CharField(
        _("searched"), max_length=12, choices=SearchTarget.choices, default=SearchTarget.DIRECTORY
    )
    query = models.CharField(_("search"), max_length=1000, blank=True)
    frequency = models.CharField(
        _("alert"),
        max_length=12,
        choices=[(Frequency.DAILY, _("Daily")), (Frequency.WEEKLY, _("Weekly"))],
        default=Frequency.WEEKLY,
    )
    last_alert_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
