"""The notifications service any app calls (kinds in ``portal/notifications/kinds.py``).

    notification_send(kind="deals.message", recipients=users, target=message, url=..., context={...})

- In-app: one ``Notification`` row per recipient, written in the caller's transaction (so nothing is
  announced for a write that rolls back); a ``dedupe_key`` makes a repeated call a no-op per recipient.
- E-mail: queued after commit (``portal.core.outbox``: through Celery, inline on the embedded default, kept
  in the database while the broker is down), rendered in each recipient's language; ``emailed_at`` makes a
  retried task send nothing twice.
- The context holds strings the kind's sentences show: never an e-mail address or a phone number.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from portal.core import outbox
from portal.core.links import absolute_url
from portal.core.text import single_line
from portal.notifications.kinds import get_kind
from portal.notifications.models import Notification

logger = logging.getLogger(__name__)


def notification_send(
    *,
    kind: str,
    recipients,
    target=None,
    url: str = "",
    context: dict | None = None,
    actor=None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify ``recipients`` (users; the actor and inactive accounts are left out) of ``kind``."""
    spec = get_kind(kind)  # KeyError: an unregistered kind is a programming error
    context = {key: str(value) for key, value in (context or {}).items()}
    target_type = f"{target._meta.app_label}.{target._meta.model_name}" if target is not None else ""
    target_id = target.pk if target is not None else None
    seen, rows = set(), []
    for user in recipients:
        if (
            user is None
            or user.pk in seen
            or not user.is_active
            or (actor is not None and user.pk == actor.pk)
        ):
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                target_type=target_type,
                target_id=target_id,
                url=url,
                context=context,
                dedupe_key=dedupe_key,
            )
        )
    if not rows:
        return []
    if dedupe_key:
        existing = set(
            Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=seen).values_list(
                "recipient_id", flat=True
            )
        )
        rows = [row for row in rows if row.recipient_id not in existing]
    created = Notification.objects.bulk_create(rows)
    if spec.email and created:
        ids = [row.pk for row in created]
        if ids[0] is None:  # backends that return no ids (none of ours): look them up
            ids = list(Notification.objects.filter(kind=kind, emailed_at=None).values_list("pk", flat=True))
        transaction.on_commit(lambda: _queue_email(ids))
    return created


def _queue_email(ids: list[int]) -> None:
    from portal.notifications.tasks import deliver_email

    outbox.send(deliver_email, kwargs={"notification_ids": ids})


def notification_deliver_email(*, notification_ids: list[int]) -> int:
    """Send the e-mail of each notification not yet e-mailed, in its recipient's language. Idempotent."""
    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related("recipient")
    for row in rows:
        user = row.recipient
        claimed = Notification.objects.filter(pk=row.pk, emailed_at=None).update(emailed_at=timezone.now())
        if not claimed or not user.email or not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = get_kind(row.kind).render(row.context)
            link = absolute_url(row.url) if row.url else ""
            text = f"{body}\n\n{link}\n" if link else f"{body}\n"
        sent += send_mail(single_line(subject), text, None, [user.email])
    return sent


def notification_mark_read(*, user, ids=None) -> int:
    """Mark the user's notifications read (all of them, or ``ids``)."""
    rows = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def notification_mark_read_for_target(*, user, target) -> int:
    """What a person has opened is read: the notifications of ``target`` (e.g. a conversation)."""
    return Notification.objects.filter(
        recipient=user,
        read_at=None,
        target_type=f"{target._meta.app_label}.{target._meta.model_name}",
        target_id=target.pk,
    ).update(read_at=timezone.now())
