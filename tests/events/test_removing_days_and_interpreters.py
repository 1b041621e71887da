"""A coordinator removes a meeting day or an interpreter entered by mistake, from the manage page; what
published meetings hold is kept, and a draft that used what was removed cannot be published."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events import services
from events.models import Event, Interpreter, Meeting, MeetingDay, ScheduleRun, Slot
from portal.core.templatetags.portal import localdate
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_render
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def _accept(sender, recipient):
    request = services.meeting_request_create(actor=None, sender=sender, recipient=recipient)
    return services.meeting_request_respond(actor=None, meeting_request=request, accept=True)


def _second_day(expo) -> MeetingDay:
    event = expo["event"]
    Event.objects.filter(pk=event.pk).update(ends_on=event.starts_on + datetime.timedelta(days=1))
    event.refresh_from_db()
    return services.meeting_day_save(
        event=event,
        date=event.starts_on + datetime.timedelta(days=1),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(10, 0),
        slot_minutes=30,
        breaks=[],
        tables=2,
    )


def test_a_day_without_meetings_is_removed_with_its_slots(client, expo):
    day = _second_day(expo)
    assert Slot.objects.filter(day=day).count() == 2
    client.force_login(expo["users"]["coordinator"])
    url = reverse("events:manage", args=["expo"])
    page = client.get(url).content.decode()
    assert f'href="?remove=day-{day.pk}#removing"' in page
    asked = client.get(url, {"remove": f"day-{day.pk}"}).content.decode()
    assert f"Remove the meeting day of {localdate(day.date)} and its 2 slots?" in asked
    assert f'name="pk" value="{day.pk}"' in asked
    assert MeetingDay.objects.filter(pk=day.pk).exists()  # asking removes nothing

    response = client.post(url, {"kind": "remove_day", "pk": str(day.pk)}, follow=True)
    assert _messages(response) == [f"The meeting day of {localdate(day.date)} is removed, with its slots."]
    assert not MeetingDay.objects.filter(pk=day.pk).exists()
    assert not Slot.objects.filter(day_id=day.pk).exists()
    assert expo["event"].days.count() == 1


def test_a_day_with_published_meetings_stays(client, expo):
    jp, th = expo["jp"], expo["th"]
    day = expo["event"].days.get()
    Meeting.objects.create(
        event=expo["event"], request=_accept(jp[0], th[0]), slot=day.slots.first(), table=1
    )
    with pytest.raises(ValidationError) as refused:
        services.meeting_day_remove(event=expo["event"], pk=day.pk)
    assert refused.value.code == "day_has_meetings"
    assert MeetingDay.objects.filter(pk=day.pk).exists()
    client.force_login(expo["users"]["coordinator"])
    page = client.get(reverse("events:manage", args=["expo"])).content.decode()
    assert "?remove=day-" not in page  # no button that could only be refused
    asked = client.get(reverse("events:manage", args=["expo"]), {"remove": f"day-{day.pk}"})
    assert 'value="remove_day"' not in asked.content.decode()


def test_another_events_day_or_interpreter_is_not_removed(expo):
    other = EventFactory()
    stranger = Interpreter.objects.create(event=other, name="Aom", language_pairs="th-ja")
    with pytest.raises(ValidationError) as refused:
        services.interpreter_remove(event=expo["event"], pk=stranger.pk)
    assert refused.value.code == "no_such_interpreter"
    day = expo["event"].days.get()
    with pytest.raises(ValidationError) as refused:
        services.meeting_day_remove(event=other, pk=day.pk)
    assert refused.value.code == "no_such_day"
    assert Interpreter.objects.filter(pk=stranger.pk).exists()
    assert MeetingDay.objects.filter(pk=day.pk).exists()


def test_removing_an_interpreter_leaves_its_meetings_in_place_and_says_so(client, expo):
    jp, th = expo["jp"], expo["th"]
    interpreter = expo["interpreter"]
    meeting = Meeting.objects.create(
        event=expo["event"],
        request=_accept(jp[0], th[1]),
        slot=expo["event"].slots.first(),
        table=1,
        interpreter=interpreter,
    )
    client.force_login(expo["users"]["coordinator"])
    asked = client.get(
        reverse("events:manage", args=["expo"]), {"remove": f"interpreter-{interpreter.pk}"}
    ).content.decode()
    assert "Remove Ploy from the interpreters?" in asked
    assert "Ploy interprets 1 published meeting: it keeps its time without an interpreter" in asked
    assert "Both companies of each meeting are told that it has no interpreter now." in asked
    response = client.post(
        reverse("events:manage", args=["expo"]),
        {"kind": "remove_interpreter", "pk": str(interpreter.pk)},
        follow=True,
    )
    assert _messages(response) == [
        "Ploy is removed from the interpreters.",
        "1 published meeting has no interpreter now: run the scheduler again and publish its draft.",
    ]
    meeting.refresh_from_db()
    assert meeting.interpreter is None
    assert meeting.slot_id is not None


def test_both_companies_of_a_meeting_that_loses_its_interpreter_are_told_once(expo):
    jp, th = expo["jp"], expo["th"]
    MembershipFactory(company=th[1].company, user__language="en")  # jp[0]'s: expo["users"]["jp_member"]
    bystander = MembershipFactory(company=th[0].company).user
    meeting = Meeting.objects.create(
        event=expo["event"],
        request=_accept(jp[0], th[1]),
        slot=expo["event"].slots.first(),
        table=1,
        interpreter=expo["interpreter"],
    )
    assert services.interpreter_remove(event=expo["event"], pk=expo["interpreter"].pk) == 1

    told = Notification.objects.filter(kind="events.interpreter_removed").order_by("pk")
    assert told.count() == 2
    japanese = told.get(recipient__memberships__company=jp[0].company)
    thai = told.get(recipient__memberships__company=th[1].company)
    with translation.override("en"):
        assert notification_render(japanese)[0] == (
            "Your meeting with Siam 1 at Industry Expo no longer has an interpreter"
        )
        assert notification_render(thai)[0] == (
            "Your meeting with Nihon 0 at Industry Expo no longer has an interpreter"
        )
    assert japanese.url == reverse("events:agenda", args=["expo", jp[0].pk])
    assert thai.url == reverse("events:agenda", args=["expo", th[1].pk])
    assert not Notification.objects.filter(kind="events.interpreter_removed", recipient=bystander).exists()
    meeting.refresh_from_db()
    assert meeting.interpreter is None


def test_an_interpreter_without_meetings_is_removed_without_telling_anyone(expo):
    assert services.interpreter_remove(event=expo["event"], pk=expo["interpreter"].pk) == 0
    assert not Notification.objects.filter(kind="events.interpreter_removed").exists()


def test_an_interpreter_of_a_past_events_meetings_stays_in_its_record(expo):
    jp, th = expo["jp"], expo["th"]
    Meeting.objects.create(
        event=expo["event"],
        request=_accept(jp[0], th[1]),
        slot=expo["event"].slots.first(),
        table=1,
        interpreter=expo["interpreter"],
    )
    Event.objects.filter(pk=expo["event"].pk).update(
        starts_on=datetime.date(2017, 7, 25), ends_on=datetime.date(2017, 7, 30)
    )
    expo["event"].refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.interpreter_remove(event=expo["event"], pk=expo["interpreter"].pk)
    assert refused.value.code == "interpreter_has_meetings"
    assert Interpreter.objects.filter(pk=expo["interpreter"].pk).exists()


def test_a_draft_that_used_a_removed_interpreter_or_day_is_not_published(expo):
    jp, th = expo["jp"], expo["th"]
    _accept(jp[0], th[1])  # needs the interpreter
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    assert run.placed == 1
    services.interpreter_remove(event=expo["event"], pk=expo["interpreter"].pk)
    with pytest.raises(ValidationError) as refused:
        services.schedule_run_publish(actor=None, run=run)
    assert refused.value.code == "run_outdated"
    assert not Meeting.objects.exists()
    run.refresh_from_db()
    assert run.published_at is None

    Interpreter.objects.create(event=expo["event"], name="Nok", language_pairs="th-ja")
    rerun = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    used = Slot.objects.get(pk=rerun.placements[0]["slot"]).day
    services.meeting_day_remove(event=expo["event"], pk=used.pk)
    with pytest.raises(ValidationError) as refused:
        services.schedule_run_publish(actor=None, run=rerun)
    assert refused.value.code == "run_outdated"
    assert not Meeting.objects.exists()


def test_new_hours_that_leave_out_a_published_meeting_say_so(client, expo):
    jp, th = expo["jp"], expo["th"]
    day = expo["event"].days.get()
    last = day.slots.order_by("starts_at").last()
    Meeting.objects.create(event=expo["event"], request=_accept(jp[0], th[0]), slot=last, table=1)
    client.force_login(expo["users"]["coordinator"])
    response = client.post(
        reverse("events:manage", args=["expo"]) + f"?day={day.pk}",
        {
            "kind": "day",
            "day-date": day.date.isoformat(),
            "day-starts_at": "09:00",
            "day-ends_at": "09:30",
            "day-slot_minutes": "30",
            "day-breaks": "",
            "day-tables": "2",
        },
        follow=True,
    )
    assert _messages(response) == [
        "Meeting day saved; its slots are ready.",
        "1 published meeting is at a time outside the day's new hours: it stays there until you run the "
        "scheduler again and publish its draft.",
    ]
    assert Slot.objects.filter(pk=last.pk).exists()  # kept, with its meeting
