"""The matching engine at 1k, 5k and 20k companies per country.

* scoring pass: top-20 both ways (pure NumPy/SciPy, no database) on the clustered synthetic directory
  (``matching/scoring/synthetic.py`` says how it distributes), time and peak memory (ru_maxrss, so the
  process's peak so far): features to matrices (``prepare``), the exhaustive pass (every pair, one pass
  for both directions) and, in the same run, the pruned pass (tiles skipped by upper bounds,
  ``matching/scoring/bounds.py``) with the share of pairs it actually scored and its growth against the
  first size; the two must give identical lists;
* the naive per-pair reference on the 1k set (measured on its first rows and scaled to all), as a ratio;
* full recompute with database writes (sharded, run inline here; workers share shards in production);
* incremental rescoring of one company after an edit of it, on a worker that has rescored before (the
  partners' matrices are kept); the follow-up rescorings of partners whose full list it left (separate
  tasks, count × mean seconds); and a rescoring after an edit on the other side, twice: first right after
  the bulk import (the partners' snapshot is rebuilt), then with the directory's changes spread over days
  (it is patched).

Set DATABASE_URL=postgres://… to measure writes on PostgreSQL (``make bench`` uses the embedded SQLite).
Set BENCH_MATCHING_SIZES=1000,5000 (scoring pass) and BENCH_MATCHING_DB_SIZES=1000,5000,20000 (with the
database) to pick sizes; an empty BENCH_MATCHING_DB_SIZES skips the database part (e.g. to iterate on the
scoring pass at 5k: ``BENCH_MATCHING_SIZES=5000 BENCH_MATCHING_DB_SIZES= bench/run.py bench_matching``).
"""

import os
import random
import resource
import time
from datetime import timedelta
from unittest import mock

import numpy as np

from bench._env import bench_database


def _sizes(variable: str, default: str) -> list[int]:
    return [int(n) for n in os.environ.get(variable, default).split(",") if n.strip()]


SIZES = _sizes("BENCH_MATCHING_SIZES", "1000,5000,20000")
# The exhaustive pass beside the pruned one (the baseline, in the same run); 50,000 and 100,000 are
# selectable (BENCH_MATCHING_SIZES=20000,50000,100000), not run by ``make bench``.
EXHAUSTIVE_SIZES = set(_sizes("BENCH_MATCHING_EXHAUSTIVE_SIZES", ",".join(map(str, SIZES))))
THREADS = int(os.environ.get("MATCHING_THREADS", "2"))
# The recompute with writes at 20k per country takes minutes on SQLite: by default up to 5k here.
DB_SIZES = _sizes("BENCH_MATCHING_DB_SIZES", "1000,5000")
REFERENCE_ROWS = 50


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _synthetic_features(n: int, id_offset: int, rng: random.Random, vocabulary):
    from matching.scoring import CompanyFeatures

    words = ["machining", "molding", "ฉีดพลาสติก", "แม่พิมพ์", "精密加工", "金型", "robot", "cleanroom", "航空機",
             "medical", "sterilization", "ชิ้นส่วนรถยนต์", "溶接", "assembly", "inspection"]  # fmt: skip
    result = []
    for i in range(n):
        result.append(  # noqa: PERF401 - one readable constructor call per company
            CompanyFeatures(
                id=id_offset + i,
                industries=frozenset(rng.sample(vocabulary.industries, rng.randint(1, 2))),
                capabilities=frozenset(rng.sample(vocabulary.capabilities, rng.randint(1, 4))),
                seeks=frozenset(rng.sample(vocabulary.capabilities, rng.randint(0, 3))),
                looking_for=frozenset(rng.sample(vocabulary.roles, rng.randint(1, 2))),
                roles=frozenset(rng.sample(vocabulary.roles, rng.randint(1, 3))),
                requires=frozenset(rng.sample(vocabulary.certifications, rng.randint(0, 1))),
                holds=frozenset(rng.sample(vocabulary.certifications, rng.randint(0, 3))),
                languages=frozenset(rng.sample(["th", "ja", "en"], rng.randint(1, 2))),
                size_class=rng.choice(["micro", "small", "medium", "large"]),
                in_eec=rng.random() < 0.3,
                text=" ".join(rng.choice(words) for _ in range(rng.randint(5, 30))),
            )
        )
    return result


def scoring_pass(n: int, vocabulary) -> dict:
    """Exhaustive pass (every pair) and pruned pass (tiles skipped by upper bounds) on the clustered
    synthetic directory, in this order, checking that their lists are identical."""
    from matching.scoring import Weights, prepare, reference_top_k, score_both_ways
    from matching.scoring.synthetic import clustered_features

    rng = random.Random(n)  # noqa: S311 - reproducible synthetic data
    thai = clustered_features(n, id_offset=1, country="TH", vocabulary=vocabulary, rng=rng)
    japanese = clustered_features(n, id_offset=10_000_000, country="JP", vocabulary=vocabulary, rng=rng)
    start = time.perf_counter()
    side_a, side_b = prepare(thai, japanese, vocabulary)
    prepared = time.perf_counter()
    figures = {"n": n, "prepare": prepared - start}
    exhaustive = None
    if n in EXHAUSTIVE_SIZES:
        start = time.perf_counter()
        exhaustive = score_both_ways(side_a, side_b, Weights(), k=20, prune=False, threads=THREADS)
        figures["exhaustive"] = time.perf_counter() - start
        figures["exhaustive_peak_mib"] = _peak_mib()
    start = time.perf_counter()
    pruned = score_both_ways(side_a, side_b, Weights(), k=20, prune=True, threads=THREADS)
    figures["pruned"] = time.perf_counter() - start
    figures["peak_mib"] = _peak_mib()
    figures["scored"] = (pruned[0].pairs_scored + pruned[1].pairs_scored) / (2 * n * n)
    if exhaustive is not None:
        for got, expected in zip(pruned, exhaustive, strict=True):  # the same lists, whichever way computed
            same = all(map(np.array_equal, got.positions, expected.positions))
            if not same or not all(map(np.array_equal, got.scores, expected.scores)):
                raise RuntimeError("the pruned pass and the exhaustive pass disagree")
    if n == min(SIZES):
        start = time.perf_counter()
        reference_top_k(
            thai[:REFERENCE_ROWS],
            japanese,
            vocabulary,
            Weights(),
            side_a.text[:REFERENCE_ROWS],
            side_b.text,
            k=20,
        )
        per_row = (time.perf_counter() - start) / REFERENCE_ROWS
        figures["reference_seconds"] = per_row * 2 * n  # both directions, every row
    return figures


def main() -> None:
    with bench_database() as vendor:
        from django.utils import timezone

        from matching import services
        from matching.features import vocabulary
        from portal.companies.importer import import_rows
        from portal.companies.models import Company
        from portal.companies.services import company_update_profile
        from portal.core.synthetic import synthetic_rows
        from portal.taxonomy.models import Capability

        vocab = vocabulary()
        print(
            f"scoring pass (top-20 both ways), clustered synthetic directory, {THREADS} threads, in memory;"
            f" load average {_load()}"
        )
        _header(
            ("companies per country", 22), ("prepare s", 10), ("exhaustive s", 13), ("peak MiB", 9),
            ("pruned s", 10), ("pairs scored", 13), ("peak MiB", 9), ("× 1st size", 11), ("naive ref. s", 13),
        )  # fmt: skip
        first = None
        for n in SIZES:
            figures = scoring_pass(n, vocab)
            best = min(figures["pruned"], figures.get("exhaustive", np.inf))
            first = first or best
            reference = figures.get("reference_seconds")
            exhaustive = f"{figures['exhaustive']:.2f}" if "exhaustive" in figures else "-"
            exhaustive_peak = f"{figures['exhaustive_peak_mib']:.0f}" if "exhaustive" in figures else "-"
            print(
                f"{n:>22,}{figures['prepare']:>10.2f}{exhaustive:>13}{exhaustive_peak:>9}"
                f"{figures['pruned']:>10.2f}{figures['scored']:>13.1%}{figures['peak_mib']:>9.0f}"
                f"{best / first:>11.1f}{f'{reference:.0f}' if reference else '':>13}   (load {_load()})"
            )
        if not DB_SIZES:
            return

        print(f"\nfull recompute with writes and incremental rescoring, {vendor}")
        _header(
            ("companies per country", 22), ("full s", 10), ("proposals", 11), ("incremental s", 15),
            ("follow-ups s", 16), ("after partner edit s (1st/2nd)", 32), ("peak MiB", 10),
        )  # fmt: skip
        loaded = 0
        for n in DB_SIZES:
            import_rows(rows=synthetic_rows(n)[:0] or _rows_between(synthetic_rows, loaded, n))
            loaded = n
            start = time.perf_counter()
            run = services.run_full_inline()
            full = time.perf_counter() - start
            company = Company.objects.filter(external_id="TH-SYN-000001").get()
            services.match_company(company_id=company.pk)  # warm the snapshots, as a worker would be
            queued = []  # rescorings the edits queue, run by hand here to time them apart
            with mock.patch("matching.tasks.queue_company_rescoring", queued.append):
                company_update_profile(
                    company=company, capabilities=list(Capability.objects.filter(slug="cnc-machining"))
                )
                start = time.perf_counter()
                services.match_company(company_id=company.pk)
                incremental = time.perf_counter() - start
                # Partners whose full list lost this company are rescored on their own, as further tasks.
                follow_ups = [company_id for company_id in queued if company_id != company.pk]
                start = time.perf_counter()
                for company_id in follow_ups:
                    services.match_company(company_id=company_id)
                follow_up = (time.perf_counter() - start) / max(1, len(follow_ups))
                # A Japanese company edits its profile: the next Thai rescoring finds the Japanese side
                # changed. Right after the bulk import every company changed within the snapshot's margin,
                # so the first time it is rebuilt; in a directory whose companies changed over days (as
                # set here) it is patched.
                partner = Company.objects.filter(external_id="JP-SYN-000001").get()
                after_partner_edit = []
                for slug in ("sheet-metal", "cnc-machining"):
                    company_update_profile(
                        company=partner, capabilities=list(Capability.objects.filter(slug=slug))
                    )
                    start = time.perf_counter()
                    services.match_company(company_id=company.pk)
                    after_partner_edit.append(time.perf_counter() - start)
                    Company.objects.exclude(pk=partner.pk).update(
                        updated_at=timezone.now() - timedelta(days=3)
                    )
            print(
                f"{n:>22,}{full:>10.1f}{run.proposals:>11,}{incremental:>15.2f}"
                f"{f'{len(follow_ups)} × {follow_up:.2f}':>16}"
                f"{' / '.join(f'{seconds:.2f}' for seconds in after_partner_edit):>32}"
                f"{_peak_mib():>10.0f}   (load {_load()})"
            )


def _header(*columns: tuple[str, int]) -> None:
    """One line of right-aligned column titles: (title, width) each."""
    print("".join(f"{title:>{width}}" for title, width in columns))


def _load() -> str:
    """The 1-minute load average: the machine may be shared, so timings say what else was running."""
    return f"{os.getloadavg()[0]:.2f}"


def _rows_between(generate, start: int, stop: int):
    """Synthetic rows for companies start+1..stop of each country (earlier ones are already loaded)."""
    rows = generate(stop)
    per_country = stop
    return [row for index, row in enumerate(rows) if index % per_country >= start]
