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
    plan,
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


WIDE = dataclasses.replace(VOCABULARY, capabilities=tuple(f"cap-{i}" for i in range(300)))


@pytest.mark.parametrize("weights", WEIGHTS, ids=["default", "no-text", "industry-heavy"])
def test_wide_sparse_fields_give_the_lists_of_dense_products(monkeypatch, weights):
    """The capabilities (hundreds of columns, a few a company) are multiplied as sparse matrices: the codes
    of every pair, and so the lists, are those of the dense product, bit for bit, and the reference's."""
    thai, japanese = _population(8, 400, 380)
    thai, japanese = (
        [dataclasses.replace(c, capabilities=c.capabilities | {f"cap-{40 + c.id % 260}"}) for c in side]
        for side in (thai, japanese)
    )
    side_a, side_b = prepare(thai, japanese, WIDE)
    fields = plan._fields(side_a, side_b)
    assert plan._sparse_field(fields["cap_f"])
    assert plan._sparse_field(fields["cap_b"])
    assert not plan._sparse_field(fields["shared"])
    assert not plan._sparse_field(fields["role_f"])
    sparse_plan = plan._plan(side_a, side_b, weights)
    assert any(group.a_sparse is not None for group in sparse_plan.groups)
    fast = score_both_ways(side_a, side_b, weights, k=10)

    monkeypatch.setattr(plan, "SPARSE_FIELD_COLUMNS", 10**9)  # every field dense
    dense_plan = plan._plan(side_a, side_b, weights)
    assert all(group.a_sparse is None for group in dense_plan.groups)
    i, j = np.divmod(np.arange(len(thai) * len(japanese)), len(japanese))
    for sparse_group, dense_group in zip(sparse_plan.groups, dense_plan.groups, strict=True):
        assert np.array_equal(sparse_group.codes(i, j), dense_group.codes(i, j)), sparse_group.name
    dense = score_both_ways(side_a, side_b, weights, k=10)
    _same(fast[0], dense[0])
    _same(fast[1], dense[1])
    rows = [0, 3, 41, len(thai) - 1]
    slow = reference_top_k(
        [thai[row] for row in rows], japanese, WIDE, weights, side_a.text[rows], side_b.text, k=10
    )
    for row, expected in zip(rows, slow, strict=True):
        assert list(fast[0].positions[row]) == [position for position, _score in expected]
        np.testing.assert_allclose(fast[0].scores[row], [score for _p, score in expected], atol=1e-9)
