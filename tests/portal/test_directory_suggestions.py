"""Search-as-you-type suggestions for the directory (issue 18): taxonomy terms matching a prefix in any of
the three languages, synonyms and kana readings, labelled in the reader's language, from a cached index."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.companies.suggestions import directory_suggestions

pytestmark = pytest.mark.django_db

URL = "companies:suggestions"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _labels(query: str, language: str) -> list[str]:
    return [item["label"] for item in directory_suggestions(query=query, language=language)]


def test_endpoint_answers_in_the_readers_language(client):
    response = client.get(reverse(URL), {"q": "射出成形"}, HTTP_ACCEPT_LANGUAGE="th")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["suggestions"][0] == {
        "label": "ฉีดพลาสติก",
        "kind": "capability",
        "kind_label": "ความสามารถ",
        "slug": "injection-molding",
    }


@pytest.mark.parametrize(
    ("query", "language", "first"),
    [
        ("injection", "en", "Injection molding"),  # English name, from its start
        ("molding", "en", "Injection molding"),  # a word inside the name
        ("ฉีดพลาสติก", "ja", "射出成形"),  # Thai name, Japanese label
        ("射出", "en", "Injection molding"),  # Japanese name
        ("しゃしゅつ", "th", "ฉีดพลาสติก"),  # kana reading of 射出成形
        ("シャシュツ", "en", "Injection molding"),  # katakana is the same as hiragana
        ("ｼｬｼｭﾂ", "en", "Injection molding"),  # and so is half-width katakana
        ("medical", "th", "เครื่องมือแพทย์"),  # an industry
        ("อลูมิเนียม 6061", "en", "Aluminium alloy 6061"),  # a material, Thai spelling variant
        ("อะลูมิเนียม 6061", "en", "Aluminium alloy 6061"),
        ("ไทเทเนี่ยมเกรด 5", "en", "Titanium alloy Ti-6Al-4V (Grade 5 / 23 ELI)"),  # a synonym
        ("ちたんごうきん", "ja", "チタン合金 Ti-6Al-4V（64チタン）"),  # a leaf's reading
    ],
)
def test_terms_match_in_every_language(query, language, first):
    assert _labels(query, language)[0] == first


def test_names_that_start_with_the_query_come_first_and_the_list_is_limited():
    assert _labels("cnc", "en")[:3] == ["CNC machining", "CNC turning", "CNC milling (machining centres)"]
    labels = _labels("mold", "en")
    # Names starting with it, then names with a word starting with it (a capability before its processes).
    assert labels[:5] == [
        "Mold and die design",
        "Mold repair and maintenance",
        "Dies and molds",
        "Injection molding",
        "Blow molding",
    ]
    assert len(labels) == 8


def test_kinds_are_labelled():
    kinds = {item["kind"]: item["kind_label"] for item in directory_suggestions(query="titan", language="ja")}

    assert kinds == {"process": "工程", "material": "材料"}


@pytest.mark.parametrize("query", ["", "  ", "c", "zzzz", "x" * 200])
def test_short_or_unknown_queries_suggest_nothing(client, query):
    assert client.get(reverse(URL), {"q": query}).json() == {"suggestions": []}


def test_the_index_is_cached_and_the_browser_may_keep_answers(client, django_assert_num_queries):
    client.get(reverse(URL), {"q": "cnc"}, HTTP_ACCEPT_LANGUAGE="en")  # builds the English index

    with django_assert_num_queries(0):
        response = client.get(reverse(URL), {"q": "molding"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Cache-Control"] == "private, max-age=300"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["suggestions"][0]["label"] == "Injection molding"


def test_only_get_is_allowed(client):
    assert client.post(reverse(URL), {"q": "cnc"}).status_code == 405


def test_the_directory_page_wires_the_combobox(client):
    page = client.get(reverse("companies:directory")).content.decode()

    assert 'data-suggest-url="/directory/suggestions.json"' in page
    assert 'id="id_q_suggestions" class="suggestions" role="listbox"' in page
    assert "js/directory_suggest.js" in page
