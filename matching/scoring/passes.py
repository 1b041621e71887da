"""Fast path, part 3: the pass over all pairs in tiles, and the public entry points."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from matching.scoring.blocks import TopK, _score_rows_blocks
from matching.scoring.core import COMPONENTS, MIN_SCORE, Weights
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

    def __init__(self, plan, n_a, n_b, *, k, min_score, columns_too, excluded):
        self.plan, self.n_a, self.n_b = plan, n_a, n_b
        self.k, self.min_score, self.columns_too = k, min_score, columns_too
        self.excluded_rows, self.excluded_columns = _excluded_arrays(excluded)
        self.tables = {group.name: group.tables for group in plan.groups}

    def run(self, threads: int) -> tuple[list, list]:
        """The candidates of the rows and of the columns (lists of ``_Pool.entries``), the columns split
        between threads (BLAS and NumPy release the GIL)."""
        threads = max(1, min(threads, self.n_b // TILE_COLUMNS + 1))
        if self.n_a * self.n_b < PARALLEL_MIN_PAIRS:
            threads = 1
        edges = [self.n_b * part // threads for part in range(threads + 1)]
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
        columns = None
        if self.columns_too:
            columns = _Pool(
                stop - start, self.k, self.min_score, plan.delta, self._exact(start, columns=True)
            )
        cells = TILE_ROWS * TILE_COLUMNS
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
        for row_start in range(0, self.n_a, TILE_ROWS):
            row_stop = min(row_start + TILE_ROWS, self.n_a)
            rows = _Pool(row_stop - row_start, self.k, self.min_score, plan.delta, self._exact(row_start))
            for column_start in range(start, stop, TILE_COLUMNS):
                column_stop = min(column_start + TILE_COLUMNS, stop)
                tile = self._tile(buffers, row_start, row_stop, column_start, column_stop)
                self._collect(*tile, rows, columns, row_start, column_start, column_start - start)
            row_entries.append(rows.entries(row_start))
        return row_entries, [columns.entries(start)] if columns is not None else []

    def _exact(self, offset: int, *, columns: bool = False):
        """Exact scores of (target + offset, position) pairs of a pool of rows (or of columns)."""

        def exact(targets, positions, keys):
            i, j = (positions, targets + offset) if columns else (targets + offset, positions)
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
            np.matmul(group.a[row_start:row_stop], group.b[column_start:column_stop].T, out=product)
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
                text[rest.row, rest.col] += plan.weights[COMPONENTS.index("text")] * rest.data
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
        rows.add(
            row[into_rows],
            column_start + column[into_rows],
            screened[into_rows],
            approximate[into_rows],
            keys[into_rows],
        )
        if columns is not None:
            into_columns = np.flatnonzero(screened >= column_bound[column])
            into_columns = into_columns[np.argsort(column[into_columns], kind="stable")]
            columns.add(
                local + column[into_columns],
                row_start + row[into_columns],
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
) -> TopK:
    """Top-k partners in ``b`` for every row of ``a`` (ties to the lower position).

    ``excluded`` maps a row position of ``a`` to partner positions in ``b`` never to propose (declined).
    """
    if k <= 0 or not len(a) or not len(b):
        return _empty(len(a))
    plan = _plan(a, b, weights) if len(a) > FEW_ROWS else None
    if plan is None:
        return _score_rows_blocks(a, b, weights, k=k, min_score=min_score, excluded=excluded)
    rows, _columns = _Pass(
        plan, len(a), len(b), k=k, min_score=min_score, columns_too=False, excluded=excluded
    ).run(_threads())
    everything = _AllPairs(len(a), len(b), *_excluded_arrays(excluded), transpose=False)
    return _select(plan, rows, len(a), k, min_score, transpose=False, recompute=everything)


def score_both_ways(
    a: SideMatrices,
    b: SideMatrices,
    weights: Weights,
    *,
    k: int = 20,
    min_score: float = MIN_SCORE,
    excluded: dict[int, Iterable[int]] | None = None,
) -> tuple[TopK, TopK]:
    """``(score_rows(a, b), score_rows(b, a))`` from one pass over the pairs (scores are symmetric).
    ``excluded`` maps a row of ``a`` to rows of ``b``: those pairs are proposed in neither direction."""
    if k <= 0 or not len(a) or not len(b):
        return _empty(len(a)), _empty(len(b))
    plan = _plan(a, b, weights)
    if plan is None:
        backward = {}
        for row, columns in (excluded or {}).items():
            for column in columns:
                backward.setdefault(column, []).append(row)
        return (
            _score_rows_blocks(a, b, weights, k=k, min_score=min_score, excluded=excluded),
            _score_rows_blocks(b, a, weights, k=k, min_score=min_score, excluded=backward),
        )
    rows, columns = _Pass(
        plan, len(a), len(b), k=k, min_score=min_score, columns_too=True, excluded=excluded
    ).run(_threads())
    excluded_rows, excluded_columns = _excluded_arrays(excluded)
    return (
        _select(plan, rows, len(a), k, min_score, transpose=False,
                recompute=_AllPairs(len(a), len(b), excluded_rows, excluded_columns, transpose=False)),
        _select(plan, columns, len(b), k, min_score, transpose=True,
                recompute=_AllPairs(len(a), len(b), excluded_rows, excluded_columns, transpose=True)),
    )  # fmt: skip
