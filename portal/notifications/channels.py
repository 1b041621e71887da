"""Channels beyond in-app and e-mail, chosen by configuration (portal/settings.py). The generic signed
webhook ships here; a LINE channel is a receiver of it (a small bridge), or another function of the same
shape registered in ``CHANNELS``.

The webhook POSTs each notification as JSON::

    {"id": 12, "kind": "events.meeting_requested", "recipient": 7, "language": "th",
     "subject": "...", "body": "...", "url": "https://portal.example/events/expo/me/", "created_at": "..."}

with ``X-Portal-Timestamp`` (Unix seconds) and ``X-Portal-Signature: sha256=<hex>``, the HMAC-SHA256 of
``<timestamp>.<body>`` with ``NOTIFICATION_WEBHOOK_SECRET``. A receiver recomputes it (and refuses old
timestamps). A failed attempt (no answer, or not 2xx) is retried after 30 s, 60 s, 120 s, … until
``NOTIFICATION_WEBHOOK_ATTEMPTS``; every attempt is in ``WebhookDelivery``."""

import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from portal.core.links import absolute_url
from portal.notifications.kinds import find_kind
from portal.notifications.models import DeliveryStatus, Notification, WebhookDelivery


def webhook_enabled(kind: str) -> bool:
    if not (settings.NOTIFICATION_WEBHOOK_URL and settings.NOTIFICATION_WEBHOOK_SECRET):
        return False
    return not settings.NOTIFICATION_WEBHOOK_KINDS or kind in settings.NOTIFICATION_WEBHOOK_KINDS


def sign(body: bytes, timestamp: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def webhook_queue(notification_ids: list[int]) -> list[int]:
    """A delivery row per notification (once: a repeated call adds none) and its task; after commit."""
    url = settings.NOTIFICATION_WEBHOOK_URL
    existing = set(
        WebhookDelivery.objects.filter(notification_id__in=notification_ids, url=url).values_list(
            "notification_id", flat=True
        )
    )
    new = [pk for pk in notification_ids if pk not in existing]
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(notification_id=pk, url=url) for pk in new], ignore_conflicts=True
    )
    # ignore_conflicts returns no ids: read them back (one query)
    ids = list(
        WebhookDelivery.objects.filter(notification_id__in=new, url=url, attempts=0).values_list(
            "pk", flat=True
        )
    )
    if ids:
        transaction.on_commit(lambda: _queue(ids))
    return ids


def _queue(ids: list[int], countdown: float | None = None) -> None:
    from portal.core import outbox
    from portal.notifications.tasks import deliver_webhook

    for pk in ids:
        outbox.send(deliver_webhook, kwargs={"delivery_id": pk}, countdown=countdown)


def _payload(row: Notification) -> bytes:
    user = row.recipient
    language = user.language or settings.LANGUAGE_CODE
    kind = find_kind(row.kind)
    with translation.override(language):
        subject, body = kind.render(row.context) if kind else (row.kind, "")
    data = {
        "id": row.pk,
        "kind": row.kind,
        "recipient": user.pk,
        "language": language,
        "subject": subject,
        "body": body,
        "url": absolute_url(row.url) if row.url else "",
        "created_at": row.created_at.isoformat(),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def backoff(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones: 30, 60, 120, …"""
    return settings.NOTIFICATION_WEBHOOK_BACKOFF * 2 ** (attempts - 1)


def webhook_deliver(*, delivery_id: int, now: datetime.datetime | None = None) -> int | None:
    """One attempt. Returns the seconds until the next attempt when it should be retried, else None
    (delivered, failed for good, or already done: a retried task sends nothing twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("notification__recipient")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    body = _payload(delivery.notification)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configuration
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "thai-japan-portal-webhook",
            "X-Portal-Timestamp": timestamp,
            "X-Portal-Signature": sign(body, timestamp, settings.NOTIFICATION_WEBHOOK_SECRET),
            "X-Portal-Delivery": str(delivery.pk),
        },
    )
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFICATION_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            code = response.status
    except urllib.error.HTTPError as failure:
        code, error = failure.code, f"HTTP {failure.code}"
    except (urllib.error.URLError, OSError) as failure:
        error = type(failure).__name__
    delivery.last_status_code, delivery.last_error = code, error[:300]
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        delay = None
    elif delivery.attempts >= settings.NOTIFICATION_WEBHOOK_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        delay = None
    else:
        delay = backoff(delivery.attempts)
        delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
    delivery.save(
        update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error"]
    )
    return delay
