"""Typo tolerance for Latin script in the directory search (issue 18): a misspelt word is corrected towards
a word of the indexed texts when the exact search finds few companies; exact hits come first and the page
says what it searched for. The same tests run on SQLite (difflib over the companies' words) and, in CI, on
PostgreSQL (pg_trgm picks the candidate companies); the ``postgres`` ones check the trigram path itself."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.companies.models import VerificationStatus
from portal.companies.search import closest_word, is_correctable, latin_words
from portal.companies.selectors import DirectoryFilters, company_directory_search
from tests.factories import CompanyFactory, link_terms

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [company.name_en for company in response.context["page"].object_list]


@pytest.fixture
def companies():
    molder = CompanyFactory(name_en="Rayong Molding", description_th="รับฉีดพลาสติก")
    link_terms(molder, capabilities=["injection-molding"])
    machinist = CompanyFactory(country="JP", name_en="Kato Seimitsu", description_ja="精密加工")
    link_terms(machinist, capabilities=["cnc-machining"])
    robots = CompanyFactory(
        name_en="Bangkok Robotics", description_en="System integration and machining cells."
    )
    link_terms(robots, capabilities=["system-integration"])
    pending = CompanyFactory(name_en="Pending Machining", verification_status=VerificationStatus.PENDING)
    link_terms(pending, capabilities=["cnc-machining"])
    return {"molder": molder, "machinist": machinist, "robots": robots}


@pytest.mark.parametrize(
    ("query", "expected", "corrected"),
    [
        ("machning", ["Bangkok Robotics", "Kato Seimitsu"], "machining"),
        ("injection moldng", ["Rayong Molding"], "injection molding"),
        ("INJECTON molding", ["Rayong Molding"], "injection molding"),  # case folded first
        ("machning cels", ["Bangkok Robotics"], "machining cells"),
        ("ฉีดพลาสติก", ["Rayong Molding"], ""),  # found as typed: nothing corrected
        ("mold", ["Rayong Molding"], ""),  # exact
        ("mld", [], ""),  # too short to correct
        ("xylophone", [], ""),  # nothing near
        ("plastics", [], ""),  # the pending company's words are not a vocabulary
        ("molding", ["Rayong Molding"], ""),  # rare here, but a word of the taxonomy: never corrected
    ],
)
def test_misspelt_latin_words_are_corrected(client, companies, query, expected, corrected):
    response = client.get(reverse("companies:directory"), {"q": query})

    assert _names(response) == expected
    assert response.context["search"].corrected == corrected


def test_exact_hits_come_before_corrected_ones(client, companies):
    typo = CompanyFactory(name_en="Zeta Works", description_en="Precision machning of shafts.")
    link_terms(typo)

    response = client.get(reverse("companies:directory"), {"q": "machning"})

    assert _names(response) == ["Zeta Works", "Bangkok Robotics", "Kato Seimitsu"]
    search = response.context["search"]
    assert (search.exact_count, search.corrected) == (1, "machining")


def test_enough_exact_hits_run_only_the_exact_search(companies):
    for n in range(3):
        link_terms(CompanyFactory(name_en=f"Typo {n}", description_en="machning"))
    filters = DirectoryFilters(q="machning")

    with CaptureQueriesContext(connection) as queries:
        search = company_directory_search(user=AnonymousUser(), filters=filters)
    names = [company.name_en for company in search.companies]

    assert (search.corrected, search.exact_count) == ("", 3)
    assert len(queries) == 1  # the COUNT of at most FUZZY_BELOW rows; the list itself is still lazy
    assert names == ["Typo 0", "Typo 1", "Typo 2"]


def test_filters_apply_to_corrected_results(client, companies):
    response = client.get(reverse("companies:directory"), {"q": "machning", "country": "JP"})

    assert _names(response) == ["Kato Seimitsu"]


@pytest.mark.parametrize(
    ("language", "exact_text", "did_you_mean"),
    [
        ("en", "No company matches “machning” exactly. Showing results for “machining”.", "Did you mean"),
        ("th", "ไม่มีบริษัทที่ตรงกับ “machning” ทุกตัวอักษร แสดงผลลัพธ์สำหรับ “machining”", "ท่านหมายถึง"),
        (
            "ja",
            "「machning」に完全に一致する企業はありません。「machining」の検索結果を表示しています。",
            "もしかして",
        ),
    ],
)
def test_the_page_says_what_it_searched_for(client, companies, language, exact_text, did_you_mean):
    url = reverse("companies:directory")
    with translation.override(language):
        none_exact = client.get(url, {"q": "machning"}, HTTP_ACCEPT_LANGUAGE=language)
        link_terms(CompanyFactory(name_en="Zeta Works", description_en="machning"))
        one_exact = client.get(url, {"q": "machning"}, HTTP_ACCEPT_LANGUAGE=language)

    assert exact_text in none_exact.content.decode()
    page = one_exact.content.decode()
    assert did_you_mean in page
    assert 'href="?q=machining"' in page


def test_correction_helpers():
    assert is_correctable("moldng")
    assert not is_correctable("mld")
    assert not is_correctable("ฉีดพลาสติก")
    assert latin_words("cnc machining 精密加工 x1 iso-13485") == {"cnc", "machining", "iso"}
    assert closest_word("machning", {"machining": 1, "machine": 5, "marching": 1}) == "machining"
    assert closest_word("machning", {"machining": 1, "machning": 1}, more_than=1) is None  # not more common
    assert closest_word("mold", {"gold": 1, "bold": 1}) is None
    assert closest_word("moldng", {"molding": 2, "holding": 2}) == "molding"


@pytest.mark.postgres
def test_postgresql_picks_candidates_with_the_trigram_operator(companies):
    with CaptureQueriesContext(connection) as queries:
        search = company_directory_search(user=AnonymousUser(), filters=DirectoryFilters(q="machning"))
    sql = "\n".join(query["sql"] for query in queries)

    assert search.corrected == "machining"
    assert "SET LOCAL pg_trgm.word_similarity_threshold = 0.5" in sql
    assert "SET LOCAL statement_timeout = 300" in sql
    assert '"companies_company"."search_text" %> ' in sql
