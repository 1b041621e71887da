"""Event services: slots, participation, requests with caps and expiry, scheduling and publishing,
on-site outcomes feeding the introductions pipeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.models import (
    Meeting,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    ScheduleRun,
)
from matching.models import Introduction
from tests.factories import CompanyFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_slots_skip_the_break_and_stay_inside_the_day(expo):
    slots = list(expo["event"].slots.order_by("starts_at"))
    local = [timezone.localtime(s.starts_at, expo["event"].tz).strftime("%H:%M") for s in slots]
    assert local == ["09:00", "09:30", "10:30"]
    day = expo["event"].days.get()
    services.meeting_day_save(
        event=expo["event"],
        day=day,
        date=day.date,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(11, 0),
        slot_minutes=30,
        breaks=[],
        tables=2,
    )
    assert expo["event"].slots.count() == 4


def test_meeting_day_outside_the_event_is_refused(expo):
    with pytest.raises(ValidationError) as refused:
        services.meeting_day_save(
            event=expo["event"],
            date=expo["event"].ends_on + datetime.timedelta(days=1),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(10, 0),
            slot_minutes=30,
            breaks=[],
            tables=1,
        )
    assert refused.value.code == "day_outside_event"


def test_requests_respect_caps_pairs_and_countries(expo):
    jp, th = expo["jp"], expo["th"]
    first = services.meeting_request_create(actor=None, sender=jp[0], recipient=th[0], message="Hello")
    assert first.status == RequestStatus.PENDING
    assert first.expires_at > timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_create(actor=None, sender=th[0], recipient=jp[0])
    assert refused.value.code == "duplicate_request"
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_create(actor=None, sender=jp[0], recipient=jp[1])
    assert refused.value.code == "same_country"
    services.meeting_request_create(actor=None, sender=jp[0], recipient=th[1])
    services.meeting_request_create(actor=None, sender=jp[0], recipient=th[2])
    extra = ParticipantFactory(event=expo["event"], company=CompanyFactory())
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_create(actor=None, sender=jp[0], recipient=extra)
    assert refused.value.code == "too_many_requests"
    assert MeetingRequest.objects.filter(sender=jp[0]).count() == 3


def test_answers_meeting_caps_and_expiry(expo):
    jp, th = expo["jp"], expo["th"]
    requests = [services.meeting_request_create(actor=None, sender=j, recipient=th[0]) for j in jp]
    services.meeting_request_respond(actor=None, meeting_request=requests[0], accept=True)
    services.meeting_request_respond(actor=None, meeting_request=requests[1], accept=True)
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_respond(actor=None, meeting_request=requests[2], accept=True)
    assert refused.value.code == "too_many_meetings"
    assert MeetingRequest.objects.get(pk=requests[2].pk).status == RequestStatus.PENDING
    MeetingRequest.objects.filter(pk=requests[2].pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.meeting_requests_expire() == 1
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_respond(actor=None, meeting_request=requests[2], accept=False)
    assert refused.value.code == "already_answered"


def test_declining_the_invitation_cancels_open_requests(expo):
    jp, th = expo["jp"], expo["th"]
    Participant.objects.filter(pk=jp[2].pk).update(status=ParticipantStatus.INVITED)
    jp[2].refresh_from_db()
    confirmed = services.participant_respond(participant=jp[2], accept=True)
    request = services.meeting_request_create(actor=None, sender=th[2], recipient=confirmed)
    services.participant_respond(participant=jp[2], accept=False, reason="Cannot travel")
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED
    assert Participant.objects.get(pk=jp[2].pk).decline_reason == "Cannot travel"


def test_delegation_candidates_ranked_by_match_strength(expo):
    candidate = CompanyFactory(country="JP", name_en="Osaka Robotics")
    weak = CompanyFactory(country="JP", name_en="Kobe Plastics")
    from matching.models import MatchingWeights, MatchProposal

    weights = MatchingWeights.objects.first()
    now = timezone.now()
    rows = [(candidate, expo["th"][0].company, 60), (candidate, expo["th"][1].company, 50)]
    for company, partner, score in [*rows, (weak, expo["th"][0].company, 95)]:
        MatchProposal.objects.create(
            company=company,
            partner=partner,
            rank=MatchProposal.objects.filter(company=company).count() + 1,
            score=score,
            components={},
            reasons=[],
            weights=weights,
            computed_at=now,
        )
    rows = services.delegation_candidates(delegation=expo["delegation"])
    assert [row["company"] for row in rows[:2]] == [candidate, weak]
    assert rows[0]["strength"] == 110.0
    assert rows[0]["matches"] == 2
    assert all(row["company"].pk not in {p.company_id for p in expo["jp"]} for row in rows)


def _accept(sender, recipient, **kwargs):
    request = services.meeting_request_create(actor=None, sender=sender, recipient=recipient, **kwargs)
    if request.status == RequestStatus.PENDING:
        services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    return request


def test_scheduler_places_meetings_with_interpreters_and_publishing_keeps_them(expo, mailoutbox):
    jp, th = expo["jp"], expo["th"]
    a = _accept(jp[0], th[0])  # th[0] speaks Japanese: no interpreter
    b = _accept(jp[0], th[1])  # needs the th-ja interpreter
    c = _accept(jp[1], th[1])
    run = ScheduleRun.objects.create(event=expo["event"])
    run = services.schedule_run_solve(run_id=run.pk)
    assert run.status == ScheduleRun.Status.FINISHED
    assert run.placed == 3
    assert run.upper_bound == 3
    by_request = {p["request"]: p for p in run.placements}
    assert by_request[a.pk]["interpreter"] is None
    assert by_request[b.pk]["interpreter"] == expo["interpreter"].pk
    assert by_request[b.pk]["slot"] != by_request[c.pk]["slot"]  # th[1] and the interpreter are in both
    assert Meeting.objects.count() == 0  # a draft until published
    assert services.schedule_run_solve(run_id=run.pk).placed == 3  # idempotent
    assert services.schedule_run_publish(actor=None, run=run) == 3
    meetings = {m.request_id: m for m in Meeting.objects.all()}
    assert meetings[b.pk].interpreter == expo["interpreter"]
    with pytest.raises(ValidationError) as refused:
        services.schedule_run_publish(actor=None, run=run)
    assert refused.value.code == "already_published"

    # A new request, a new run: published meetings stay where they are.
    d = _accept(jp[2], th[2])
    rerun = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    services.schedule_run_publish(actor=None, run=rerun)
    after = {m.request_id: m for m in Meeting.objects.all()}
    assert set(after) == {a.pk, b.pk, c.pk, d.pk}
    for request_id in (a.pk, b.pk, c.pk):
        assert (after[request_id].slot_id, after[request_id].table) == (
            meetings[request_id].slot_id,
            meetings[request_id].table,
        )
    assert after[a.pk].pk == meetings[a.pk].pk  # the same row: on-site records survive


def test_unplaceable_requests_are_listed_with_the_reason(expo):
    jp, th = expo["jp"], expo["th"]
    request = _accept(jp[1], th[2])  # no common language; make the interpreter unavailable everywhere
    expo["interpreter"].unavailable_slots.set(expo["event"].slots.all())
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    assert run.unplaced == [{"request": request.pk, "reason": "no_interpreter"}]


def test_must_meet_is_accepted_at_once(expo):
    request = services.meeting_request_create(
        actor=None, sender=expo["jp"][2], recipient=expo["th"][2], must_meet=True
    )
    assert request.status == RequestStatus.ACCEPTED
    assert request.must_meet


def test_meeting_outcome_moves_the_introduction(expo):
    jp, th = expo["jp"], expo["th"]
    _accept(jp[0], th[0])
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    services.schedule_run_publish(actor=None, run=run)
    meeting = Meeting.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(actor=None, meeting=meeting, attendance="no_show", outcome="nda")
    assert refused.value.code == "outcome_without_meeting"
    services.meeting_record(
        actor=None, meeting=meeting, attendance="held", outcome="nda", notes="NDA to sign"
    )
    introduction = Introduction.objects.get(thai_company=th[0].company, japanese_company=jp[0].company)
    assert introduction.stage == "nda"
    services.meeting_record(actor=None, meeting=meeting, attendance="held", outcome="follow_up")
    introduction.refresh_from_db()
    assert introduction.stage == "nda"  # never moved backwards


def test_a_request_answered_expired_or_cancelled_no_longer_waits_in_anyones_notifications(expo):
    from portal.notifications.models import Notification
    from tests.factories import MembershipFactory

    jp, th = expo["jp"], expo["th"]
    colleague = MembershipFactory(company=th[0].company).user
    Participant.objects.filter(pk=jp[2].pk).update(status=ParticipantStatus.INVITED)
    jp[2].refresh_from_db()
    senders = [jp[0], jp[1], services.participant_respond(participant=jp[2], accept=True)]
    requests = [services.meeting_request_create(actor=None, sender=j, recipient=th[0]) for j in senders]
    waiting = Notification.objects.filter(kind="events.meeting_requested", read_at=None)
    assert waiting.filter(recipient=colleague).count() == 3
    assert waiting.count() == 6  # both members of the recipient company

    answering = expo["users"]["th_member"]
    services.meeting_request_respond(actor=answering, meeting_request=requests[0], accept=True)
    assert set(waiting.values_list("target_id", flat=True)) == {requests[1].pk, requests[2].pk}
    MeetingRequest.objects.filter(pk=requests[1].pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.meeting_requests_expire() == 1
    assert set(waiting.values_list("target_id", flat=True)) == {requests[2].pk}
    services.participant_respond(participant=senders[2], accept=False, reason="Cannot travel")
    assert not waiting.exists()
    # the sender's "accepted" is news, not a question: it stays unread
    assert Notification.objects.filter(kind="events.meeting_accepted", read_at=None).count() == 1


def test_an_invitation_answered_by_one_member_no_longer_waits_for_the_others(expo):
    from portal.notifications.models import Notification
    from tests.factories import MembershipFactory

    company = CompanyFactory(country="JP")
    members = [MembershipFactory(company=company).user for _ in range(2)]
    participant = services.participant_invite(actor=None, delegation=expo["delegation"], company=company)
    waiting = Notification.objects.filter(kind="events.delegation_invitation", read_at=None)
    assert set(waiting.values_list("recipient", flat=True)) == {member.pk for member in members}

    services.participant_respond(participant=participant, accept=True)

    assert not waiting.exists()


def _save_day(event, **changes):
    fields = {
        "starts_at": datetime.time(9, 0),
        "ends_at": datetime.time(10, 0),
        "slot_minutes": 30,
        "breaks": [],
        "tables": 1,
    }
    return services.meeting_day_save(event=event, **{**fields, **changes})


def test_saving_a_date_the_event_has_changes_that_day(expo):
    event = expo["event"]
    day = event.days.get()

    saved = _save_day(event, date=day.date, ends_at=datetime.time(12, 0), tables=5)

    assert saved.pk == day.pk
    assert list(event.days.values_list("tables", flat=True)) == [5]
    assert event.slots.count() == 6


def test_a_day_cannot_move_onto_another_days_date(expo):
    event = expo["event"]
    first = event.days.get()
    event.ends_on = first.date + datetime.timedelta(days=1)
    event.save(update_fields=["ends_on"])
    second = _save_day(event, date=event.ends_on)

    with pytest.raises(ValidationError) as refused:
        _save_day(event, day=second, date=first.date)

    assert refused.value.code == "day_taken"
    assert sorted(event.days.values_list("date", flat=True)) == [first.date, event.ends_on]


def test_representatives_and_availability_are_the_record_once_the_event_is_over(expo):
    event, participant = expo["event"], expo["jp"][0]
    slot = event.slots.first()
    event.starts_on = event.ends_on = datetime.date(2017, 7, 25)
    event.save(update_fields=["starts_on", "ends_on"])

    with pytest.raises(ValidationError) as representative:
        services.representative_add(participant=participant, name="Late Comer", languages="ja")
    with pytest.raises(ValidationError) as availability:
        services.participant_set_availability(participant=participant, unavailable=[slot])

    assert representative.value.code == availability.value.code == "event_over"
    assert not participant.representatives.filter(name="Late Comer").exists()
    assert not participant.unavailable_slots.exists()


@pytest.mark.parametrize(
    ("language", "dates"),
    [("en", "{start} – {end}, BITEC"), ("ja", "{start} – {end}、BITEC")],
)
def test_the_invitation_mail_writes_dates_and_venue_as_its_language_does(expo, language, dates):
    from django.utils import translation

    from portal.core.notify import render_text
    from portal.core.templatetags.portal import localdate

    event, delegation = expo["event"], expo["delegation"]
    event.venue_en = "BITEC"
    with translation.override(language):
        body = render_text(
            "email/event_invited_message.txt",
            {"event": event, "delegation": delegation, "company": expo["jp"][0].company},
        )
        expected = dates.format(start=localdate(event.starts_on), end=localdate(event.ends_on))

    assert body.splitlines()[1] == expected
