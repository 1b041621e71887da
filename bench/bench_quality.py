"""Ranking quality on the hand-judged sets, through the stable contract, beside industry overlap alone.

* judged corpus: ``import_companies tests/matching/data/judged_companies.csv`` into an empty database,
  ``recompute_matches``, then ``top_matches ID --limit 10 --json`` for every judged query;
* demo set: the demo companies (``portal/core/demo_data/companies.json``) in a database of their own.

For each set and group of tests/matching/data/judgments.json it prints nDCG@10; P@5, the share of the
first five places graded good or excellent ("max" is the best P@5 the grades allow: most queries have fewer
than five good partners); how many good-or-excellent partners reach the top 10; and, for the queries with near
misses, the share of their top-5 places held by a near miss. The baseline ranks partners by the number of
declared industries they share, then by id (as tests/matching/test_quality.py does). The rubric and how the
sets were built: docs/matching-judgments.md. Quality figures, not timings; nothing is asserted here.
"""

import io
import json
import logging
from contextlib import redirect_stdout
from pathlib import Path

from bench._env import bench_database

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "matching" / "data"
LIMIT = 10


def _judgments() -> dict:
    return json.loads((DATA / "judgments.json").read_text(encoding="utf-8"))


def _top_matches(external_ids: list[str]) -> dict[str, list[str]]:
    from django.core.management import call_command

    rankings = {}
    for external_id in external_ids:
        out = io.StringIO()
        with redirect_stdout(out):
            call_command("top_matches", external_id, "--limit", str(LIMIT), "--json", stdout=out)
        rankings[external_id] = [row["external_id"] for row in json.loads(out.getvalue())]
    return rankings


def _industry_overlap() -> dict[str, list[str]]:
    from portal.companies.models import Company

    companies = list(Company.objects.verified().prefetch_related("industries").order_by("pk"))
    industries = {c.pk: {i.slug for i in c.industries.all()} for c in companies}
    rankings = {}
    for company in companies:
        partners = [p for p in companies if p.country != company.country]
        partners.sort(key=lambda p: (-len(industries[company.pk] & industries[p.pk]), p.pk))
        rankings[company.external_id] = [p.external_id for p in partners]
    return rankings


def _judged_rankings(query_ids: list[str]) -> tuple[dict, dict]:
    from django.core.management import call_command

    with redirect_stdout(io.StringIO()):
        call_command("import_companies", str(DATA / "judged_companies.csv"))
        call_command("recompute_matches", "--inline")
    return _top_matches(query_ids), _industry_overlap()


def _demo_rankings(query_ids: list[str]) -> tuple[dict, dict]:
    from matching import services
    from portal.core.demo import demo_companies_seed

    # Seeding rescores each company inline after commit: one log line per task is noise here.
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    demo_companies_seed()
    services.run_full_inline()
    return _top_matches(query_ids), _industry_overlap()


def _row(name: str, queries: dict, near_misses: dict, engine: dict, baseline: dict) -> str:
    from matching.evaluation import mean_ndcg, mean_precision, near_miss_rate, relevant_in_top_k

    found, total = relevant_in_top_k(engine, queries)
    # The best P@5 any ranking can reach: a query with two good partners fills at most two of five places.
    ideal = {query: sorted(judged, key=lambda partner: -judged[partner]) for query, judged in queries.items()}
    best = mean_precision(ideal, queries)
    near = {query: near_misses[query] for query in queries if query in near_misses}
    held, filled = near_miss_rate(engine, near)
    base_held, base_filled = near_miss_rate(baseline, near)
    near_text = f"{held / filled:>7.1%}{base_held / base_filled:>8.1%}" if filled else f"{'-':>7}{'-':>8}"
    return (
        f"{name:<28}{len(queries):>5}{mean_ndcg(engine, queries):>8.3f}{mean_ndcg(baseline, queries):>8.3f}"
        f"{mean_precision(engine, queries):>7.3f}{mean_precision(baseline, queries):>7.3f}{best:>7.3f}"
        f"{f'{found}/{total}':>11}{near_text}"
    )


def main() -> None:
    from matching.evaluation import subset

    judgments = _judgments()
    groups, queries, near_misses = judgments["groups"], judgments["queries"], judgments["near_misses"]
    judged_ids = [query for query in queries if query not in set(groups["demo"])]

    with bench_database():
        judged_engine, judged_baseline = _judged_rankings(judged_ids)
    with bench_database():
        demo_engine, demo_baseline = _demo_rankings(groups["demo"])

    print("nDCG@10 and P@5 (good or excellent) of the engine beside industry overlap; near misses in top 5")
    print(
        f"{'set / group':<28}{'n':>5}{'nDCG':>8}{'base':>8}{'P@5':>7}{'base':>7}{'max':>7}{'rel.top10':>11}"
        f"{'near':>7}{'base':>8}"
    )
    rows = [
        ("judged: all", subset(queries, judged_ids)),
        *(
            (f"judged: {name}", subset(queries, groups[name]))
            for name in ("free_text_only", "tagged", "stated_certificate")
        ),
    ]
    for name, selected in rows:
        print(_row(name, selected, near_misses, judged_engine, judged_baseline))
    print(_row("demo", subset(queries, groups["demo"]), near_misses, demo_engine, demo_baseline))
