"""Seeking / offering cues: the cues file is sound and the hand-labelled sentences use known slugs."""

import copy
import json
from collections import Counter
from pathlib import Path

import pytest

from matching import textdata
from portal.taxonomy import leaves

CUES = textdata.load_intent_cues()
TAXONOMY = leaves.load_taxonomy()
SENTENCES = json.loads(
    (Path(__file__).parent / "data" / "intent_sentences.json").read_text(encoding="utf-8")
)["sentences"]
LOOKING_FOR = {row["slug"] for row in TAXONOMY["looking_for"]}
CAPABILITIES_AND_LEAVES = {row["slug"] for row in TAXONOMY["capabilities"]} | {
    leaf["slug"] for leaf in leaves.load()["leaves"]
}


def test_the_cues_file_breaks_no_rule():
    assert textdata.intent_problems(CUES, TAXONOMY) == []


def test_the_cues_named_in_the_issue_are_there():
    seeking = {(row["language"], row["cue"]) for row in CUES["seeking"]}

    assert {("th", "ต้องการหา"), ("th", "กำลังมองหา"), ("th", "มองหาพันธมิตร")} <= seeking
    assert {("ja", "を探しています"), ("ja", "を募集"), ("ja", "パートナー募集")} <= seeking
    assert {("en", "we are looking for"), ("en", "seeking")} <= seeking
    assert all(row["object"] == "before" for row in CUES["seeking"] if row["language"] == "ja")


def test_the_acceptance_set_is_large_and_covers_every_partnership_type():
    languages = Counter(sentence["language"] for sentence in SENTENCES)
    used = {slug for sentence in SENTENCES for slug in sentence["looking_for"]}

    assert len(SENTENCES) >= 40
    assert min(languages[language] for language in ("en", "th", "ja")) >= 12
    assert used == LOOKING_FOR
    assert len({sentence["id"] for sentence in SENTENCES}) == len(SENTENCES)


def test_sentences_separate_what_is_sought_from_what_is_offered():
    both = [s for s in SENTENCES if s["seeks"] and s["offers"]]
    offers_only = [s for s in SENTENCES if s["offers"] and not s["seeks"]]

    assert len(both) >= 10
    assert len(offers_only) >= 10


@pytest.mark.parametrize("sentence", SENTENCES, ids=[sentence["id"] for sentence in SENTENCES])
def test_labels_use_known_slugs(sentence):
    assert set(sentence["looking_for"]) <= LOOKING_FOR
    assert set(sentence["seeks"]) <= CAPABILITIES_AND_LEAVES
    assert set(sentence["offers"]) <= CAPABILITIES_AND_LEAVES
    assert sentence["language"] in ("en", "th", "ja")


def _broken(change) -> list[str]:
    data = copy.deepcopy(CUES)
    change(data)
    return textdata.intent_problems(data, TAXONOMY)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["looking_for"].pop("supplier"), "looking_for: keys"),
        (
            lambda d: d["looking_for"]["supplier"]["ja"].append("代理店"),
            "looking_for distributor: '代理店' also names supplier",
        ),
        (
            lambda d: d["seeking"].append(dict(d["seeking"][0])),
            "seeking cue 'we are looking for': listed twice",
        ),
        (
            lambda d: d["offering"].__setitem__(0, {**d["offering"][0], "object": "middle"}),
            "offering cue 'we offer': object must be before or after",
        ),
    ],
)
def test_each_rule_is_enforced(change, expected):
    assert any(problem.startswith(expected) for problem in _broken(change))
