"""Fast path, part 1: exact lookup tables and the text screening plan of one pass."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.scoring.blocks import _share
from matching.scoring.core import COMPONENTS, ISIC_DIVISION_SCORE, TEXT_SATURATION, Weights, text_similarity
from matching.scoring.matrices import SideMatrices

# Every component but text is a function of a few small integers per pair (shared industries, shared ISIC
# divisions, how many sought capabilities / roles / required certifications the other side has, with how
# many were sought, languages in common, the two size classes and EEC flags). Packed in mixed radix, those
# integers come out of one float32 matrix product per group of components, exactly (they stay far below
# 2**24), and a lookup in a table computed once with the reference's own arithmetic gives the terms of the
# score bit for bit. Only the text similarity is continuous: a float32 product over the n-grams both sides
# use screens it, within a proven bound (``_Plan.delta``); a pair without any n-gram in common screens at
# exactly 0, so its screened score is exact (as is every score when the text weight is 0).
#
# The pairs are scored in tiles of TILE_ROWS × TILE_COLUMNS (two threads share the columns). Each row (and
# each column, for both ways) has a pool of candidates: once it holds k of them, a screened score below its
# k-th best − delta cannot be in the exact top k, nor can an exact score that ties or trails an exact k-th
# (positions only grow). At the end, the candidates that can still be in a list get their exact score (the
# text dot product summed in column order, as the sparse product of ``component_block`` does) and are
# ranked exactly: score descending, then position. No dense matrix larger than a tile is ever built.
TILE_ROWS = 256
TILE_COLUMNS = 2048
TABLE_LIMIT = 1 << 21  # entries of one lookup table (16 MiB of float64)
DENSE_TEXT_BYTES = 256 << 20  # dense n-gram columns of both sides, at most
DENSE_TEXT_DENSITY = 1 / 256  # an n-gram goes dense when share_a × share_b of the companies using it is ≥
PARALLEL_MIN_PAIRS = 4_000_000  # smaller passes run in one thread
POOL_CAPACITY = 4  # candidates kept per target between compactions, in multiples of k
# A field of at least this many columns, whose two sides' shares of non-zero entries multiply to at most
# this (at most one product in 256 of a dense product would not be 0), is multiplied as sparse matrices
# (``_sparse_field``): on the synthetic directory the capabilities (282 columns, 1–4 a company: 1 in
# 22,000) and the certificates (80 columns: 1 in 1,000); the industries, divisions, roles and languages stay
# dense.
SPARSE_FIELD_COLUMNS = 32
SPARSE_FIELD_DENSITY = 1 / 256
FEW_ROWS = 8  # one company's rescoring: dense blocks are cheaper than the fast path's tables
_NO_POSITION = np.iinfo(np.int64).max


def _tri(values):
    return values * (values + 1) // 2


@dataclass
class _Field:
    """One small non-negative integer per pair: a[i] · b[j] + a_const[i] + b_const[j], below ``size``."""

    a: np.ndarray
    b: np.ndarray
    a_const: np.ndarray
    b_const: np.ndarray
    size: int
    decode: dict[str, np.ndarray]  # what an index of the field means (e.g. wanted and hits of a share)


def _max_product(a: np.ndarray, b: np.ndarray) -> int:
    """An upper bound of a[i] · b[j] over all pairs (both non-negative)."""
    if not len(a) or not len(b) or not a.shape[1]:
        return 0
    return int(min((a @ b.max(axis=0)).max(), (b @ a.max(axis=0)).max()))


def _count_field(a: np.ndarray, b: np.ndarray) -> _Field:
    size = _max_product(a, b) + 1
    return _Field(a, b, np.zeros(len(a)), np.zeros(len(b)), size, {"count": np.arange(size)})


def _share_field(seeking: np.ndarray, offering: np.ndarray, *, forward: bool) -> _Field:
    """(wanted, hits) of the seeking side's share, hits ≤ wanted, indexed tri(wanted) + hits."""
    wanted = seeking.sum(axis=1).astype(np.int64)
    top = int(wanted.max(initial=0))
    size = int(_tri(top + 1))
    decode_wanted = np.repeat(np.arange(top + 1), np.arange(1, top + 2))
    decode_hits = np.arange(size) - _tri(decode_wanted)
    decode = {"wanted": decode_wanted, "hits": decode_hits}
    base = _tri(wanted).astype(np.float64)
    if forward:  # the seeking side is a
        return _Field(seeking, offering, base, np.zeros(len(offering)), size, decode)
    return _Field(offering, seeking, np.zeros(len(offering)), base, size, decode)


def _side_field(values: np.ndarray, *, on_a: bool, other: int) -> _Field:
    size = int(values.max(initial=0)) + 1
    empty_a = np.zeros((len(values) if on_a else other, 0))
    empty_b = np.zeros((other if on_a else len(values), 0))
    zeros = np.zeros(other)
    values = values.astype(np.float64)
    if on_a:
        return _Field(empty_a, empty_b, values, zeros, size, {"count": np.arange(size)})
    return _Field(empty_a, empty_b, zeros, values, size, {"count": np.arange(size)})


def _fields(a: SideMatrices, b: SideMatrices) -> dict[str, _Field]:
    size_a, size_b = a.size_rank + 1, b.size_rank + 1  # 0 = unknown
    return {
        "shared": _count_field(a.industries_weighted, b.industries),
        "division": _count_field(a.divisions, b.divisions),
        # either way: what one looks for of the industry-neutral roles, the other fills
        "neutral": _count_field(
            np.hstack([a.neutral_seeks, a.neutral_offers]), np.hstack([b.neutral_offers, b.neutral_seeks])
        ),
        "cap_f": _share_field(a.seeks, b.capabilities, forward=True),
        "cap_b": _share_field(b.seeks, a.capabilities, forward=False),
        "role_f": _share_field(a.looking_for, b.roles, forward=True),
        "role_b": _share_field(b.looking_for, a.roles, forward=False),
        "cert_ab": _share_field(a.requires, b.holds, forward=True),
        "cert_ba": _share_field(b.requires, a.holds, forward=False),
        "language": _count_field(a.languages, b.languages),
        "size_a": _side_field(size_a, on_a=True, other=len(b)),
        "size_b": _side_field(size_b, on_a=False, other=len(a)),
        "eec_a": _side_field(a.in_eec.astype(np.int64), on_a=True, other=len(b)),
        "eec_b": _side_field(b.in_eec.astype(np.int64), on_a=False, other=len(a)),
    }


class _Group:
    """Fields packed into one code per pair (mixed radix, the first field most significant), the float32
    matrices whose product gives that code, and the tables indexed by it."""

    def __init__(self, name: str, fields: dict[str, _Field], names: Sequence[str]):
        self.name = name
        self.names = tuple(names)
        sizes = [fields[n].size for n in names]
        self.size = math.prod(sizes)
        radices = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
        chosen = [fields[n] for n in names]
        n_a, n_b = len(chosen[0].a_const), len(chosen[0].b_const)
        a_const = sum((f.a_const * r for f, r in zip(chosen, radices, strict=True)), np.zeros(n_a))
        b_const = sum((f.b_const * r for f, r in zip(chosen, radices, strict=True)), np.zeros(n_b))
        dense, scattered = [], []
        for f, r in zip(chosen, radices, strict=True):
            (scattered if _sparse_field(f) else dense).append((f, r))
        # Built in float32 throughout (every entry is a small integer or quarter, exact in it): a float64
        # copy of these matrices was the largest temporary of a pass (0.5 GiB a side at 100,000 companies).
        self.a = _float32([f.a * r for f, r in dense] + [a_const[:, None], 1.0])
        self.b = _float32([f.b for f, _r in dense] + [1.0, b_const[:, None]])
        # The wide, sparse fields (capabilities sought × offered, certificates required × held: hundreds of
        # columns, a few entries a row) as sparse matrices: their products, added to the dense one's, give
        # the same integers (every partial sum of non-negative terms is at most the code, far below 2**24)
        # at a fraction of the dense product's cost (``SPARSE_FIELD_COLUMNS``).
        self.a_sparse = self.b_sparse = None
        if scattered:
            self.a_sparse = sparse.csr_matrix(np.hstack([f.a * r for f, r in scattered]), dtype=np.float32)
            self.b_sparse = sparse.csr_matrix(np.hstack([f.b for f, _r in scattered]), dtype=np.float32)
        self.index = dict(zip(names, np.unravel_index(np.arange(self.size), sizes), strict=True))
        self.decode = {n: fields[n].decode for n in names}
        self.tables: dict[str, np.ndarray] = {}

    def value(self, field: str, part: str = "count") -> np.ndarray:
        """What ``field`` means at every entry of the table."""
        return self.decode[field][part][self.index[field]]

    def codes(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The codes of the pairs (i[p], j[p]) (exact: small integers)."""
        codes = np.empty(len(i), dtype=np.intp)
        for start in range(0, len(i), 65536):
            rows, partners = i[start : start + 65536], j[start : start + 65536]
            values = np.einsum("ij,ij->i", self.a[rows], self.b[partners]).astype(np.float64)
            if self.a_sparse is not None:
                products = self.a_sparse[rows].multiply(self.b_sparse[partners])
                values += np.asarray(products.sum(axis=1)).ravel()
            codes[start : start + len(rows)] = values
        return codes

    def product(self, row_start: int, row_stop: int, column_start: int, column_stop: int, out: np.ndarray):
        """The codes of a tile of pairs (as float32 integers) into ``out``."""
        np.matmul(self.a[row_start:row_stop], self.b[column_start:column_stop].T, out=out)
        if self.a_sparse is not None:
            extra = (self.a_sparse[row_start:row_stop] @ self.b_sparse[column_start:column_stop].T).tocoo()
            out[extra.row, extra.col] += extra.data
        return out


def _sparse_field(field: _Field) -> bool:
    """Whether a field's product goes through sparse matrices: wide, and a few entries a row on both sides
    (a dense product spends most of its work on zeros there)."""
    width = field.a.shape[1]
    if width < SPARSE_FIELD_COLUMNS or not len(field.a) or not len(field.b):
        return False
    density = (np.count_nonzero(field.a) / field.a.size) * (np.count_nonzero(field.b) / field.b.size)
    return density <= SPARSE_FIELD_DENSITY


def _float32(parts: list) -> np.ndarray:
    """The parts side by side as one float32 matrix (a float: a column of it)."""
    rows = next(len(part) for part in parts if not isinstance(part, float))
    return np.hstack(
        [
            np.full((rows, 1), part, dtype=np.float32)
            if isinstance(part, float)
            else np.asarray(part).astype(np.float32, copy=False)
            for part in parts
        ]
    )


def _share_values(group: _Group, field: str) -> tuple[np.ndarray, np.ndarray]:
    wanted, hits = group.value(field, "wanted"), group.value(field, "hits")
    return _share(hits, wanted), wanted > 0


def _fit(group: _Group, forward: str, backward: str) -> np.ndarray:
    """The reference's _plain_two_sided of two shares: their mean if both are defined, else the one."""
    f, f_defined = _share_values(group, forward)
    b, b_defined = _share_values(group, backward)
    return np.where(f_defined & b_defined, (f + b) / 2.0, np.where(f_defined, f, np.where(b_defined, b, 0.0)))


def _certificate(group: _Group, field: str) -> np.ndarray:
    share, defined = _share_values(group, field)
    return np.where(defined, share, 1.0)


@dataclass
class _Plan:
    groups: list[_Group]
    x_parts: str  # "IC", "I+C" or "I+CAP+ROLE": how the industry and complementarity terms are looked up
    cp_parts: str  # "CP" or "CERT+PRAC"
    weights: tuple[float, ...]
    total_weight: float
    text: _Text
    delta: float  # bound on |screening score − exact score|, with a safety factor
    radices: tuple[int, ...] | None = None  # the groups' codes packed in one int64 key per pair, if it fits
    # When the plan was built on both sides in a clustered order (``bounds.cluster_order``): a caller's
    # position → the plan's. Everything outside the tiles speaks in the caller's positions.
    inv_a: np.ndarray | None = None
    inv_b: np.ndarray | None = None

    def group(self, name: str) -> _Group:
        return next(g for g in self.groups if g.name == name)

    def codes(self, i: np.ndarray, j: np.ndarray, keys: np.ndarray | None = None) -> dict[str, np.ndarray]:
        if keys is None or self.radices is None:
            return {group.name: group.codes(i, j) for group in self.groups}
        return {
            group.name: (keys // radix) % group.size
            for group, radix in zip(self.groups, self.radices, strict=True)
        }

    def keys(self, codes: dict[str, np.ndarray], cells: np.ndarray) -> np.ndarray:
        """The packed keys of some cells of tiles of codes (zeros if they do not fit in an int64)."""
        keys = np.zeros(len(cells), dtype=np.int64)
        if self.radices is not None:
            for group, radix in zip(self.groups, self.radices, strict=True):
                keys += codes[group.name].ravel()[cells] * radix
        return keys


def _tables(plan_groups: dict[str, _Group], weights: Weights) -> None:
    """Each table entry with the reference's arithmetic, operation by operation (bit for bit)."""
    w = {name: float(getattr(weights, name)) for name in COMPONENTS}
    penalty = float(weights.missing_certification_penalty)
    for name, group in plan_groups.items():
        tables = group.tables
        names = set(group.names)
        if {"shared", "division", "neutral"} <= names:
            shared = group.value("shared").astype(np.float64)
            division = group.value("division")
            industry = np.maximum(
                np.minimum(1.0, shared / 2.0), np.where(division > 0, ISIC_DIVISION_SCORE, 0.0)
            )
            tables["industry"] = np.where(group.value("neutral") > 0, 1.0, industry)
        if {"cap_f", "cap_b"} <= names:
            tables["capability_fit"] = _fit(group, "cap_f", "cap_b")
        if {"role_f", "role_b"} <= names:
            tables["role_fit"] = _fit(group, "role_f", "role_b")
        if "capability_fit" in tables and "role_fit" in tables:
            tables["complementarity"] = 0.7 * tables["capability_fit"] + 0.3 * tables["role_fit"]
        if {"cert_ab", "cert_ba"} <= names:
            cert_ab, cert_ba = _certificate(group, "cert_ab"), _certificate(group, "cert_ba")
            tables["certification"] = (cert_ab + cert_ba) / 2.0
            tables["penalty"] = 1.0 - penalty * (1.0 - np.minimum(cert_ab, cert_ba))
            tables["x_certification"] = w["certification"] * tables["certification"]
        if "language" in names:
            language = np.where(group.value("language") > 0, 1.0, 0.0)
            size_a, size_b = group.value("size_a"), group.value("size_b")
            known = (size_a > 0) & (size_b > 0)
            size = np.where(known, 1.0 - np.abs(size_a - size_b) / 3.0, 0.5)
            eec = np.where((group.value("eec_a") > 0) | (group.value("eec_b") > 0), 1.0, 0.0)
            tables["practical"] = 0.5 * language + 0.3 * size + 0.2 * eec
            tables["y"] = w["practical"] * tables["practical"]
        if name == "IC":
            industry, complementarity = tables["industry"], tables["complementarity"]
            tables["x"] = w["industry"] * industry + w["complementarity"] * complementarity
        elif name == "I":
            tables["x"] = w["industry"] * tables["industry"]
        elif name == "C":
            tables["x"] = w["complementarity"] * tables["complementarity"]
        elif name == "CAP":
            tables["x"] = 0.7 * tables["capability_fit"]
        elif name == "ROLE":
            tables["x"] = 0.3 * tables["role_fit"]


@dataclass
class _Text:
    """The n-grams both sides use. The frequent ones are dense columns: ``b_dense`` for exact similarities
    (each row of ``a`` lists its non-zero dense columns in order: ``a_columns``, ``a_values``, padded with
    zeros) and, for screening when the text weight is not 0, float32 copies (``a_screen`` with the weight
    folded in, ``b_screen``). The rare ones stay sparse (``a_rest``, ``b_rest``)."""

    b_dense: np.ndarray
    a_columns: np.ndarray
    a_values: np.ndarray
    a_rest: sparse.csr_matrix | None
    b_rest: sparse.csr_matrix | None
    a_screen: np.ndarray | None  # None when the text weight is 0 (no screening needed)
    b_screen: np.ndarray | None
    error: float  # bound on |screened − exact| weight × similarity

    def exact(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Text similarity of the pairs (i[p], j[p]), a deterministic function of the two rows: the products
        in column order, summed one after the other (dense columns, then rare ones). With no rare columns it
        is the sum in the order of the sparse product of ``component_block``, bit for bit."""
        similarity = np.zeros(len(i))
        width = self.b_dense.shape[1]
        for start in range(0, len(i), 16384):
            rows, partners = i[start : start + 16384], j[start : start + 16384]
            if self.a_columns.shape[1]:
                cells = partners[:, None] * width + self.a_columns[rows]
                products = self.a_values[rows] * np.take(self.b_dense, cells)
                similarity[start : start + len(rows)] = np.cumsum(products, axis=1)[:, -1]
            if self.a_rest is not None:
                rest = self.a_rest[rows].multiply(self.b_rest[partners]).tocsr()
                similarity[start : start + len(rows)] += rest @ np.ones(rest.shape[1])
        return similarity


def _text_plan(a: sparse.csr_matrix, b: sparse.csr_matrix, text_weight: float) -> _Text:
    used_a = np.bincount(a.indices, minlength=a.shape[1])
    used_b = np.bincount(b.indices, minlength=b.shape[1])
    common = np.flatnonzero((used_a > 0) & (used_b > 0))
    a_common, b_common = a[:, common].tocsr(), b[:, common].tocsr()
    a_common.sort_indices()
    b_common.sort_indices()
    share = (used_a[common] / max(1, a.shape[0])) * (used_b[common] / max(1, b.shape[0]))
    budget = max(0, DENSE_TEXT_BYTES // (4 * max(1, a.shape[0] + 3 * b.shape[0])))
    order = np.argsort(-share, kind="stable")
    dense = np.sort(order[: min(budget, int((share >= DENSE_TEXT_DENSITY).sum()))])
    rest = np.setdiff1d(np.arange(len(common)), dense)
    a_dense_sparse = a_common[:, dense].tocsr()
    a_dense_sparse.sort_indices()
    lengths = np.diff(a_dense_sparse.indptr)
    width = int(lengths.max(initial=0))
    slots = np.arange(width)[None, :] < lengths[:, None]
    a_columns = np.zeros((a.shape[0], width), dtype=np.intp)
    a_values = np.zeros((a.shape[0], width))
    a_columns[slots] = a_dense_sparse.indices
    a_values[slots] = a_dense_sparse.data
    a_rest = b_rest = None
    rest_terms = 0
    if len(rest):
        a_rest, b_rest = a_common[:, rest].tocsr(), b_common[:, rest].tocsr()
        a_rest.sort_indices()
        b_rest.sort_indices()
        rest_terms = int(np.diff(a_rest.indptr).max(initial=0))
    text = _Text(
        b_dense=np.ascontiguousarray(b_common[:, dense].toarray()),
        a_columns=a_columns,
        a_values=a_values,
        a_rest=a_rest,
        b_rest=b_rest,
        a_screen=None,
        b_screen=None,
        error=0.0,
    )
    if text_weight and a_common.nnz and b_common.nnz:
        # The screened term is weight × similarity / TEXT_SATURATION (clipped at the weight by the pass).
        text_weight = text_weight / TEXT_SATURATION
        # float32 products of non-zero entries must not underflow: a screened 0 means no n-gram in common.
        smallest = text_weight * a_common.data.min() * b_common.data.min()
        screen = np.float32 if smallest > 1e-30 else np.float64
        text.a_screen = np.ascontiguousarray(a_dense_sparse.toarray() * text_weight, dtype=screen)
        text.b_screen = np.ascontiguousarray(text.b_dense, dtype=screen)
        # Σ|aₖbₖ| ≤ |a|·|b|; each screened sum is off by at most (terms + 6)·u of it (rounding the inputs,
        # the products and the running sum), the exact one (float64) by terms·2⁻⁵³ of it.
        norms = float(np.sqrt(a_common.multiply(a_common).sum(axis=1).max()))
        norms *= float(np.sqrt(b_common.multiply(b_common).sum(axis=1).max()))
        unit = float(np.finfo(screen).eps) / 2
        terms = len(dense) + rest_terms
        text.error = text_weight * norms * ((terms + 6) * unit + terms * 2.0**-53)
    return text


def _plan(a: SideMatrices, b: SideMatrices, weights: Weights) -> _Plan | None:
    """The groups, tables and text matrices of one pass; None when a table would be too large."""
    fields = _fields(a, b)

    def fits(names):
        return math.prod(fields[n].size for n in names) <= TABLE_LIMIT

    industry, capability, role = ["shared", "division", "neutral"], ["cap_f", "cap_b"], ["role_f", "role_b"]
    certificate, practical = ["cert_ab", "cert_ba"], ["language", "size_a", "size_b", "eec_a", "eec_b"]
    if fits(industry + capability + role):
        x_parts, x_groups = "IC", {"IC": industry + capability + role}
    elif fits(industry) and fits(capability + role):
        x_parts, x_groups = "I+C", {"I": industry, "C": capability + role}
    elif fits(industry) and fits(capability) and fits(role):
        x_parts, x_groups = "I+CAP+ROLE", {"I": industry, "CAP": capability, "ROLE": role}
    else:
        return None
    if fits(certificate + practical):
        cp_parts, cp_groups = "CP", {"CP": certificate + practical}
    elif fits(certificate) and fits(practical):
        cp_parts, cp_groups = "CERT+PRAC", {"CERT": certificate, "PRAC": practical}
    else:
        return None
    groups = {name: _Group(name, fields, names) for name, names in {**x_groups, **cp_groups}.items()}
    _tables(groups, weights)
    vector = tuple(float(getattr(weights, name)) for name in COMPONENTS)
    total_weight = float(sum(getattr(weights, name) for name in COMPONENTS))
    text_weight = vector[COMPONENTS.index("text")]
    text = _text_plan(a.text, b.text, text_weight)
    # The score moves by at most 100/Σw per unit of weight × similarity (the penalty factor is ≤ 1); twice
    # the largest error, with a safety factor, plus the float64 rounding of the other operations.
    delta = 4 * 100.0 * text.error / abs(total_weight) + 1e-9
    sizes = [group.size for group in groups.values()]
    radices = tuple(math.prod(sizes[index + 1 :]) for index in range(len(sizes)))
    return _Plan(
        groups=list(groups.values()), x_parts=x_parts, cp_parts=cp_parts, weights=vector,
        total_weight=total_weight, text=text, delta=delta,
        radices=radices if math.prod(sizes) < 2**62 else None,
    )  # fmt: skip


def _evaluate(plan: _Plan, take, out: np.ndarray, spare: np.ndarray, text: np.ndarray | None) -> np.ndarray:
    """The score from looked-up terms, in the reference's order of operations:
    100 × (((w₁·industry + w₂·complementarity) + w₃·certification) + w₄·text) + w₅·practical) / Σw × P.
    ``take(group, table, out)`` looks a table up for every pair; ``text`` is w₄·min(1, similarity)."""
    if plan.x_parts == "IC":
        take("IC", "x", out)
    elif plan.x_parts == "I+C":
        take("I", "x", out)
        np.add(out, take("C", "x", spare), out=out)
    else:
        take("CAP", "x", out)
        np.add(out, take("ROLE", "x", spare), out=out)
        np.multiply(out, plan.weights[COMPONENTS.index("complementarity")], out=out)
        np.add(out, take("I", "x", spare), out=out)
    certificate = "CP" if plan.cp_parts == "CP" else "CERT"
    np.add(out, take(certificate, "x_certification", spare), out=out)
    if text is not None:
        np.add(out, text, out=out)
    np.add(out, take("CP" if plan.cp_parts == "CP" else "PRAC", "y", spare), out=out)
    if plan.total_weight != 1.0:  # x / 1.0 is x
        np.divide(out, plan.total_weight, out=out)
    np.multiply(out, 100.0, out=out)
    np.multiply(out, take(certificate, "penalty", spare), out=out)
    return out


def _pair_evaluation(plan: _Plan, i, j, keys=None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Exact scores and components of the pairs (i[p], j[p]) (``keys``: their packed codes, if known)."""
    if plan.inv_a is not None:
        i, j = plan.inv_a[i], plan.inv_b[j]
    codes = plan.codes(i, j, keys)
    tables = {}
    for group in plan.groups:
        for name, table in group.tables.items():
            tables.setdefault(name, (table, codes[group.name]))

    def take(group, table, out):
        return np.take(plan.group(group).tables[table], codes[group], out=out, mode="clip")

    similarity = text_similarity(plan.text.exact(i, j))
    text = plan.weights[COMPONENTS.index("text")] * similarity if plan.text.a_screen is not None else None
    scores = _evaluate(plan, take, np.empty(len(i)), np.empty(len(i)), text)
    components = {"text": similarity}
    for name in ("industry", "certification", "practical"):
        table, code = tables[name]
        components[name] = np.take(table, code, mode="clip")
    if "complementarity" in tables:
        table, code = tables["complementarity"]
        components["complementarity"] = np.take(table, code, mode="clip")
    else:
        (capability, cap_code), (role, role_code) = tables["capability_fit"], tables["role_fit"]
        components["complementarity"] = 0.7 * np.take(capability, cap_code, mode="clip") + 0.3 * np.take(
            role, role_code, mode="clip"
        )
    return scores, components


def _groups(targets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For targets sorted into runs: the run starts, their lengths and each entry's index in its run."""
    starts = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1]]) if len(targets) else np.zeros(0, int)
    sizes = np.diff(np.append(starts, len(targets)))
    return starts, sizes, np.arange(len(targets)) - np.repeat(starts, sizes)
