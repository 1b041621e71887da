"""The scorer: the vectorised path equals the per-pair reference; each component behaves as documented."""

import random

import numpy as np
import pytest

from matching.scoring import (
    CompanyFeatures,
    Vocabulary,
    Weights,
    component_block,
    prepare,
    reference_components,
    reference_score,
    reference_top_k,
    score_rows,
)
from matching.scoring.core import TEXT_SATURATION

CAPABILITIES = tuple(f"cap-{i}" for i in range(26))
CERTIFICATIONS = ("iso-9001", "iso-13485", "as9100", "iatf-16949", "thai-fda", "pmda")
ROLES = ("supplier", "customer", "oem-partner", "joint-venture", "distributor", "technology-partner")
VOCABULARY = Vocabulary(
    industries=(
        "medical-devices",
        "robotics-automation",
        "aerospace-parts",
        "automotive",
        "electronics",
        "food",
    ),
    focus_industries=frozenset({"medical-devices", "robotics-automation", "aerospace-parts"}),
    isic_divisions={
        "medical-devices": frozenset({"32", "26"}),
        "robotics-automation": frozenset({"28", "27", "26", "33"}),
        "aerospace-parts": frozenset({"30", "33"}),
        "automotive": frozenset({"29"}),
        "electronics": frozenset({"26"}),
        "food": frozenset({"10"}),
    },
    capabilities=CAPABILITIES,
    certifications=CERTIFICATIONS,
    roles=ROLES,
)
WORDS = [
    "machining",
    "molding",
    "ฉีดพลาสติก",
    "แม่พิมพ์",
    "精密加工",
    "金型",
    "robot",
    "cleanroom",
    "航空機",
    "medical",
]


def _random_company(rng: random.Random, company_id: int) -> CompanyFeatures:
    def pick(pool, most):
        return frozenset(rng.sample(pool, rng.randint(0, most)))

    return CompanyFeatures(
        id=company_id,
        industries=pick(list(VOCABULARY.industries), 2),
        capabilities=pick(list(CAPABILITIES), 4),
        seeks=pick(list(CAPABILITIES), 3),
        looking_for=pick(list(ROLES), 2),
        roles=pick(list(ROLES), 3),
        requires=pick(list(CERTIFICATIONS), 1),
        holds=pick(list(CERTIFICATIONS), 3),
        languages=pick(["th", "ja", "en"], 2),
        size_class=rng.choice(["", "micro", "small", "medium", "large"]),
        in_eec=rng.random() < 0.3,
        text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12))),
    )


@pytest.fixture(scope="module")
def population():
    rng = random.Random(7)
    thai = [_random_company(rng, i) for i in range(1, 181)]
    japanese = [_random_company(rng, i) for i in range(1001, 1161)]
    return thai, japanese


@pytest.mark.parametrize(
    "weights", [Weights(), Weights(industry=1, text=0, practical=0.5, missing_certification_penalty=0.9)]
)
def test_vectorised_top_k_equals_the_reference(population, weights):
    thai, japanese = population
    side_a, side_b = prepare(thai, japanese, VOCABULARY)

    fast = score_rows(side_a, side_b, weights, k=10)
    slow = reference_top_k(thai, japanese, VOCABULARY, weights, side_a.text, side_b.text, k=10)

    assert len(fast.positions) == len(slow) == len(thai)
    for row, expected in enumerate(slow):
        assert list(fast.positions[row]) == [position for position, _score in expected]
        np.testing.assert_allclose(fast.scores[row], [score for _p, score in expected], atol=1e-6)


def test_both_directions_agree_on_the_score_of_a_pair(population):
    thai, japanese = population
    side_a, side_b = prepare(thai, japanese, VOCABULARY)

    forward = score_rows(side_a, side_b, Weights(), k=5)
    backward = score_rows(side_b, side_a, Weights(), k=len(thai))

    for row, positions in enumerate(forward.positions):
        for position, score in zip(positions, forward.scores[row], strict=True):
            back = dict(zip(backward.positions[position], backward.scores[position], strict=True))
            assert back[row] == pytest.approx(score, abs=1e-9)


def _pair(a, b, text=0.0):
    return reference_components(a, b, VOCABULARY, text)


def test_focus_industry_counts_double_and_isic_division_gives_partial_credit():
    a = CompanyFeatures(id=1, industries=frozenset({"medical-devices"}))
    assert _pair(a, CompanyFeatures(id=2, industries=frozenset({"medical-devices"})))["industry"] == 1.0
    assert (
        _pair(
            CompanyFeatures(id=1, industries=frozenset({"food"})),
            CompanyFeatures(id=2, industries=frozenset({"food"})),
        )["industry"]
        == 0.5
    )
    assert (
        _pair(a, CompanyFeatures(id=2, industries=frozenset({"electronics"})))["industry"] == 0.3
    )  # ISIC 26
    assert _pair(a, CompanyFeatures(id=2, industries=frozenset({"automotive"})))["industry"] == 0.0


def test_complementarity_looks_both_ways():
    buyer = CompanyFeatures(id=1, seeks=frozenset({"cap-1", "cap-2"}), looking_for=frozenset({"supplier"}))
    supplier = CompanyFeatures(id=2, capabilities=frozenset({"cap-1"}), roles=frozenset({"supplier"}))

    components = _pair(buyer, supplier)

    assert components["complementarity"] == pytest.approx(0.7 * 0.5 + 0.3 * 1.0)


def test_a_missing_required_certification_strongly_lowers_the_score():
    buyer = CompanyFeatures(
        id=1, industries=frozenset({"medical-devices"}), requires=frozenset({"iso-13485"})
    )
    certified = CompanyFeatures(
        id=2, industries=frozenset({"medical-devices"}), holds=frozenset({"iso-13485"})
    )
    uncertified = CompanyFeatures(id=3, industries=frozenset({"medical-devices"}))

    w = Weights()
    with_cert = reference_score(_pair(buyer, certified), w)
    without = reference_score(_pair(buyer, uncertified), w)

    # industry 1, certification 1 (or ½: one side requires, the other side requires nothing), practical 0.15
    # (no language, sizes unknown, outside the EEC), nothing else; the penalty halves the second.
    total = w.industry + w.complementarity + w.certification + w.text + w.practical
    assert with_cert == pytest.approx(100 * (w.industry + w.certification + w.practical * 0.15) / total)
    assert without == pytest.approx(
        100 * (w.industry + w.certification * 0.5 + w.practical * 0.15) / total * (1 - 0.5)
    )
    assert w.missing_certification_penalty == 0.5
    assert without < with_cert / 2


def test_practical_fit_language_size_and_eec():
    a = CompanyFeatures(id=1, languages=frozenset({"th", "en"}), size_class="small", in_eec=True)
    b = CompanyFeatures(id=2, languages=frozenset({"ja", "en"}), size_class="large")

    assert _pair(a, b)["practical"] == pytest.approx(0.5 * 1 + 0.3 * (1 - 2 / 3) + 0.2 * 1)


def test_declined_partners_are_never_proposed(population):
    thai, japanese = population
    side_a, side_b = prepare(thai, japanese, VOCABULARY)
    best = score_rows(side_a, side_b, Weights(), k=3).positions[0]

    again = score_rows(side_a, side_b, Weights(), k=3, excluded={0: [best[0]]}).positions[0]

    assert best[0] not in again
    assert list(again[:2]) == list(best[1:])


def test_an_empty_side_gives_no_proposals():
    side_a, side_b = prepare([CompanyFeatures(id=1, text="machining")], [], VOCABULARY)

    result = score_rows(side_a, side_b, Weights(), k=5)

    assert [list(positions) for positions in result.positions] == [[]]


def test_the_text_component_is_the_cosine_over_the_saturation_in_every_path():
    """0.3 → 0.6 and anything past TEXT_SATURATION → 1, alike in the reference, the block path (one
    company's rescoring) and the fast path (the full pass)."""
    assert TEXT_SATURATION == 0.5
    a, b = CompanyFeatures(id=1), CompanyFeatures(id=2)
    assert _pair(a, b, 0.3)["text"] == pytest.approx(0.6)
    assert _pair(a, b, 0.8)["text"] == 1.0
    assert _pair(a, b, 0.0)["text"] == 0.0

    # More companies than FEW_ROWS, so that score_rows takes the fast path.
    texts = ["precision machining of titanium", "precision machining of aluminium", "food packaging"] * 4
    thai = [CompanyFeatures(id=i, text=text, languages=frozenset({"en"})) for i, text in enumerate(texts)]
    japanese = [CompanyFeatures(id=100 + i, text=t, languages=frozenset({"en"})) for i, t in enumerate(texts)]
    side_a, side_b = prepare(thai, japanese, VOCABULARY)
    cosines = (side_a.text @ side_b.text.T).toarray()
    expected = np.minimum(1.0, np.round(cosines, 12) / 0.5)
    # two texts alike in part (below the saturation) and two identical ones (their n-grams' share, ½: full)
    assert 0.0 < expected[0, 1] < 1.0 == expected[0, 0]
    np.testing.assert_array_equal(component_block(side_a, side_b)["text"], expected)
    fast = score_rows(side_a, side_b, Weights(), k=len(texts), min_score=0.0)
    for row in range(len(texts)):
        np.testing.assert_allclose(
            fast.components[row]["text"], expected[row, fast.positions[row]], atol=1e-12
        )
