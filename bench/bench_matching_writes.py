"""Full recompute with writes (every shard scored and its companies' lists swapped in), in one run:

* the batched INSERTs (``MATCHING_COPY_WRITES=0``, the path every shard took before COPY) in one process;
* COPY into the staging table and one swap per shard, in one process;
* the same with the shards shared by 2 worker processes (forked here; Celery's prefork workers do the
  same), each with its own snapshot of both countries and one scoring thread.

Each run starts from cold snapshots (as a nightly run on fresh workers) and from the previous run's lists
(so every run replaces 2 × n × 20 proposals). Set DATABASE_URL=postgres://… (COPY is PostgreSQL's; on
SQLite both paths are the batched one); BENCH_WRITES_SIZE companies per country (default 5,000; the
README's figures are at 20,000), BENCH_WRITES_PROCESSES=1,2, BENCH_WRITES_BATCHED=0 to leave the batched
path out.
"""

import multiprocessing
import os
import resource
import time

from bench._env import bench_database

SIZE = int(os.environ.get("BENCH_WRITES_SIZE", "5000"))
PROCESSES = [int(n) for n in os.environ.get("BENCH_WRITES_PROCESSES", "1,2").split(",") if n.strip()]
BATCHED = os.environ.get("BENCH_WRITES_BATCHED", "1") != "0"  # 0: the COPY runs only


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _work(shard_ids: list[int], threads: int, peaks) -> None:
    """A worker process: its own database connection and snapshots, the shards it is given."""
    from django.db import connections

    from matching import services
    from matching.features import clear_snapshots

    os.environ["MATCHING_THREADS"] = str(threads)
    clear_snapshots()
    for shard_id in shard_ids:
        services.run_shard(shard_id=shard_id)
    connections.close_all()
    peaks.append(_peak_mib())


def full_recompute(processes: int) -> tuple[float, int, float]:
    """(seconds, proposals, peak MiB of the largest process) of one full recompute."""
    from django.db import connections

    from matching import services
    from matching.features import clear_snapshots

    start = time.perf_counter()
    run = services.run_start_full()
    shard_ids = list(run.shards.order_by("pk").values_list("pk", flat=True))
    if processes == 1:
        _work(shard_ids, int(os.environ.get("MATCHING_THREADS", "0") or 0) or 2, [])
        peak = _peak_mib()
    else:
        connections.close_all()  # the children open their own
        context = multiprocessing.get_context("fork")
        with context.Manager() as manager:
            peaks = manager.list()
            children = [
                context.Process(target=_work, args=(shard_ids[index::processes], 1, peaks))
                for index in range(processes)
            ]
            for child in children:
                child.start()
            for child in children:
                child.join()
                if child.exitcode:
                    raise RuntimeError(f"a worker process failed ({child.exitcode})")
            peak = max(peaks)
    seconds = time.perf_counter() - start
    run.refresh_from_db()
    if run.status != "finished":
        raise RuntimeError(f"run {run.pk} ended {run.status}: {run.error}")
    clear_snapshots()
    return seconds, run.proposals, peak


def main() -> None:
    with bench_database() as vendor:
        from django.conf import settings

        from portal.companies.importer import import_rows
        from portal.core.synthetic import synthetic_rows

        start = time.perf_counter()
        import_rows(rows=synthetic_rows(SIZE))
        print(f"{SIZE:,} companies per country imported in {time.perf_counter() - start:.0f} s ({vendor})")
        full_recompute(1)  # the first lists (a later run replaces them, as every night)
        print(f"full recompute with writes, {SIZE:,} per country, {vendor}, {os.cpu_count()} cores")
        titles = (("write path", 34), ("processes", 11), ("seconds", 10), ("proposals", 12), ("rows/s", 10))
        print("".join(f"{title:>{width}}" for title, width in titles) + f"{'peak MiB':>10}")
        runs = [("batched INSERT (before)", False, 1)] if BATCHED else []
        runs += [("COPY + swap per shard", True, processes) for processes in PROCESSES]
        for label, copy, processes in runs:
            settings.MATCHING_COPY_WRITES = copy
            seconds, proposals, peak = full_recompute(processes)
            print(
                f"{label:>34}{processes:>11}{seconds:>10.1f}{proposals:>12,}{proposals / seconds:>10,.0f}"
                f"{peak:>10,.0f}   (load {_load()})"
            )
