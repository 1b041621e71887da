"""The notifications service any app calls (kinds in ``portal/notifications/kinds.py``).

    notification_send(kind="deals.message", recipients=users, target=message, url=..., context={...})

- In-app: one ``Notification`` row per recipient, written in the caller's transaction (so nothing is
  announced for a write that rolls back); a ``dedupe_key`` makes a repeated call a no-op per recipient.
- E-mail: queued after commit (``portal.core.outbox``: through Celery, inline on the embedded default, kept
  in the database while the broker is down), rendered in each recipient's language; ``emailed_at`` makes a
  retried task send nothing twice.
- The context holds strings the kind's sentences show: never an e-mail address or a phone number.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core import outbox
from portal.core.links import absolute_url
from portal.core.notify import render_to_users, reply_to, sender
from portal.core.text import single_line
from portal.notifications import unsubscribe
from portal.notifications.channels import webhook_enabled, webhook_queue
from portal.notifications.kinds import (
    THRESHOLD_MAX,
    THRESHOLD_MIN,
    email_kinds,
    find_kind,
    get_kind,
    threshold_kinds,
)
from portal.notifications.models import (
    Frequency,
    Notification,
    NotificationPreference,
    SavedSearch,
    SearchTarget,
)

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
    email_context: dict | None = None,
) -> list[Notification]:
    """Notify ``recipients`` (users; the actor and inactive accounts are left out) of ``kind``.
    ``email_context``: the context of the kind's e-mail template, for kinds registered with one (and no
    ``email_context`` loader of their own)."""
    return notification_send_many(
        kind=kind,
        items=[Fanout(recipients=recipients, target=target, url=url, context=context, dedupe_key=dedupe_key)],
        actor=actor,
        email_context=email_context,
    )


@dataclass
class Fanout:
    """One target of a ``notification_send_many``: who is told, about what, where they act."""

    recipients: Iterable
    target: object = None
    url: str = ""
    context: dict | None = None
    dedupe_key: str = ""


# Notifications per e-mail task: a fan-out to thousands is shared between the workers in tasks this big.
EMAIL_TASK_SIZE = 500


def notification_send_many(
    *, kind: str, items: list[Fanout], actor=None, email_context: dict | None = None
) -> list[Notification]:
    """``notification_send`` for many targets at once (a schedule published to every participant): one
    INSERT for all rows, one query for the dedupe keys already used, and the e-mails queued in tasks of
    ``EMAIL_TASK_SIZE`` after commit, whatever the number of recipients."""
    spec = get_kind(kind)  # KeyError: an unregistered kind is a programming error
    rows, keys = [], set()
    for item in items:
        context = {
            key: {code: str(text) for code, text in value.items()} if isinstance(value, dict) else str(value)
            for key, value in (item.context or {}).items()
        }
        target = item.target
        target_type = target._meta.label_lower if target is not None else ""
        seen = set()
        for user in item.recipients:
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
                    target_id=target.pk if target is not None else None,
                    url=item.url,
                    context=context,
                    dedupe_key=item.dedupe_key,
                )
            )
        if item.dedupe_key:
            keys.add(item.dedupe_key)
    if keys:
        existing = set(
            Notification.objects.filter(
                dedupe_key__in=keys, recipient_id__in={row.recipient_id for row in rows}
            ).values_list("dedupe_key", "recipient_id")
        )
        rows = [
            row for row in rows if not row.dedupe_key or (row.dedupe_key, row.recipient_id) not in existing
        ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    if spec.email and created:
        ids = [row.pk for row in created]
        if spec.template and spec.email_context is None:
            # The app's own template with model objects in its context: sent after commit in this process;
            # the rows' emailed_at still makes it once per event.
            email_context = dict(email_context or {})
            transaction.on_commit(
                lambda: notification_deliver_email(notification_ids=ids, template_context=email_context)
            )
        else:
            transaction.on_commit(lambda: _queue_email(ids))
    if created and webhook_enabled(kind):
        webhook_queue([row.pk for row in created])
    return created


def _queue_email(ids: list[int]) -> None:
    from portal.notifications.tasks import deliver_email  # tasks import this module

    for start in range(0, len(ids), EMAIL_TASK_SIZE):
        outbox.send(deliver_email, kwargs={"notification_ids": ids[start : start + EMAIL_TASK_SIZE]})


def frequencies(*, pairs) -> dict[tuple[int, str], str]:
    """The e-mail frequency of each (user id, kind) in ``pairs`` (one query): the person's choice, else
    the kind's default; a mandatory kind is always immediately."""
    pairs = set(pairs)
    users, kinds = sorted({user_id for user_id, _ in pairs}), {kind for _, kind in pairs}
    chosen = {}
    for start in range(0, len(users), 5000):  # a bounded number of query parameters
        chosen.update(
            ((row.user_id, row.kind), row.frequency)
            for row in NotificationPreference.objects.filter(
                user_id__in=users[start : start + 5000], kind__in=kinds
            )
        )
    result = {}
    for user_id, kind in pairs:
        spec = find_kind(kind)
        if spec is None or not spec.email:
            result[(user_id, kind)] = Frequency.OFF
        elif spec.mandatory:
            result[(user_id, kind)] = Frequency.IMMEDIATELY
        else:
            result[(user_id, kind)] = chosen.get((user_id, kind), spec.default)
    return result


def _footer(user, kind: str) -> tuple[dict, str]:
    spec = find_kind(kind)
    if spec is None or spec.mandatory:
        return {}, ""
    footer = _(
        "You receive this e-mail because of your notification settings. Stop these e-mails: %(url)s"
    ) % {"url": unsubscribe.unsubscribe_url(user=user, kind=kind)}
    return unsubscribe.headers(user=user, kind=kind), footer


def _claim(ids, now: datetime.datetime) -> set[int]:
    """Mark the rows of ``ids`` not e-mailed yet as e-mailed, and return those this call took: a row
    another task holds (locked) or has taken is left to it (``SKIP LOCKED`` on PostgreSQL)."""
    claimed: set[int] = set()
    ids = list(ids)
    for start in range(0, len(ids), 1000):
        with transaction.atomic():
            part = set(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids[start : start + 1000], emailed_at=None)
                .values_list("pk", flat=True)
            )
            Notification.objects.filter(pk__in=part).update(emailed_at=now)
        claimed |= part
    return claimed


def _targets(rows: list[Notification]) -> dict[tuple[str, int], object]:
    """The target objects of ``rows``, with what their kinds' e-mails read of them (one query per target
    model and kind)."""
    wanted: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        if row.target_type and row.target_id is not None:
            wanted.setdefault((row.target_type, row.kind), set()).add(row.target_id)
    found = {}
    for (label, kind), pks in wanted.items():
        objects = apps.get_model(label)._default_manager.select_related(*get_kind(kind).email_related)
        found.update({(label, obj.pk): obj for obj in objects.filter(pk__in=pks)})
    return found


def notification_deliver_email(*, notification_ids: list[int], template_context: dict | None = None) -> int:
    """Send the e-mail of each notification not yet e-mailed whose recipient wants it immediately, in the
    recipient's language, over one connection to the mail server. Idempotent: the rows are claimed
    (``emailed_at``, in bulk) before their mails go out, so a retried task sends nothing twice. Rows of
    people who chose a digest wait for it."""
    rows = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related("recipient")
    )
    wanted = frequencies(pairs=[(row.recipient_id, row.kind) for row in rows])
    rows = [
        row
        for row in rows
        if wanted[(row.recipient_id, row.kind)] == Frequency.IMMEDIATELY
        and row.recipient.email
        and row.recipient.is_active
    ]
    claimed = _claim([row.pk for row in rows], timezone.now())
    rows = [row for row in rows if row.pk in claimed]
    targets = _targets([row for row in rows if get_kind(row.kind).email_context is not None])
    messages = []
    for row in rows:
        user, spec = row.recipient, get_kind(row.kind)
        if spec.template:
            context = template_context or {}
            if spec.email_context is not None:
                target = targets.get((row.target_type, row.target_id))
                if target is None:  # deleted since: nothing left to tell
                    continue
                context = spec.email_context(target)
            # The page the notification points to, as the plain e-mails end with it (templates show it).
            context = {**context, "link": absolute_url(row.url) if row.url else ""}
            messages.extend(
                render_to_users(
                    users=[user],
                    template=spec.template,
                    context=context,
                    extra=lambda user, kind=row.kind: _footer(user, kind),
                )
            )
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = spec.render(row.context)
            link = absolute_url(row.url) if row.url else ""
            text = f"{body}\n\n{link}\n" if link else f"{body}\n"
            headers, footer = _footer(user, row.kind)
            from_email = sender()
        if footer:
            text = f"{text}\n-- \n{footer}\n"
        messages.append(
            EmailMultiAlternatives(
                single_line(subject), text, from_email, [user.email], headers=headers, reply_to=reply_to()
            )
        )
    if not messages:
        return 0
    sent = get_connection().send_messages(messages) or 0
    logger.info("sent e-mail", extra={"count": sent})
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
        target_type=target._meta.label_lower,
        target_id=target.pk,
    ).update(read_at=timezone.now())


def notifications_settle(*, kind: str, model, ids) -> int:
    """Notifications of ``kind`` about the ``model`` rows ``ids`` asked for an action that is now done or
    moot (a meeting request answered by a colleague, expired or cancelled): they no longer wait for anyone,
    so they are read for every recipient. Returns how many."""
    return Notification.objects.filter(
        kind=kind,
        read_at=None,
        target_type=model._meta.label_lower,
        target_id__in=list(ids),
    ).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(
    *, user, choices: dict[str, str], thresholds: dict[str, int] | None = None
) -> int:
    """Save the person's e-mail frequency per kind (``{kind: frequency}``) and, for kinds with a threshold,
    the score they chose (``{kind: score}``, THRESHOLD_MIN..THRESHOLD_MAX); a mandatory or unknown kind, an
    unknown frequency or a score out of range is refused and nothing is saved. Returns the kinds saved."""
    allowed = {kind.name for kind in email_kinds()}
    for kind, frequency in choices.items():
        if kind not in allowed:
            raise ValidationError(_("These e-mails cannot be turned off."), code="kind_not_switchable")
        if frequency not in Frequency.values:
            raise ValidationError(_("Choose how often to receive these e-mails."), code="bad_frequency")
    thresholds = thresholds or {}
    with_threshold = {kind.name: kind for kind in threshold_kinds()}
    for kind, score in thresholds.items():
        if kind not in with_threshold:
            raise ValidationError(_("This kind of notification has no score to choose."), code="no_threshold")
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not THRESHOLD_MIN <= score <= THRESHOLD_MAX
        ):
            raise ValidationError(
                _("Choose a score from %(low)s to %(high)s.") % {"low": THRESHOLD_MIN, "high": THRESHOLD_MAX},
                code="bad_threshold",
            )
    for kind in {*choices, *thresholds}:
        defaults = {}
        if kind in choices:
            defaults["frequency"] = choices[kind]
        if kind in thresholds:
            defaults["threshold"] = thresholds[kind]
        create_defaults = {"frequency": get_kind(kind).default, **defaults}
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults=defaults, create_defaults=create_defaults
        )
    return len({*choices, *thresholds})


@transaction.atomic
def notification_unsubscribe(*, token: str) -> tuple[object, list[str]]:
    """The one-click unsubscribe of a signed link: the kind (or, for a digest, every kind that can be
    switched off) is set to off. Returns (user, kinds). A bad link: ``ValidationError(code="bad_link")``."""
    from portal.accounts.models import User

    try:
        user_pk, kind = unsubscribe.read_token(token)
    except unsubscribe.BadToken:
        raise ValidationError(_("This unsubscribe link is not valid."), code="bad_link") from None
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    switchable = [spec.name for spec in email_kinds()]
    kinds = switchable if kind == unsubscribe.ALL else [kind]
    if user is None or any(name not in switchable for name in kinds):
        raise ValidationError(_("This unsubscribe link is not valid."), code="bad_link")
    notification_preferences_set(user=user, choices=dict.fromkeys(kinds, Frequency.OFF))
    return user, kinds


DIGEST_PERIODS = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(days=7)}


def notification_send_digests(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """One summary e-mail per person who chose ``frequency`` (daily or weekly) for some kinds, listing the
    notifications of those kinds not e-mailed yet (from the last two periods), in the person's language.
    Nobody gets an empty digest. Rows are claimed (``emailed_at``) before the mail goes out, so a retried
    or overlapping task never sends one twice. Returns the number of e-mails sent."""
    now = now or timezone.now()
    since = now - 2 * DIGEST_PERIODS[frequency]
    switchable = [kind.name for kind in email_kinds()]
    rows = list(
        Notification.objects.filter(
            emailed_at=None, created_at__gte=since, created_at__lte=now, kind__in=switchable
        )
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    wanted = frequencies(pairs=[(row.recipient_id, row.kind) for row in rows])
    by_user: dict[int, list[Notification]] = {}
    for row in rows:
        if wanted[(row.recipient_id, row.kind)] == frequency:
            by_user.setdefault(row.recipient_id, []).append(row)
    claimed = _claim([row.pk for user_rows in by_user.values() for row in user_rows], now)
    messages = []
    for user_rows in by_user.values():
        user = user_rows[0].recipient
        user_rows = [row for row in user_rows if row.pk in claimed]
        if user_rows and user.email and user.is_active:
            messages.append(_digest(user, user_rows, frequency))
    sent = (get_connection().send_messages(messages) or 0) if messages else 0
    if sent:
        logger.info("sent digests", extra={"frequency": frequency, "count": sent})
    return sent


def _digest(user, rows: list[Notification], frequency: str) -> EmailMultiAlternatives:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        if frequency == Frequency.DAILY:
            subject = _("Your daily summary: %(count)s notifications") % {"count": len(rows)}
        else:
            subject = _("Your weekly summary: %(count)s notifications") % {"count": len(rows)}
        lines = []
        for row in rows:
            title, _body = get_kind(row.kind).render(row.context)
            lines.append(f"- {single_line(title)}")
            if row.url:
                lines.append(f"  {absolute_url(row.url)}")
        footer = "\n".join(
            [
                _("Change which notifications are e-mailed and how often: %(url)s")
                % {"url": absolute_url(reverse("notifications:preferences"))},
                _("Stop all these e-mails: %(url)s")
                % {"url": unsubscribe.unsubscribe_url(user=user, kind=unsubscribe.ALL)},
            ]
        )
        text = "{}\n\n{}\n\n-- \n{}\n".format(
            _("What happened on the portal for you:"), "\n".join(lines), footer
        )
        from_email = sender()
    return EmailMultiAlternatives(
        single_line(subject),
        text,
        from_email,
        [user.email],
        headers=unsubscribe.headers(user=user, kind=unsubscribe.ALL),
        reply_to=reply_to(),
    )


SAVED_SEARCHES_PER_USER = 20


@transaction.atomic
def saved_search_create(
    *, user, name: str, query: str, frequency: str, target: str = SearchTarget.DIRECTORY
) -> SavedSearch:
    """Save a search of the directory or of the postings (its query string) with a daily or weekly alert."""
    name = single_line(name).strip()[:100]
    target = target or SearchTarget.DIRECTORY
    if not name:
        raise ValidationError(_("Give the search a name."), code="name_required")
    if target not in SearchTarget.values:
        raise ValidationError(_("This search cannot be saved."), code="bad_target")
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValidationError(_("Choose how often to receive these e-mails."), code="bad_frequency")
    if len(query) > 1000:
        raise ValidationError(_("This search is too long to save."), code="query_too_long")
    if SavedSearch.objects.filter(user=user).count() >= SAVED_SEARCHES_PER_USER:
        raise ValidationError(
            _("You have saved the most searches allowed (%(n)s). Delete one first.")
            % {"n": SAVED_SEARCHES_PER_USER},
            code="too_many_searches",
        )
    return SavedSearch.objects.create(
        user=user, name=name, query=query, frequency=frequency, target=target, last_alert_at=timezone.now()
    )


@transaction.atomic
def saved_search_delete(*, user, pk: int) -> None:
    deleted = SavedSearch.objects.filter(user=user, pk=pk).delete()[0]
    if not deleted:
        raise ValidationError(_("This saved search does not exist."), code="not_found")


# The names an alert lists (the newest first); the page it links to shows them all.
ALERT_NAMES = 5


def _names(rows, name_in) -> dict[str, str]:
    """The names of ``rows`` in each portal language, comma-separated (``name_in(row, code)``)."""
    return {
        code: ", ".join(name_in(row, code) for row in rows[:ALERT_NAMES])
        + (" …" if len(rows) > ALERT_NAMES else "")
        for code, _name in settings.LANGUAGES
    }


def _new_since(search: SavedSearch, since: datetime.datetime) -> tuple[int, str, str, dict]:
    """(how many new results, the kind, the page, their names in each language) of a saved search since
    ``since``: companies verified for a directory search, postings published for a postings search."""
    from django.http import QueryDict

    query = QueryDict(search.query)
    if search.target == SearchTarget.POSTINGS:
        from portal.postings.selectors import posting_filters_from_query, posting_search

        postings = posting_search(user=search.user, filters=posting_filters_from_query(query))
        new = postings.filter(published_at__gt=since).order_by("-published_at", "-pk")
        rows = list(new[: ALERT_NAMES + 1])
        return (
            new.count() if len(rows) > ALERT_NAMES else len(rows),
            "notifications.saved_search_postings",
            "postings:list",
            _names(rows, lambda posting, code: posting.title(code)),
        )

    from portal.companies.selectors import company_directory_list
    from portal.companies.views.directory import filters_from_query

    companies = company_directory_list(user=search.user, filters=filters_from_query(query))
    new = companies.filter(verified_at__gt=since).order_by("-verified_at", "-pk")
    rows = list(new[: ALERT_NAMES + 1])
    return (
        new.count() if len(rows) > ALERT_NAMES else len(rows),
        "notifications.saved_search",
        "companies:directory",
        _names(rows, lambda company, code: company.display_name(code)),
    )


def saved_search_alerts(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """For each saved search of ``frequency``: a notification listing the companies verified (a directory
    search) or postings published (a postings search) since its last alert (how many, and the names of the
    newest ``ALERT_NAMES``); none: nothing is
    sent, so no e-mail is ever empty. Once per search and day, also under retries."""
    now = now or timezone.now()
    sent = 0
    for search in SavedSearch.objects.filter(frequency=frequency).select_related("user"):
        since = search.last_alert_at or search.created_at
        new, kind, page, names = _new_since(search, since)
        with transaction.atomic():
            if new:
                rows = notification_send(
                    kind=kind,
                    recipients=[search.user],
                    target=search,
                    url=reverse(page) + ("?" + search.query if search.query else ""),
                    context={"name": search.name, "count": new, "names": names},
                    dedupe_key=f"notifications.saved_search:{search.pk}:{now.date().isoformat()}",
                )
                sent += len(rows)
            SavedSearch.objects.filter(pk=search.pk).update(last_alert_at=now)
    return sent
