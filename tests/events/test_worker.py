"""With PostgreSQL, Redis and real Celery workers (CI): the scheduler runs as a task, and a worker killed in
the middle of a scheduler run finishes the draft after the restart, with no duplicate or lost placement."""

import datetime
import os
import random
import signal
import time

import pytest
from django.utils import timezone

from events import scheduler, services
from events.models import (
    Event,
    Interpreter,
    MeetingRequest,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    RequestStatus,
    ScheduleRun,
)
from events.tasks import schedule_run_solve
from tests.factories import CompanyFactory
from tests.matching.test_worker_recovery import _children, _start_worker
from tests.waiting import wait_for

QUEUE = "recovery-test"


def _event(japanese: int, thai: int, requests: int, *, seconds: int) -> Event:
    start = timezone.localdate() + datetime.timedelta(days=10)
    event = Event.objects.create(
        slug=f"load-{japanese}-{thai}", name_en="Synthetic Expo", venue_en="BITEC", organiser_en="DIP",
        starts_on=start, ends_on=start + datetime.timedelta(days=1), scheduler_seconds=seconds,
        max_requests_per_company=1000, max_meetings_per_company=1000,
    )  # fmt: skip
    for offset in range(2):
        services.meeting_day_save(
            event=event, date=start + datetime.timedelta(days=offset), starts_at=datetime.time(9, 0),
            ends_at=datetime.time(17, 0), slot_minutes=30, breaks=[["12:00", "13:00"]], tables=8,
        )  # fmt: skip
    jp = [
        Participant.objects.create(
            event=event,
            company=CompanyFactory(country="JP", languages="ja"),
            kind=ParticipantKind.DELEGATE,
            status=ParticipantStatus.CONFIRMED,
        )  # fmt: skip
        for _ in range(japanese)
    ]
    th = [
        Participant.objects.create(
            event=event,
            company=CompanyFactory(languages=random.choice(["th", "th,ja"])),  # noqa: S311
            kind=ParticipantKind.EXHIBITOR,
            status=ParticipantStatus.CONFIRMED,
        )  # fmt: skip
        for _ in range(thai)
    ]
    Interpreter.objects.create(event=event, name="Ploy", language_pairs="th-ja")
    Interpreter.objects.create(event=event, name="Mali", language_pairs="th-ja")
    rng = random.Random(7)
    pairs = set()
    while len(pairs) < requests:
        pairs.add((rng.choice(jp), rng.choice(th)))
    MeetingRequest.objects.bulk_create(
        MeetingRequest(
            event=event,
            sender=a,
            recipient=b,
            low=min(a, b, key=lambda p: p.pk),
            high=max(a, b, key=lambda p: p.pk),
            status=RequestStatus.ACCEPTED,
        )  # fmt: skip
        for a, b in pairs
    )
    return event


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_scheduler_runs_on_the_worker():
    event = _event(4, 6, 12, seconds=5)
    run = services.schedule_run_start(actor=None, event=event)

    def finished():
        run.refresh_from_db()
        return run.status == ScheduleRun.Status.FINISHED

    assert wait_for(finished, 90), run.status
    assert run.placed == 12
    assert services.schedule_run_publish(actor=None, run=run) == 12


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_killed_worker_mid_scheduler_run_finishes_after_restart(tmp_path):
    event = _event(60, 80, 900, seconds=8)
    run = ScheduleRun.objects.create(event=event)
    log = tmp_path / "worker.log"
    worker = _start_worker(log)
    try:
        assert wait_for(lambda: "ready" in log.read_text(), 60), log.read_text()
        schedule_run_solve.apply_async(kwargs={"run_id": run.pk}, queue=QUEUE)

        def running():
            run.refresh_from_db()
            return run.status == ScheduleRun.Status.RUNNING

        assert wait_for(running, 30), log.read_text()
        time.sleep(0.2)  # inside building the problem or the solve (the run takes seconds)
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)

        def finished():
            run.refresh_from_db()
            return run.status == ScheduleRun.Status.FINISHED

        assert wait_for(finished, 180), log.read_text()[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    output = log.read_text()
    assert "WorkerLostError" in output or "exited prematurely" in output, output[-3000:]
    assert run.placed == len(run.placements) > 0  # noqa: PT018
    assert run.placed + len(run.unplaced) == run.requests == 900
    requests = [p["request"] for p in run.placements]
    assert len(requests) == len(set(requests))  # no request placed twice
    problem = services.build_problem(event)
    placements = [
        scheduler.Placement(p["request"], p["slot"], p["table"], p["interpreter"]) for p in run.placements
    ]
    assert scheduler.violations(problem, placements) == []
    assert services.schedule_run_publish(actor=None, run=run) == run.placed
