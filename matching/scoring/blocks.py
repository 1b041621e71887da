"""Vectorised scoring, block by block (one company's rescoring; the fallback of the fast path)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.scoring.core import BLOCK_ROWS, COMPONENTS, ISIC_DIVISION_SCORE, Weights, text_similarity
from matching.scoring.matrices import SideMatrices


def _dense(matrix) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


def _inverse(counts: np.ndarray) -> np.ndarray:
    """1/count where count > 0, else 0."""
    inverse = np.zeros_like(counts, dtype=np.float64)
    np.divide(1.0, counts, out=inverse, where=counts > 0)
    return inverse


def _share(hits: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """hits / wanted where wanted > 0 (a true division, as in the reference), else 0."""
    hits, wanted = np.broadcast_arrays(hits, wanted)
    share = np.zeros(hits.shape, dtype=np.float64)
    np.divide(hits, wanted, out=share, where=wanted > 0)
    return share


def _two_sided(forward, forward_defined, backward, backward_defined) -> np.ndarray:
    """Mean of the defined directions (0 where neither is): the masks are a column and a row vector."""
    count = forward_defined.astype(np.float64) + backward_defined.astype(np.float64)
    total = forward * forward_defined + backward * backward_defined
    return total * _inverse(count)


def _counts(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x @ yᵀ in float64: the side matrices are float32 (small integers and quarters, so their products are
    exact) and everything computed from the counts is float64, as in the reference."""
    return (x @ y.T).astype(np.float64)


def _sizes(x: np.ndarray) -> np.ndarray:
    return x.sum(axis=1, dtype=np.float64)


def component_block(a: SideMatrices, b: SideMatrices) -> dict[str, np.ndarray]:
    """All components for every pair of ``a``'s rows × ``b``'s rows (dense len(a) × len(b) arrays)."""
    shared = _counts(a.industries_weighted, b.industries)
    division = (a.divisions @ b.divisions.T) > 0
    industry = np.maximum(np.minimum(1.0, shared / 2.0), ISIC_DIVISION_SCORE * division)
    neutral = (a.neutral_seeks @ b.neutral_offers.T + a.neutral_offers @ b.neutral_seeks.T) > 0
    industry = np.where(neutral, 1.0, industry)

    seeks_a, seeks_b = _sizes(a.seeks)[:, None], _sizes(b.seeks)[None, :]
    forward = _share(_counts(a.seeks, b.capabilities), seeks_a)
    backward = _share(_counts(a.capabilities, b.seeks), seeks_b)
    capability_fit = _two_sided(forward, seeks_a > 0, backward, seeks_b > 0)
    wants_a, wants_b = _sizes(a.looking_for)[:, None], _sizes(b.looking_for)[None, :]
    forward = _share(_counts(a.looking_for, b.roles), wants_a)
    backward = _share(_counts(a.roles, b.looking_for), wants_b)
    role_fit = _two_sided(forward, wants_a > 0, backward, wants_b > 0)
    complementarity = 0.7 * capability_fit + 0.3 * role_fit

    required_a, required_b = _sizes(a.requires)[:, None], _sizes(b.requires)[None, :]
    cert_ab = np.where(required_a > 0, _share(_counts(a.requires, b.holds), required_a), 1.0)
    cert_ba = np.where(required_b > 0, _share(_counts(a.holds, b.requires), required_b), 1.0)
    certification = (cert_ab + cert_ba) / 2.0
    certification_floor = np.minimum(cert_ab, cert_ba)

    # The larger side on the left: ``a.text @ b.text.T`` would transpose all of b (80 ms at 100,000 rows)
    # for one company's rescoring. Same products summed in the same (column) order: the same bits.
    text = text_similarity(
        _dense(b.text @ a.text.T).T if a.text.shape[0] < b.text.shape[0] else _dense(a.text @ b.text.T)
    )

    common_language = ((a.languages @ b.languages.T) > 0).astype(np.float64)
    known = (a.size_rank[:, None] >= 0) & (b.size_rank[None, :] >= 0)
    size = np.where(known, 1.0 - np.abs(a.size_rank[:, None] - b.size_rank[None, :]) / 3.0, 0.5)
    eec = (a.in_eec[:, None] | b.in_eec[None, :]).astype(np.float64)
    practical = 0.5 * common_language + 0.3 * size + 0.2 * eec

    return {
        "industry": industry,
        "complementarity": complementarity,
        "certification": certification,
        "text": text,
        "practical": practical,
        "_certification_floor": certification_floor,
    }


def combine(components: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    vector = weights.vector()
    total = sum(vector[i] * components[name] for i, name in enumerate(COMPONENTS)) / vector.sum()
    penalty = 1.0 - weights.missing_certification_penalty * (1.0 - components["_certification_floor"])
    return 100.0 * total * penalty


@dataclass
class TopK:
    """For each row: partner positions (into the other side), scores and components, best first."""

    positions: list[np.ndarray]
    scores: list[np.ndarray]
    components: list[dict[str, np.ndarray]]
    pairs_scored: int = 0  # pairs whose score was computed (the rest were skipped by an upper bound)


def _top_k_row(scores: np.ndarray, k: int, min_score: float) -> np.ndarray:
    """Exact top-k positions of one row, by score descending then position ascending."""
    eligible = np.flatnonzero(scores >= min_score)
    if eligible.size == 0:
        return eligible
    values = scores[eligible]
    if eligible.size > k:
        threshold = np.partition(values, values.size - k)[values.size - k]
        keep = values >= threshold
        eligible, values = eligible[keep], values[keep]
    order = np.lexsort((eligible, -values))[:k]
    return eligible[order]


def _top_k_block(scores: np.ndarray, k: int, min_score: float) -> list[np.ndarray]:
    """``_top_k_row`` for every row at once; rows with ties at the k-th place (or fewer than k eligible
    partners) take the row-by-row path, so the result is exactly the same."""
    rows, columns = scores.shape
    if columns <= k:
        return [_top_k_row(scores[row], k, min_score) for row in range(rows)]
    candidates = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(scores, candidates, axis=1)
    threshold = values.min(axis=1)
    at_least = (scores >= threshold[:, None]).sum(axis=1)
    exact = (at_least == k) & (threshold >= min_score)
    order = np.lexsort((candidates, -values), axis=1)
    ranked = np.take_along_axis(candidates, order, axis=1)
    return [ranked[row] if exact[row] else _top_k_row(scores[row], k, min_score) for row in range(rows)]


def _score_rows_blocks(a, b, weights, *, k, min_score, excluded) -> TopK:
    """``score_rows`` block by block over dense component matrices (slow; when the fast path's tables
    would be too large)."""
    result = TopK(positions=[], scores=[], components=[])
    for start in range(0, len(a), BLOCK_ROWS):
        block = a.rows(start, min(start + BLOCK_ROWS, len(a)))
        components = component_block(block, b)
        banned = {
            row - start: excluded[row]
            for row in range(start, start + len(block))
            if excluded and row in excluded
        }
        top = top_k_block(components, combine(components, weights), k=k, min_score=min_score, excluded=banned)
        result.positions += top.positions
        result.scores += top.scores
        result.components += top.components
    return result


def top_k_block(
    components: dict[str, np.ndarray], scores: np.ndarray, *, k, min_score, excluded=None
) -> TopK:
    """The top k of every row of a block whose components and scores are already computed (one company's
    rescoring needs them for its partners' lists too). ``excluded``: row → positions never to propose;
    ``scores`` is left as it was."""
    if excluded:
        scores = scores.copy()
        for row, banned in excluded.items():
            banned = list(banned)
            if banned:
                scores[row, banned] = -np.inf
    result = TopK(positions=[], scores=[], components=[])
    for row, top in enumerate(_top_k_block(scores, k, min_score)):
        result.positions.append(top)
        result.scores.append(scores[row, top])
        result.components.append({name: components[name][row, top] for name in COMPONENTS})
    return result
