"""The hand-judged set: the corpus imports through the stable contract; the judgments agree with it.

No quality threshold here (see docs/matching-judgments.md): this only proves the measuring stick is sound.
"""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from matching import evaluation
from portal.companies.importer import COLUMNS
from portal.companies.models import Company
from portal.core.demo import demo_companies_seed

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "judged_companies.csv"
JUDGMENTS = json.loads((DATA / "judgments.json").read_text(encoding="utf-8"))
DEMO = json.loads(
    (Path(__file__).parents[2] / "portal" / "core" / "demo_data" / "companies.json").read_text(
        encoding="utf-8"
    )
)
TAG_COLUMNS = ("industries", "capabilities", "certifications", "seeking", "requires", "looking_for")

with CORPUS.open(encoding="utf-8", newline="") as corpus_file:
    READER = csv.DictReader(corpus_file)
    HEADER = READER.fieldnames
    ROWS = {row["external_id"]: row for row in READER}

GROUPS = JUDGMENTS["groups"]
QUERIES = JUDGMENTS["queries"]
JUDGED = [query for query in QUERIES if query not in set(GROUPS["demo"])]


def _free_text_only(row: dict) -> bool:
    languages = [language for language in ("en", "th", "ja") if row[f"description_{language}"]]
    return not any(row[column] for column in TAG_COLUMNS) and len(languages) == 1


def test_the_corpus_has_exactly_the_import_contract_columns():
    assert HEADER == COLUMNS


def test_the_corpus_is_prefixed_sized_and_disjoint_from_the_demo_data():
    demo_ids = {company["external_id"] for company in DEMO}
    demo_numbers = {company["registration_no"] for company in DEMO}
    demo_names = {company[key] for company in DEMO for key in ("name_en", "name_th", "name_ja")} - {""}

    assert 180 <= len(ROWS) <= 260
    assert all(row["external_id"].startswith(f"JG-{row['country']}-") for row in ROWS.values())
    assert not demo_ids & set(ROWS)
    assert not demo_numbers & {row["registration_no"] for row in ROWS.values()}
    assert not demo_names & {row[key] for row in ROWS.values() for key in ("name_en", "name_th", "name_ja")}


def test_many_companies_wrote_only_thai_or_only_japanese():
    free_text = [row for row in ROWS.values() if _free_text_only(row)]

    assert sum(1 for row in free_text if row["description_th"] and row["country"] == "TH") >= 40
    assert sum(1 for row in free_text if row["description_ja"] and row["country"] == "JP") >= 40
    assert all(row["languages"] in ("th", "ja") for row in free_text)


@pytest.mark.django_db
def test_the_corpus_imports_cleanly_through_import_companies(capsys):
    call_command("import_companies", str(CORPUS))

    assert f"Imported: {len(ROWS)} created, 0 updated." in capsys.readouterr().out
    companies = Company.objects.filter(external_id__startswith="JG-")
    assert companies.count() == len(ROWS)
    judged_ids = set(JUDGED) | {partner for query in JUDGED for partner in QUERIES[query]}
    judged_ids |= {partner for partners in JUDGMENTS["near_misses"].values() for partner in partners}
    assert companies.filter(external_id__in=judged_ids).count() == len(judged_ids)
    free_text = companies.filter(external_id__in=GROUPS["free_text_only"])
    assert free_text.filter(industries__isnull=False).count() == 0
    assert free_text.filter(capabilities__isnull=False).count() == 0
    assert free_text.filter(certificates__isnull=False).count() == 0
    assert free_text.filter(looking_for__isnull=False).count() == 0


@pytest.mark.django_db
def test_the_corpus_can_live_beside_the_demo_data():
    demo_companies_seed()

    call_command("import_companies", str(CORPUS))

    assert Company.objects.count() == len(DEMO) + len(ROWS)


def test_at_least_150_queries_and_40_free_text_only():
    assert len(QUERIES) >= 150
    assert len(GROUPS["demo"]) == 70
    assert len(JUDGED) >= 80
    assert len(GROUPS["free_text_only"]) >= 40


def test_groups_partition_the_judged_queries_by_what_the_company_wrote():
    free_text, tagged = set(GROUPS["free_text_only"]), set(GROUPS["tagged"])

    assert not free_text & tagged
    assert free_text | tagged == set(JUDGED)
    assert all(_free_text_only(ROWS[query]) for query in free_text)
    assert not any(_free_text_only(ROWS[query]) for query in tagged)
    assert set(GROUPS["stated_certificate"]) <= set(JUDGED)
    assert len(GROUPS["stated_certificate"]) >= 20
    assert set(GROUPS["demo"]) == {company["external_id"] for company in DEMO} & set(QUERIES)


def test_every_grade_names_a_company_of_the_other_country():
    demo_country = {company["external_id"]: company["country"] for company in DEMO}
    country = {**demo_country, **{external_id: row["country"] for external_id, row in ROWS.items()}}
    for query, grades in QUERIES.items():
        assert grades, query
        assert set(grades.values()) <= {1, 2, 3}, query
        assert all(country[partner] != country[query] for partner in grades), query
        corpus = ROWS if query in ROWS else demo_country
        assert all(partner in corpus for partner in grades), query


def test_near_misses_are_ungraded_partners_of_the_other_country():
    near_misses = JUDGMENTS["near_misses"]

    assert set(near_misses) <= set(JUDGED)
    assert len(near_misses) >= 40
    for query, partners in near_misses.items():
        assert partners, query
        assert all(ROWS[partner]["country"] != ROWS[query]["country"] for partner in partners), query
        assert not set(partners) & set(QUERIES[query]), query


def test_every_judged_query_has_a_note():
    assert all(JUDGMENTS["notes"].get(query) for query in QUERIES)


def test_precision_and_near_miss_arithmetic():
    judged = {"a": 3, "b": 2, "c": 1}

    assert evaluation.precision_at_k(["a", "c", "x", "b", "y"], judged) == pytest.approx(2 / 5)
    assert evaluation.precision_at_k(["c"], judged, min_grade=1) == pytest.approx(1 / 5)
    assert evaluation.mean_precision({"q": ["a", "b"]}, {"q": judged, "r": judged}) == pytest.approx(0.2)
    assert evaluation.relevant_in_top_k({"q": ["x", "b"]}, {"q": judged}, k=2) == (1, 2)
    assert evaluation.near_miss_rate({"q": ["n", "a", "m"], "r": ["a"]}, {"q": ["n", "m"], "r": ["n"]}) == (
        2,
        4,
    )
    assert list(evaluation.subset({"q": judged, "r": {}}, ["r"])) == ["r"]
