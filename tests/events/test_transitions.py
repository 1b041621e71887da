"""Events' state machines (one table and one ``<entity>_set_status`` service per entity) and the codes on
every refusal of the events services."""

import ast
import pathlib

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.models import MeetingRequest, Participant, ParticipantStatus, RequestStatus, ScheduleRun
from portal.core.transitions import INVALID_TRANSITION

pytestmark = pytest.mark.django_db


def test_a_declined_participant_cannot_be_checked_in_by_the_status_service(expo):
    participant = expo["jp"][0]
    services.participant_set_status(participant=participant, status=ParticipantStatus.DECLINED)
    with pytest.raises(ValidationError) as refused:
        services.participant_set_status(participant=participant, status=ParticipantStatus.ARRIVED)
    assert refused.value.code == INVALID_TRANSITION
    assert Participant.objects.get(pk=participant.pk).status == ParticipantStatus.DECLINED


def test_declining_cancels_pending_requests_and_arriving_stamps_the_time(expo):
    jp, th = expo["jp"], expo["th"]
    pending = services.meeting_request_create(actor=None, sender=jp[0], recipient=th[0])
    services.participant_set_status(
        participant=th[0], status=ParticipantStatus.DECLINED, decline_reason="Busy"
    )
    assert MeetingRequest.objects.get(pk=pending.pk).status == RequestStatus.CANCELLED
    assert Participant.objects.get(pk=th[0].pk).decline_reason == "Busy"
    arrived = services.participant_set_status(participant=jp[1], status=ParticipantStatus.ARRIVED)
    first = arrived.checked_in_at
    assert first is not None
    again = services.participant_set_status(participant=arrived, status=ParticipantStatus.ARRIVED)
    assert again.checked_in_at == first


def test_a_declined_request_cannot_be_declined_again_but_a_must_meet_accepts_it(expo):
    jp, th = expo["jp"], expo["th"]
    request = services.meeting_request_create(actor=None, sender=jp[0], recipient=th[0])
    services.meeting_request_set_status(meeting_request=request, status=RequestStatus.DECLINED)
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_set_status(meeting_request=request, status=RequestStatus.EXPIRED)
    assert refused.value.code == INVALID_TRANSITION
    must = services.meeting_request_create(actor=None, sender=jp[0], recipient=th[0], must_meet=True)
    assert (must.pk, must.status, must.must_meet) == (request.pk, RequestStatus.ACCEPTED, True)


def test_a_finished_run_does_not_move_again(expo):
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk, token="t1")
    assert run.status == ScheduleRun.Status.FINISHED
    moved = services.schedule_run_set_status(run_id=run.pk, token="t1", status=ScheduleRun.Status.FAILED)
    assert moved is False
    assert ScheduleRun.objects.get(pk=run.pk).status == ScheduleRun.Status.FINISHED


def test_every_refusal_of_the_events_services_has_a_code():
    root = pathlib.Path(services.__file__).parent
    files = sorted(root.glob("*.py")) if root.name == "services" else [pathlib.Path(services.__file__)]
    calls = [
        (path, node)
        for path in files
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ValidationError"
    ]
    assert len(calls) >= 31
    missing = [
        f"{path.name}:{node.lineno}"
        for path, node in calls
        if not any(k.arg == "code" for k in node.keywords)
    ]
    assert missing == []
