"""Every write of the events app: slots, delegations and participants, meeting requests with caps and
expiry, the scheduler run (draft) and its publication, check-in and outcomes. Views and the API check
permissions (``events.rules``); services check business rules and keep writes atomic."""

import datetime
import logging
import time
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import scheduler
from events.models import (
    ACTIVE_STATUSES,
    Attendance,
    Delegation,
    Event,
    Interpreter,
    Meeting,
    MeetingDay,
    MeetingRequest,
    Outcome,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Representative,
    RequestStatus,
    ScheduleRun,
    Slot,
)
from portal.companies.models import Company, MembershipRole
from portal.core import outbox
from portal.core.heartbeat import Heartbeat, claim, stalled_before
from portal.core.notify import send_to_users
from portal.core.transitions import Transitions

logger = logging.getLogger(__name__)


EVENT_OVER = gettext_lazy("This event is over: meeting requests and applications are closed.")
EVENT_OVER_CODE = "event_over"


def sources(transitions: Transitions, to: str) -> list[str]:
    """The states ``transitions`` lets move to ``to`` (for writes of many rows at once)."""
    return sorted(state for state in transitions.table if transitions.can(state, to))


def _members(company: Company) -> list:
    return [
        membership.user
        for membership in company.memberships.select_related("user").filter(
            role__in=[MembershipRole.OWNER, MembershipRole.MEMBER]
        )
    ]


def _notify(company: Company, template: str, context: dict) -> None:
    users = _members(company)
    transaction.on_commit(lambda: send_to_users(users=users, template=template, context=context))


# --- Events ------------------------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event | None = None, industries=None, **fields) -> Event:
    """Create an event or change its details (``fields`` as validated by ``events.forms.EventForm``);
    ``industries`` replaces the focus industries when given. Meeting days are saved apart."""
    event = event or Event()
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    if industries is not None:
        event.industries.set(industries)
    return event


# --- Days and slots ----------------------------------------------------------------------------------


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def day_slot_times(day: MeetingDay) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The slots of a meeting day in the event's time zone: back to back from the start, skipping any slot
    that overlaps a break, none running past the end."""
    tz = day.event.tz
    start = day.starts_at.hour * 60 + day.starts_at.minute
    end = day.ends_at.hour * 60 + day.ends_at.minute
    breaks = [(_minutes(a), _minutes(b)) for a, b in day.breaks]
    result = []
    minute = start
    while minute + day.slot_minutes <= end:
        slot_end = minute + day.slot_minutes
        clash = next((b for b in breaks if minute < b[1] and slot_end > b[0]), None)
        if clash:
            minute = max(minute + day.slot_minutes, clash[1]) if clash[1] > minute else slot_end
            continue
        begins = datetime.datetime.combine(day.date, datetime.time(minute // 60, minute % 60), tz)
        result.append((begins, begins + datetime.timedelta(minutes=day.slot_minutes)))
        minute = slot_end
    return result


def validate_breaks(breaks) -> list[list[str]]:
    try:
        cleaned = [[str(a), str(b)] for a, b in breaks]
        if any(_minutes(a) >= _minutes(b) for a, b in cleaned):
            raise ValueError
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _('Breaks are pairs of times, e.g. [["12:00", "13:00"]].'), code="invalid_breaks"
        ) from error
    return cleaned


@transaction.atomic
def meeting_day_save(*, event: Event, day: MeetingDay | None = None, **fields) -> MeetingDay:
    """Create or change a meeting day and (re)generate its slots; slots with meetings are kept."""
    fields["breaks"] = validate_breaks(fields.get("breaks", []))
    if not event.starts_on <= fields["date"] <= event.ends_on:
        raise ValidationError(_("A meeting day must be within the event's dates."), code="day_outside_event")
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValidationError(_("A meeting day must end after it starts."), code="day_ends_before_start")
    if fields["slot_minutes"] < 10:
        raise ValidationError(_("Slots are at least 10 minutes long."), code="slot_too_short")
    day = day or MeetingDay(event=event)
    for name, value in fields.items():
        setattr(day, name, value)
    day.save()
    wanted = day_slot_times(day)
    existing = {slot.starts_at: slot for slot in day.slots.all()}
    keep = {begins for begins, _ends in wanted}
    for begins, slot in existing.items():
        if begins not in keep and not slot.meetings.exists():
            slot.delete()
    Slot.objects.bulk_create(
        [Slot(day=day, event=event, starts_at=b, ends_at=e) for b, e in wanted if b not in existing]
    )
    return day


# --- Delegations and participants --------------------------------------------------------------------


def delegation_candidates(*, delegation: Delegation, limit: int = 50) -> list[dict]:
    """Companies of the delegation's country, verified and not yet taking part, ranked by how strongly
    they match the event's Thai exhibitors in its focus industries (sum of match scores, then the best)."""
    from matching.selectors import pair_scores

    event = delegation.event
    exhibitors = Participant.objects.filter(
        event=event, kind=ParticipantKind.EXHIBITOR, status__in=[*ACTIVE_STATUSES, ParticipantStatus.APPLIED]
    )
    focus = list(event.industries.values_list("pk", flat=True))
    if focus:
        exhibitors = exhibitors.filter(company__industries__in=focus)
    exhibitor_ids = set(exhibitors.values_list("company_id", flat=True))
    taken = set(event.participants.values_list("company_id", flat=True))
    candidates = Company.objects.verified().filter(country=delegation.country).exclude(pk__in=taken)
    if focus:
        candidates = candidates.filter(industries__in=focus)
    candidates = list(candidates.distinct().prefetch_related("industries"))
    scores = pair_scores([c.pk for c in candidates], exhibitor_ids)
    ranked = []
    for company in candidates:
        matches = sorted(
            (proposal.score for (cid, _eid), proposal in scores.items() if cid == company.pk), reverse=True
        )
        ranked.append(
            {
                "company": company,
                "strength": round(sum(matches), 1),
                "best": round(matches[0], 1) if matches else 0.0,
                "matches": len(matches),
            }
        )
    ranked.sort(key=lambda row: (-row["strength"], -row["best"], row["company"].pk))
    return ranked[:limit]


def delegation_create(
    *, actor, event: Event, name_en: str, target_size: int, name_th: str = "", name_ja: str = ""
) -> Delegation:
    return Delegation.objects.create(
        event=event,
        coordinator=actor,
        name_en=name_en.strip(),
        name_th=name_th.strip(),
        name_ja=name_ja.strip(),
        target_size=target_size,
    )


def interpreter_add(*, event: Event, name: str, language_pairs: str) -> Interpreter:
    return Interpreter.objects.create(event=event, name=name.strip(), language_pairs=language_pairs)


@transaction.atomic
def participant_invite(*, actor, delegation: Delegation, company: Company) -> Participant:
    if company.country != delegation.country:
        raise ValidationError(_("This delegation is for companies of another country."), code="wrong_country")
    if not company.is_verified:
        raise ValidationError(_("Only verified companies can be invited."), code="company_not_verified")
    participant, created = Participant.objects.get_or_create(
        event=delegation.event,
        company=company,
        defaults={
            "kind": ParticipantKind.DELEGATE,
            "delegation": delegation,
            "status": ParticipantStatus.INVITED,
        },
    )
    if not created:
        raise ValidationError(_("This company already takes part in the event."), code="already_taking_part")
    _notify(
        company, "event_invited", {"event": delegation.event, "delegation": delegation, "company": company}
    )
    return participant


INVITATION_ANSWERS = {ParticipantStatus.CONFIRMED, ParticipantStatus.DECLINED}

# Who moves a participant: the member answering an invitation (invited/confirmed/declined → confirmed or
# declined, changing their mind until the event is over), the coordinator deciding an application
# (applied → confirmed or declined), the coordinator checking in on site (confirmed/arrived → arrived).
PARTICIPANT_STATES = Transitions(
    ParticipantStatus,
    {
        ParticipantStatus.INVITED: INVITATION_ANSWERS,
        ParticipantStatus.APPLIED: INVITATION_ANSWERS,
        ParticipantStatus.CONFIRMED: {*INVITATION_ANSWERS, ParticipantStatus.ARRIVED},
        ParticipantStatus.DECLINED: INVITATION_ANSWERS,
        ParticipantStatus.ARRIVED: {ParticipantStatus.ARRIVED},
    },
    message=gettext_lazy("A participant cannot move from “%(from)s” to “%(to)s”."),
)


def participant_set_status(*, participant: Participant, status: str, **fields) -> Participant:
    """The one writer of a participant's status (call it inside the caller's transaction, on a row
    locked with ``select_for_update``); ``fields`` are saved with it (``decline_reason``, ``booth``).

    Side effects: declined → the participant's pending meeting requests, sent or received, are
    cancelled; arrived → ``checked_in_at`` is set (the first check-in's time is kept). Notifications are
    the callers' (``participant_decide`` tells the company; an answer to an invitation tells nobody).
    Refuses a move the table does not allow (``code="invalid_transition"``)."""
    PARTICIPANT_STATES.check(participant.status, status)
    participant.status = status
    for name, value in fields.items():
        setattr(participant, name, value)
    update = ["status", *fields, "updated_at"]
    if status == ParticipantStatus.ARRIVED:
        participant.checked_in_at = participant.checked_in_at or timezone.now()
        update.insert(1, "checked_in_at")
    participant.save(update_fields=update)
    if status == ParticipantStatus.DECLINED:
        _cancel_open_requests(participant)
    return participant


@transaction.atomic
def participant_respond(*, participant: Participant, accept: bool, reason: str = "") -> Participant:
    """A member answers their company's invitation (and may change their mind until the event starts)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status not in (ParticipantStatus.INVITED, *INVITATION_ANSWERS):
        raise ValidationError(_("There is no invitation to answer."), code="no_invitation")
    if participant.event.is_over:
        raise ValidationError(_("The event is over."), code=EVENT_OVER_CODE)
    return participant_set_status(
        participant=participant,
        status=ParticipantStatus.CONFIRMED if accept else ParticipantStatus.DECLINED,
        decline_reason="" if accept else reason.strip()[:300],
    )


@transaction.atomic
def exhibitor_register(*, event: Event, company: Company, booth: str = "") -> Participant:
    if event.is_over:
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)
    if company.country != "TH":
        raise ValidationError(
            _("Exhibitors are Thai companies; Japanese companies join a delegation."), code="wrong_country"
        )
    if not company.is_verified:
        raise ValidationError(
            _("Your company must be verified before it can exhibit."), code="company_not_verified"
        )
    participant, created = Participant.objects.get_or_create(
        event=event,
        company=company,
        defaults={
            "kind": ParticipantKind.EXHIBITOR,
            "status": ParticipantStatus.APPLIED,
            "booth": booth.strip(),
        },
    )
    if not created:
        raise ValidationError(_("Your company already takes part in this event."), code="already_taking_part")
    return participant


@transaction.atomic
def participant_decide(*, actor, participant: Participant, approve: bool, booth: str = "") -> Participant:
    """A coordinator approves (with a booth) or rejects an exhibitor's application."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != ParticipantStatus.APPLIED:
        raise ValidationError(_("Only applications can be approved or rejected."), code="not_an_application")
    participant = participant_set_status(
        participant=participant,
        status=ParticipantStatus.CONFIRMED if approve else ParticipantStatus.DECLINED,
        booth=booth.strip()[:20] if booth else participant.booth,
    )
    _notify(
        participant.company,
        "event_exhibitor_decided",
        {"event": participant.event, "participant": participant, "approved": approve},
    )
    return participant


@transaction.atomic
def participant_check_in(*, actor, participant: Participant) -> Participant:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only confirmed participants can check in."), code="not_confirmed")
    return participant_set_status(participant=participant, status=ParticipantStatus.ARRIVED)


def representative_add(
    *, participant: Participant, name: str, role: str = "", languages: str = ""
) -> Representative:
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    if not name.strip() or not codes or any(code not in ("th", "ja", "en") for code in codes):
        raise ValidationError(
            _("A representative needs a name and languages among th, ja, en."), code="invalid_representative"
        )
    return Representative.objects.create(
        participant=participant, name=name.strip(), role=role.strip(), languages=",".join(codes)
    )


def participant_set_availability(*, participant: Participant, unavailable: list[Slot]) -> None:
    if any(slot.event_id != participant.event_id for slot in unavailable):
        raise ValidationError(_("Those slots are not of this event."), code="slot_of_another_event")
    participant.unavailable_slots.set(unavailable)


def participant_languages(participant: Participant) -> frozenset[str]:
    """What a participant can speak at a meeting: its representatives' languages, else the company's."""
    reps = [code for rep in participant.representatives.all() for code in rep.language_list()]
    return frozenset(reps or participant.company.language_list or ["en"])


# --- Meeting requests --------------------------------------------------------------------------------


# A pending request is answered (accepted, declined), expires, or is cancelled when a side declines its
# participation. A coordinator's must-meet accepts a request whatever its state (``meeting_request_create``).
REQUEST_STATES = Transitions(
    RequestStatus,
    {
        RequestStatus.PENDING: {
            RequestStatus.ACCEPTED,
            RequestStatus.DECLINED,
            RequestStatus.EXPIRED,
            RequestStatus.CANCELLED,
        },
        RequestStatus.ACCEPTED: {RequestStatus.ACCEPTED},
        RequestStatus.DECLINED: {RequestStatus.ACCEPTED},
        RequestStatus.EXPIRED: {RequestStatus.ACCEPTED},
        RequestStatus.CANCELLED: {RequestStatus.ACCEPTED},
    },
    message=gettext_lazy("A meeting request cannot move from “%(from)s” to “%(to)s”."),
)


def meeting_request_set_status(
    *, meeting_request: MeetingRequest, status: str, now: datetime.datetime | None = None, **fields
) -> MeetingRequest:
    """The one writer of a request's status (inside the caller's transaction, on a locked row);
    ``fields`` are saved with it (``decline_reason``, ``must_meet``).

    Side effects: accepted or declined → ``responded_at`` (``now``) is set unless it already was.
    Notifications are the callers' (``meeting_request_respond`` tells the sender). Refuses a move the
    table does not allow (``code="invalid_transition"``)."""
    REQUEST_STATES.check(meeting_request.status, status)
    meeting_request.status = status
    for name, value in fields.items():
        setattr(meeting_request, name, value)
    update = ["status", *fields, "updated_at"]
    if status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
        meeting_request.responded_at = meeting_request.responded_at or now or timezone.now()
        update.insert(1, "responded_at")
    meeting_request.save(update_fields=update)
    return meeting_request


def meeting_requests_set_status(*, requests: QuerySet[MeetingRequest], status: str) -> int:
    """Many requests at once (expiry, cancellation): only those whose state may move to ``status`` move;
    returns how many. No side effects."""
    return requests.filter(status__in=sources(REQUEST_STATES, status)).update(
        status=status, updated_at=timezone.now()
    )


def _cancel_open_requests(participant: Participant) -> None:
    meeting_requests_set_status(
        requests=MeetingRequest.objects.filter(Q(sender=participant) | Q(recipient=participant)),
        status=RequestStatus.CANCELLED,
    )


def _accepted_count(participant: Participant) -> int:
    return MeetingRequest.objects.filter(
        Q(sender=participant) | Q(recipient=participant), status=RequestStatus.ACCEPTED
    ).count()


@transaction.atomic
def meeting_request_create(
    *,
    actor,
    sender: Participant,
    recipient: Participant,
    message: str = "",
    must_meet: bool = False,
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """A participant asks another for a meeting (a coordinator's must-meet is accepted at once).
    ``now`` is the time of asking (the demo writes a past event's history with it)."""
    event = sender.event
    now = now or timezone.now()
    if recipient.event_id != event.pk or sender.pk == recipient.pk:
        raise ValidationError(
            _("Meetings are between two participants of the same event."), code="not_same_event"
        )
    if event.is_over_at(now):
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)
    if sender.company.country == recipient.company.country:
        raise ValidationError(
            _("Meetings here are between Thai and Japanese companies."), code="same_country"
        )
    if not (sender.is_active and recipient.is_active):
        raise ValidationError(
            _("Both companies must have confirmed their participation."), code="not_confirmed"
        )
    Participant.objects.select_for_update().filter(pk=sender.pk).first()  # serialise a company's requests
    low, high = sorted([sender, recipient], key=lambda p: p.pk)
    existing = MeetingRequest.objects.filter(event=event, low=low, high=high).first()
    if existing is not None and not must_meet:
        raise ValidationError(
            _("There is already a meeting request between these companies."), code="duplicate_request"
        )
    if not must_meet:
        sent = MeetingRequest.objects.filter(sender=sender).exclude(status=RequestStatus.CANCELLED).count()
        if sent >= event.max_requests_per_company:
            raise ValidationError(
                _("Your company has sent the most requests allowed at this event (%(n)s).")
                % {"n": event.max_requests_per_company},
                code="too_many_requests",
            )
    if existing is not None:  # a coordinator turns an existing request into an accepted must-meet
        return meeting_request_set_status(
            meeting_request=existing, status=RequestStatus.ACCEPTED, now=now, must_meet=True
        )
    meeting_request = MeetingRequest.objects.create(
        event=event,
        sender=sender,
        recipient=recipient,
        low=low,
        high=high,
        message=message.strip(),
        must_meet=must_meet,
        status=RequestStatus.ACCEPTED if must_meet else RequestStatus.PENDING,
        responded_at=now if must_meet else None,
        expires_at=None if must_meet else now + datetime.timedelta(hours=event.request_expiry_hours),
        created_by=actor,
    )
    if not must_meet:
        score, reasons = _brief(viewer=recipient.company, other=sender.company)
        _notify(
            recipient.company,
            "meeting_requested",
            {"event": event, "request": meeting_request, "score": score, "reasons": reasons},
        )
    return meeting_request


def _brief(*, viewer: Company, other: Company) -> tuple[float | None, list[dict]]:
    """The match score and reasons of a pair as ``viewer`` reads them (rendered in each recipient's
    language by the e-mail template)."""
    from matching.reasons_text import proposal_reasons
    from matching.selectors import pair_scores

    proposal = pair_scores([viewer.pk], [other.pk]).get((viewer.pk, other.pk))
    if proposal is None:
        return None, []
    return proposal.score, proposal_reasons(proposal, viewer_id=viewer.pk)


@transaction.atomic
def meeting_request_respond(
    *,
    actor,
    meeting_request: MeetingRequest,
    accept: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """The recipient accepts or declines, while the request is open and the event not over (``now``: the
    time of answering, as for ``meeting_request_create``)."""
    meeting_request = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "sender", "recipient")
        .get(pk=meeting_request.pk)
    )
    if meeting_request.status != RequestStatus.PENDING:
        raise ValidationError(
            _("This request has already been answered or has expired."), code="already_answered"
        )
    now = now or timezone.now()
    if meeting_request.event.is_over_at(now):  # the expiry task closes it; until then it cannot be answered
        raise ValidationError(EVENT_OVER, code=EVENT_OVER_CODE)
    if meeting_request.expires_at and meeting_request.expires_at <= now:
        meeting_request_set_status(meeting_request=meeting_request, status=RequestStatus.EXPIRED)
        raise ValidationError(_("This request has expired."), code="request_expired")
    if accept:
        limit = meeting_request.event.max_meetings_per_company
        for side in (meeting_request.sender, meeting_request.recipient):
            if _accepted_count(side) >= limit:
                raise ValidationError(
                    _("%(company)s already has the most meetings allowed at this event (%(n)s).")
                    % {"company": side.company.display_name(), "n": limit},
                    code="too_many_meetings",
                )
    meeting_request_set_status(
        meeting_request=meeting_request,
        status=RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED,
        now=now,
        decline_reason="" if accept else reason.strip()[:300],
    )
    _notify(
        meeting_request.sender.company,
        "meeting_answered",
        {"event": meeting_request.event, "request": meeting_request},
    )
    return meeting_request


def meeting_requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Pending requests past their time, or of an event that is over, become expired (a beat task);
    returns how many."""
    now = now or timezone.now()
    ended = [
        event.pk
        for event in Event.objects.filter(requests__status=RequestStatus.PENDING).distinct()
        if now >= event.ends_at
    ]
    return meeting_requests_set_status(
        requests=MeetingRequest.objects.filter(
            Q(expires_at__isnull=False, expires_at__lte=now) | Q(event_id__in=ended)
        ),
        status=RequestStatus.EXPIRED,
    )


def meeting_request_nudges() -> int:
    """One e-mail per company with unanswered requests (in each member's language); returns the number."""
    pending = (
        MeetingRequest.objects.filter(status=RequestStatus.PENDING, expires_at__gt=timezone.now())
        .select_related("event", "sender__company", "recipient__company")
        .order_by("expires_at")
    )
    by_company: dict[int, list[MeetingRequest]] = defaultdict(list)
    for meeting_request in pending:
        by_company[meeting_request.recipient.company_id].append(meeting_request)
    sent = 0
    for requests in by_company.values():
        company = requests[0].recipient.company
        sent += send_to_users(
            users=_members(company),
            template="meeting_nudge",
            context={"requests": requests, "company": company},
        )
    return sent


# --- Scheduling --------------------------------------------------------------------------------------


def build_problem(event: Event, *, time_limit_s: float | None = None) -> scheduler.Problem:
    """The event as a scheduler problem: accepted requests between active participants, each weighted by
    the pair's match score, published meetings pinned where they are."""
    from matching.selectors import pair_scores

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


def schedule_run_start(*, actor, event: Event) -> ScheduleRun:
    """Queue a scheduler run (a Celery task; inline on the embedded default)."""
    from events.tasks import schedule_run_solve

    if not event.slots.exists():
        raise ValidationError(_("Add meeting days before scheduling."), code="no_slots")
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
    from events.tasks import schedule_run_solve

    stale = stalled_before()
    stalled = ScheduleRun.objects.filter(status__in=UNFINISHED_RUN).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale)
    )
    queued = 0
    for run in stalled.only("pk", "heartbeat_at", "claimed_by"):
        token = uuid.uuid4().hex
        same = ScheduleRun.objects.filter(pk=run.pk, heartbeat_at=run.heartbeat_at, claimed_by=run.claimed_by)
        if same.update(claimed_by=token, heartbeat_at=timezone.now()):
            schedule_run_solve.apply_async(kwargs={"run_id": run.pk}, task_id=token)
            logger.warning("scheduler run re-queued", extra={"run": run.pk})
            queued += 1
    return queued


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
    for participant in run.event.participants.filter(status__in=ACTIVE_STATUSES).select_related("company"):
        _notify(participant.company, "agenda_published", {"event": run.event, "participant": participant})
    return len(placements)


@transaction.atomic
def meeting_record(
    *, actor, meeting: Meeting, attendance: str, outcome: str = "", notes: str = ""
) -> Meeting:
    """On site: held or no-show, and the outcome, which moves the pair's introduction forward."""
    from matching.services import introduction_from_meeting

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
