"""Pages that say what waits: the manage page counts the accepted requests no published schedule holds and
says that a new run is a draft once a schedule is published; a refused representative keeps what was
typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors, services
from events.models import Meeting, Participant, ParticipantStatus, Representative, ScheduleRun

pytestmark = pytest.mark.django_db

WAITING = "accepted requests are in no published schedule yet"
DRAFT = "A new run is a draft: the participants keep their agenda until you publish the new one."


def _accept(sender, recipient):
    request = services.meeting_request_create(actor=None, sender=sender, recipient=recipient)
    return services.meeting_request_respond(actor=None, meeting_request=request, accept=True)


def test_the_manage_page_counts_accepted_requests_waiting_for_a_schedule(client, expo):
    jp, th = expo["jp"], expo["th"]
    scheduled = _accept(jp[0], th[0])
    _accept(jp[1], th[1])
    _accept(jp[2], th[2])
    services.meeting_request_create(actor=None, sender=jp[0], recipient=th[1])  # pending: not counted
    Meeting.objects.create(event=expo["event"], request=scheduled, slot=expo["event"].slots.first(), table=1)
    # A company that left: its accepted meeting will not be scheduled, so it does not wait.
    Participant.objects.filter(pk=jp[2].pk).update(status=ParticipantStatus.DECLINED)
    assert selectors.kpis(expo["event"])["unscheduled"] == 1

    client.force_login(expo["users"]["coordinator"])
    page = client.get(reverse("events:manage", args=["expo"])).content.decode()
    assert "1 accepted request is in no published schedule yet" in page
    assert DRAFT not in page  # nothing is published

    ScheduleRun.objects.create(
        event=expo["event"], status=ScheduleRun.Status.FINISHED, published_at=timezone.now()
    )
    page = client.get(reverse("events:manage", args=["expo"])).content.decode()
    assert DRAFT in page


def test_nothing_waits_on_a_new_event(client, expo):
    client.force_login(expo["users"]["coordinator"])
    page = client.get(reverse("events:manage", args=["expo"])).content.decode()
    assert WAITING not in page
    assert "accepted request is in no published schedule" not in page
    assert "No application waits for a decision." in page
    assert "0 of 3 invited companies confirmed" not in page  # the factory's delegates are confirmed
    assert "3 of 3 invited companies confirmed · target" in page


def test_a_refused_representative_keeps_what_was_typed(client, expo):
    mine = expo["jp"][0]
    client.force_login(expo["users"]["jp_member"])
    url = reverse("events:representative", args=["expo", mine.pk])

    response = client.post(url, {"name": "Kenichi Sato", "role": "Sales manager"})  # no language
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Kenichi Sato"' in page
    assert 'value="Sales manager"' in page
    assert "The representative is not added: correct the form below." in page
    assert "This field is required." in page  # at the languages, which were not ticked
    assert not Representative.objects.exists()

    response = client.post(url, {"name": "Kenichi Sato", "languages": ["ja"]})
    assert response.status_code == 302
    assert list(Representative.objects.values_list("name", flat=True)) == ["Kenichi Sato"]
