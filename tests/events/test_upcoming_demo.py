"""The demo's Expo still to come (``events.demo.upcoming_demo_seed``): what a newcomer can try on it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.demo import UPCOMING_WEEKS, upcoming_demo_seed
from events.models import Event, Meeting, MeetingRequest, ParticipantStatus, RequestStatus
from portal.accounts.models import User
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_expo_with_something_waiting_for_each_role(settings, client):
    settings.DEBUG = True  # seed_demo is for the embedded default
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    starts_on = timezone.localdate() + datetime.timedelta(weeks=UPCOMING_WEEKS)
    event = Event.objects.get(slug=f"thailand-industry-expo-{starts_on.year}")
    assert f"Event to come: Thailand Industry Expo {starts_on.year}" in out.getvalue()
    assert (event.starts_on, event.ends_on) == (starts_on, starts_on + datetime.timedelta(days=3))
    assert not event.is_over
    assert event.days.count() == 3
    assert not Meeting.objects.filter(event=event).exists()  # the scheduler is the coordinator's to run

    status = dict(event.participants.values_list("company__external_id", "status"))
    assert "TH-DEMO-001" not in status  # the Thai owner's company can apply
    assert status["JP-DEMO-001"] == ParticipantStatus.INVITED  # the Japanese owner's waits for its answer
    assert [status[f"TH-DEMO-0{n}"] for n in (13, 14)] == [ParticipantStatus.APPLIED] * 2
    assert sum(value == ParticipantStatus.CONFIRMED for value in status.values()) == 7 + 11
    accepted = MeetingRequest.objects.filter(sender__event=event, status=RequestStatus.ACCEPTED).count()
    assert accepted > 0

    owner_jp = User.objects.get(email="owner.jp@demo.example")
    invitation = Notification.objects.get(
        recipient=owner_jp, kind="events.delegation_invitation", read_at=None
    )
    assert invitation.url == reverse("events:mine", kwargs={"slug": event.slug})

    client.force_login(User.objects.get(email="owner.th@demo.example"))
    page = client.get(reverse("events:mine", kwargs={"slug": event.slug})).content.decode()
    assert (
        reverse("events:exhibit", kwargs={"slug": event.slug, "company_pk": _company_pk("TH-DEMO-001")})
        in page
    )

    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert Event.objects.filter(slug=event.slug).count() == 1
    assert event.participants.count() == len(status)
    assert (
        MeetingRequest.objects.filter(sender__event=event, status=RequestStatus.ACCEPTED).count() == accepted
    )
    assert upcoming_demo_seed() is None


def test_without_the_demo_companies_nothing_is_seeded():
    assert upcoming_demo_seed() is None
    assert not Event.objects.exists()


def _company_pk(external_id: str) -> int:
    from portal.companies.models import Company

    return Company.objects.get(external_id=external_id).pk
