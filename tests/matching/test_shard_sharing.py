"""Every core, every worker: a worker process loads each country once for all the shards it runs, and
scores a shard with its share of the cores."""

import os

import pytest

from matching import services
from matching.features import snapshots
from matching.models import MatchProposal
from portal.companies.importer import import_rows
from portal.core.synthetic import synthetic_rows

pytestmark = pytest.mark.django_db


def test_shards_in_one_process_load_each_country_once(monkeypatch):
    import_rows(rows=synthetic_rows(24))
    monkeypatch.setattr(services.runs, "SHARD_SIZE", 8)  # 3 shards a country
    loads, builds = [], []
    real_load, real_build = snapshots.load_features, snapshots.build_side
    monkeypatch.setattr(snapshots, "load_features", lambda **kw: loads.append(kw) or real_load(**kw))
    monkeypatch.setattr(
        snapshots, "build_side", lambda *a, **kw: builds.append(len(a[0])) or real_build(*a, **kw)
    )

    run = services.run_full_inline()

    assert (run.status, run.shards_done) == ("finished", 6)
    assert sorted(call["country"] for call in loads) == ["JP", "TH"]
    assert builds == [24, 24]  # each country's matrices once, shared by its rows' and its partners' shards
    assert MatchProposal.objects.count() == 48 * 20


@pytest.mark.parametrize(
    ("cores", "processes", "configured", "threads"),
    [(2, 1, 0, 2), (2, 2, 0, 1), (16, 1, 0, 4), (16, 4, 0, 4), (16, 8, 0, 2), (1, 4, 0, 1), (2, 2, 3, 3)],
)
def test_a_shard_takes_its_process_share_of_the_cores(
    monkeypatch, settings, cores, processes, configured, threads
):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    settings.MATCHING_THREADS = configured
    services.runs.worker_processes_set(processes)
    try:
        assert services.shard_threads() == threads
    finally:
        services.runs.worker_processes_set(1)
