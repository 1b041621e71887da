"""Certificates stated in text: the patterns file is sound and agrees with the hand-labelled sentences."""

import copy
import json
from collections import Counter
from pathlib import Path

import pytest

from matching import textdata
from portal.taxonomy import leaves

PATTERNS = textdata.load_certificate_patterns()
TAXONOMY = leaves.load_taxonomy()
SENTENCES = json.loads(
    (Path(__file__).parent / "data" / "certificate_sentences.json").read_text(encoding="utf-8")
)["sentences"]
LABELS = ("held", "required", "not_held")


def test_the_patterns_file_breaks_no_rule():
    assert textdata.certificate_problems(PATTERNS, TAXONOMY) == []


def test_every_taxonomy_certification_has_patterns_and_proposals_are_marked():
    rows = {row["slug"]: row for row in PATTERNS["certifications"]}

    assert {row["slug"] for row in TAXONOMY["certifications"]} <= set(rows)
    assert sorted(slug for slug, row in rows.items() if not row["in_taxonomy"]) == sorted(
        row["slug"] for row in PATTERNS["proposed"]
    )
    assert rows["jis-q-13485"]["equivalent_to"] == "iso-13485"


def test_the_acceptance_set_is_large_balanced_and_has_negatives():
    languages = Counter(sentence["language"] for sentence in SENTENCES)
    negatives = [s for s in SENTENCES if s["not_held"] and not s["held"]]
    required = [s for s in SENTENCES if s["required"]]
    no_certificate = [s for s in SENTENCES if not any(s[label] for label in LABELS)]

    assert len(SENTENCES) >= 60
    assert min(languages[language] for language in ("en", "th", "ja")) >= 20
    assert len(negatives) >= 15
    assert len(required) >= 10
    assert len(no_certificate) >= 8
    assert len({sentence["id"] for sentence in SENTENCES}) == len(SENTENCES)


def test_labels_use_known_slugs_and_never_overlap():
    known = textdata.certification_slugs()
    for sentence in SENTENCES:
        labels = [slug for label in LABELS for slug in sentence[label]]
        assert set(labels) <= known, sentence["id"]
        assert len(labels) == len(set(labels)), sentence["id"]


def test_every_taxonomy_certification_is_in_the_acceptance_set():
    labelled = {slug for sentence in SENTENCES for label in LABELS for slug in sentence[label]}
    assert {row["slug"] for row in TAXONOMY["certifications"]} <= labelled


@pytest.mark.parametrize("sentence", SENTENCES, ids=[sentence["id"] for sentence in SENTENCES])
def test_the_patterns_find_exactly_the_certificates_a_sentence_names(sentence):
    named = set(sentence["held"]) | set(sentence["required"]) | set(sentence["not_held"])
    assert textdata.certificate_mentions(sentence["text"]) == named


def test_full_width_text_and_spaced_versions_are_found():
    assert textdata.certificate_mentions("ＩＳＯ１３４８５認証取得") == {"iso-13485"}
    assert textdata.certificate_mentions("ISO 13485 : 2016") == {"iso-13485"}
    assert textdata.certificate_mentions("JISQ9100") == {"jis-q-9100"}
    assert textdata.certificate_mentions("AS9100D") == {"as9100"}
    assert textdata.certificate_mentions("ISO 14644 class 7 cleanroom") == frozenset()


def _broken(change) -> list[str]:
    data = copy.deepcopy(PATTERNS)
    change(data)
    return textdata.certificate_problems(data, TAXONOMY)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["certifications"].pop(0),
            "certification iso-9001: in the taxonomy but has no patterns",
        ),
        (
            lambda d: d["certifications"][0]["patterns"].append("iso(9001"),
            "certification iso-9001: pattern 'iso(9001' does not compile (missing ), unterminated subpattern "
            "at position 3)",
        ),
        (
            lambda d: d["certifications"][0]["examples"].append("ISO 9002"),
            "certification iso-9001: example 'ISO 9002' matches none of its patterns",
        ),
        (
            lambda d: d["proposed"].pop(0),
            "certification jis-q-13485: not in the taxonomy and not proposed",
        ),
        (
            lambda d: d["certifications"].append(dict(d["certifications"][0])),
            "certification iso-9001: listed twice",
        ),
        (
            lambda d: d["cues"]["required"].pop("th"),
            "cues required: no th cue",
        ),
    ],
)
def test_each_rule_is_enforced(change, expected):
    assert expected in _broken(change)
