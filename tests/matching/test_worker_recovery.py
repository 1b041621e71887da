"""A worker killed in the middle of a full recompute: its pool process alone (Celery re-queues the task at
once) or whole, main process included (issue 12, item 5: the work is re-queued from the database within a
minute, not after Redis' visibility timeout). Its shard runs again; nothing is lost or duplicated."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from matching import services
from matching.models import MatchProposal, MatchRun, MatchRunShard, PendingRescoring
from matching.tasks import queue_company_rescoring, recompute_shard
from portal.celery import app
from portal.companies.importer import import_rows
from portal.companies.models import Company
from portal.core.synthetic import synthetic_rows
from tests.waiting import wait_for

QUEUE = "recovery-test"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(log: Path, extra_env: dict | None = None, queue: str = QUEUE) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "0", **(extra_env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queue, "--concurrency=1",
         "--without-mingle", "--without-gossip", f"--hostname=recovery@{os.getpid()}", "--loglevel=INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in result.stdout.split()]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_killed_worker_process_mid_shard_completes_after_restart(tmp_path):
    import_rows(rows=synthetic_rows(2500))
    run = services.run_start_full()
    log = tmp_path / "worker.log"
    worker = _start_worker(log)
    try:
        assert wait_for(lambda: "ready" in log.read_text(), 60), log.read_text()
        for shard_id in run.shards.values_list("pk", flat=True):
            recompute_shard.apply_async(kwargs={"shard_id": shard_id}, queue=QUEUE)
        assert wait_for(lambda: "received" in log.read_text(), 30), log.read_text()
        time.sleep(0.3)  # inside the first shard: loading its features alone takes longer
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)  # the pool process dies as under the OOM killer

        def finished():
            run.refresh_from_db()
            return run.status != "running"

        assert wait_for(finished, 240), log.read_text()[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    output = log.read_text()
    assert "WorkerLostError" in output or "exited prematurely" in output, output[-3000:]
    run.refresh_from_db()
    assert (run.status, run.shards_done, run.shards_total) == ("finished", 4, 4)
    assert run.shards.filter(done=False).count() == 0
    rows = list(MatchProposal.objects.values_list("company_id", "partner_id", "rank", "score"))
    assert len(rows) == len({(company, partner) for company, partner, _rank, _score in rows})
    assert len({company for company, *_rest in rows}) == 5000

    # The same rows as a recompute that nobody interrupted.
    services.run_full_inline()
    again = set(MatchProposal.objects.values_list("company_id", "partner_id", "rank", "score"))
    assert set(rows) == again
    assert MatchRun.objects.filter(kind="full", status="finished").count() == 2


WHOLE_QUEUE = "recovery-whole-test"
# The test's timings (the same code; the defaults are a heartbeat every 10 s, stale after 40 s, beat every
# 15 s): stale after 8 s keeps the test short.
FAST = {"PORTAL_HEARTBEAT_SECONDS": "2", "PORTAL_STALLED_AFTER_SECONDS": "8"}


def _log_has(log: Path, text: str) -> bool:
    return text in log.read_text()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_work_of_a_worker_killed_whole_completes_within_a_minute_of_a_new_worker(tmp_path, settings):
    settings.PORTAL_STALLED_AFTER_SECONDS = 8
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = WHOLE_QUEUE  # this test's tasks go to its own workers, not CI's
    try:
        _kill_whole_worker_and_recover(tmp_path)
    finally:
        app.conf.task_default_queue = default_queue


def _kill_whole_worker_and_recover(tmp_path) -> None:
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(WHOLE_QUEUE)  # nothing left from an earlier run
    import_rows(rows=synthetic_rows(1200))  # one shard per country
    edited = Company.objects.filter(country="TH").order_by("pk").first()
    run = services.run_start_full()
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _start_worker(first_log, FAST, WHOLE_QUEUE)
    second = None
    try:
        assert wait_for(lambda: _log_has(first_log, "ready"), 60), first_log.read_text()
        # A profile edit just before the crash: its debounced rescoring reaches the worker and waits there.
        queue_company_rescoring(edited.pk)
        assert wait_for(lambda: _log_has(first_log, "matching.score_company"), 30), first_log.read_text()
        for shard_id in run.shards.values_list("pk", flat=True):
            recompute_shard.delay(shard_id=shard_id)
        started = MatchRunShard.objects.filter(run=run, heartbeat_at__isnull=False)
        assert wait_for(started.exists, 30), first_log.read_text()
        time.sleep(0.3)  # inside the first shard
        for pid in [*_children(first.pid), first.pid]:  # the pool and the main process, as a lost machine
            os.kill(pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert MatchRun.objects.get(pk=run.pk).status == "running"
        assert PendingRescoring.objects.filter(company=edited).exists()

        second = _start_worker(second_log, FAST, WHOLE_QUEUE)
        assert wait_for(lambda: _log_has(second_log, "ready"), 60), second_log.read_text()
        restarted = time.monotonic()

        rescored = MatchRun.objects.filter(kind="company", company=edited, status="finished")

        def recovered():
            services.runs_requeue_stalled()  # what beat runs every PORTAL_STALLED_SWEEP_SECONDS
            services.rescorings_requeue_stalled()
            run.refresh_from_db()
            return run.status != "running" and rescored.exists() and not PendingRescoring.objects.exists()

        assert wait_for(recovered, 90, interval=2), second_log.read_text()[-3000:]
        assert time.monotonic() - restarted < 60
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)

    run.refresh_from_db()
    assert (run.status, run.shards_done, run.shards_total) == ("finished", 2, 2)
    assert rescored.count() == 1
    rows = list(MatchProposal.objects.values_list("company_id", "partner_id", "rank", "score"))
    assert len(rows) == len({(company, partner) for company, partner, _rank, _score in rows})
    assert len({company for company, *_rest in rows}) == 2400
    services.run_full_inline()  # the same rows as a recompute that nobody interrupted
    assert set(rows) == set(MatchProposal.objects.values_list("company_id", "partner_id", "rank", "score"))
