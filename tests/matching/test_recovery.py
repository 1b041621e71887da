"""Work a dead worker left behind (issue 12, item 5): debounced rescorings are recorded in the database,
shards and rescorings whose worker died (stale heartbeat) or whose message was lost are queued again by the
beat job, each runs once more and the result is the one an uninterrupted run gives.
tests/matching/test_worker_recovery.py does it with a real worker killed with SIGKILL; these run on the
embedded default."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.utils import timezone

from matching import services
from matching.models import MatchProposal, MatchRun, MatchRunShard, PendingRescoring
from matching.services import writes
from matching.tasks import queue_company_rescoring, recompute_shard, requeue_stalled, score_company
from portal.celery import app
from portal.companies.importer import import_rows
from portal.companies.models import Company
from portal.core.synthetic import synthetic_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the re-queued tasks run here, as on the embedded default


@pytest.fixture
def population():
    import_rows(rows=synthetic_rows(40))
    return Company.objects.order_by("pk")


def _ago(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def _lists() -> set:
    return set(MatchProposal.objects.values_list("company_id", "partner_id", "rank", "score"))


def test_a_rescoring_request_is_recorded_and_the_row_goes_when_it_is_done(population):
    company = population.first()

    queue_company_rescoring(company.pk)  # inline: rescored at once

    assert PendingRescoring.objects.count() == 0
    assert MatchProposal.objects.filter(company=company).count() == 20


def test_a_rescoring_whose_message_was_lost_is_queued_again_and_done_once(population):
    company = population.first()
    stamp = services.rescoring_request(company_id=company.pk)  # recorded, and the message went down
    PendingRescoring.objects.update(requested_at=_ago(django_settings.PORTAL_STALLED_AFTER_SECONDS + 1))

    assert requeue_stalled.apply().get() == 1

    assert MatchProposal.objects.filter(company=company).count() == 20
    assert PendingRescoring.objects.count() == 0
    assert MatchRun.objects.filter(kind="company", company=company).count() == 1
    # The original message, delivered late (Redis' visibility timeout): the request is done, nothing runs.
    assert score_company.apply(kwargs={"company_id": company.pk, "stamp": stamp}).get() is None
    assert MatchRun.objects.filter(kind="company", company=company).count() == 1
    assert requeue_stalled.apply().get() == 0


def test_a_rescoring_whose_worker_died_mid_way_is_queued_again(population):
    """Its worker had started a run when it died: the run is marked failed (the coordinators' matching page
    lists the last runs), another company's run going on now is left alone, and the rescoring runs again."""
    company, other = population[0], population[1]
    services.rescoring_request(company_id=company.pk)
    stalled = django_settings.PORTAL_STALLED_AFTER_SECONDS
    PendingRescoring.objects.update(heartbeat_at=_ago(stalled + 1))
    weights = services.weights_current()
    dead = MatchRun.objects.create(kind=MatchRun.Kind.COMPANY, company=company, weights=weights)
    MatchRun.objects.filter(pk=dead.pk).update(started_at=_ago(stalled + 5))
    alive = MatchRun.objects.create(kind=MatchRun.Kind.COMPANY, company=other, weights=weights)

    assert services.rescorings_requeue_stalled() == 1

    assert PendingRescoring.objects.count() == 0
    assert MatchProposal.objects.filter(company=company).count() == 20
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.error) == ("failed", "the worker stopped while rescoring")
    assert dead.finished_at is not None
    assert alive.status == "running"
    assert MatchRun.objects.filter(company=company, status="finished").count() == 1


def test_a_fresh_or_running_rescoring_is_not_queued_twice(population):
    company, other = population[0], population[1]
    services.rescoring_request(company_id=company.pk)  # just requested: its own task is on its way
    services.rescoring_request(company_id=other.pk)
    PendingRescoring.objects.filter(company=other).update(heartbeat_at=timezone.now())  # a live worker has it

    assert services.rescorings_requeue_stalled() == 0
    assert PendingRescoring.objects.count() == 2


def test_an_older_request_steps_aside_for_the_newer_one(population):
    company = population.first()
    first = services.rescoring_request(company_id=company.pk)
    second = services.rescoring_request(company_id=company.pk)

    assert (first, second) == (1, 2)
    assert services.rescoring_run(company_id=company.pk, stamp=first) is None  # superseded
    assert PendingRescoring.objects.get().stamp == 2
    assert services.rescoring_run(company_id=company.pk, stamp=second).status == "finished"
    assert PendingRescoring.objects.count() == 0


def test_a_rescoring_that_kills_its_worker_every_time_is_given_up(population):
    company = population.first()
    services.rescoring_request(company_id=company.pk)
    PendingRescoring.objects.update(
        heartbeat_at=_ago(django_settings.PORTAL_STALLED_AFTER_SECONDS + 1),
        attempts=django_settings.PORTAL_MAX_ATTEMPTS,
    )

    assert services.rescorings_requeue_stalled() == 0

    assert PendingRescoring.objects.count() == 0
    assert MatchRun.objects.filter(kind="company").count() == 0


def test_shards_whose_worker_died_or_whose_message_was_lost_run_again_with_the_same_result(population):
    services.run_full_inline()
    expected = _lists()
    MatchProposal.objects.all().delete()
    run = services.run_start_full()
    first, second = run.shards.order_by("pk")
    # The first shard's worker died in the middle of it; the second shard's message went down with it.
    MatchRunShard.objects.filter(pk=first.pk).update(heartbeat_at=_ago(61), attempts=1)
    MatchRun.objects.filter(pk=run.pk).update(progress_at=_ago(61))

    assert services.runs_requeue_stalled() == 2

    run.refresh_from_db()
    assert (run.status, run.shards_done, run.shards_total) == ("finished", 2, 2)
    assert _lists() == expected
    assert list(run.shards.order_by("pk").values_list("attempts", flat=True)) == [2, 1]
    assert services.runs_requeue_stalled() == 0


def test_a_run_that_is_advancing_keeps_its_queued_shards(population):
    run = services.run_start_full()
    first, second = run.shards.order_by("pk")
    MatchRunShard.objects.filter(pk=first.pk).update(heartbeat_at=timezone.now())  # being computed
    MatchRun.objects.filter(pk=run.pk).update(progress_at=timezone.now())

    assert services.runs_requeue_stalled() == 0

    run.refresh_from_db()
    assert (run.status, run.shards_done) == ("running", 0)


def test_a_shard_that_kills_its_worker_every_time_fails_the_run(population):
    run = services.run_start_full()
    shard = run.shards.order_by("pk").first()
    MatchRunShard.objects.filter(pk=shard.pk).update(
        heartbeat_at=_ago(61), attempts=django_settings.PORTAL_MAX_ATTEMPTS
    )

    assert services.runs_requeue_stalled() == 0

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == f"shard {shard} stopped its worker 3 times"
    assert MatchProposal.objects.count() == 0


def test_orphaned_work_is_picked_up_within_a_minute_and_no_task_outlives_the_visibility_timeout():
    """The arithmetic behind the promise: a heartbeat goes stale after PORTAL_STALLED_AFTER_SECONDS, and
    beat looks every PORTAL_STALLED_SWEEP_SECONDS; Redis redelivers a dead worker's messages only after the
    visibility timeout, which no task's time limit reaches (or a running task would be delivered twice)."""
    beat = app.conf.beat_schedule
    assert django_settings.PORTAL_STALLED_AFTER_SECONDS + django_settings.PORTAL_STALLED_SWEEP_SECONDS <= 60
    assert django_settings.PORTAL_STALLED_AFTER_SECONDS >= 3 * django_settings.PORTAL_HEARTBEAT_SECONDS
    for task in ("matching.requeue_stalled", "events.requeue_stalled", "companies.requeue_stalled_imports"):
        assert beat[task] == {"task": task, "schedule": float(django_settings.PORTAL_STALLED_SWEEP_SECONDS)}
    app.loader.import_default_modules()
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility == 660
    limits = [app.conf.task_time_limit] + [task.time_limit for task in app.tasks.values() if task.time_limit]
    assert max(limits) < visibility


def test_a_shard_that_meets_a_deadlock_is_retried_and_the_run_finishes(population, monkeypatch):
    """A transient database error (PostgreSQL aborts one of two deadlocked transactions; a connection is
    lost) no longer fails the whole run: nothing of the shard was written, its task tries again."""
    services.run_full_inline()
    expected = _lists()
    MatchProposal.objects.all().delete()
    original, calls = writes.proposals_swap, []

    def swap_deadlocked_once(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return original(*args, **kwargs)

    monkeypatch.setattr(writes, "proposals_swap", swap_deadlocked_once)
    run = services.run_start_full()
    first, second = run.shards.order_by("pk")
    with pytest.raises(OperationalError):
        services.run_shard(shard_id=first.pk)
    run.refresh_from_db()
    assert (run.status, run.shards_done, run.error) == ("running", 0, "")
    assert MatchProposal.objects.count() == 0

    calls.clear()
    for shard in (first, second):  # here, not on a worker: the retry runs at once
        recompute_shard.apply(kwargs={"shard_id": shard.pk}, throw=False)

    run.refresh_from_db()
    assert (run.status, run.shards_done) == ("finished", 2)
    assert _lists() == expected
    assert list(run.shards.order_by("pk").values_list("attempts", flat=True)) == [3, 1]
    assert recompute_shard.max_retries == 3


def test_a_transient_error_fails_an_inline_run_which_no_worker_would_retry(population, monkeypatch):
    """The embedded default and the management commands run every shard here: a locked SQLite database or
    a lost connection fails the run (it would otherwise show as running for ever)."""

    def locked(*_args, **_kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(writes, "proposals_swap", locked)
    with pytest.raises(OperationalError):
        services.run_full_inline()
    run = MatchRun.objects.order_by("-pk").first()
    assert run.status == "failed"
    assert "database is locked" in run.error
    assert run.finished_at is not None


def test_any_other_error_of_a_shard_fails_the_run_at_once(population, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(writes, "proposals_swap", broken)
    run = services.run_start_full()
    with pytest.raises(ValueError, match="a bug"):
        services.run_shard(shard_id=run.shards.order_by("pk").first().pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "a bug" in run.error


def test_a_rescoring_whose_run_was_deleted_meanwhile_still_finishes(population, monkeypatch):
    """An administrator clearing the runs' history while a rescoring runs: the lists are written and the
    task ends normally (it read its run back and failed with MatchRun.DoesNotExist)."""
    company = population.first()
    swap = writes.proposals_swap

    def swap_after_the_history_is_cleared(*args, **kwargs):
        MatchRun.objects.all().delete()
        return swap(*args, **kwargs)

    monkeypatch.setattr(writes, "proposals_swap", swap_after_the_history_is_cleared)
    stamp = services.rescoring_request(company_id=company.pk)

    run_id = score_company.apply(kwargs={"company_id": company.pk, "stamp": stamp}).get()

    assert run_id is not None
    assert not MatchRun.objects.filter(pk=run_id).exists()
    assert MatchProposal.objects.filter(company=company).count() == 20
    assert PendingRescoring.objects.count() == 0


def test_the_shards_of_a_full_run_deleted_meanwhile_stop_without_failing(population, monkeypatch):
    """A full run deleted from the admin's history (its shards go with it): a shard being computed and the
    shards still queued end quietly, and write nothing."""
    run = services.run_start_full()
    first, second = run.shards.order_by("pk")
    score = services.runs._score

    def score_then_the_run_is_deleted(*args, **kwargs):
        result = score(*args, **kwargs)
        MatchRun.objects.filter(pk=run.pk).delete()
        return result

    monkeypatch.setattr(services.runs, "_score", score_then_the_run_is_deleted)

    assert recompute_shard.apply(kwargs={"shard_id": first.pk}).get() == 0
    assert recompute_shard.apply(kwargs={"shard_id": second.pk}).get() == 0
    assert MatchProposal.objects.count() == 0


def test_a_rescoring_that_meets_a_deadlock_is_retried_and_its_failed_try_is_recorded(population, monkeypatch):
    """The first try is rolled back and its run marked failed (not left running); the retry writes the lists
    and the request is done."""
    company = population.first()
    swap = writes.proposals_swap
    calls = []

    def swap_deadlocked_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return swap(*args, **kwargs)

    monkeypatch.setattr(writes, "proposals_swap", swap_deadlocked_once)
    stamp = services.rescoring_request(company_id=company.pk)

    # here, not on a worker: the retry runs at once
    run_id = score_company.apply(kwargs={"company_id": company.pk, "stamp": stamp}, throw=False).get()

    runs = MatchRun.objects.filter(kind=MatchRun.Kind.COMPANY, company_id=company.pk).order_by("pk")
    assert [(run.status, "deadlock detected" in run.error) for run in runs] == [
        ("failed", True),
        ("finished", False),
    ]
    assert run_id == runs.last().pk
    assert MatchProposal.objects.filter(company=company).count() == 20
    assert PendingRescoring.objects.count() == 0
    assert score_company.max_retries == 3
