"""A worker process killed in the middle of a full recompute: its shard runs again, nothing is lost."""

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
from matching.models import MatchProposal, MatchRun
from matching.tasks import recompute_shard
from portal.companies.importer import import_rows
from portal.core.synthetic import synthetic_rows
from tests.waiting import wait_for

QUEUE = "recovery-test"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", QUEUE, "--concurrency=1",
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
