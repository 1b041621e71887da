"""Fast path, part 4: skipping tiles of pairs that cannot enter any list (exact: upper bounds, no guesses).

Both sides are first put in a clustered order (``cluster_order``: by industries, then capabilities and
what is sought), so that a tile of TILE_ROWS × TILE_COLUMNS pairs holds similar companies. For every
company and every tile of the other side, ``tile_bounds`` gives an upper bound of its score with any
company of the tile, component by component, from the tile's union of each set (what any of its companies
offers, seeks, holds, …) and the company's own sets:

* industry: the shared industries with the tile's union (focus ones counting double), or an ISIC division
  in common with it, or full when the company looks for an industry-neutral role anyone in the tile fills
  (or the reverse);
* complementarity: what the company seeks that the tile offers (its share is a bound of every pair's), and
  what it offers that the tile seeks, over the smallest non-empty wish of the tile (a bound of the other
  direction's share); the same for roles; a two-sided mean is at most the larger bound;
* certification and the penalty P: the share of the company's required certificates that anyone in the
  tile holds bounds its side's share, hence the mean and P (the other side's share is at most 1);
* text: the company's TF-IDF row · the tile's column-wise maximum row (each product is at most that), over
  TEXT_SATURATION;
* practical: a language, a size class or an EEC location anyone in the tile has.

A tile is skipped when every company's bound in it is below what a pair needs to become a candidate of its
lists (the pool's bound, which only rises). The tiles of a row block are visited best bound first, so the
lists fill with strong candidates early. Every bound is of the exact real-valued score; they are raised by
``SLACK`` against rounding, so no pair that could enter a list is ever skipped.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from matching.scoring.core import ISIC_DIVISION_SCORE, TEXT_SATURATION, Weights
from matching.scoring.matrices import SideMatrices

BOUND_ROWS = 4096  # companies bounded at once (temporaries: ~12 × BOUND_ROWS × tiles float64)
SLACK = 1e-6  # score points added to every bound (rounding of float64 arithmetic is ~1e-13 here)


def cluster_order(side: SideMatrices) -> np.ndarray:
    """Positions of the side's companies, similar ones next to each other: by industries (the set as a
    number), then capabilities and wishes (the same), then position. Deterministic."""
    if not len(side):
        return np.zeros(0, dtype=np.int64)

    def code(matrix: np.ndarray) -> np.ndarray:
        # The set of columns as a number of up to 62 bits (the first 62 columns: enough to cluster).
        bits = (matrix[:, :62] > 0).astype(np.int64)
        return bits @ (np.int64(1) << np.arange(bits.shape[1], dtype=np.int64))

    keys = (
        np.arange(len(side)),
        code(side.seeks),
        code(side.capabilities),
        code(side.industries),
    )
    return np.lexsort(keys).astype(np.int64)


def _tiles(n: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def _any(matrix: np.ndarray, tiles) -> np.ndarray:
    """(tiles × columns) 0/1: whether anyone of the tile has the column."""
    if not matrix.shape[1]:
        return np.zeros((len(tiles), 0))
    return np.stack([(matrix[start:stop] > 0).any(axis=0) for start, stop in tiles]).astype(np.float64)


def _smallest_wish(matrix: np.ndarray, tiles) -> np.ndarray:
    """Per tile: the fewest wishes of a company of the tile that wishes something (inf when nobody does)."""
    counts = matrix.sum(axis=1, dtype=np.float64)
    counts = np.where(counts > 0, counts, np.inf)
    return np.array([counts[start:stop].min(initial=np.inf) for start, stop in tiles])


def _share_bound(hits: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    share = np.zeros(hits.shape)
    np.divide(
        hits, np.broadcast_to(wanted, hits.shape), out=share, where=np.broadcast_to(wanted, hits.shape) > 0
    )
    return np.minimum(share, 1.0)


def _fit_bound(seeking, tile_offers, tile_seeks, tile_smallest_wish, own_offers) -> np.ndarray:
    """Bound of a two-sided fit (capabilities or roles) of each company with each tile."""
    wanted = seeking.sum(axis=1, dtype=np.float64)[:, None]
    forward = _share_bound(seeking @ tile_offers.T, wanted)  # what it seeks that the tile offers
    backward = np.minimum(1.0, (own_offers @ tile_seeks.T) / tile_smallest_wish[None, :])
    return np.maximum(forward, backward)


def _max_rows(text: sparse.csr_matrix, tiles) -> sparse.csr_matrix:
    """(tiles × n-grams): the largest weight of each n-gram over the tile's rows."""
    rows = [sparse.csr_matrix(text[start:stop].max(axis=0)) for start, stop in tiles]
    return sparse.vstack(rows, format="csr") if rows else sparse.csr_matrix((0, text.shape[1]))


def tile_bounds(x: SideMatrices, y: SideMatrices, tile: int, weights: Weights) -> np.ndarray | None:
    """(len(x) × tiles of y, float32 rounded up): an upper bound of the score of each company of ``x`` with
    any company of each tile of ``tile`` consecutive companies of ``y``; None when a weight is negative."""
    vector = weights.vector()
    if (vector < 0).any() or vector.sum() <= 0 or not (0 <= weights.missing_certification_penalty <= 1):
        return None
    tiles = _tiles(len(y), tile)
    union = {
        name: _any(getattr(y, name), tiles)
        for name in ("industries", "divisions", "capabilities", "seeks", "roles", "looking_for", "holds",
                     "languages", "neutral_seeks", "neutral_offers")
    }  # fmt: skip
    smallest = {name: _smallest_wish(getattr(y, name), tiles) for name in ("seeks", "looking_for")}
    text = _max_rows(y.text, tiles).T.tocsc() if y.text.shape[1] else None
    sizes = np.zeros((len(tiles), 5), dtype=bool)  # size rank + 1 present in the tile (0: unknown)
    for index, (start, stop) in enumerate(tiles):
        sizes[index, np.unique(y.size_rank[start:stop] + 1)] = True
    eec = np.array([y.in_eec[start:stop].any() for start, stop in tiles])
    bounds = np.empty((len(x), len(tiles)), dtype=np.float32)
    for start in range(0, len(x), BOUND_ROWS):
        part = x.rows(start, min(start + BOUND_ROWS, len(x)))
        scores = _bounds(part, union, smallest, text, sizes, eec, weights)
        bounds[start : start + len(part)] = np.nextafter(scores.astype(np.float32), np.float32(np.inf))
    return bounds


def _bounds(x: SideMatrices, union, smallest, text, sizes, eec, weights: Weights) -> np.ndarray:
    w_industry, w_complementarity, w_certification, w_text, w_practical = (float(v) for v in weights.vector())
    shared = x.industries_weighted @ union["industries"].T
    division = (x.divisions @ union["divisions"].T) > 0
    industry = np.maximum(np.minimum(1.0, shared / 2.0), ISIC_DIVISION_SCORE * division)
    neutral = (x.neutral_seeks @ union["neutral_offers"].T + x.neutral_offers @ union["neutral_seeks"].T) > 0
    industry = np.where(neutral, 1.0, industry)

    capability = _fit_bound(x.seeks, union["capabilities"], union["seeks"], smallest["seeks"], x.capabilities)
    role = _fit_bound(x.looking_for, union["roles"], union["looking_for"], smallest["looking_for"], x.roles)
    complementarity = 0.7 * capability + 0.3 * role

    required = x.requires.sum(axis=1, dtype=np.float64)[:, None]
    own_side = np.where(required > 0, _share_bound(x.requires @ union["holds"].T, required), 1.0)
    certification = (own_side + 1.0) / 2.0
    penalty = 1.0 - weights.missing_certification_penalty * (1.0 - own_side)

    similarity = (x.text @ text).toarray() if text is not None else np.zeros_like(industry)
    text_bound = np.minimum(1.0, np.maximum(0.0, similarity / TEXT_SATURATION))

    language = (x.languages @ union["languages"].T) > 0
    fits = np.ones((5, 5))  # fits[own + 1, other + 1]: the reference's size term
    fits[1:, 1:] = 1.0 - np.abs(np.arange(4)[:, None] - np.arange(4)[None, :]) / 3.0
    fits[0, :] = fits[:, 0] = 0.5
    size = np.full(industry.shape, -np.inf)
    own = fits[x.size_rank + 1]
    for other in range(5):
        np.maximum(size, np.where(sizes[None, :, other], own[:, other : other + 1], -np.inf), out=size)
    practical = 0.5 * language + 0.3 * size + 0.2 * (x.in_eec[:, None] | eec[None, :])

    weighted = (
        w_industry * industry + w_complementarity * complementarity + w_certification * certification
        + w_text * text_bound + w_practical * practical
    )  # fmt: skip
    return 100.0 * weighted / float(weights.vector().sum()) * penalty + SLACK
