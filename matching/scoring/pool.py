"""Fast path, part 2: candidate pools per target and the exact final selection."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from matching.scoring.blocks import TopK
from matching.scoring.core import COMPONENTS
from matching.scoring.plan import POOL_CAPACITY, _groups, _pair_evaluation, _Plan


class _Pool:
    """Candidates of many targets (rows or columns) by screened score.

    A screened score is exact when the pair has no n-gram in common (or the text weight is 0), else within
    delta/2 of the exact score. Once a target has k candidates (the k-th best screened score kth), a
    candidate cannot be in its exact top k if it is screened below kth − delta, or if it is exact, ties or
    trails an exact k-th candidate (positions only grow, so it loses the tie) and no approximate candidate
    is within delta of it. When ties pile up, the approximate candidates within delta of the k-th get their
    exact score (``exact(targets, positions)``), so that ties are settled by position. The best exact
    candidate dropped on a tie is remembered (``tied``): if a candidate kept in the top k might not beat it,
    the target is recomputed exactly at the end."""

    def __init__(self, n: int, k: int, min_score: float, delta: float, exact, *, ordered: bool = True):
        self.k, self.delta, self.min_score, self.exact = k, delta, min_score, exact
        # Positions arrive growing (an exact tie with the k-th loses): else an exact tie is kept.
        self.ordered = ordered
        self.capacity = POOL_CAPACITY * k
        self.scores = np.full((n, self.capacity), -np.inf)
        self.positions = np.zeros((n, self.capacity), dtype=np.int64)
        self.approximate = np.zeros((n, self.capacity), dtype=bool)
        self.keys = np.zeros((n, self.capacity), dtype=np.int64)  # the pairs' packed codes
        self.fill = np.zeros(n, dtype=np.int64)
        self.bound = np.full(n, min_score - delta)  # below it no screened score is a candidate
        self.exact_bound = np.full(n, float(min_score))  # below it no exact score is
        self.tied = np.full(n, -np.inf)  # the best exact score dropped on a tie …
        self.tied_position = np.zeros(n, dtype=np.int64)  # … and its position

    def add(self, targets, positions, scores, approximate, keys) -> None:
        """Candidates grouped by target (in runs, positions growing), already above ``bound``."""
        keep = approximate | (scores >= self.exact_bound[targets])
        self._tie(targets, positions, scores, ~keep & (scores >= self.min_score))
        targets, positions = targets[keep], positions[keep]
        scores, approximate, keys = scores[keep], approximate[keep], keys[keep]
        if not len(targets):
            return
        starts, sizes, index = _groups(targets)
        touched = targets[starts]
        fits = self.fill[touched] + sizes <= self.capacity
        inside = np.repeat(fits, sizes)
        slots = np.repeat(self.fill[touched], sizes) + index
        chosen = targets[inside], slots[inside]
        self.scores[chosen], self.positions[chosen] = scores[inside], positions[inside]
        self.approximate[chosen], self.keys[chosen] = approximate[inside], keys[inside]
        self.fill[touched[fits]] += sizes[fits]
        if not fits.all():
            outside = ~inside
            self._merge(touched[~fits], sizes[~fits], positions[outside], scores[outside],
                        approximate[outside], keys[outside], index[outside])  # fmt: skip
        self._bounds(touched[self.fill[touched] >= self.k])

    def _tie(self, targets, positions, scores, dropped) -> None:
        """Remember the best of exact candidates dropped on a tie (rank: score down, position up)."""
        if not dropped.any():
            return
        targets, positions, scores = targets[dropped], positions[dropped], scores[dropped]
        order = np.lexsort((positions, -scores, targets))
        first = order[_groups(targets[order])[0]]
        targets, positions, scores = targets[first], positions[first], scores[first]
        better = (scores > self.tied[targets]) | (
            (scores == self.tied[targets]) & (positions < self.tied_position[targets])
        )
        self.tied[targets[better]] = scores[better]
        self.tied_position[targets[better]] = positions[better]

    def _merge(self, targets, sizes, positions, scores, approximate, keys, index) -> None:
        """Targets whose candidates overflow: reduce old and new together, growing only if ties need it."""
        width = self.capacity + int(sizes.max())
        row = np.repeat(np.arange(len(targets)), sizes)
        all_scores = np.full((len(targets), width), -np.inf)
        all_positions = np.zeros((len(targets), width), dtype=np.int64)
        all_approximate = np.zeros((len(targets), width), dtype=bool)
        all_keys = np.zeros((len(targets), width), dtype=np.int64)
        all_scores[:, : self.capacity] = self.scores[targets]
        all_positions[:, : self.capacity] = self.positions[targets]
        all_approximate[:, : self.capacity] = self.approximate[targets]
        all_keys[:, : self.capacity] = self.keys[targets]
        slot = self.fill[targets][row] + index
        all_scores[row, slot], all_positions[row, slot] = scores, positions
        all_approximate[row, slot], all_keys[row, slot] = approximate, keys
        all_scores, all_positions, all_approximate, all_keys, fill = self._reduce(
            targets, all_scores, all_positions, all_approximate, all_keys
        )
        if fill.max() > self.capacity:
            self._grow(max(int(fill.max()), 2 * self.capacity))
        width = min(width, self.capacity)
        self.scores[targets, :width] = all_scores[:, :width]
        self.positions[targets, :width] = all_positions[:, :width]
        self.approximate[targets, :width] = all_approximate[:, :width]
        self.keys[targets, :width] = all_keys[:, :width]
        self.scores[targets, width:] = -np.inf
        self.fill[targets] = fill

    @staticmethod
    def _sort(scores, positions, approximate, keys):
        order = np.lexsort((positions, -scores), axis=1)
        return tuple(
            np.take_along_axis(values, order, axis=1) for values in (scores, positions, approximate, keys)
        )

    def _reduce(self, targets, scores, positions, approximate, keys):
        """Sort the rows best first and keep the k best and what could still tie with them."""
        k = min(self.k, scores.shape[1])
        rank = np.arange(scores.shape[1])
        while True:
            scores, positions, approximate, keys = self._sort(scores, positions, approximate, keys)
            kth = scores[:, k - 1 : k]
            in_band = (scores >= kth - self.delta) & (scores > -np.inf)
            crowded = (in_band & (rank >= k)).any(axis=1, keepdims=True)
            settle = crowded & approximate & (np.abs(scores - kth) <= self.delta)
            if not settle.any():
                break
            rows, slots = np.nonzero(settle)
            scores[rows, slots] = self.exact(targets[rows], positions[rows, slots], keys[rows, slots])
            approximate[rows, slots] = False
        lowest_approximate = np.where(approximate & in_band, scores, np.inf).min(axis=1, keepdims=True)
        kept = (scores > -np.inf) & (
            (rank < k) | (in_band & (approximate | (scores >= lowest_approximate - self.delta)))
        )
        dropped = ~kept & in_band & ~approximate & (scores >= self.min_score)
        rows, slots = np.nonzero(dropped)
        self._tie(targets[rows], positions[rows, slots], scores[rows, slots], np.ones(len(rows), dtype=bool))
        order = np.argsort(~kept, axis=1, kind="stable")  # the kept ones first, still best first
        scores = np.take_along_axis(np.where(kept, scores, -np.inf), order, axis=1)
        positions = np.take_along_axis(positions, order, axis=1)
        approximate = np.take_along_axis(approximate, order, axis=1)
        keys = np.take_along_axis(keys, order, axis=1)
        return scores, positions, approximate, keys, kept.sum(axis=1)

    def _bounds(self, targets: np.ndarray) -> None:
        if not len(targets):
            return
        width = int(self.fill[targets].max())  # entries fill a prefix of each row
        scores = self.scores[targets, :width]
        kth = np.partition(scores, width - self.k, axis=1)[:, width - self.k]
        near = self.approximate[targets, :width] & (scores >= (kth - self.delta)[:, None])
        near = np.where(near, scores, np.inf)
        self.bound[targets] = np.maximum(self.bound[targets], kth - self.delta)
        above = np.nextafter(kth, np.inf) if self.ordered else kth
        self.exact_bound[targets] = np.minimum(above, near.min(axis=1) - self.delta)

    def _grow(self, capacity: int) -> None:
        extra = capacity - self.capacity
        n = len(self.scores)
        self.scores = np.hstack([self.scores, np.full((n, extra), -np.inf)])
        self.positions = np.hstack([self.positions, np.zeros((n, extra), dtype=np.int64)])
        self.approximate = np.hstack([self.approximate, np.zeros((n, extra), dtype=bool)])
        self.keys = np.hstack([self.keys, np.zeros((n, extra), dtype=np.int64)])
        self.capacity = capacity

    def entries(self, offset: int = 0):
        """(target + offset, position, screened score, approximate) of every candidate, and the targets
        (+ offset) to recompute exactly: those with a candidate in the top k that may not beat an exact
        candidate dropped on a tie."""
        uncertain = np.zeros(0, dtype=np.int64)
        tied = np.flatnonzero(self.tied > -np.inf)
        if len(tied):
            scores, positions, approximate, keys, fill = self._reduce(
                tied, self.scores[tied], self.positions[tied], self.approximate[tied], self.keys[tied]
            )
            self.scores[tied], self.positions[tied], self.approximate[tied] = scores, positions, approximate
            self.keys[tied] = keys
            self.fill[tied] = fill
            top = np.arange(self.capacity) < self.k
            score, position = self.tied[tied][:, None], self.tied_position[tied][:, None]
            loses = np.where(
                approximate,
                scores <= score + self.delta,
                (scores < score) | ((scores == score) & (positions > position)),
            )
            uncertain = tied[(top & (scores > -np.inf) & loses).any(axis=1)]
        # Below the bound a candidate is beaten by k others for sure (bounds only rise).
        rows, slots = np.nonzero((self.scores >= self.bound[:, None]) & (self.scores > -np.inf))
        return (
            rows + offset,
            self.positions[rows, slots],
            self.scores[rows, slots],
            self.approximate[rows, slots],
            self.keys[rows, slots],
            uncertain + offset,
        )


def _evaluated(plan: _Plan, targets, positions, min_score: float, *, transpose: bool, keys=None):
    """(target, position, exact score, components) of the eligible pairs among those given."""
    i, j = (positions, targets) if transpose else (targets, positions)
    scores, components = _pair_evaluation(plan, i, j, keys)
    eligible = scores >= min_score
    return (
        targets[eligible],
        positions[eligible],
        scores[eligible],
        {name: values[eligible] for name, values in components.items()},
    )


def _best_of(part, k: int):
    """The k best of every target of (target, position, exact score, components)."""
    targets, positions, scores, components = part
    order = np.lexsort((positions, -scores, targets))
    _starts, _sizes, index = _groups(targets[order])
    order = order[index < k]
    return targets[order], positions[order], scores[order], {name: v[order] for name, v in components.items()}


def _select(
    plan: _Plan, entries, n_targets: int, k: int, min_score: float, *, transpose: bool, recompute
) -> TopK:
    """The exact top-k lists from every target's candidates: those that could be in its top k (the k best
    screened, and those within delta of them unless exact and beaten on a tie) get their exact score, then
    exact ranking. The targets whose pools were not conclusive are scored against every partner:
    ``recompute(targets)`` gives all their (target, position) pairs."""
    targets, positions, screened, approximate, keys, uncertain = (
        np.concatenate(part) for part in zip(*entries, strict=True)
    )
    redo = np.unique(uncertain)
    if len(redo):
        keep = ~np.isin(targets, redo)
        targets, positions, screened, approximate, keys = (
            targets[keep],
            positions[keep],
            screened[keep],
            approximate[keep],
            keys[keep],
        )
    order = np.lexsort((positions, -screened, targets))
    targets, positions, screened, approximate, keys = (
        targets[order],
        positions[order],
        screened[order],
        approximate[order],
        keys[order],
    )
    starts, sizes, index = _groups(targets)
    kth = np.repeat(np.where(sizes >= k, screened[starts + np.minimum(sizes, k) - 1], -np.inf), sizes)
    in_band = screened >= kth - plan.delta
    near = np.where(approximate & in_band, screened, np.inf)
    lowest = np.repeat(np.minimum.reduceat(near, starts) if len(starts) else near, sizes)
    band = (index < k) | (in_band & (approximate | (screened >= lowest - plan.delta)))
    targets, positions, keys = targets[band], positions[band], keys[band]
    parts = [_evaluated(plan, targets, positions, min_score, transpose=transpose, keys=keys)]
    for chunk in np.array_split(redo, max(1, len(redo) * recompute.others // 2_000_000)):
        if len(chunk):
            everything = _evaluated(plan, *recompute(chunk), min_score, transpose=transpose)
            parts.append(_best_of(everything, k))
    targets, positions, scores, components = (
        np.concatenate([part[0] for part in parts]),
        np.concatenate([part[1] for part in parts]),
        np.concatenate([part[2] for part in parts]),
        {name: np.concatenate([part[3][name] for part in parts]) for name in COMPONENTS},
    )
    order = np.lexsort((positions, -scores, targets))
    targets, positions, scores = targets[order], positions[order], scores[order]
    _starts, _sizes, index = _groups(targets)
    kept = index < k
    targets, positions, scores = targets[kept], positions[kept].astype(np.intp), scores[kept]
    components = {name: values[order][kept] for name, values in components.items()}
    counts = np.bincount(targets, minlength=n_targets)
    edges = np.concatenate([[0], np.cumsum(counts)]).tolist()
    bounds = list(zip(edges[:-1], edges[1:], strict=True))
    columns = [components[name] for name in COMPONENTS]
    return TopK(
        positions=[positions[start:stop] for start, stop in bounds],
        scores=[scores[start:stop] for start, stop in bounds],
        components=[
            dict(zip(COMPONENTS, [column[start:stop] for column in columns], strict=True))
            for start, stop in bounds
        ],
    )


def _excluded_arrays(excluded: dict[int, Iterable[int]] | None) -> tuple[np.ndarray, np.ndarray]:
    pairs = sorted({(row, column) for row, columns in (excluded or {}).items() for column in columns})
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows, columns = zip(*pairs, strict=True)
    return np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)
