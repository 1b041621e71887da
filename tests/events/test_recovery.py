"""A scheduler run whose worker died (issue 12, item 5): queued again by the beat job and solved once; a run a
live worker holds is left to it; a run that kills its worker every time fails with a clear message.
tests/events/test_worker.py kills a real worker."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

from events import services
from events.models import ScheduleRun
from events.tasks import requeue_stalled, schedule_run_solve
from tests.events.test_services import _accept

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _stale() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=django_settings.PORTAL_STALLED_AFTER_SECONDS + 1)


def _run_left_by_a_dead_worker(expo, attempts: int = 1) -> ScheduleRun:
    _accept(expo["jp"][0], expo["th"][0])
    _accept(expo["jp"][0], expo["th"][1])
    return ScheduleRun.objects.create(
        event=expo["event"],
        status=ScheduleRun.Status.RUNNING,
        claimed_by="dead-task",
        heartbeat_at=_stale(),
        attempts=attempts,
        started_by=expo["users"]["coordinator"],
    )


def test_a_run_whose_worker_died_is_solved_again_once(expo):
    run = _run_left_by_a_dead_worker(expo)

    assert requeue_stalled.apply().get() == 1

    run.refresh_from_db()
    assert (run.status, run.placed, run.attempts) == ("finished", 2, 2)
    placements = list(run.placements)
    # The dead worker's message, delivered late: the finished draft stands.
    assert schedule_run_solve.apply(kwargs={"run_id": run.pk}, task_id="dead-task").get() == 2
    run.refresh_from_db()
    assert (run.placements, run.attempts) == (placements, 2)
    assert requeue_stalled.apply().get() == 0


def test_a_run_queued_long_ago_and_never_started_is_queued_again(expo):
    _accept(expo["jp"][0], expo["th"][0])
    run = ScheduleRun.objects.create(event=expo["event"])
    ScheduleRun.objects.filter(pk=run.pk).update(created_at=_stale())

    assert services.schedule_runs_requeue_stalled() == 1

    run.refresh_from_db()
    assert (run.status, run.placed) == ("finished", 1)


def test_a_run_held_by_a_live_worker_is_left_to_it(expo):
    run = _run_left_by_a_dead_worker(expo)
    ScheduleRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now(), claimed_by="live-task")

    assert services.schedule_runs_requeue_stalled() == 0
    assert services.schedule_run_solve(run_id=run.pk, token="another-task").status == "running"

    run.refresh_from_db()
    assert (run.status, run.claimed_by, run.attempts, run.placements) == ("running", "live-task", 1, [])


def test_a_run_that_kills_its_worker_every_time_fails_in_the_starters_language(expo):
    expo["users"]["coordinator"].language = "ja"
    expo["users"]["coordinator"].save()
    run = _run_left_by_a_dead_worker(expo, attempts=django_settings.PORTAL_MAX_ATTEMPTS)

    services.schedule_runs_requeue_stalled()

    run.refresh_from_db()
    with translation.override("ja"):
        expected = translation.gettext(
            "The scheduler stopped %(count)s times before it finished. Start it again."
        )
    assert run.status == "failed"
    assert run.error == expected % {"count": 3}
    assert run.error != "The scheduler stopped 3 times before it finished. Start it again."


def test_a_message_queued_under_the_old_task_name_still_solves_the_run(expo):
    """The task was called ``events.run_scheduler``; messages queued (or kept in the outbox) under that name
    before the rename still run."""
    from portal.celery import app

    _accept(expo["jp"][0], expo["th"][0])
    run = ScheduleRun.objects.create(event=expo["event"])
    placed = app.tasks["events.run_scheduler"].apply(kwargs={"run_id": run.pk}, task_id="old-name").get()
    assert placed == 1
    run.refresh_from_db()
    assert (run.status, run.placed) == (ScheduleRun.Status.FINISHED, 1)
    assert schedule_run_solve.name == "events.schedule_run_solve"
