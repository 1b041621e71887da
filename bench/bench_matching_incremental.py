"""One company's rescoring after an edit, at 100,000 companies per country (``match_company``), on a worker
that has rescored before (the partners' snapshot and matrices are kept, as in production).

Every company of both countries gets a full list of 20 proposals first (written by SQL, with scores spread
as a recompute's are, then vacuumed as autovacuum leaves them), so that the lists the rescoring
reads and edits are as large as in production.
Set DATABASE_URL=postgres://… (the goal is PostgreSQL's); BENCH_INCREMENTAL_SIZE (default 5,000; the
README's figure is at 100,000) and BENCH_INCREMENTAL_REPEATS (default 5).
"""

import multiprocessing
import os
import resource
import statistics
import time
from unittest import mock

from bench._env import bench_database, peak_reset

SIZE = int(os.environ.get("BENCH_INCREMENTAL_SIZE", "5000"))
REPEATS = int(os.environ.get("BENCH_INCREMENTAL_REPEATS", "5"))


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def _full_lists(k: int = 20) -> int:
    """Every company proposed its k next companies of the other country, scores falling with rank."""
    from django.db import connection
    from django.utils import timezone

    from matching.models import MatchProposal
    from matching.services import weights_current

    weights = weights_current()
    table = MatchProposal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constant names only
        cursor.execute(
            f"""
            WITH ranked AS (
                SELECT id, country, row_number() OVER (PARTITION BY country ORDER BY id) - 1 AS n
                FROM companies_company WHERE verification_status = 'verified'
            ), totals AS (
                SELECT country, count(*) AS total FROM ranked GROUP BY country
            )
            INSERT INTO {table} (company_id, partner_id, rank, score, components, reasons, weights_id,
                                 computed_at)
            SELECT a.id, b.id, r.rank, 90 - r.rank - (a.n %% 40), '{{}}'::jsonb, '[]'::jsonb, %s, %s
            FROM ranked a
            JOIN totals o ON o.country <> a.country
            CROSS JOIN generate_series(1, %s) AS r(rank)
            JOIN ranked b ON b.country = o.country AND b.n = (a.n * 7 + r.rank * 13) %% o.total
            """,  # noqa: S608
            [weights.pk, timezone.now(), k],
        )
        count = cursor.rowcount
        # As autovacuum leaves a database after a bulk import and a full recompute (which also vacuums the
        # proposals itself: writes.proposals_vacuum); autovacuum is off on this machine's PostgreSQL.
        cursor.execute("VACUUM (ANALYZE)")
    return count


def _import(size: int) -> None:
    from django.db import connections

    from portal.companies.importer import import_rows
    from portal.core.synthetic import synthetic_rows

    import_rows(rows=synthetic_rows(size))
    connections.close_all()


def main() -> None:
    with bench_database() as vendor:
        from django.db import connection, connections

        from matching import services
        from matching.features import corpus
        from portal.companies.models import Company
        from portal.companies.services import company_update_profile
        from portal.taxonomy.models import Capability

        start = time.perf_counter()
        if connection.vendor == "postgresql":
            # Imported by a child process, so that this one's memory is a worker's (which never imports):
            # a heap that held 200,000 companies' import stays large after it is freed.
            connections.close_all()
            child = multiprocessing.get_context("fork").Process(target=_import, args=(SIZE,))
            child.start()
            child.join()
            if child.exitcode:
                raise RuntimeError(f"the import failed ({child.exitcode})")
        else:  # an in-memory SQLite database is this process's own
            _import(SIZE)
        print(f"{SIZE:,} companies per country imported in {time.perf_counter() - start:.0f} s ({vendor})")
        if connection.vendor == "postgresql":
            start = time.perf_counter()
            _full_lists()
            print(f"full lists written by SQL in {time.perf_counter() - start:.0f} s")
        company = Company.objects.filter(external_id="TH-SYN-000001").get()
        # The peak printed is the worker's: its snapshots, matrices and rescorings, not the bench's set-up.
        worker_peak = "the worker's peak" if peak_reset() else "peak"
        start = time.perf_counter()
        corpus()  # the worker's snapshots, as after a full recompute it took part in
        print(f"both countries' snapshots and matrices built in {time.perf_counter() - start:.1f} s")
        slugs = ["cnc-machining", "sheet-metal", "injection-molding"]
        seconds = []
        # The edits' own rescoring is timed here; the follow-ups of partners it left are further tasks.
        with mock.patch("matching.tasks.queue_company_rescoring"):
            services.match_company(company_id=company.pk)
            for repeat in range(REPEATS):
                company_update_profile(
                    company=company, capabilities=list(Capability.objects.filter(slug=slugs[repeat % 3]))
                )
                start = time.perf_counter()
                services.match_company(company_id=company.pk)
                seconds.append(time.perf_counter() - start)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        median = statistics.median(seconds)
        print(
            f"one company's rescoring at {SIZE:,} per country ({vendor}): median {median:.2f} s,"
            f" min {min(seconds):.2f} s, max {max(seconds):.2f} s over {REPEATS};"
            f" {worker_peak} {peak:,.0f} MiB"
            f"   (load {_load()})"
        )
