"""The second-level taxonomy file (portal/taxonomy/data/taxonomy_leaves.json) is sound data."""

import copy
from collections import Counter

import pytest

from portal.taxonomy import leaves

DATA = leaves.load()
TAXONOMY = leaves.load_taxonomy()
CAPABILITIES = [row["slug"] for row in TAXONOMY["capabilities"]]


def test_the_file_breaks_no_rule():
    assert leaves.problems(DATA, TAXONOMY) == []


def test_between_100_and_260_leaves_cover_every_capability():
    per_parent = Counter(leaf["parent"] for leaf in DATA["leaves"])

    assert 100 <= len(DATA["leaves"]) <= 260
    assert [slug for slug in CAPABILITIES if per_parent[slug] < 2] == []
    assert {group["slug"] for group in DATA["groups"]} <= set(per_parent)


def test_materials_the_issue_names_are_leaves_with_their_grades():
    index = leaves.term_index()

    assert index[leaves.normalize_term("Ti-6Al-4V")] == "titanium-ti6al4v"
    assert index[leaves.normalize_term("Grade 5 titanium")] == "titanium-ti6al4v"
    assert index[leaves.normalize_term("64チタン")] == "titanium-ti6al4v"
    assert index[leaves.normalize_term("Grade 2 titanium")] == "titanium-cp"
    assert index[leaves.normalize_term("SUS316L")] == "stainless-316l"
    assert index[leaves.normalize_term("สแตนเลส 304")] == "stainless-304"
    assert index[leaves.normalize_term("A6061")] == "aluminium-6061"
    assert index[leaves.normalize_term("超々ジュラルミン")] == "aluminium-7075"
    assert index[leaves.normalize_term("PEEK")] == "peek"
    assert index[leaves.normalize_term("คาร์บอนไฟเบอร์")] == "cfrp"
    assert index[leaves.normalize_term("医療用シリコーン")] == "medical-silicone"
    assert index[leaves.normalize_term("ジュラコン")] == "pom"
    assert index[leaves.normalize_term("ABS")] == "abs"


def test_thai_spelling_variants_and_japanese_shorthand_are_written_down():
    index = leaves.term_index()
    ambiguous = {leaves.normalize_term(entry["term"]): entry["leaves"] for entry in DATA["ambiguous"]}

    assert ambiguous["อลูมิเนียม"] == ambiguous["อะลูมิเนียม"]
    assert ambiguous["ไทเทเนียม"] == ambiguous["ไทเทเนี่ยม"] == ["titanium-cp", "titanium-ti6al4v"]
    assert index["ไทเทเนียมเกรด 5"] == index["ไทเทเนี่ยมเกรด 5"] == "titanium-ti6al4v"
    assert index["อลูมิเนียม 6061"] == index["อะลูมิเนียม 6061"] == "aluminium-6061"
    assert index["5軸"] == "five-axis-machining"
    assert index[leaves.normalize_term("MC加工")] == "cnc-milling"
    assert index[leaves.normalize_term("NC旋盤")] == "cnc-turning"


def test_half_width_and_full_width_forms_normalise_to_the_ordinary_term():
    index = leaves.term_index()

    assert leaves.normalize_term("ｱﾙﾏｲﾄ") == "アルマイト"
    assert index[leaves.normalize_term("ｱﾙﾏｲﾄ")] == "anodizing"
    assert index[leaves.normalize_term("ＳＵＳ３１６Ｌ")] == "stainless-316l"
    assert index[leaves.normalize_term("５軸")] == "five-axis-machining"


def test_a_term_means_one_leaf_and_ambiguous_terms_mean_several():
    owners: dict[str, set[str]] = {}
    for leaf in DATA["leaves"]:
        for term in leaves.leaf_terms(leaf):
            owners.setdefault(leaves.normalize_term(term), set()).add(leaf["slug"])

    assert {term: slugs for term, slugs in owners.items() if len(slugs) > 1} == {}
    for entry in DATA["ambiguous"]:
        assert leaves.normalize_term(entry["term"]) not in owners
        assert len(entry["leaves"]) >= 2


def test_codes_are_given_where_sensible():
    with_isic = [leaf["slug"] for leaf in DATA["leaves"] if leaf["codes"]["isic"]]
    with_jsic = [leaf["slug"] for leaf in DATA["leaves"] if leaf["codes"]["jsic"]]

    assert len(with_isic) == len(DATA["leaves"])
    assert len(with_jsic) >= 120
    assert leaves.parent_of()["aluminium-die-casting"] == "casting"
    by_slug = {leaf["slug"]: leaf for leaf in DATA["leaves"]}
    assert by_slug["aluminium-die-casting"]["codes"] == {"isic": ["2432"], "tsic": ["2432"], "jsic": ["2353"]}


def _broken(change) -> list[str]:
    data = copy.deepcopy(DATA)
    change(data)
    return leaves.problems(data, TAXONOMY)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["leaves"][1].update(slug=d["leaves"][0]["slug"]),
            "leaf 'cnc-turning': slug used twice",
        ),
        (
            lambda d: d["leaves"][0].update(parent="lathes"),
            "leaf cnc-turning: parent 'lathes' is neither a capability nor a group",
        ),
        (lambda d: d["leaves"][0].update(name_th=""), "leaf cnc-turning: no name_th"),
        (lambda d: d["leaves"][0].update(name_ja="CNC lathe"), "leaf cnc-turning: name_ja has no Japanese"),
        (
            lambda d: d["leaves"][1]["synonyms"]["ja"].append("ＮＣ旋盤"),
            "leaf cnc-milling: term 'ＮＣ旋盤' also belongs to leaf cnc-turning (list it as ambiguous)",
        ),
        (
            lambda d: d["leaves"][0]["synonyms"]["th"].append("แม่พิมพ์"),
            "leaf cnc-turning: term 'แม่พิมพ์' is the name of a first-level term",
        ),
        (lambda d: d["leaves"][0]["synonyms"].update(ja=[]), "leaf cnc-turning: no ja synonym"),
        (
            lambda d: d["leaves"][0]["codes"].update(jsic=["25"]),
            "leaf cnc-turning: jsic code '25' is malformed",
        ),
        (
            lambda d: d["leaves"][0].update(related=["cnc-machining"]),
            "leaf cnc-turning: related 'cnc-machining' is not another capability",
        ),
        (
            lambda d: d["ambiguous"].append(
                {"term": "旋削", "languages": ["ja"], "leaves": ["cnc-turning", "cnc-milling"], "note": "x"}
            ),
            "ambiguous '旋削': also a term of leaf cnc-turning",
        ),
        (
            lambda d: d["ambiguous"].append(
                {"term": "ฟิกซ์", "languages": ["th"], "leaves": ["jigs-and-fixtures"], "note": "x"}
            ),
            "ambiguous 'ฟิกซ์': an ambiguous term names at least two leaves",
        ),
        (lambda d: d["leaves"][0].update(kind="machine"), "leaf cnc-turning: unknown kind 'machine'"),
        (lambda d: d["leaves"][0].update(reading_ja="シー"), "leaf cnc-turning: reading_ja must be hiragana"),
    ],
)
def test_each_rule_is_enforced(change, expected):
    assert expected in _broken(change)


def test_too_few_leaves_is_reported():
    assert "leaves: 99, expected 100–260" in _broken(lambda d: d.update(leaves=d["leaves"][:99]))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "first"), [("th", "TH"), ("ja", "JP"), ("en", "TH")])
def test_the_regions_filter_lists_the_readers_country_first(language, first):
    from django.core.cache import cache
    from django.utils import translation

    from portal.taxonomy.selectors import taxonomy_choices

    cache.clear()
    with translation.override(language):
        countries = [country for _code, _name, country in taxonomy_choices()["regions"]]
    assert countries[0] == first
    assert countries == sorted(countries, key=lambda country: country != first)  # one block per country
