"""Skipping tiles by upper bounds keeps the lists exact: the same as the exhaustive pass and the per-pair
reference, whatever the seed, the weights and the ties."""

import dataclasses
import random

import numpy as np
import pytest

from matching.scoring import (
    Vocabulary,
    Weights,
    passes,
    prepare,
    reference_top_k,
    score_both_ways,
    score_rows,
)
from matching.scoring.synthetic import clustered_features

VOCABULARY = Vocabulary(
    industries=tuple(f"industry-{i}" for i in range(16)),
    focus_industries=frozenset({"industry-0", "industry-5", "industry-9"}),
    isic_divisions={f"industry-{i}": frozenset({f"{10 + i // 3}"}) for i in range(16)},
    capabilities=tuple(f"cap-{i}" for i in range(40)),
    certifications=("iso-9001", "iso-13485", "as9100", "iatf-16949", "thai-fda", "pmda", "haccp", "jis"),
    roles=("supplier", "customer", "oem-partner", "joint-venture", "distributor", "technology-partner"),
)
WEIGHTS = [
    Weights(),
    Weights(text=0.0),  # discrete scores: ties everywhere
    Weights(industry=1.0, text=0.05, practical=0.5, missing_certification_penalty=0.9),
]


@pytest.fixture
def small_tiles(monkeypatch):
    """Tiles small enough that a test-sized directory spans many of them (the bench uses the real ones)."""
    monkeypatch.setattr(passes, "PRUNED_TILE_ROWS", 16)
    monkeypatch.setattr(passes, "PRUNED_TILE_COLUMNS", 32)


def _population(seed: int, n_a: int, n_b: int):
    rng = random.Random(seed)
    thai = clustered_features(n_a, id_offset=1, country="TH", vocabulary=VOCABULARY, rng=rng)
    japanese = clustered_features(n_b, id_offset=100_000, country="JP", vocabulary=VOCABULARY, rng=rng)
    # Twins (same features, another id): exact ties that only the position settles.
    thai += [dataclasses.replace(company, id=50_000 + index) for index, company in enumerate(thai[:40])]
    japanese += [
        dataclasses.replace(company, id=150_000 + index) for index, company in enumerate(japanese[:40])
    ]
    return thai, japanese


def _same(got, expected):
    assert len(got.positions) == len(expected.positions)
    for row in range(len(expected.positions)):
        assert np.array_equal(got.positions[row], expected.positions[row]), row
        assert np.array_equal(got.scores[row], expected.scores[row]), row
        for name, values in expected.components[row].items():
            assert np.array_equal(got.components[row][name], values), (row, name)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weights", WEIGHTS, ids=["default", "no-text", "industry-heavy"])
def test_pruned_lists_equal_the_exhaustive_pass_and_the_reference(small_tiles, seed, weights):
    thai, japanese = _population(seed, 500, 420)
    side_a, side_b = prepare(thai, japanese, VOCABULARY)

    pruned = score_rows(side_a, side_b, weights, k=10, threads=2, prune=True)
    exhaustive = score_rows(side_a, side_b, weights, k=10, prune=False, threads=2)

    _same(pruned, exhaustive)
    assert exhaustive.pairs_scored == len(thai) * len(japanese)
    assert pruned.pairs_scored < exhaustive.pairs_scored  # tiles were skipped
    rows = [0, 1, 7, 40, 41, len(thai) - 1]  # twins included
    slow = reference_top_k(
        [thai[row] for row in rows], japanese, VOCABULARY, weights, side_a.text[rows], side_b.text, k=10
    )
    for row, expected in zip(rows, slow, strict=True):
        assert list(pruned.positions[row]) == [position for position, _score in expected]
        np.testing.assert_allclose(pruned.scores[row], [score for _p, score in expected], atol=1e-9)


@pytest.mark.parametrize("seed", [4, 5])
def test_pruned_both_ways_equal_the_exhaustive_single_pass_with_declined_pairs(small_tiles, seed):
    thai, japanese = _population(seed, 300, 350)
    side_a, side_b = prepare(thai, japanese, VOCABULARY)
    exhaustive = score_both_ways(side_a, side_b, Weights(), k=20, prune=False)
    declined = {row: [int(exhaustive[0].positions[row][0])] for row in range(0, 300, 7)}

    pruned = score_both_ways(side_a, side_b, Weights(), k=20, excluded=declined, prune=True)
    expected = score_both_ways(side_a, side_b, Weights(), k=20, excluded=declined, prune=False)

    _same(pruned[0], expected[0])
    _same(pruned[1], expected[1])
    assert all(declined[row][0] not in pruned[0].positions[row] for row in declined)


def test_negative_weights_score_every_pair_and_still_agree(small_tiles):
    thai, japanese = _population(6, 120, 100)
    side_a, side_b = prepare(thai, japanese, VOCABULARY)
    weights = Weights(practical=-0.1)

    pruned = score_rows(side_a, side_b, weights, k=5, prune=True)

    _same(pruned, score_rows(side_a, side_b, weights, k=5, prune=False))
    assert pruned.pairs_scored == len(thai) * len(japanese)
