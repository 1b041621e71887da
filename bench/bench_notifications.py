"""Notifications at event scale: a schedule published to 2,000 participants, a daily digest for 20,000
members.

* fan-out: ``events.services.scheduling._notify_published`` for an event with 2,000 participants (one member
  each): the time to enqueue (the notification rows and the queued e-mail tasks, what the coordinator's
  request waits for) and the time until every e-mail is sent;
* digest: ``notification_send_digests(frequency="daily")`` for 20,000 members with three notifications each.

Each beside a naive baseline measured in the same run: one INSERT, one claim and one e-mail per recipient
(the fan-out), one query, one claim and one e-mail per member (the digest).

With ``DATABASE_URL=postgres://…`` and ``CELERY_BROKER_URL=redis://…`` the e-mails are sent by a real Celery
worker started here against the benchmark's database (``EMAIL_BACKEND`` dummy in the worker: our work, not
an SMTP server's); otherwise tasks run inline (the embedded default) and the locmem backend collects them.
Sizes: BENCH_FANOUT_PARTICIPANTS (2000) and BENCH_DIGEST_MEMBERS (20000).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from bench._env import bench_database

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANTS = int(os.environ.get("BENCH_FANOUT_PARTICIPANTS", "2000"))
MEMBERS = int(os.environ.get("BENCH_DIGEST_MEMBERS", "20000"))
PER_MEMBER = 3


def _users(n: int, prefix: str) -> list:
    from portal.accounts.models import User

    languages = ("th", "ja", "en")
    User.objects.bulk_create(
        [
            User(email=f"{prefix}{i}@bench.example", language=languages[i % 3], password="!")  # noqa: S106
            for i in range(n)
        ],
        batch_size=2000,
    )
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def _registration_number(country: str, n: int) -> str:
    from stdnum.jp import cn as jp_cn
    from stdnum.th import moa as th_moa

    if country == "TH":
        base = f"0{10990000000 + n:011d}"
        return base + th_moa.calc_check_digit(base)
    base = f"{19900000000 + n:012d}"
    return jp_cn.calc_check_digit(base) + base


def _event_with_participants(n: int):
    from events.models import Event, Participant, ScheduleRun
    from portal.companies.models import Company, Membership, MembershipRole, VerificationStatus

    event = Event.objects.create(
        slug="bench-expo", name_en="Bench Expo", venue_en="BITEC", organiser_en="DIP",
        starts_on=time.strftime("%Y-%m-%d"), ends_on=time.strftime("%Y-%m-%d"),
    )  # fmt: skip
    Company.objects.bulk_create(
        [
            Company(
                country="TH" if i % 2 else "JP",
                name_en=f"Bench Company {i}",
                registration_no=_registration_number("TH" if i % 2 else "JP", i),
                verification_status=VerificationStatus.VERIFIED,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    companies = list(Company.objects.filter(name_en__startswith="Bench Company").order_by("pk"))
    users = _users(n, "participant")
    Membership.objects.bulk_create(
        [
            Membership(company=c, user=u, role=MembershipRole.OWNER)
            for c, u in zip(companies, users, strict=True)
        ],
        batch_size=2000,
    )
    Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                company=c,
                kind="exhibitor" if c.country == "TH" else "delegate",
                status="confirmed",
            )
            for c in companies
        ],
        batch_size=2000,
    )
    return ScheduleRun.objects.create(event=event, status=ScheduleRun.Status.FINISHED)


def _wait_until_sent(kind: str, timeout: float = 600) -> float:
    from portal.notifications.models import Notification

    start = time.perf_counter()
    while Notification.objects.filter(kind=kind, emailed_at=None).exists():
        if time.perf_counter() - start > timeout:
            raise RuntimeError("the worker did not send the e-mails in time")
        time.sleep(0.05)
    return time.perf_counter() - start


def _warm_up(run) -> None:
    """URLs resolved, templates and catalogues loaded once, before anything is timed."""
    from django.urls import reverse

    from events.kinds import _agenda_context
    from portal.core.notify import render_to_users
    from portal.notifications.services import _footer

    participant = run.event.participants.select_related("company", "event").first()
    reverse("events:agenda", kwargs={"slug": run.event.slug, "pk": participant.pk})
    user = participant.company.memberships.first().user
    for language in ("th", "ja", "en"):
        user.language = language
        render_to_users(
            users=[user],
            template="agenda_published",
            context=_agenda_context(participant),
            extra=lambda user: _footer(user, "events.schedule_published"),
        )


def _fanout(run, distributed: bool) -> dict:
    from django.db import transaction

    from events.services.scheduling import _notify_published

    start = time.perf_counter()
    with transaction.atomic():
        _notify_published(run)
    enqueued = time.perf_counter() - start  # inline (no broker): the e-mails are sent at commit, counted here
    sent = enqueued + (_wait_until_sent("events.schedule_published") if distributed else 0.0)
    return {"enqueue": enqueued, "sent": sent}


def _naive_fanout(run) -> dict:
    """One notification INSERT, then one claim and one e-mail per recipient."""
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from events.kinds import _agenda_context
    from portal.core.notify import send_to_users
    from portal.notifications.models import Notification

    start = time.perf_counter()
    rows = []
    with transaction.atomic():
        for participant in run.event.participants.select_related("company", "event"):
            for membership in participant.company.memberships.select_related("user"):
                rows.append(  # noqa: PERF401 - the naive way, on purpose
                    Notification.objects.create(
                        recipient=membership.user,
                        kind="bench.naive",
                        target_type="events.participant",
                        target_id=participant.pk,
                        url=reverse("events:agenda", kwargs={"slug": run.event.slug, "pk": participant.pk}),
                    )
                )
    enqueued = time.perf_counter() - start
    for row in rows:
        if Notification.objects.filter(pk=row.pk, emailed_at=None).update(emailed_at=timezone.now()):
            participant = run.event.participants.select_related("company", "event").get(pk=row.target_id)
            send_to_users(
                users=[row.recipient], template="agenda_published", context=_agenda_context(participant)
            )
    return {"enqueue": enqueued, "sent": time.perf_counter() - start}


def _digest_rows(users) -> None:
    from django.utils import timezone

    from portal.notifications.models import Notification, NotificationPreference

    kind = "deals.message"
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=u, kind=kind, frequency="daily") for u in users], batch_size=2000
    )
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=u,
                kind=kind,
                url="/deals/",
                context={"company": {"en": f"Partner {i}", "th": f"คู่ค้า {i}", "ja": f"取引先 {i}"}},
                created_at=now,
            )
            for u in users
            for i in range(PER_MEMBER)
        ],
        batch_size=5000,
    )


def _reset_digest() -> None:
    from portal.notifications.models import Notification

    Notification.objects.filter(kind="deals.message").update(emailed_at=None)


def _digest(distributed: bool) -> float:
    from portal.notifications import tasks
    from portal.notifications.services import notification_send_digests

    start = time.perf_counter()
    if distributed:
        tasks.send_daily_digest.delay().get(timeout=900)
    else:
        notification_send_digests(frequency="daily")
    return time.perf_counter() - start


def _naive_digest(users) -> float:
    """Per member: one query for the rows, one claim, one e-mail."""
    from django.utils import timezone

    from portal.notifications.models import Notification
    from portal.notifications.services import _digest as render_digest

    start = time.perf_counter()
    for user in users:
        rows = list(Notification.objects.filter(recipient=user, kind="deals.message", emailed_at=None))
        if rows and Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
            emailed_at=timezone.now()
        ):
            render_digest(user, rows, "daily").send()
    return time.perf_counter() - start


def _worker(database: str):
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--concurrency=2",
        "--loglevel=WARNING",
    ]
    worker = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )  # noqa: S603
    time.sleep(8)  # the worker connects and registers its tasks
    return worker


def main() -> None:
    from django.conf import settings

    distributed = bool(os.environ.get("CELERY_BROKER_URL", "").startswith("redis"))
    with bench_database() as vendor:
        distributed = distributed and vendor == "postgresql"
        settings.CELERY_TASK_ALWAYS_EAGER = not distributed
        worker = None
        if distributed:
            db = settings.DATABASES["default"]
            worker = _worker(f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
        try:
            mode = "a Celery worker (2 processes)" if distributed else "tasks inline"
            print(f"notifications on {vendor}, e-mails sent by {mode}")
            run = _event_with_participants(PARTICIPANTS)
            _warm_up(run)
            ours = _fanout(run, distributed)
            naive = _naive_fanout(run)
            heads = ("enqueue s", "all sent s", "naive enqueue s", "naive sent s")
            print(f"{'schedule published to':<34}{heads[0]:>10}{heads[1]:>12}{heads[2]:>17}{heads[3]:>14}")
            print(
                f"{f'{PARTICIPANTS:,} participants':<34}{ours['enqueue']:>10.2f}{ours['sent']:>12.2f}"
                f"{naive['enqueue']:>17.2f}{naive['sent']:>14.2f}"
            )
            users = _users(MEMBERS, "member")
            _digest_rows(users)
            digest = _digest(distributed)
            _reset_digest()
            naive_digest = _naive_digest(users)
            print(f"{'daily digest':<34}{'sent s':>10}{'naive s':>12}")
            label = f"{MEMBERS:,} members × {PER_MEMBER} notifications"
            print(f"{label:<34}{digest:>10.2f}{naive_digest:>12.2f}")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
