"""Reads of the events app: public pages, a member's participation, agendas, grids and KPIs."""

import datetime
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from events.models import (
    ACTIVE_STATUSES,
    REPORT_WINDOW_DAYS,
    Attendance,
    Delegation,
    Event,
    Interpreter,
    Meeting,
    MeetingDay,
    MeetingReport,
    MeetingRequest,
    Outcome,
    Participant,
    ParticipantKind,
    RequestStatus,
    ScheduleRun,
    Slot,
)
from matching.reasons_text import render_proposal_reasons
from matching.selectors import met_before, pair_scores
from portal.accounts.models import User
from portal.core.lookups import allowed_or_404


def event_list_public() -> QuerySet[Event]:
    return Event.objects.filter(is_public=True).order_by("-starts_on")


def event_list_for_user(*, user: User) -> QuerySet[Event]:
    """Public events; coordinators see every event."""
    if user.has_perm("events.manage_event"):
        return Event.objects.order_by("-starts_on")
    return event_list_public()


# --- Lookups: missing or not allowed → 404 (portal/core/lookups.py) -----------------------------------
# ``permission`` is a django-rules name held on the object; ``None`` means that existing is enough. Objects
# inside an event take the ``event`` they must belong to (from the URL).


def event_get_for_user(*, user: User, slug: str, permission: str | None = None) -> Event:
    """An event by slug: a public one for everybody, any for coordinators; with ``permission``, only for
    those who hold it (``"events.manage_event"`` for the coordinators' pages)."""
    event = Event.objects.filter(slug=slug).prefetch_related("industries").first()
    if event is not None and not event.is_public and permission is None:
        permission = "events.manage_event"
    return allowed_or_404(event, user=user, permission=permission)


def participant_get_for_user(
    *, user: User, pk: int, permission: str | None, event: Event | None = None
) -> Participant:
    participants = _participants(event) if event is not None else _all_participants()
    return allowed_or_404(participants.filter(pk=pk).first(), user=user, permission=permission)


def meeting_request_get_for_user(
    *, user: User, pk: int, permission: str = "events.view_request", event: Event | None = None
) -> MeetingRequest:
    requests = MeetingRequest.objects.select_related("event", "sender__company", "recipient__company")
    if event is not None:
        requests = requests.filter(event=event)
    return allowed_or_404(requests.filter(pk=pk).first(), user=user, permission=permission)


def delegation_get_for_user(
    *, user: User, event: Event, pk: int, permission: str = "events.manage_event"
) -> Delegation:
    return allowed_or_404(event.delegations.filter(pk=pk).first(), user=user, permission=permission)


def schedule_run_get_for_user(
    *, user: User, event: Event, pk: int, permission: str = "events.manage_event"
) -> ScheduleRun:
    return allowed_or_404(event.schedule_runs.filter(pk=pk).first(), user=user, permission=permission)


def meeting_get_for_user(
    *, user: User, event: Event, pk: int, permission: str = "events.manage_event"
) -> Meeting:
    return allowed_or_404(event.meetings.filter(pk=pk).first(), user=user, permission=permission)


def meeting_to_report_for_user(*, user: User, event: Event, pk: int, meeting_pk: int) -> tuple:
    """(participant, meeting) for a member reporting on their own meeting: ``pk`` is their company's
    participation (``events.act_for_participant``) and the meeting one of its own (``events.report_meeting``).
    Anything else, coordinators included, answers 404."""
    participant = participant_get_for_user(
        user=user, pk=pk, event=event, permission="events.act_for_participant"
    )
    meeting = (
        _meetings(event)
        .filter(Q(request__sender=participant) | Q(request__recipient=participant), pk=meeting_pk)
        .first()
    )
    return participant, allowed_or_404(meeting, user=user, permission="events.report_meeting")


def participant_list_for_user(*, user: User) -> QuerySet[Participant]:
    """The user's companies' participations in every event (coordinators: all)."""
    participants = Participant.objects.select_related("company", "event").order_by("event__starts_on", "pk")
    if user.has_perm("events.manage_event"):
        return participants
    return participants.filter(company__memberships__user=user).distinct()


def meeting_request_list_for_user(*, user: User) -> QuerySet[MeetingRequest]:
    """Requests sent or received by the user's companies (coordinators: all), newest first."""
    requests = MeetingRequest.objects.select_related("sender__company", "recipient__company").order_by("-pk")
    if user.has_perm("events.manage_event"):
        return requests
    companies = user.memberships.values("company_id")
    return requests.filter(Q(sender__company__in=companies) | Q(recipient__company__in=companies))


def _all_participants() -> QuerySet[Participant]:
    return Participant.objects.select_related("company", "event", "delegation").prefetch_related(
        "company__industries", "representatives"
    )


def _participants(event: Event) -> QuerySet[Participant]:
    return event.participants.select_related("company", "delegation").prefetch_related(
        "company__industries", "representatives"
    )


def participations_for_user(*, user: User, event: Event) -> list[Participant]:
    if not user.is_authenticated:
        return []
    return list(_participants(event).filter(company__memberships__user=user).distinct())


def public_participants(event: Event) -> dict:
    """For the public page: confirmed exhibitors and delegation members (company names and booths only)."""
    active = _participants(event).filter(status__in=ACTIVE_STATUSES).order_by("company__name_en")
    return {
        "exhibitors": [p for p in active if p.kind == ParticipantKind.EXHIBITOR],
        "delegates": [p for p in active if p.kind == ParticipantKind.DELEGATE],
    }


@dataclass
class MeetingOption:
    """On a company's page: an upcoming event where one of the viewer's companies and that company both take
    part (confirmed), and the request between them if there is one."""

    event: Event
    mine: Participant
    theirs: Participant
    request: MeetingRequest | None


def meeting_options_for_company_page(*, user: User, company) -> list[MeetingOption]:
    """Upcoming events (not yet over) where ``user`` can ask ``company`` for a meeting, or already did."""
    if not user.is_authenticated:
        return []
    active = Participant.objects.filter(status__in=ACTIVE_STATUSES, event__ends_on__gte=timezone.localdate())
    theirs = {p.event_id: p for p in active.filter(company=company).select_related("event", "company")}
    if not theirs:
        return []
    mine = (
        active.filter(event_id__in=theirs, company__memberships__user=user)
        .exclude(company__country=company.country)
        .select_related("company")
        .distinct()
    )
    options = [MeetingOption(theirs[p.event_id].event, p, theirs[p.event_id], None) for p in mine]
    pairs = Q(pk__in=[])
    for option in options:
        low, high = sorted([option.mine.pk, option.theirs.pk])
        pairs |= Q(low_id=low, high_id=high)
    requests = {(r.low_id, r.high_id): r for r in MeetingRequest.objects.filter(pairs)} if options else {}
    for option in options:
        option.request = requests.get(tuple(sorted([option.mine.pk, option.theirs.pk])))
    return sorted(options, key=lambda o: (o.event.starts_on, o.event.pk))


@dataclass
class Counterpart:
    participant: Participant
    score: float | None
    reasons: list
    met_before: bool
    request: MeetingRequest | None


def counterparts_for(participant: Participant) -> list[Counterpart]:
    """The other country's active participants for ``participant``, best match first, each with the
    request between them (if any) and whether the companies met before. Sets
    ``participant.requests_sent``: the requests it sent that count against the event's cap (every one not
    cancelled, to any participant, as ``meeting_request_create`` counts them), from the same query."""
    others = list(
        _participants(participant.event)
        .filter(status__in=ACTIVE_STATUSES)
        .exclude(company__country=participant.company.country)
    )
    scores = pair_scores([participant.company_id], [o.company_id for o in others])
    involving = list(MeetingRequest.objects.filter(Q(low=participant) | Q(high=participant)))
    requests = {(r.high_id if r.low_id == participant.pk else r.low_id): r for r in involving}
    participant.requests_sent = sum(
        1 for r in involving if r.sender_id == participant.pk and r.status != RequestStatus.CANCELLED
    )
    own_thai = participant.company.country == "TH"
    pairs = [
        (participant.company_id, o.company_id) if own_thai else (o.company_id, participant.company_id)
        for o in others
    ]
    known = met_before(pairs)
    rows = []
    for other, pair in zip(others, pairs, strict=True):
        proposal = scores.get((participant.company_id, other.company_id))
        rows.append(
            Counterpart(
                participant=other,
                score=proposal.score if proposal else None,
                reasons=(
                    render_proposal_reasons(proposal, viewer_id=participant.company_id) if proposal else []
                ),
                met_before=pair in known,
                request=requests.get(other.pk),
            )
        )
    rows.sort(key=lambda row: (-(row.score or 0), row.participant.company.display_name()))
    return rows


def requests_for(participant: Participant) -> dict[str, list[MeetingRequest]]:
    related = MeetingRequest.objects.select_related("sender__company", "recipient__company").order_by(
        "-created_at"
    )
    return {
        "received": list(related.filter(recipient=participant)),
        "sent": list(related.filter(sender=participant)),
    }


def _meetings(event: Event) -> QuerySet[Meeting]:
    return event.meetings.select_related(
        "slot", "interpreter", "request__sender__company", "request__recipient__company"
    ).order_by("slot__starts_at", "table")


def agenda_for(participant: Participant) -> list[dict]:
    """The participant's published meetings in time order, each with the counterpart, the match reasons
    in the viewer's language (the meeting brief) and the participant's own report (never the other's)."""
    meetings = list(
        _meetings(participant.event)
        .filter(Q(request__sender=participant) | Q(request__recipient=participant))
        .prefetch_related(
            # the other side's people on each card: one query, not one per meeting
            "request__sender__representatives",
            "request__recipient__representatives",
            Prefetch(
                "reports",
                queryset=MeetingReport.objects.filter(participant=participant),
                to_attr="own_reports",
            ),
        )
    )
    now = timezone.now()
    others = [m.request.other_side(participant) for m in meetings]
    scores = pair_scores([participant.company_id], [o.company_id for o in others])
    rows = []
    for meeting, other in zip(meetings, others, strict=True):
        proposal = scores.get((participant.company_id, other.company_id))
        rows.append(
            {
                "meeting": meeting,
                "other": other,
                "score": proposal.score if proposal else None,
                "reasons": (
                    render_proposal_reasons(proposal, viewer_id=participant.company_id) if proposal else []
                ),
                "report": meeting.own_reports[0] if meeting.own_reports else None,
                "can_report": meeting.slot.starts_at <= now and meeting.attendance != Attendance.NO_SHOW,
            }
        )
    return rows


@dataclass
class MeetingReports:
    """On the coordinators' page: a meeting, each side's report, and the outcome both sides agree on."""

    meeting: Meeting
    thai: Participant
    japanese: Participant
    thai_report: MeetingReport | None
    japanese_report: MeetingReport | None

    @property
    def agreed(self) -> str:
        if (
            self.thai_report
            and self.japanese_report
            and self.thai_report.outcome == self.japanese_report.outcome
        ):
            return self.thai_report.outcome
        return ""

    @property
    def sides(self) -> list[tuple[Participant, MeetingReport | None]]:
        return [(self.thai, self.thai_report), (self.japanese, self.japanese_report)]

    @property
    def suggested(self) -> str:
        """The outcome to pre-select in the coordinator's record: theirs, else the sides' agreed one."""
        return self.meeting.outcome or self.agreed


def meeting_reports_for(event: Event, *, reported_only: bool = False) -> list[MeetingReports]:
    """Every published meeting of ``event`` that has started, with both sides' reports (2 queries)."""
    meetings = (
        _meetings(event)
        .filter(slot__starts_at__lte=timezone.now())
        .prefetch_related(Prefetch("reports", queryset=MeetingReport.objects.order_by("pk")))
    )
    if reported_only:
        meetings = meetings.filter(reports__isnull=False).distinct()
    rows = []
    for meeting in meetings:
        sender, recipient = meeting.request.sender, meeting.request.recipient
        thai, japanese = (sender, recipient) if sender.company.country == "TH" else (recipient, sender)
        reports = {report.participant_id: report for report in meeting.reports.all()}
        rows.append(MeetingReports(meeting, thai, japanese, reports.get(thai.pk), reports.get(japanese.pk)))
    return rows


def meetings_to_report_count(*, company_ids, now=None) -> tuple[int, tuple[str, int] | None]:
    """How many meetings of these companies (held within the reminder window, not a no-show) have no
    report from their side, and (event slug, participant id) of the earliest one (1 query)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=REPORT_WINDOW_DAYS + 1)
    due = [
        Meeting.objects.filter(
            **{f"request__{side}__company_id__in": company_ids},
            slot__starts_at__lte=now,
            slot__starts_at__gte=since,
        )
        .exclude(attendance=Attendance.NO_SHOW)
        .filter(
            ~Exists(
                MeetingReport.objects.filter(meeting=OuterRef("pk"), participant=OuterRef(f"request__{side}"))
            )
        )
        .order_by()
        .values_list("slot__starts_at", "event__slug", f"request__{side}_id")
        for side in ("sender", "recipient")
    ]
    rows = sorted(due[0].union(due[1], all=True))
    return len(rows), ((rows[0][1], rows[0][2]) if rows else None)


def grid(event: Event, placements: list[dict] | None = None) -> dict:
    """Slots × tables. ``placements`` (a draft run's) or the published meetings."""
    slots = list(event.slots.select_related("day").order_by("starts_at"))
    tables = [str(n) for n in range(1, max((s.day.tables for s in slots), default=0) + 1)]
    cells: dict[tuple[int, str], dict] = {}
    if placements is None:
        for meeting in _meetings(event):
            cells[(meeting.slot_id, meeting.table)] = {
                "a": meeting.request.sender.company,
                "b": meeting.request.recipient.company,
                "interpreter": meeting.interpreter,
                "meeting": meeting,
            }
    else:
        requests = {
            r.pk: r
            for r in event.requests.filter(pk__in=[p["request"] for p in placements]).select_related(
                "sender__company", "recipient__company"
            )
        }
        interpreters = {i.pk: i for i in Interpreter.objects.filter(event=event)}
        for placement in placements:
            request = requests.get(placement["request"])
            if request is None:
                continue
            cells[(placement["slot"], str(placement["table"]))] = {
                "a": request.sender.company,
                "b": request.recipient.company,
                "interpreter": interpreters.get(placement["interpreter"]),
                "must_meet": request.must_meet,
            }
    rows = [(slot, [cells.get((slot.pk, table)) for table in tables]) for slot in slots]
    return {"tables": tables, "rows": rows, "print_groups": _print_groups(tables, rows)}


# How many tables fit across an A4 landscape page next to the time column (names wrap inside ~40 mm).
PRINT_TABLES_PER_PAGE = 6


def _slot_day(row) -> datetime.date:
    return timezone.localdate(row[0].starts_at)


def _print_groups(tables: list[str], rows: list) -> list[dict]:
    """The grid cut into groups of tables of about equal size (15 tables → 5 + 5 + 5), each group's days
    printed on pages of their own, with the date, the time column and the tables' headers atop every page
    (a day's slots that run onto a second page keep their date)."""
    if not tables:
        return []
    count = -(-len(tables) // PRINT_TABLES_PER_PAGE)
    size = -(-len(tables) // count)
    return [
        {
            "tables": tables[start : start + size],
            "days": [
                (day, [(slot, cells[start : start + size]) for slot, cells in day_rows])
                for day, day_rows in itertools.groupby(rows, key=_slot_day)
            ],
        }
        for start in range(0, len(tables), size)
    ]


def unplaced_requests(run: ScheduleRun) -> list[tuple[MeetingRequest, str]]:
    reasons = {row["request"]: row["reason"] for row in run.unplaced}
    requests = run.event.requests.filter(pk__in=reasons).select_related(
        "sender__company", "recipient__company"
    )
    return [(request, reasons[request.pk]) for request in requests]


def delegation_dashboard(delegation: Delegation) -> dict:
    members = list(
        delegation.participants.select_related("company").prefetch_related(
            "company__industries", "representatives"
        )
    )
    ids = {p.pk for p in members}
    # Booked: an accepted request (a meeting both sides agreed to); scheduled: it has a place in the
    # published schedule.
    booked, scheduled = Counter(), Counter()
    for request in MeetingRequest.objects.filter(
        Q(sender_id__in=ids) | Q(recipient_id__in=ids), status=RequestStatus.ACCEPTED
    ).values("sender_id", "recipient_id", "meeting"):
        for side in (request["sender_id"], request["recipient_id"]):
            if side in ids:
                booked[side] += 1
                scheduled[side] += request["meeting"] is not None
    by_industry = Counter(industry.name() for p in members for industry in p.company.industries.all())
    return {
        "members": [(p, booked[p.pk], scheduled[p.pk]) for p in members],
        "by_status": sorted(Counter(str(p.get_status_display()) for p in members).items()),
        "by_industry": sorted(by_industry.items(), key=lambda item: (-item[1], item[0])),
        "meetings_booked": sum(booked.values()),
        "meetings_scheduled": sum(scheduled.values()),
    }


OUTCOME_KEYS = ("no_interest", "follow_up", "nda", "samples", "order", "joint_venture")


def kpis(event: Event) -> dict:
    """The event's figures: requests by status, meetings held / no-show, outcomes; and the same by industry
    and by country. A request or meeting counts once for each country and each industry of its two
    companies (once, when both are in it): a Thai–Japanese meeting is in both countries' rows."""
    requests = list(
        event.requests.select_related("sender__company", "recipient__company").prefetch_related(
            "sender__company__industries", "recipient__company__industries"
        )
    )
    meetings = list(event.meetings.values("request_id", "attendance", "outcome"))
    by_request = {request.pk: request for request in requests}
    by_industry: dict[str, Counter] = defaultdict(Counter)
    by_country: dict[str, Counter] = defaultdict(Counter)

    def groups(meeting_request: MeetingRequest) -> list[Counter]:
        companies = (meeting_request.sender.company, meeting_request.recipient.company)
        countries = {company.get_country_display() for company in companies}
        industries = {industry.name() for company in companies for industry in company.industries.all()}
        return [*(by_country[name] for name in countries), *(by_industry[name] for name in industries)]

    for request in requests:
        for counter in groups(request):
            counter["requests"] += 1
    for meeting in meetings:
        for counter in groups(by_request[meeting["request_id"]]):
            counter["meetings"] += 1
            counter[meeting["attendance"]] += 1
            if meeting["outcome"]:
                counter[meeting["outcome"]] += 1
    request_status = Counter(request.status for request in requests)
    attendance = Counter(meeting["attendance"] for meeting in meetings)
    outcomes = Counter(meeting["outcome"] for meeting in meetings if meeting["outcome"])
    participants = Counter(
        (row["kind"], row["status"]) for row in event.participants.values("kind", "status")
    )
    scheduled = {meeting["request_id"] for meeting in meetings}
    unscheduled = sum(
        1
        for request in requests
        if request.status == RequestStatus.ACCEPTED
        and request.pk not in scheduled
        and request.sender.is_active
        and request.recipient.is_active
    )
    return {
        "request_labels": [
            (label, request_status[code]) for code, label in RequestStatus.choices if request_status[code]
        ],
        "attendance_labels": [
            (label, attendance[code]) for code, label in Attendance.choices if attendance[code]
        ],
        "outcome_labels": [(label, outcomes[code]) for code, label in Outcome.choices if outcomes.get(code)],
        "requests_total": len(requests),
        "requests": request_status,
        "meetings": len(meetings),
        # Accepted between two companies that still take part, and in no published schedule: they wait for
        # a scheduler run (and its publication).
        "unscheduled": unscheduled,
        "attendance": attendance,
        "outcomes": outcomes,
        "by_industry": sorted(by_industry.items(), key=lambda item: (-item[1]["meetings"], item[0])),
        "by_country": sorted(by_country.items()),
        "participants": participants,
    }


def interpreters_for(event: Event) -> QuerySet[Interpreter]:
    return event.interpreters.annotate(meeting_count=Count("meetings"))


def meeting_days_for(event: Event) -> QuerySet[MeetingDay]:
    """The event's meeting days by date, each with its ``slot_count`` and ``meeting_count`` (published
    meetings: a day that holds some keeps its date and cannot be removed)."""
    # By date: a GROUP BY query leaves Meta.ordering out.
    return event.days.annotate(
        slot_count=Count("slots", distinct=True), meeting_count=Count("slots__meetings")
    ).order_by("date")


def slots_for(event: Event) -> QuerySet[Slot]:
    return event.slots.select_related("day").order_by("starts_at")


def delegations_for(event: Event) -> QuerySet[Delegation]:
    return event.delegations.annotate(
        size=Count("participants"),
        confirmed=Count("participants", filter=Q(participants__status__in=ACTIVE_STATUSES)),
    ).prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("company")))
