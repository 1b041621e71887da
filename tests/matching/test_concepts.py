"""The text component's language-neutral part: concepts read from the text (matching/scoring/text.py)."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.utils import translation
from sklearn.preprocessing import normalize

from matching.glossary import GLOSSARY
from matching.reasons import reasons_for
from matching.reasons_text import render_reason
from matching.scoring import CompanyFeatures, feature_counts, idf_from, text_counts, tfidf
from matching.scoring.core import CONCEPT_SHARE, NGRAM_FEATURES, TEXT_FEATURES
from matching.scoring.text import concept_column
from matching.understanding.hooks import text_features, with_overrides
from matching.understanding.terms import concept_slugs, leaf_slugs

TAXONOMY = Path(__file__).resolve().parents[2] / "portal" / "taxonomy" / "data" / "taxonomy.json"
THAI = "โรงงานของเรารับงานกลึง CNC ชิ้นส่วนไทเทเนียมเกรด 5 สำหรับอุปกรณ์การแพทย์"
JAPANESE = "当社は64チタンのNC旋盤加工を行う医療機器部品メーカーです。"


def _similarity(a: CompanyFeatures, b: CompanyFeatures) -> float:
    counts = feature_counts([a, b])
    rows = tfidf(counts, idf_from(counts))
    return float(rows[0].multiply(rows[1]).sum())


def test_every_concept_of_the_taxonomy_and_glossary_has_its_own_column():
    taxonomy = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    slugs = set(leaf_slugs()) | set(json.loads(GLOSSARY.read_text(encoding="utf-8"))["capabilities"])
    slugs |= {entry["slug"] for entry in taxonomy["capabilities"]}
    assert slugs == set(concept_slugs())
    columns = {concept_column(slug) for slug in slugs}
    assert len(columns) == len(slugs) > 250
    assert all(NGRAM_FEATURES <= column < TEXT_FEATURES for column in columns)
    # A concept no reader knows still gets a column of the concepts' part, the same every time.
    unknown = concept_column("not-a-known-slug")
    assert NGRAM_FEATURES <= unknown == concept_column("not-a-known-slug") < TEXT_FEATURES


def test_a_thai_and_a_japanese_text_share_their_concepts():
    thai, japanese = text_features(THAI, "TH"), text_features(JAPANESE, "JP")
    assert {"cnc-turning", "titanium-ti6al4v", "cnc-machining", "materials-metals"} <= thai.concepts
    assert {"cnc-turning", "titanium-ti6al4v", "cnc-machining", "materials-metals"} <= japanese.concepts


def test_text_similarity_mixes_the_ngrams_and_the_concepts_cosines():
    a = CompanyFeatures(id=1, text="titanium machining", concepts=frozenset({"cnc-turning", "titanium-cp"}))
    b = CompanyFeatures(id=2, text="titanium plating", concepts=frozenset({"cnc-turning", "plating"}))
    counts = feature_counts([a, b])
    idf = idf_from(counts)
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    ngrams = normalize(weighted[:, :NGRAM_FEATURES].toarray())
    concepts = normalize(weighted[:, NGRAM_FEATURES:].toarray())
    expected = (1 - CONCEPT_SHARE) * ngrams[0] @ ngrams[1] + CONCEPT_SHARE * concepts[0] @ concepts[1]
    assert 0.0 < concepts[0] @ concepts[1] < 1.0
    assert _similarity(a, b) == pytest.approx(expected, abs=1e-12)


def test_texts_in_two_scripts_with_the_same_concepts_are_similar_by_half():
    concepts = frozenset({"cnc-turning", "titanium-ti6al4v"})
    thai = CompanyFeatures(id=1, text="กลึงไทเทเนียม", concepts=concepts)
    japanese = CompanyFeatures(id=2, text="チタン旋盤", concepts=concepts)
    assert _similarity(thai, japanese) == pytest.approx(CONCEPT_SHARE)
    # Without concepts the two scripts share nothing.
    assert _similarity(
        CompanyFeatures(id=1, text="กลึงไทเทเนียม"), CompanyFeatures(id=2, text="チタン旋盤")
    ) == pytest.approx(0.0)


def test_texts_without_concepts_keep_their_ngram_cosine_weighted():
    counts = text_counts(["precision machining", "precision machining"])
    rows = tfidf(counts, idf_from(counts))
    assert float(rows[0].multiply(rows[1]).sum()) == pytest.approx(1 - CONCEPT_SHARE)
    assert rows.shape[1] == TEXT_FEATURES


def test_a_removed_inference_leaves_the_concepts():
    read = text_features(THAI, "TH")
    kept = with_overrides(read, {("offers", "cnc-turning"): False})
    assert "cnc-turning" not in kept.concepts
    assert "titanium-ti6al4v" in kept.concepts


def test_the_reason_names_the_shared_leaves_not_their_parents():
    company = CompanyFeatures(
        id=1, concepts=frozenset({"cnc-turning", "cnc-machining", "titanium-ti6al4v", "materials-metals"})
    )
    partner = CompanyFeatures(
        id=2, concepts=frozenset({"cnc-turning", "cnc-machining", "titanium-ti6al4v", "materials-metals"})
    )
    reasons = reasons_for(company, partner, {"text": 0.5})
    assert {"code": "shared_topics", "slugs": ["cnc-turning", "titanium-ti6al4v"]} in reasons


def test_what_an_earlier_line_names_is_not_repeated():
    company = CompanyFeatures(id=1, seeks=frozenset({"cnc-turning"}), concepts=frozenset({"cnc-turning"}))
    partner = CompanyFeatures(
        id=2, capabilities=frozenset({"cnc-turning"}), concepts=frozenset({"cnc-turning", "plating"})
    )
    assert "shared_topics" not in {reason["code"] for reason in reasons_for(company, partner, {})}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("th", "คำอธิบายของทั้งสองฝ่ายกล่าวถึง: งานกลึง CNC"),
        ("ja", "双方の事業内容に共通する話題：CNC旋盤加工"),
        ("en", "Both descriptions speak of: CNC turning"),
    ],
)
def test_the_shared_topics_line_is_translated(language, expected):
    with translation.override(language):
        text = render_reason({"code": "shared_topics", "slugs": ["cnc-turning"]})
    assert text.startswith(expected)
