"""What the Expo's forms refuse, and how they say it: every refusal names what was wrong and changes
nothing (a member's invitation, exhibiting and meeting requests; a coordinator's meeting days, event dates
and scheduler runs)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events import services
from events.models import (
    Event,
    MeetingDay,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    Representative,
    ScheduleRun,
)
from portal.notifications.models import Notification
from tests.factories import CompanyFactory, MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_exhibitor_has_no_invitation_to_answer(client, expo):
    """An exhibitor's "answer" confirmed a rejected application, or withdrew an approved one."""
    exhibitor = expo["th"][0]
    Participant.objects.filter(pk=exhibitor.pk).update(status=ParticipantStatus.DECLINED)

    with pytest.raises(ValidationError) as refused:
        services.participant_respond(participant=exhibitor, accept=True)
    assert refused.value.code == "no_invitation"

    client.force_login(expo["users"]["th_member"])
    response = client.post(reverse("events:respond", args=["expo", exhibitor.pk]), {"accept": "1"})
    assert _messages(response) == ["There is no invitation to answer."]
    exhibitor.refresh_from_db()
    assert exhibitor.status == ParticipantStatus.DECLINED


def test_a_delegate_still_answers_its_invitation(expo):
    delegate = expo["jp"][0]
    Participant.objects.filter(pk=delegate.pk).update(status=ParticipantStatus.INVITED)

    assert (
        services.participant_respond(participant=delegate, accept=True).status == ParticipantStatus.CONFIRMED
    )


def test_a_reason_too_long_is_named_not_taken_for_a_missing_choice(client, expo):
    delegate = expo["jp"][0]
    client.force_login(expo["users"]["jp_member"])

    response = client.post(
        reverse("events:respond", args=["expo", delegate.pk]), {"accept": "0", "reason": "x" * 301}
    )

    assert _messages(response) == [
        "Reason (optional): Ensure this value has at most 300 characters (it has 301)."
    ]
    delegate.refresh_from_db()
    assert delegate.status == ParticipantStatus.CONFIRMED
    response = client.post(reverse("events:respond", args=["expo", delegate.pk]), {"reason": "no"})
    assert _messages(response)[-1] == "Choose to accept or decline."


def test_an_answer_to_a_request_with_a_reason_too_long_is_refused(client, expo):
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    client.force_login(expo["users"]["th_member"])

    response = client.post(
        reverse("events:answer", args=["expo", request.pk]), {"accept": "0", "reason": "x" * 301}
    )

    assert _messages(response) == [
        "Reason (optional): Ensure this value has at most 300 characters (it has 301)."
    ]
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_meeting_message_too_long_is_refused_not_dropped(client, expo):
    client.force_login(expo["users"]["jp_member"])

    response = client.post(
        reverse("events:request", args=["expo", expo["jp"][0].pk, expo["th"][0].pk]), {"message": "x" * 1001}
    )

    assert response.status_code == 302
    assert _messages(response) == ["Message: Ensure this value has at most 1000 characters (it has 1001)."]
    assert not MeetingRequest.objects.exists()


def test_a_booth_too_long_is_refused_not_dropped(client, expo):
    company = CompanyFactory(country="TH")
    user = MembershipFactory(company=company, user__language="en").user
    client.force_login(user)

    response = client.post(reverse("events:exhibit", args=["expo", company.pk]), {"booth": "B" * 21})

    assert _messages(response) == [
        "Booth (if known): Ensure this value has at most 20 characters (it has 21)."
    ]
    assert not Participant.objects.filter(company=company).exists()
    client.post(reverse("events:exhibit", args=["expo", company.pk]), {"booth": "B12"})
    assert Participant.objects.get(company=company).booth == "B12"


def test_the_member_page_says_what_an_application_waits_for_and_how_it_ended(client, expo):
    company = CompanyFactory(country="TH")
    user = MembershipFactory(company=company, user__language="en").user
    participant = services.exhibitor_register(event=expo["event"], company=company)
    client.force_login(user)
    url = reverse("events:mine", args=["expo"])

    assert "you will be told here and by e-mail when they decide" in client.get(url).content.decode()
    services.participant_decide(actor=expo["users"]["coordinator"], participant=participant, approve=False)
    page = client.get(url).content.decode()
    assert "The coordinators did not approve this application to exhibit." in page
    assert "you will be told here" not in page


def _day(event, **changes):
    values = {
        "event": event,
        "date": event.starts_on + datetime.timedelta(days=1),
        "starts_at": datetime.time(9, 0),
        "ends_at": datetime.time(10, 0),
        "slot_minutes": 30,
        "breaks": [],
        "tables": 4,
    }
    return {**values, **changes}


def test_a_day_where_no_slot_fits_is_refused(expo):
    with pytest.raises(ValidationError) as refused:
        services.meeting_day_save(**_day(expo["event"], slot_minutes=240))
    assert refused.value.code == "no_slot_fits"
    assert MeetingDay.objects.filter(event=expo["event"]).count() == 1

    with pytest.raises(ValidationError) as refused:  # breaks fill the day
        services.meeting_day_save(**_day(expo["event"], breaks=[["09:00", "10:00"]]))
    assert refused.value.code == "no_slot_fits"


def test_the_day_form_shows_a_refusal_at_its_field(client, expo):
    client.force_login(expo["users"]["coordinator"])
    event = expo["event"]
    fields = {
        "date": (event.starts_on + datetime.timedelta(days=1)).isoformat(),
        "starts_at": "09:00",
        "ends_at": "10:00",
        "slot_minutes": "240",
        "breaks": "",
        "tables": "4",
    }
    form = {"kind": "day", **{f"day-{name}": value for name, value in fields.items()}}

    response = client.post(reverse("events:manage", args=["expo"]), form)

    assert response.status_code == 200
    assert response.context["forms"]["day"].errors == {
        "slot_minutes": ["No meeting slot fits in this day: make the day longer or the slots shorter."]
    }
    outside = {
        **form,
        "day-slot_minutes": "30",
        "day-date": (event.ends_on + datetime.timedelta(days=1)).isoformat(),
    }
    response = client.post(reverse("events:manage", args=["expo"]), outside)
    assert response.context["forms"]["day"].errors == {
        "date": ["A meeting day must be within the event's dates."]
    }
    assert MeetingDay.objects.filter(event=event).count() == 1


def test_a_break_outside_the_days_hours_is_refused_at_the_breaks_field(client, expo):
    with pytest.raises(ValidationError) as refused:
        services.meeting_day_save(**_day(expo["event"], breaks=[["09:30", "10:30"]]))
    assert refused.value.code == "break_outside_day"
    assert MeetingDay.objects.filter(event=expo["event"]).count() == 1

    client.force_login(expo["users"]["coordinator"])
    event = expo["event"]
    fields = {
        "date": event.starts_on.isoformat(),  # the day the event already has: changed, not added
        "starts_at": "09:00",
        "ends_at": "17:00",
        "slot_minutes": "30",
        "breaks": "18:00-19:00",
        "tables": "4",
    }
    form = {"kind": "day", **{f"day-{name}": value for name, value in fields.items()}}
    response = client.post(reverse("events:manage", args=["expo"]), form)
    assert response.context["forms"]["day"].errors == {
        "breaks": ["The break 18:00–19:00 is outside the day's hours: breaks fall within them."]
    }
    day = event.days.get()
    assert (day.ends_at, day.breaks) == (datetime.time(11, 0), [["10:00", "10:30"]])  # unchanged

    response = client.post(reverse("events:manage", args=["expo"]), {**form, "day-breaks": "12:00-13:00"})
    assert [str(m) for m in response.wsgi_request._messages][0].startswith(
        "The event already had a meeting day on "
    )
    day.refresh_from_db()
    assert (day.ends_at, day.breaks) == (datetime.time(17, 0), [["12:00", "13:00"]])


def test_an_event_cannot_end_before_one_of_its_meeting_days(client, expo):
    event = expo["event"]
    services.meeting_day_save(**_day(event, date=event.ends_on))
    last_day = event.ends_on

    with pytest.raises(ValidationError) as refused:
        services.event_save(event=event, ends_on=event.starts_on)
    assert list(refused.value.error_dict) == ["ends_on"]
    event.refresh_from_db()
    assert event.ends_on == last_day

    client.force_login(expo["users"]["coordinator"])
    page = client.get(reverse("events:edit", args=["expo"]))
    data = {key: value for key, value in page.context["form"].initial.items() if value is not None}
    data.update(
        starts_on=event.starts_on.isoformat(),
        ends_on=event.starts_on.isoformat(),
        industries=[],
    )
    response = client.post(reverse("events:edit", args=["expo"]), data)
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    event.refresh_from_db()
    assert event.ends_on == last_day


def test_a_second_scheduler_run_waits_for_the_first(expo, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the first run stays queued
    coordinator = UserFactory(role="coordinator")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("portal.core.outbox.send", lambda *args, **kwargs: None)
        services.schedule_run_start(actor=coordinator, event=expo["event"])
        with pytest.raises(ValidationError) as refused:
            services.schedule_run_start(actor=coordinator, event=expo["event"])
    assert refused.value.code == "already_running"
    assert ScheduleRun.objects.filter(event=expo["event"]).count() == 1


def test_the_partners_page_counts_requests_against_the_cap_and_stops_offering_more(client, expo):
    mine = expo["jp"][0]  # the event allows 3 requests a company
    client.force_login(expo["users"]["jp_member"])
    url = reverse("events:participants", args=["expo", mine.pk])

    assert "Meeting requests sent: 0 of 3." in client.get(url).content.decode()
    for other in expo["th"]:
        services.meeting_request_create(actor=None, sender=mine, recipient=other)
    extra = ParticipantFactory(event=expo["event"], company=CompanyFactory(country="TH"))
    page = client.get(url).content.decode()
    assert "Your company has sent the most requests allowed at this event (3)." in page
    assert reverse("events:request", args=["expo", mine.pk, extra.pk]) not in page


def test_a_company_not_confirmed_is_told_to_confirm_before_requesting(client, expo):
    mine = expo["jp"][0]
    Participant.objects.filter(pk=mine.pk).update(status=ParticipantStatus.DECLINED)
    client.force_login(expo["users"]["jp_member"])

    page = client.get(reverse("events:participants", args=["expo", mine.pk])).content.decode()

    assert "Your company's participation is not confirmed" in page
    assert reverse("events:request", args=["expo", mine.pk, expo["th"][0].pk]) not in page


def test_an_agenda_without_meetings_offers_no_empty_calendar(client, expo):
    mine = expo["jp"][0]
    client.force_login(expo["users"]["jp_member"])

    page = client.get(reverse("events:agenda", args=["expo", mine.pk])).content.decode()

    assert reverse("events:agenda_ics", args=["expo", mine.pk]) not in page
    assert f'<p class="crumbs"><a href="{reverse("events:mine", args=["expo"])}">' in page


def test_free_at_no_time_is_saved_with_a_warning(client, expo):
    mine = expo["jp"][0]
    client.force_login(expo["users"]["jp_member"])

    response = client.post(reverse("events:availability", args=["expo", mine.pk]), {})

    assert _messages(response) == [
        "Your availability is saved.",
        "Your company is free at no time of the event: the scheduler cannot place its meetings. "
        "Tick the times you can meet.",
    ]
    assert mine.unavailable_slots.count() == expo["event"].slots.count() > 0


def test_a_member_removes_a_representative_of_its_own_company_only(client, expo):
    mine, theirs = expo["jp"][0], expo["jp"][1]
    kept = services.representative_add(participant=mine, name="Kenichi Sato", languages="ja")
    gone = services.representative_add(participant=mine, name="Misaki Ito", languages="ja,en")
    other = services.representative_add(participant=theirs, name="Daisuke Suzuki", languages="ja")
    client.force_login(expo["users"]["jp_member"])
    url = reverse("events:representative", args=["expo", mine.pk])

    assert (
        'aria-label="Remove Misaki Ito"' in client.get(reverse("events:mine", args=["expo"])).content.decode()
    )
    response = client.post(url, {"remove": str(gone.pk)})
    assert _messages(response) == ["Representative removed."]
    response = client.post(url, {"remove": str(other.pk)})  # another company's: not on this list
    assert _messages(response)[-1] == "This person is not among your representatives."
    assert set(Representative.objects.values_list("pk", flat=True)) == {kept.pk, other.pk}
    assert (
        client.post(
            reverse("events:representative", args=["expo", theirs.pk]), {"remove": other.pk}
        ).status_code
        == 404
    )


def test_representatives_stay_once_the_event_is_over(expo):
    mine = expo["jp"][0]
    kept = services.representative_add(participant=mine, name="Kenichi Sato", languages="ja")
    Event.objects.filter(pk=expo["event"].pk).update(
        starts_on=datetime.date(2017, 7, 25), ends_on=datetime.date(2017, 7, 30)
    )
    mine.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.representative_remove(participant=mine, pk=kept.pk)
    assert refused.value.code == "event_over"
    assert Representative.objects.filter(pk=kept.pk).exists()


def test_a_days_edit_form_moves_that_day_and_refuses_another_days_date(client, expo):
    event, day = expo["event"], expo["event"].days.get()
    second = services.meeting_day_save(**_day(event, date=event.starts_on + datetime.timedelta(days=1)))
    client.force_login(expo["users"]["coordinator"])
    url = f"{reverse('events:manage', args=[event.slug])}?day={day.pk}"  # the form posts to its own URL
    fields = {
        "kind": "day",
        "day-starts_at": "09:00",
        "day-ends_at": "11:00",
        "day-slot_minutes": "30",
        "day-breaks": "",
        "day-tables": "2",
    }
    last = event.ends_on.isoformat()

    response = client.post(url, {**fields, "day-date": last})

    assert response.status_code == 302
    assert sorted(event.days.values_list("pk", "date")) == sorted(
        [(day.pk, event.ends_on), (second.pk, second.date)]
    )
    response = client.post(url, {**fields, "day-date": second.date.isoformat()})
    assert response.status_code == 200
    assert list(response.context["forms"]["day"].errors) == ["date"]
    assert event.days.count() == 2


def test_a_day_with_published_meetings_keeps_its_date(client, expo):
    event, day = expo["event"], expo["event"].days.get()
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][1])
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=event).pk)
    services.schedule_run_publish(actor=None, run=run)
    moved = {**_day(event, date=event.ends_on), "starts_at": day.starts_at, "ends_at": day.ends_at}

    with pytest.raises(ValidationError) as refused:
        services.meeting_day_save(day=day, **moved)
    assert refused.value.code == "day_has_meetings"

    client.force_login(expo["users"]["coordinator"])
    response = client.post(
        f"{reverse('events:manage', args=['expo'])}?day={day.pk}",
        {
            "kind": "day",
            "day-date": event.ends_on.isoformat(),
            "day-starts_at": "09:00",
            "day-ends_at": "11:00",
            "day-slot_minutes": "30",
            "day-breaks": "",
            "day-tables": "2",
        },
    )
    assert list(response.context["forms"]["day"].errors) == ["date"]
    assert response.context["changing"].date == day.date  # the heading names the day as saved
    day.refresh_from_db()
    assert day.date == event.starts_on


def test_the_cap_counts_a_request_to_a_company_that_left(client, expo):
    mine = expo["jp"][0]  # 3 requests allowed
    for other in expo["th"][:2]:
        services.meeting_request_create(actor=None, sender=mine, recipient=other)
    left = ParticipantFactory(event=expo["event"], company=CompanyFactory(country="TH"))
    request = services.meeting_request_create(actor=None, sender=mine, recipient=left)
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    Participant.objects.filter(pk=left.pk).update(status=ParticipantStatus.DECLINED)
    client.force_login(expo["users"]["jp_member"])

    page = client.get(reverse("events:participants", args=["expo", mine.pk])).content.decode()

    assert "Your company has sent the most requests allowed at this event (3)." in page


def test_an_exhibitor_waiting_for_approval_is_told_so_on_the_partners_page(client, expo):
    mine = expo["th"][0]
    Participant.objects.filter(pk=mine.pk).update(status=ParticipantStatus.APPLIED)
    client.force_login(expo["users"]["th_member"])

    page = client.get(reverse("events:participants", args=["expo", mine.pk])).content.decode()

    assert "once the coordinators approve its application to exhibit" in page
    assert "confirm it on your participation page" not in page


def test_a_company_that_comes_back_asks_again_whom_it_had_asked(client, expo):
    """Declining cancelled its pending requests; the pair's request was kept and blocked a new one."""
    delegate, exhibitor = expo["jp"][0], expo["th"][0]
    first = services.meeting_request_create(actor=None, sender=delegate, recipient=exhibitor, message="Hello")
    services.participant_set_status(participant=delegate, status=ParticipantStatus.DECLINED)
    services.participant_set_status(participant=delegate, status=ParticipantStatus.CONFIRMED)
    first.refresh_from_db()
    assert first.status == "cancelled"
    client.force_login(expo["users"]["jp_member"])
    url = reverse("events:participants", args=["expo", delegate.pk])
    assert (
        reverse("events:request", args=["expo", delegate.pk, exhibitor.pk])
        in client.get(url).content.decode()
    )

    again = services.meeting_request_create(
        actor=None, sender=exhibitor, recipient=delegate, message="Still on?"
    )

    assert again.pk == first.pk  # the pair's one request
    assert (again.status, again.sender_id, again.message, again.responded_at) == (
        "pending",
        exhibitor.pk,
        "Still on?",
        None,
    )
    assert again.expires_at is not None
    members = expo["users"]["jp_member"]
    assert (
        Notification.objects.filter(recipient=members, kind="events.meeting_requested", read_at=None).count()
        == 1
    )
    with pytest.raises(ValidationError) as refused:  # pending again: a third ask is a duplicate
        services.meeting_request_create(actor=None, sender=delegate, recipient=exhibitor)
    assert refused.value.code == "duplicate_request"


def test_an_accepted_meeting_with_a_company_that_left_says_it_will_not_be_scheduled(client, expo):
    delegate, exhibitor = expo["jp"][0], expo["th"][0]
    request = services.meeting_request_create(actor=None, sender=delegate, recipient=exhibitor)
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    client.force_login(expo["users"]["th_member"])
    url = reverse("events:mine", args=["expo"])
    assert "no longer takes part" not in client.get(url).content.decode()

    services.participant_set_status(participant=delegate, status=ParticipantStatus.DECLINED)

    assert "This company no longer takes part in the event" in client.get(url).content.decode()


def test_a_coordinators_booth_too_long_is_refused_not_cut(client, expo):
    applicant = services.exhibitor_register(event=expo["event"], company=CompanyFactory(country="TH"))

    with pytest.raises(ValidationError) as refused:
        services.participant_decide(actor=None, participant=applicant, approve=True, booth="B" * 21)

    assert refused.value.code == "booth_too_long"
    applicant.refresh_from_db()
    assert (applicant.status, applicant.booth) == (ParticipantStatus.APPLIED, "")


def test_a_booth_another_exhibitor_holds_is_refused(expo):
    first = services.exhibitor_register(
        event=expo["event"], company=CompanyFactory(country="TH", name_en="Ayutthaya")
    )
    second = services.exhibitor_register(
        event=expo["event"], company=CompanyFactory(country="TH"), booth="b108 "
    )
    services.participant_decide(actor=None, participant=first, approve=True, booth="B108")

    with pytest.raises(ValidationError) as refused:
        services.participant_decide(actor=None, participant=second, approve=True)  # the booth it applied for
    assert refused.value.code == "booth_taken"
    assert refused.value.messages == ["Booth B108 is already Ayutthaya's: give this exhibitor another one."]
    second.refresh_from_db()
    assert (second.status, second.booth) == (ParticipantStatus.APPLIED, "b108")

    services.participant_decide(actor=None, participant=second, approve=True, booth="B109")
    second.refresh_from_db()
    assert (second.status, second.booth) == (ParticipantStatus.CONFIRMED, "B109")
    third = services.exhibitor_register(event=expo["event"], company=CompanyFactory(country="TH"))
    services.participant_decide(
        actor=None, participant=third, approve=False, booth="B108"
    )  # a refusal takes none


def test_a_refused_date_is_written_as_the_reader_writes_dates(expo):
    event = expo["event"]
    services.meeting_day_save(**_day(event, date=event.ends_on))
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.event_save(event=event, ends_on=event.starts_on)
    assert str(event.ends_on.year + 543) in refused.value.error_dict["ends_on"][0].message


def test_the_manage_page_lists_the_days_by_date(client, expo):
    event = expo["event"]
    late = services.meeting_day_save(**_day(event, date=event.ends_on))
    early = event.days.get(date=event.starts_on)
    middle = services.meeting_day_save(**_day(event, date=event.starts_on + datetime.timedelta(days=1)))
    client.force_login(expo["users"]["coordinator"])

    days = list(client.get(reverse("events:manage", args=["expo"])).context["days"])

    assert [day.pk for day in days] == [early.pk, middle.pk, late.pk]


def test_the_same_person_is_not_added_twice(client, expo):
    """Counted twice, one person would be seated at two tables at once by the scheduler."""
    mine = expo["jp"][0]
    services.representative_add(participant=mine, name="Kenichi Sato", languages="ja")
    client.force_login(expo["users"]["jp_member"])

    response = client.post(
        reverse("events:representative", args=["expo", mine.pk]),
        {"name": "  kenichi   SATO ", "role": "Sales", "languages": ["ja"]},
    )

    assert response.status_code == 200
    assert "Kenichi Sato is already among your representatives." in _messages(response)
    assert 'value="Sales"' in response.content.decode()  # what was typed stays
    assert list(Representative.objects.filter(participant=mine).values_list("name", flat=True)) == [
        "Kenichi Sato"
    ]
    services.representative_add(participant=expo["jp"][1], name="Kenichi Sato", languages="ja")  # another
