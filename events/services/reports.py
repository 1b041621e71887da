"""Members' reports on their meetings: each side records its own outcome (the coordinators' ``Outcome``
vocabulary) and a private rating; both sides agreeing moves the pair's introduction as the coordinator's
record does (``meeting_record``); the day after a meeting, a side that has not reported is reminded once."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import (
    REPORT_WINDOW_DAYS,
    Attendance,
    Meeting,
    MeetingReport,
    MeetingReportNudge,
    Outcome,
    Participant,
)
from events.services._common import _members
from matching.services import introduction_from_meeting
from portal.notifications.kinds import each_language
from portal.notifications.services import notification_send


def _sides(meeting: Meeting) -> tuple[Participant, Participant]:
    return meeting.request.sender, meeting.request.recipient


@transaction.atomic
def meeting_report_save(
    *,
    actor,
    meeting: Meeting,
    participant: Participant,
    outcome: str,
    rating: int | None = None,
    note: str = "",
) -> MeetingReport:
    """Record (or change) ``participant``'s report on ``meeting``. When the other side reported the same
    outcome, the pair's introduction moves to the stage that outcome means (never backwards)."""
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("slot", "request__sender__company", "request__recipient__company")
        .get(pk=meeting.pk)
    )
    sides = _sides(meeting)
    if participant.pk not in {side.pk for side in sides}:
        raise ValidationError(_("Only the two companies of a meeting report on it."), code="not_a_side")
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError(
            _("This meeting has not taken place yet: report on it afterwards."), code="meeting_not_started"
        )
    if meeting.attendance == Attendance.NO_SHOW:
        raise ValidationError(
            _("The coordinators recorded this meeting as a no-show."), code="meeting_not_held"
        )
    if not outcome or outcome not in Outcome.values:
        raise ValidationError(_("Choose the outcome of the meeting."), code="invalid_outcome")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(_("A rating is from 1 to 5."), code="invalid_rating")
    report, _created = MeetingReport.objects.update_or_create(
        meeting=meeting,
        participant=participant,
        defaults={"outcome": outcome, "rating": rating, "note": note.strip(), "reported_by": actor},
    )
    other = sides[1] if participant.pk == sides[0].pk else sides[0]
    if MeetingReport.objects.filter(meeting=meeting, participant=other, outcome=outcome).exists():
        a, b = participant.company, other.company
        thai, japanese = (a, b) if a.country == "TH" else (b, a)
        introduction_from_meeting(thai=thai, japanese=japanese, outcome=outcome, actor=actor)
    return report


def _nudge_candidates(now: datetime.datetime):
    """(meeting, participant) pairs: meetings that ended before today (in the event's time zone, at
    most ``REPORT_WINDOW_DAYS`` ago) and were not a no-show, for a side with neither a report nor a nudge."""
    meetings = (
        Meeting.objects.filter(
            slot__ends_at__lte=now, slot__ends_at__gte=now - datetime.timedelta(days=REPORT_WINDOW_DAYS + 1)
        )
        .exclude(attendance=Attendance.NO_SHOW)
        .select_related("event", "slot", "request__sender__company", "request__recipient__company")
        .annotate(
            **{
                f"{side}_done": Exists(
                    MeetingReport.objects.filter(
                        meeting=OuterRef("pk"), participant=OuterRef(f"request__{side}")
                    )
                )
                | Exists(
                    MeetingReportNudge.objects.filter(
                        meeting=OuterRef("pk"), participant=OuterRef(f"request__{side}")
                    )
                )
                for side in ("sender", "recipient")
            }
        )
        .filter(Q(sender_done=False) | Q(recipient_done=False))
        .order_by("slot__starts_at", "pk")
    )
    for meeting in meetings:
        # "The day after": the meeting's date is before today in the event's own time zone.
        if (
            timezone.localtime(meeting.slot.starts_at, meeting.event.tz).date()
            >= now.astimezone(meeting.event.tz).date()
        ):
            continue
        for side, done in (("sender", meeting.sender_done), ("recipient", meeting.recipient_done)):
            if not done:
                yield meeting, getattr(meeting.request, side)


def meeting_report_nudges(*, now: datetime.datetime | None = None) -> int:
    """Beat, daily: remind each side of a meeting held yesterday (or earlier) that has not reported on it,
    once per meeting and company (a ``MeetingReportNudge`` row, written with the notification). Returns
    the number of companies reminded."""
    now = now or timezone.now()
    sent = 0
    for meeting, participant in list(_nudge_candidates(now)):
        other = meeting.request.other_side(participant)
        with transaction.atomic():
            _nudge, created = MeetingReportNudge.objects.get_or_create(
                meeting=meeting, participant=participant
            )
            if not created:
                continue
            notification_send(
                kind="events.meeting_report_due",
                recipients=_members(participant.company),
                target=meeting,
                url=reverse(
                    "events:report",
                    kwargs={"slug": meeting.event.slug, "pk": participant.pk, "meeting_pk": meeting.pk},
                ),
                context={
                    "company": each_language(other.company),
                    "event": each_language(meeting.event, "name"),
                },
                dedupe_key=f"events.meeting_report_due:{meeting.pk}:{participant.pk}",
            )
        sent += 1
    return sent
