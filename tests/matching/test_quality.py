"""Ranking quality on the hand-labelled set: the engine must clearly beat industry overlap alone."""

import json
from pathlib import Path

import pytest

from matching import services
from matching.evaluation import mean_ndcg, ndcg_at_k
from matching.models import MatchProposal
from portal.companies.models import Company
from portal.core.demo import demo_companies_seed

JUDGMENTS = json.loads((Path(__file__).parent / "data" / "judgments.json").read_text(encoding="utf-8"))
# The demo data's queries; the judged corpus (tests/matching/data/judged_companies.csv) is measured apart.
DEMO_QUERIES = {query: JUDGMENTS["queries"][query] for query in JUDGMENTS["groups"]["demo"]}
MARGIN = 0.10


def test_ndcg_arithmetic():
    assert ndcg_at_k(["a", "b"], {"a": 3, "b": 1}) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a"], {"a": 3, "b": 1}) < 1.0
    assert ndcg_at_k(["x"], {"a": 2}) == 0.0


def industry_overlap_rankings() -> dict[str, list[str]]:
    """The baseline: partners ordered by the number of shared declared industries, then by id."""
    companies = list(Company.objects.verified().prefetch_related("industries").order_by("pk"))
    industries = {c.pk: {i.slug for i in c.industries.all()} for c in companies}
    rankings = {}
    for company in companies:
        partners = [p for p in companies if p.country != company.country]
        partners.sort(key=lambda p: (-len(industries[company.pk] & industries[p.pk]), p.pk))
        rankings[company.external_id] = [p.external_id for p in partners]
    return rankings


def engine_rankings() -> dict[str, list[str]]:
    rankings: dict[str, list[str]] = {}
    for company_id, partner_id in MatchProposal.objects.order_by("company_id", "rank").values_list(
        "company__external_id", "partner__external_id"
    ):
        rankings.setdefault(company_id, []).append(partner_id)
    return rankings


@pytest.mark.django_db
def test_engine_beats_industry_overlap_on_the_labelled_set():
    demo_companies_seed()
    services.run_full_inline()
    queries = DEMO_QUERIES

    engine = mean_ndcg(engine_rankings(), queries)
    baseline = mean_ndcg(industry_overlap_rankings(), queries)

    assert len(queries) >= 40
    assert engine >= baseline + MARGIN, (engine, baseline)
