"""Fast path, part 3: the pass over all pairs in tiles, and the public entry points."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from matching.scoring.blocks import TopK, _score_rows_blocks
from matching.scoring.bounds import cluster_order, tile_bounds
from matching.scoring.core import COMPONENTS, MIN_SCORE, TEXT_SATURATION, Weights
from matching.scoring.matrices import SideMatrices
from matching.scoring.plan import (
    FEW_ROWS,
    PARALLEL_MIN_PAIRS,
    TILE_COLUMNS,
    TILE_ROWS,
    _evaluate,
    _pair_evaluation,
    _plan,
)
from matching.scoring.pool import _excluded_arrays, _Pool, _select

# Tiles of the pruned pass (``bounds``): TILE_ROWS × TILE_COLUMNS tiles mix too many kinds of companies for
# their bounds to skip them; these cost more Python per pair scored but skip far more pairs.
PRUNED_TILE_ROWS = 128
PRUNED_TILE_COLUMNS = 512
# Off by default: on the clustered synthetic directory (``synthetic``) almost every tile holds a pair that
# beats some list's k-th score, so the bounds skip few pairs and the smaller tiles cost more than they save
# (``bench/bench_matching.py`` prints the share of pairs scored beside the exhaustive pass).
PRUNE = False


class _AllPairs:
    """Every pair of some targets with the other side (excluded pairs left out), for exact recomputing."""

    def __init__(self, n_a: int, n_b: int, excluded_rows, excluded_columns, *, transpose: bool):
        self.others = n_a if transpose else n_b
        self.excluded = (
            (excluded_columns * n_a + excluded_rows)
            if transpose
            else (excluded_rows * n_b + excluded_columns)
        )

    def __call__(self, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        positions = np.tile(np.arange(self.others), len(targets))
        targets = np.repeat(targets, self.others)
        if len(self.excluded):
            keep = ~np.isin(targets * self.others + positions, self.excluded)
            targets, positions = targets[keep], positions[keep]
        return targets, positions


class _Pass:
    """All pairs of a × b in tiles, collecting for every row (and every column if asked) the candidates of
    its exact top k."""

    def __init__(self, plan, n_a, n_b, *, k, min_score, columns_too, excluded, order=None, bounds=None):
        self.plan, self.n_a, self.n_b = plan, n_a, n_b
        self.k, self.min_score, self.columns_too = k, min_score, columns_too
        self.excluded_rows, self.excluded_columns = _excluded_arrays(excluded)
        self.tables = {group.name: group.tables for group in plan.groups}
        # ``order``: the plan's sides are in this (clustered) order of the caller's positions; pools hold
        # the caller's positions, so ties still go to the lower one. ``bounds``: per row of the plan, an
        # upper bound of its score with each tile of columns (``bounds.tile_bounds``), to skip tiles.
        self.perm_a, self.perm_b = order if order is not None else (None, None)
        self.bounds = bounds
        # Pruned: smaller tiles of similar companies, whose bounds are tighter and skipped more often.
        self.tile_rows, self.tile_columns = (
            (TILE_ROWS, TILE_COLUMNS) if bounds is None else (PRUNED_TILE_ROWS, PRUNED_TILE_COLUMNS)
        )
        if self.perm_a is not None and len(self.excluded_rows):
            rows, columns = plan.inv_a[self.excluded_rows], plan.inv_b[self.excluded_columns]
            order = np.lexsort((columns, rows))
            self.excluded_rows, self.excluded_columns = rows[order], columns[order]
        self.scored = []  # pairs scored, per thread

    def run(self, threads: int) -> tuple[list, list]:
        """The candidates of the rows and of the columns (lists of ``_Pool.entries``), the columns split
        between threads (BLAS and NumPy release the GIL), at tile boundaries."""
        tiles = -(-self.n_b // self.tile_columns)
        threads = max(1, min(threads, tiles))
        if self.n_a * self.n_b < PARALLEL_MIN_PAIRS:
            threads = 1
        edges = [min(self.n_b, tiles * part // threads * self.tile_columns) for part in range(threads + 1)]
        ranges = list(zip(edges[:-1], edges[1:], strict=True))
        # BLAS in one thread: this pass runs its own threads, and OpenBLAS's spinning threads are many times
        # slower than one when another process holds a core.
        with threadpool_limits(limits=1):
            if threads == 1:
                results = [self._columns(*ranges[0])]
            else:
                with ThreadPoolExecutor(threads) as pool:
                    results = list(pool.map(lambda bounds: self._columns(*bounds), ranges))
        rows = [entry for row_entries, _columns in results for entry in row_entries]
        columns = [entry for _rows, column_entries in results for entry in column_entries]
        return rows, columns

    def _columns(self, start: int, stop: int) -> tuple[list, list]:
        """Every row against the columns start..stop (one thread's share)."""
        plan = self.plan
        ordered = self.perm_a is None
        columns = None
        if self.columns_too:
            columns = _Pool(
                stop - start, self.k, self.min_score, plan.delta, self._exact(start, columns=True),
                ordered=ordered,
            )  # fmt: skip
        cells = self.tile_rows * self.tile_columns
        buffers = {
            "score": np.empty(cells),
            "spare": np.empty(cells),
            "text": np.empty(cells, dtype=plan.text.a_screen.dtype)
            if plan.text.a_screen is not None
            else None,
            "product": np.empty(cells, dtype=np.float32),
            **{group.name: np.empty(cells, dtype=np.intp) for group in plan.groups},
        }
        row_entries = []
        scored = 0
        column_starts = np.arange(start, stop, self.tile_columns)
        for row_start in range(0, self.n_a, self.tile_rows):
            row_stop = min(row_start + self.tile_rows, self.n_a)
            rows = _Pool(
                row_stop - row_start,
                self.k,
                self.min_score,
                plan.delta,
                self._exact(row_start),
                ordered=ordered,
            )
            visit = column_starts
            if self.bounds is not None:  # the most promising tiles first: the lists' bounds rise early
                best = self.bounds[row_start:row_stop, column_starts // self.tile_columns].max(axis=0)
                visit = column_starts[np.argsort(-best, kind="stable")]
            for column_start in visit.tolist():
                column_stop = min(column_start + self.tile_columns, stop)
                if self.bounds is not None:
                    needed = np.minimum(rows.bound, rows.exact_bound)
                    if (self.bounds[row_start:row_stop, column_start // self.tile_columns] < needed).all():
                        continue  # no pair of the tile can enter a list
                scored += (row_stop - row_start) * (column_stop - column_start)
                tile = self._tile(buffers, row_start, row_stop, column_start, column_stop)
                self._collect(*tile, rows, columns, row_start, column_start, column_start - start)
            row_entries.append(self._callers(rows.entries(row_start), self.perm_a))
        self.scored.append(scored)
        return row_entries, [
            self._callers(columns.entries(start), self.perm_b)
        ] if columns is not None else []

    @staticmethod
    def _callers(entries, permutation):
        """A pool's entries with its targets (the plan's positions) as the caller's positions."""
        if permutation is None:
            return entries
        targets, positions, scores, approximate, keys, uncertain = entries
        return permutation[targets], positions, scores, approximate, keys, permutation[uncertain]

    def _exact(self, offset: int, *, columns: bool = False):
        """Exact scores of (target + offset, position) pairs of a pool of rows (or of columns)."""

        own = self.perm_b if columns else self.perm_a

        def exact(targets, positions, keys):
            targets = targets + offset if own is None else own[targets + offset]
            i, j = (positions, targets) if columns else (targets, positions)
            return _pair_evaluation(self.plan, i, j, keys)[0]

        return exact

    def _tile(self, buffers, row_start, row_stop, column_start, column_stop):
        """Screened scores of a tile (exact where the pair has no n-gram in common, or with no text
        weight; else within delta/2), its screened text terms (None without text weight) and its codes."""
        plan = self.plan
        shape = (row_stop - row_start, column_stop - column_start)
        cells = shape[0] * shape[1]

        def view(name):
            return buffers[name][:cells].reshape(shape)

        codes = {}
        product = view("product")
        for group in plan.groups:
            group.product(row_start, row_stop, column_start, column_stop, product)
            codes[group.name] = view(group.name)
            np.copyto(codes[group.name], product, casting="unsafe")

        def take(group, table, out):
            return np.take(self.tables[group][table], codes[group], out=out, mode="clip")

        text = None
        if plan.text.a_screen is not None:
            text = view("text")
            np.matmul(
                plan.text.a_screen[row_start:row_stop],
                plan.text.b_screen[column_start:column_stop].T,
                out=text,
            )
            if plan.text.a_rest is not None:
                rest = (
                    plan.text.a_rest[row_start:row_stop] @ plan.text.b_rest[column_start:column_stop].T
                ).tocoo()
                weight = plan.weights[COMPONENTS.index("text")] / TEXT_SATURATION  # as a_screen's
                text[rest.row, rest.col] += weight * rest.data
            np.minimum(text, text.dtype.type(plan.weights[COMPONENTS.index("text")]), out=text)
        score = _evaluate(plan, take, view("score"), view("spare"), text)
        if len(self.excluded_rows):
            low, high = np.searchsorted(self.excluded_rows, [row_start, row_stop])
            rows, cols = self.excluded_rows[low:high], self.excluded_columns[low:high]
            inside = (cols >= column_start) & (cols < column_stop)
            score[rows[inside] - row_start, cols[inside] - column_start] = -np.inf
        return score, text, codes

    def _collect(
        self, score, text, codes, rows: _Pool, columns: _Pool | None, row_start, column_start, local
    ):
        """Add the tile's candidates to the pools of its rows and columns."""
        k, delta = self.k, self.plan.delta
        height, width = score.shape
        # Without text screening every screened score is exact: exact bounds apply to the whole tile.
        row_bound = rows.bound if text is not None else rows.exact_bound
        if width > k:
            filling = np.flatnonzero(rows.fill < k)
            if len(filling):
                # Rows without k candidates yet: only the tile's own top k (screened) can enter.
                kth = np.partition(score if len(filling) == height else score[filling], width - k, axis=1)
                row_bound = row_bound.copy()
                row_bound[filling] = np.maximum(row_bound[filling], kth[:, width - k] - delta)
        candidates = score >= row_bound[:, None]
        if columns is not None:
            column_bound = (columns.bound if text is not None else columns.exact_bound)[local : local + width]
            if height > k:
                filling = np.flatnonzero(columns.fill[local : local + width] < k)
                if len(filling):
                    kth = np.partition(score.T[filling], height - k, axis=1)[:, height - k]
                    column_bound = column_bound.copy()
                    column_bound[filling] = np.maximum(column_bound[filling], kth - delta)
            candidates |= score >= column_bound
        flat = np.flatnonzero(candidates)
        if not len(flat):
            return
        screened = score.ravel()[flat]
        finite = screened > -np.inf
        flat, screened = flat[finite], screened[finite]
        approximate = text.ravel()[flat] != 0 if text is not None else np.zeros(len(flat), dtype=bool)
        keys = self.plan.keys(codes, flat)
        row, column = np.divmod(flat, width)
        into_rows = screened >= row_bound[row]
        partners = column_start + column[into_rows]
        rows.add(
            row[into_rows],
            partners if self.perm_b is None else self.perm_b[partners],
            screened[into_rows],
            approximate[into_rows],
            keys[into_rows],
        )
        if columns is not None:
            into_columns = np.flatnonzero(screened >= column_bound[column])
            into_columns = into_columns[np.argsort(column[into_columns], kind="stable")]
            partners = row_start + row[into_columns]
            columns.add(
                local + column[into_columns],
                partners if self.perm_a is None else self.perm_a[partners],
                screened[into_columns],
                approximate[into_columns],
                keys[into_columns],
            )


def _threads() -> int:
    import os

    configured = os.environ.get("MATCHING_THREADS")
    if configured:
        return max(1, int(configured))
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    return max(1, min(2, available))


def _empty(n: int) -> TopK:
    return TopK(
        positions=[np.zeros(0, dtype=np.intp) for _ in range(n)],
        scores=[np.zeros(0) for _ in range(n)],
        components=[{name: np.zeros(0) for name in COMPONENTS} for _ in range(n)],
    )


def score_rows(
    a: SideMatrices,
    b: SideMatrices,
    weights: Weights,
    *,
    k: int = 20,
    min_score: float = MIN_SCORE,
    excluded: dict[int, Iterable[int]] | None = None,
    threads: int | None = None,
    prune: bool = PRUNE,
) -> TopK:
    """Top-k partners in ``b`` for every row of ``a`` (ties to the lower position).

    ``excluded`` maps a row position of ``a`` to partner positions in ``b`` never to propose (declined).
    ``threads``: how many to score with (default: MATCHING_THREADS, else up to 2 of the cores this process
    may use). ``prune``: skip the tiles of pairs that cannot enter a list (``bounds``); the lists are the
    same either way (False, the default: every pair is scored, the exhaustive pass).
    """
    if k <= 0 or not len(a) or not len(b):
        return _empty(len(a))
    if len(a) <= FEW_ROWS:
        return _score_rows_blocks(a, b, weights, k=k, min_score=min_score, excluded=excluded)
    order = bounds = None
    if prune:
        order = (cluster_order(a), cluster_order(b))
        clustered = a.take(order[0]), b.take(order[1])
        bounds = tile_bounds(*clustered, PRUNED_TILE_COLUMNS, weights)
        if bounds is None:  # a negative weight: no bound holds, every pair is scored
            order = None
        else:
            a, b = clustered
    plan = _plan(a, b, weights)
    if plan is None:
        if order is not None:  # back to the caller's order
            a, b = a.take(_inverse(order[0])), b.take(_inverse(order[1]))
        return _score_rows_blocks(a, b, weights, k=k, min_score=min_score, excluded=excluded)
    if order is not None:
        plan.inv_a, plan.inv_b = _inverse(order[0]), _inverse(order[1])
    scoring = _Pass(
        plan, len(a), len(b), k=k, min_score=min_score, columns_too=False, excluded=excluded,
        order=order, bounds=bounds,
    )  # fmt: skip
    rows, _columns = scoring.run(threads or _threads())
    everything = _AllPairs(len(a), len(b), *_excluded_arrays(excluded), transpose=False)
    result = _select(plan, rows, len(a), k, min_score, transpose=False, recompute=everything)
    result.pairs_scored = sum(scoring.scored)
    return result


def _inverse(permutation: np.ndarray) -> np.ndarray:
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(len(permutation))
    return inverse


def score_both_ways(
    a: SideMatrices,
    b: SideMatrices,
    weights: Weights,
    *,
    k: int = 20,
    min_score: float = MIN_SCORE,
    excluded: dict[int, Iterable[int]] | None = None,
    threads: int | None = None,
    prune: bool = PRUNE,
) -> tuple[TopK, TopK]:
    """``(score_rows(a, b), score_rows(b, a))``. Exhaustive (``prune=False``): from one pass over the pairs
    (scores are symmetric). Pruned: two pruned passes, one per direction (a list of either side fills from
    its most promising tiles first, which one pass for both could not do).
    ``excluded`` maps a row of ``a`` to rows of ``b``: those pairs are proposed in neither direction."""
    if k <= 0 or not len(a) or not len(b):
        return _empty(len(a)), _empty(len(b))
    backward = {}
    for row, columns in (excluded or {}).items():
        for column in columns:
            backward.setdefault(column, []).append(row)
    if prune:
        return (
            score_rows(a, b, weights, k=k, min_score=min_score, excluded=excluded, threads=threads),
            score_rows(b, a, weights, k=k, min_score=min_score, excluded=backward, threads=threads),
        )
    plan = _plan(a, b, weights)
    if plan is None:
        return (
            _score_rows_blocks(a, b, weights, k=k, min_score=min_score, excluded=excluded),
            _score_rows_blocks(b, a, weights, k=k, min_score=min_score, excluded=backward),
        )
    scoring = _Pass(plan, len(a), len(b), k=k, min_score=min_score, columns_too=True, excluded=excluded)
    rows, columns = scoring.run(threads or _threads())
    excluded_rows, excluded_columns = _excluded_arrays(excluded)
    result = (
        _select(plan, rows, len(a), k, min_score, transpose=False,
                recompute=_AllPairs(len(a), len(b), excluded_rows, excluded_columns, transpose=False)),
        _select(plan, columns, len(b), k, min_score, transpose=True,
                recompute=_AllPairs(len(a), len(b), excluded_rows, excluded_columns, transpose=True)),
    )  # fmt: skip
    result[0].pairs_scored = result[1].pairs_scored = sum(scoring.scored)
    return result
