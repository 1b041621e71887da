"""Saying what happened: the scheduler's message follows the run; once an event is over its requests can
no longer be sent or answered (the expiry task closes them) and every page and the API mark it as past."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from events import services, tasks
from events.models import MeetingRequest, RequestStatus, ScheduleRun
from tests.factories import EventFactory, UserFactory

OVER = "This event is over: meeting requests and applications are closed."


def _end(event, days_ago: int = 1) -> None:
    """The event's last day was ``days_ago`` days ago (in its time zone)."""
    today = datetime.datetime.now(event.tz).date()
    event.starts_on = today - datetime.timedelta(days=days_ago + 2)
    event.ends_on = today - datetime.timedelta(days=days_ago)
    event.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("inline_tasks")
def test_scheduler_message_says_the_draft_is_ready_when_it_is(client, expo):
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    client.force_login(expo["users"]["coordinator"])

    response = client.post(reverse("events:schedule", args=["expo"]), follow=True)

    assert ScheduleRun.objects.get().status == ScheduleRun.Status.FINISHED
    html = response.content.decode()
    assert "The draft schedule is ready: 1 of 1 accepted requests placed. Review it, then publish it." in html
    assert "is running" not in html


@pytest.mark.django_db
def test_a_request_cannot_be_answered_once_the_event_is_over(client, expo):
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    _end(expo["event"])
    expo["event"].refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    assert refused.value.code == "event_over"
    client.force_login(expo["users"]["th_member"])
    response = client.post(reverse("events:answer", args=["expo", request.pk]), {"accept": "1"}, follow=True)
    assert OVER in response.content.decode()
    api = APIClient()
    api.force_authenticate(expo["users"]["th_member"])
    answered = api.post(f"/api/meeting-requests/{request.pk}/answer/", {"accept": True}, format="json")
    assert answered.status_code == 400
    assert answered.json() == [OVER]
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_create(actor=None, sender=expo["jp"][1], recipient=expo["th"][1])
    assert refused.value.code == "event_over"


@pytest.mark.django_db
def test_the_expiry_task_closes_the_requests_of_an_ended_event_once(expo):
    open_request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    _end(expo["event"], days_ago=0)  # the last day was today: still running
    assert tasks.expire_requests() == 0
    _end(expo["event"], days_ago=1)

    assert tasks.expire_requests() == 1
    assert tasks.expire_requests() == 0
    assert MeetingRequest.objects.get(pk=open_request.pk).status == RequestStatus.EXPIRED


@pytest.mark.django_db
def test_past_events_are_marked_past_on_every_page_and_in_the_api(client, expo):
    services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    api = APIClient()
    assert api.get("/api/events/expo/").json()["is_past"] is False
    _end(expo["event"])

    assert api.get("/api/events/expo/").json()["is_past"] is True
    assert "past event" in client.get(reverse("events:list")).content.decode()
    assert OVER in client.get(reverse("events:detail", args=["expo"])).content.decode()
    client.force_login(expo["users"]["th_member"])
    mine = client.get(reverse("events:mine", args=["expo"])).content.decode()
    assert OVER in mine
    assert 'name="accept" value="1"' not in mine  # no Accept button for the pending request
    assert "Expired" in mine
    client.force_login(expo["users"]["jp_member"])
    partners = client.get(reverse("events:participants", args=["expo", expo["jp"][0].pk])).content.decode()
    assert OVER in partners
    assert "Request a meeting" not in partners
    agenda = client.get(reverse("events:agenda", args=["expo", expo["jp"][0].pk])).content.decode()
    assert "past event" in agenda


@pytest.mark.django_db
def test_the_event_list_puts_what_is_coming_first_and_says_when_nothing_is(client):
    """With only a past event the list showed it as if current, with nothing to do next."""
    from tests.factories import EventFactory, MembershipFactory

    today = datetime.date.today()  # noqa: DTZ011
    EventFactory(
        slug="old",
        name_en="Expo 2017",
        starts_on=datetime.date(2017, 7, 26),
        ends_on=datetime.date(2017, 7, 29),
    )
    client.force_login(MembershipFactory().user)
    page = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    coming = page[page.index('id="upcoming-h"') : page.index('id="past-h"')]
    assert "No event is coming up at the moment." in coming
    assert reverse("matching:recommendations") in coming
    assert "Expo 2017" in page[page.index('id="past-h"') :]

    EventFactory(slug="next", name_en="Expo 2027", starts_on=today + datetime.timedelta(days=30),
                 ends_on=today + datetime.timedelta(days=32))  # fmt: skip
    page = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    coming = page[page.index('id="upcoming-h"') : page.index('id="past-h"')]
    assert "Expo 2027" in coming
    assert "No event is coming up" not in coming


@pytest.mark.django_db
def test_my_participation_says_what_its_empty_lists_mean_and_what_must_meet_is(client, expo):
    client.force_login(expo["users"]["th_member"])
    mine = client.get(reverse("events:mine", args=["expo"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No company has asked to meet yours yet." in mine
    assert "Your company has not asked anyone to meet yet: find partners above and request meetings." in mine
    request = services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0])
    MeetingRequest.objects.filter(pk=request.pk).update(must_meet=True, message="")
    mine = client.get(reverse("events:mine", args=["expo"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.count("Must meet: the coordinators ask the two companies to meet") == 1
    assert "(no message)" in mine


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "manage"),
    [("coordinator", True), ("consultant", False), ("", False)],
)
def test_staff_are_told_where_their_part_of_an_event_is_not_how_to_register_a_company(client, role, manage):
    """A coordinator's or consultant's "my participation" page does not offer to register a company; a
    person without a role is offered to register one or, with the join form, to join theirs (a link to the
    form's POST-only URL would answer 405)."""
    EventFactory(slug="expo-staff")
    client.force_login(UserFactory(language="en", role=role))

    page = client.get(reverse("events:mine", args=["expo-staff"])).content.decode()

    manage_url = reverse("events:manage", args=["expo-staff"])
    assert (f'href="{manage_url}"' in page) is manage
    assert ("Register your company" in page) is (role == "")
    assert ("staff do not take part themselves" in page) is (role != "")
    assert f'href="{reverse("companies:join")}"' not in page
    joining = f'<form method="post" action="{reverse("companies:join")}" novalidate>'
    assert (joining in page) is (role == "")  # the join form itself, folded
