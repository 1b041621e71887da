"""Scheduling: the event as a scheduler problem, the run (queued, solved once by a task, re-queued when
its worker died) and its publication; on site, the record of a meeting and its outcome."""

import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import scheduler
from events.models import (
    ACTIVE_STATUSES,
    Attendance,
    Event,
    Meeting,
    Outcome,
    RequestStatus,
    ScheduleRun,
)
from events.services._common import sources
from events.services.participants import participant_languages
from matching.selectors import pair_scores
from matching.services import introduction_from_meeting
from portal.companies.models import Membership, MembershipRole
from portal.core import outbox
from portal.core.heartbeat import Heartbeat, claim, requeue_stalled
from portal.core.transitions import Transitions
from portal.notifications.kinds import each_language
from portal.notifications.services import Fanout, notification_send_many

logger = logging.getLogger("events.services")  # the name log filters and alerts know


# --- Scheduling --------------------------------------------------------------------------------------


def build_problem(event: Event, *, time_limit_s: float | None = None) -> scheduler.Problem:
    """The event as a scheduler problem: accepted requests between active participants, each weighted by
    the pair's match score, published meetings pinned where they are."""
    slots = list(event.slots.select_related("day").order_by("starts_at"))
    days = {day_id: index for index, day_id in enumerate(sorted({s.day_id for s in slots}))}
    tables_per_day = {s.day_id: s.day.tables for s in slots}
    participants = list(
        event.participants.filter(status__in=ACTIVE_STATUSES)
        .select_related("company")
        .prefetch_related("representatives", "unavailable_slots")
    )
    active = {p.pk for p in participants}
    requests = list(
        event.requests.filter(status=RequestStatus.ACCEPTED, sender_id__in=active, recipient_id__in=active)
        .select_related("sender__company", "recipient__company")
        .order_by("pk")
    )
    companies = {p.pk: p.company_id for p in participants}
    scores = pair_scores({r.sender.company_id for r in requests}, {r.recipient.company_id for r in requests})
    pinned = {m.request_id: (m.slot_id, m.table) for m in event.meetings.all()}
    all_slot_ids = frozenset(s.pk for s in slots)
    # The scheduler has one set of tables for every slot: the smallest day's count (days usually match).
    problem = scheduler.Problem(
        slots=[
            scheduler.Slot(
                id=s.pk, day=days[s.day_id], start_minute=s.starts_at.hour * 60 + s.starts_at.minute
            )
            for s in slots
        ],
        tables=[str(number) for number in range(1, min(tables_per_day.values(), default=0) + 1)],
        participants=[
            scheduler.Participant(
                id=p.pk,
                languages=participant_languages(p),
                available_slots=all_slot_ids - {s.pk for s in p.unavailable_slots.all()},
                capacity=max(1, min(len(p.representatives.all()), 3)),
            )
            for p in participants
        ],
        interpreters=[
            scheduler.Interpreter(
                id=i.pk,
                language_pairs=frozenset(frozenset(pair) for pair in i.pairs()),
                available_slots=all_slot_ids - {s.pk for s in i.unavailable_slots.all()},
            )
            for i in event.interpreters.prefetch_related("unavailable_slots")
            if i.pairs()
        ],
        requests=[
            scheduler.MeetingRequest(
                id=r.pk,
                a=r.sender_id,
                b=r.recipient_id,
                weight=_score(scores, companies[r.sender_id], companies[r.recipient_id]),
                must_meet=r.must_meet,
                pinned=pinned.get(r.pk),
            )
            for r in requests
        ],
        min_meetings_per_participant=event.min_meetings_per_company,
        time_limit_s=float(time_limit_s if time_limit_s is not None else event.scheduler_seconds),
    )
    return problem


def _score(scores, a: int, b: int) -> float:
    proposal = scores.get((a, b)) or scores.get((b, a))
    return float(proposal.score) if proposal else 0.0


@transaction.atomic
def schedule_run_start(*, actor, event: Event) -> ScheduleRun:
    """Queue a scheduler run (a Celery task; inline on the embedded default)."""
    from events.tasks import schedule_run_solve  # events.tasks imports these services: a real cycle

    if not event.slots.exists():
        raise ValidationError(_("Add meeting days before scheduling."), code="no_slots")
    # Two clicks at once start one run: the event's row is locked until this transaction commits, so the
    # second sees the first's run (PostgreSQL; SQLite writes one transaction at a time anyway).
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if event.schedule_runs.filter(status__in=UNFINISHED_RUN).exists():
        raise ValidationError(_("The scheduler is already running for this event."), code="already_running")
    run = ScheduleRun.objects.create(event=event, started_by=actor)
    transaction.on_commit(lambda: outbox.send(schedule_run_solve, kwargs={"run_id": run.pk}))
    return run


# A run is queued, then a worker claims it and solves (running); it ends finished (a draft) or failed. A
# running run whose worker died is claimed again and stays running.
RUN_STATES = Transitions(
    ScheduleRun.Status,
    {
        ScheduleRun.Status.QUEUED: {ScheduleRun.Status.RUNNING, ScheduleRun.Status.FAILED},
        ScheduleRun.Status.RUNNING: {
            ScheduleRun.Status.RUNNING,
            ScheduleRun.Status.FINISHED,
            ScheduleRun.Status.FAILED,
        },
    },
    message=gettext_lazy("A scheduler run cannot move from “%(from)s” to “%(to)s”."),
)
UNFINISHED_RUN = (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING)


def schedule_run_set_status(*, run_id: int, token: str, status: str, **fields) -> bool:
    """The one writer of a run's status while it is solved: moves the run held by the task ``token`` (see
    ``schedule_run_solve``) if its state allows; ``fields`` are written with it (``error``,
    ``finished_at``). Returns whether it moved. A conditional update, not a lock: a run another task
    claimed in the meantime is left alone.

    Side effects: none (the draft is written with ``finished`` under a row lock by the solving task;
    publishing is ``schedule_run_publish``)."""
    runs = ScheduleRun.objects.filter(pk=run_id, claimed_by=token, status__in=sources(RUN_STATES, status))
    return bool(runs.update(status=status, updated_at=timezone.now(), **fields))


def schedule_run_solve(*, run_id: int, token: str | None = None) -> ScheduleRun:
    """Solve and store the draft on the run, once: the task ``token`` claims the run (a run another live
    task holds is left to it; a finished run is left as it is), keeps its heartbeat fresh while solving,
    and the first to finish writes the draft. A run whose worker died is re-queued by
    ``schedule_runs_requeue_stalled`` and solved again; after PORTAL_MAX_ATTEMPTS it is marked failed."""
    token = token or uuid.uuid4().hex
    unfinished = ScheduleRun.objects.filter(pk=run_id, status__in=UNFINISHED_RUN)
    if not claim(unfinished, token=token):
        return ScheduleRun.objects.get(pk=run_id)
    mine = unfinished.filter(claimed_by=token)  # the heartbeat keeps this row fresh while solving
    run = ScheduleRun.objects.select_related("event", "started_by").get(pk=run_id)
    if run.attempts > settings.PORTAL_MAX_ATTEMPTS:
        language = run.started_by.language if run.started_by else ""
        with translation.override(language or settings.LANGUAGE_CODE):
            error = _("The scheduler stopped %(count)s times before it finished. Start it again.") % {
                "count": run.attempts - 1
            }
        schedule_run_set_status(
            run_id=run_id,
            token=token,
            status=ScheduleRun.Status.FAILED,
            error=error,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run
    schedule_run_set_status(run_id=run_id, token=token, status=ScheduleRun.Status.RUNNING)
    started = time.monotonic()
    with Heartbeat(mine):
        try:
            problem = build_problem(run.event)
            result = scheduler.solve(problem)
            bound = scheduler.upper_bound(problem)
        except Exception as error:
            logger.exception("scheduler run failed", extra={"run": run_id})
            schedule_run_set_status(
                run_id=run_id,
                token=token,
                status=ScheduleRun.Status.FAILED,
                error=str(error)[:2000],
                finished_at=timezone.now(),
            )
            raise
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().select_related("event").get(pk=run_id)
        if not RUN_STATES.can(run.status, ScheduleRun.Status.FINISHED):
            return run  # another attempt finished first: its draft stands
        run.placements = [
            {
                "request": p.request_id,
                "slot": p.slot_id,
                "table": str(p.table),
                "interpreter": p.interpreter_id,
                "languages": "-".join(p.languages) if p.languages else "",
            }
            for p in result.placed
        ]
        run.unplaced = [{"request": u.request_id, "reason": u.reason_code} for u in result.unplaced]
        run.requests = len(problem.requests)
        run.placed = result.placed_count
        run.upper_bound = bound
        run.solver_status = result.status
        run.solve_seconds = round(time.monotonic() - started, 2)
        run.status = ScheduleRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.save()
    return run


def schedule_runs_requeue_stalled() -> int:
    """Queue again the scheduler runs nobody is solving: held by a worker that died (stale heartbeat), or
    queued long ago and never started (the message was lost). The run is leased to the new task, so a late
    copy of an older message finds it held and does nothing. Returns the runs queued."""
    from events.tasks import schedule_run_solve  # events.tasks imports these services: a real cycle

    return requeue_stalled(
        ScheduleRun.objects.filter(status__in=UNFINISHED_RUN),
        schedule_run_solve,
        argument="run_id",
        log=logger,
        message="scheduler run re-queued",
        key="run",
    )


@transaction.atomic
def schedule_run_publish(*, actor, run: ScheduleRun) -> int:
    """Make a finished draft the event's schedule: meetings that stay where they were keep their on-site
    records; moved ones are rewritten; meetings no longer placed are removed. Returns meetings published."""
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ScheduleRun.Status.FINISHED:
        raise ValidationError(_("Only a finished scheduler run can be published."), code="run_not_finished")
    if run.published_at:
        raise ValidationError(_("This draft is already published."), code="already_published")
    newer = run.event.schedule_runs.filter(pk__gt=run.pk, status=ScheduleRun.Status.FINISHED).exists()
    if newer:
        raise ValidationError(_("A newer draft exists; publish that one."), code="newer_draft")
    accepted = set(run.event.requests.filter(status=RequestStatus.ACCEPTED).values_list("pk", flat=True))
    placements = {p["request"]: p for p in run.placements if p["request"] in accepted}
    # A meeting day or an interpreter removed since the run: its places no longer exist.
    slots = {p["slot"] for p in placements.values()}
    interpreters = {p["interpreter"] for p in placements.values() if p["interpreter"]}
    if run.event.slots.filter(pk__in=slots).count() != len(slots) or (
        run.event.interpreters.filter(pk__in=interpreters).count() != len(interpreters)
    ):
        raise ValidationError(
            _("The meeting days or interpreters changed since this run: run the scheduler again."),
            code="run_outdated",
        )
    current = {m.request_id: m for m in run.event.meetings.all()}
    moved = [
        m for request_id, m in current.items()
        if request_id not in placements
        or (m.slot_id, m.table) != (placements[request_id]["slot"], placements[request_id]["table"])
    ]  # fmt: skip
    Meeting.objects.filter(pk__in=[m.pk for m in moved]).delete()
    kept = {request_id for request_id in current if request_id in placements} - {m.request_id for m in moved}
    for request_id in kept:  # same place: the interpreter may change
        placement = placements[request_id]
        Meeting.objects.filter(pk=current[request_id].pk).update(
            interpreter_id=placement["interpreter"], interpreter_languages=placement["languages"]
        )
    Meeting.objects.bulk_create(
        [
            Meeting(
                event=run.event,
                request_id=request_id,
                slot_id=placement["slot"],
                table=placement["table"],
                interpreter_id=placement["interpreter"],
                interpreter_languages=placement["languages"],
            )
            for request_id, placement in placements.items()
            if request_id not in kept
        ]
    )
    run.published_at = timezone.now()
    run.save(update_fields=["published_at", "updated_at"])
    _notify_published(run)
    return len(placements)


def _notify_published(run: ScheduleRun) -> None:
    """Every active participant's members: the schedule is out (one notification each, however many
    participants: a bounded number of queries; the e-mails are sent by workers)."""
    participants = list(
        run.event.participants.filter(status__in=ACTIVE_STATUSES)
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "company__memberships",
                queryset=Membership.objects.filter(role__in=[MembershipRole.OWNER, MembershipRole.MEMBER])
                .select_related("user")
                .order_by("pk"),
                to_attr="notified_memberships",
            )
        )
    )
    strings = {"event": each_language(run.event, "name")}
    notification_send_many(
        kind="events.schedule_published",
        items=[
            Fanout(
                recipients=[membership.user for membership in participant.company.notified_memberships],
                target=participant,
                url=reverse("events:agenda", kwargs={"slug": run.event.slug, "pk": participant.pk}),
                context=strings,
                dedupe_key=f"events.schedule_published:{run.pk}:{participant.pk}",
            )
            for participant in participants
        ],
    )


@transaction.atomic
def meeting_record(
    *, actor, meeting: Meeting, attendance: str, outcome: str = "", notes: str = ""
) -> Meeting:
    """On site: held or no-show, and the outcome, which moves the pair's introduction forward."""
    if attendance not in Attendance.values or outcome not in Outcome.values:
        raise ValidationError(_("Unknown attendance or outcome."), code="invalid_record")
    if attendance != Attendance.HELD and outcome:
        raise ValidationError(
            _("Only a meeting that was held has an outcome."), code="outcome_without_meeting"
        )
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("request__sender__company", "request__recipient__company")
        .get(pk=meeting.pk)
    )
    meeting.attendance, meeting.outcome, meeting.notes = attendance, outcome, notes.strip()
    meeting.save(update_fields=["attendance", "outcome", "notes", "updated_at"])
    if attendance == Attendance.HELD:
        a, b = meeting.request.sender.company, meeting.request.recipient.company
        thai, japanese = (a, b) if a.country == "TH" else (b, a)
        introduction_from_meeting(thai=thai, japanese=japanese, outcome=outcome, actor=actor, note=notes)
    return meeting
