"""A scheduler run is numbered within its event: the first run of an event is run 1, whatever ran before
for other events (the database's id is not the coordinator's number)."""

import pytest
from django.urls import reverse

from events.models import ScheduleRun
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_runs_are_numbered_within_their_event(client, expo):
    other = EventFactory()
    coordinator = UserFactory(role="coordinator")
    for _ in range(2):
        ScheduleRun.objects.create(event=other, started_by=coordinator, status=ScheduleRun.Status.FAILED)
    first = ScheduleRun.objects.create(event=expo["event"], started_by=coordinator, status="failed")
    second = ScheduleRun.objects.create(event=expo["event"], started_by=coordinator, status="failed")
    client.force_login(coordinator)

    manage = client.get(reverse("events:manage", args=["expo"])).content.decode()
    assert f'{reverse("events:run", args=["expo", second.pk])}">Run 2</a>' in manage
    assert f'{reverse("events:run", args=["expo", first.pk])}">Run 1</a>' in manage
    page = client.get(reverse("events:run", args=["expo", first.pk])).content.decode()
    assert "Scheduler run 1 <span" in page
