"""Explainable scoring of Thai × Japanese company pairs (pure: NumPy/SciPy/scikit-learn, no Django).

score = 100 × P × Σ wᵢ·cᵢ / Σ wᵢ over five components in [0, 1]:

* industry: shared industries, a focus industry counting double (min(1, Σ/2)); failing that, 0.3 when
  the two share an ISIC Rev.4 division.
* complementarity: 0.7 × capabilities (the share of what each side seeks that the other offers, averaged
  over the sides that seek something) + 0.3 × roles (the share of what each side is looking for —
  supplier, customer, … — that the other can be).
* certification: the share of each side's required certifications that the other holds (valid; AS9100 ≡
  JIS Q 9100), averaged. A missing required certification also multiplies the whole score by
  P = 1 − penalty × (1 − the smaller share), so it "strongly lowers" it.
* text: cosine similarity of character 2–3-gram TF-IDF vectors of descriptions and postings (works for
  Thai and Japanese, which have no spaces); across languages the glossary's inferred tags carry the match.
* practical: 0.5 × a common working language + 0.3 × size compatibility + 0.2 × an EEC location.

``score_rows`` keeps the exact top-k per row (ties broken by the partner's position, i.e. by id) and
``score_both_ways`` the top-k of both sides from one pass over the pairs (scores are symmetric). Both run
the fast path below (no Python loop over pairs): exact lookup tables for every component but text, and a
float32 screening of text similarities; only the pairs that can enter a list get their exact text
similarity. Their scores are bit for bit those of the block-by-block ``component_block`` + ``combine`` (the
incremental rescoring of one company, and the fallback). ``reference_score`` is the plain per-pair
implementation of the same formula: the oracle of the tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from matching.understanding.columns import certificate_columns, held_columns, required_columns

COMPONENTS = ("industry", "complementarity", "certification", "text", "practical")
SIZE_RANKS = {"micro": 0, "small": 1, "medium": 2, "large": 3}
# Rows of one side scored at once against all of the other side by the block path (``component_block``).
# Memory: about 10 dense float64 matrices of BLOCK_ROWS × n_other, i.e. 10 × 256 × 20,000 × 8 B ≈ 400 MB at
# 20k companies per country.
BLOCK_ROWS = 256
TEXT_FEATURES = 2**20
# Each text keeps its strongest n-grams only (after TF-IDF): rarer, more telling n-grams, and sparse
# products that stay cheap at 20,000 × 20,000 companies.
TEXT_TERMS_KEPT = 48
ISIC_DIVISION_SCORE = 0.3
# A pair scoring below this is never proposed.
MIN_SCORE = 1.0


@dataclass(frozen=True)
class Weights:
    industry: float = 0.25
    complementarity: float = 0.30
    certification: float = 0.15
    text: float = 0.15
    practical: float = 0.15
    missing_certification_penalty: float = 0.5

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in COMPONENTS], dtype=np.float64)


@dataclass(frozen=True)
class CompanyFeatures:
    """What the scorer knows of one company. Sets hold slugs; certification slugs are canonical."""

    id: int
    industries: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()  # what it offers (declared, offer postings, inferred)
    seeks: frozenset[str] = frozenset()  # what it looks for in a partner (declared, need postings)
    looking_for: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()  # which looking-for roles this company can fill for a partner
    requires: frozenset[str] = frozenset()
    holds: frozenset[str] = frozenset()
    stated: frozenset[str] = frozenset()  # certificates only stated in the text (not verified), not in holds
    languages: frozenset[str] = frozenset()
    size_class: str = ""
    in_eec: bool = False
    text: str = ""
    inferred: frozenset[str] = field(default=frozenset(), compare=False)  # tags that came from the glossary
    readiness: float | None = field(default=None, compare=False)  # Shindan, 0–100: reasons and ties only


@dataclass(frozen=True)
class Vocabulary:
    industries: tuple[str, ...]
    focus_industries: frozenset[str]
    isic_divisions: dict[str, frozenset[str]]  # industry slug → 2-digit ISIC divisions
    capabilities: tuple[str, ...]
    certifications: tuple[str, ...]
    roles: tuple[str, ...]
    languages: tuple[str, ...] = ("th", "ja", "en")


# --------------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------------
_HASHER = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 3), n_features=TEXT_FEATURES, alternate_sign=False, norm=None
)
# The same n-grams of text that is already lower-case (one word at a time, see text_counts).
_WORD_HASHER = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 3),
    n_features=TEXT_FEATURES,
    alternate_sign=False,
    norm=None,
    lowercase=False,
)


def text_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Character 2–3-gram counts (stateless hashing, so one company can be added without refitting).

    Equal to ``_HASHER.transform(texts)``: its char_wb n-grams never cross whitespace, so a text's counts
    are the sum of its (lower-cased) words' counts, and each distinct word is analysed once."""
    if not texts:
        return sparse.csr_matrix((0, TEXT_FEATURES), dtype=np.float64)
    index: dict[str, int] = {}
    words = [[index.setdefault(word, len(index)) for word in text.lower().split()] for text in texts]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    if not index:
        return sparse.csr_matrix((len(texts), TEXT_FEATURES), dtype=np.float64)
    columns = np.fromiter(chain.from_iterable(words), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(texts)), lengths)
    occurrences = sparse.csr_matrix(
        (np.ones(len(columns)), (rows, columns)), shape=(len(texts), len(index))
    )  # duplicates summed: how often each word occurs in each text
    counts = sparse.csr_matrix(occurrences @ _WORD_HASHER.transform(list(index)), dtype=np.float64)
    counts.sum_duplicates()  # sorted indices, as the hasher leaves them
    return counts


def idf_from(*count_matrices: sparse.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency over all the given documents (both countries)."""
    total = sum(matrix.shape[0] for matrix in count_matrices)
    df = np.zeros(TEXT_FEATURES, dtype=np.float64)
    for matrix in count_matrices:
        df += np.bincount(matrix.indices, minlength=TEXT_FEATURES)
    return np.log((1.0 + total) / (1.0 + df)) + 1.0


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF × IDF, rows L2-normalised (an empty text stays a zero row)."""
    if counts.shape[0] == 0:
        return counts
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    weighted.sort_indices()
    lengths = np.diff(weighted.indptr)
    long = np.flatnonzero(lengths > TEXT_TERMS_KEPT)
    if len(long):
        # Keep the strongest n-grams; at equal weight the lower column wins, so the choice is stable. The
        # rows that have too many, padded into one matrix: everything above the row's TEXT_TERMS_KEPT-th
        # weight stays, and of the weights equal to it the first ones (lower columns) up to the count.
        width = int(lengths[long].max())
        slots = np.arange(width)[None, :] < lengths[long][:, None]
        cells = (weighted.indptr[long][:, None] + np.arange(width)[None, :])[slots]
        values = np.full((len(long), width), -np.inf)
        values[slots] = weighted.data[cells]
        kth = np.partition(values, width - TEXT_TERMS_KEPT, axis=1)[:, width - TEXT_TERMS_KEPT][:, None]
        drop = values < kth
        surplus = np.flatnonzero(
            (~drop).sum(axis=1) > TEXT_TERMS_KEPT
        )  # more ties at the threshold than room
        if len(surplus):
            tied = values[surplus] == kth[surplus]
            room = TEXT_TERMS_KEPT - (values[surplus] > kth[surplus]).sum(axis=1, keepdims=True)
            drop[surplus] |= tied & (np.cumsum(tied, axis=1) > room)
        weighted.data[cells[drop[slots]]] = 0.0
    weighted.eliminate_zeros()
    return normalize(weighted, norm="l2", copy=False)


# --------------------------------------------------------------------------------------------------
# Matrices
# --------------------------------------------------------------------------------------------------
def _one_hot(sets: Iterable[Iterable[str]], columns: Sequence[str], weights: dict[str, float] | None = None):
    index = {name: position for position, name in enumerate(columns)}
    rows, cols, data = [], [], []
    count = 0
    for row, values in enumerate(sets):
        count += 1
        for value in values:
            position = index.get(value)
            if position is not None:
                rows.append(row)
                cols.append(position)
                data.append(weights.get(value, 1.0) if weights else 1.0)
    matrix = np.zeros((count, len(columns)), dtype=np.float64)
    if rows:
        matrix[rows, cols] = data
    return matrix


@dataclass
class SideMatrices:
    """One country's companies as sparse matrices (rows in the order of ``ids``)."""

    ids: np.ndarray
    # Small dense 0/1 matrices (tens of columns): dense products use BLAS and beat sparse ones here.
    industries: np.ndarray
    industries_weighted: np.ndarray
    divisions: np.ndarray
    capabilities: np.ndarray
    seeks: np.ndarray
    looking_for: np.ndarray
    roles: np.ndarray
    requires: np.ndarray
    holds: np.ndarray
    languages: np.ndarray
    size_rank: np.ndarray  # -1 unknown
    in_eec: np.ndarray
    text: sparse.csr_matrix  # TF-IDF rows

    def rows(self, start: int, stop: int) -> SideMatrices:
        return self._map(lambda matrix: matrix[start:stop])

    def take(self, positions: np.ndarray) -> SideMatrices:
        """These rows, in this order."""
        return self._map(lambda matrix: matrix[positions])

    @staticmethod
    def stack(parts: Sequence[SideMatrices]) -> SideMatrices:
        """The rows of all the parts, one part after the other."""
        fields = {
            name: np.concatenate([getattr(part, name) for part in parts])
            for name in ("ids", *_SIDE_FIELDS)
            if name != "text"
        }
        return SideMatrices(**fields, text=sparse.vstack([part.text for part in parts], format="csr"))

    def _map(self, function) -> SideMatrices:
        return SideMatrices(
            ids=function(self.ids), **{name: function(getattr(self, name)) for name in _SIDE_FIELDS}
        )

    def __len__(self) -> int:
        return len(self.ids)


_SIDE_FIELDS = (
    "industries", "industries_weighted", "divisions", "capabilities", "seeks", "looking_for", "roles",
    "requires", "holds", "languages", "size_rank", "in_eec", "text",
)  # fmt: skip


def build_side(companies: Sequence[CompanyFeatures], vocabulary: Vocabulary, text_rows: sparse.csr_matrix):
    divisions = sorted({d for values in vocabulary.isic_divisions.values() for d in values})
    focus_weights = dict.fromkeys(vocabulary.focus_industries, 2.0)
    certificates = certificate_columns(vocabulary.certifications)  # stated ones count half
    return SideMatrices(
        ids=np.array([c.id for c in companies], dtype=np.int64),
        industries=_one_hot((c.industries for c in companies), vocabulary.industries),
        industries_weighted=_one_hot((c.industries for c in companies), vocabulary.industries, focus_weights),
        divisions=_one_hot(
            (
                {d for slug in c.industries for d in vocabulary.isic_divisions.get(slug, ())}
                for c in companies
            ),
            divisions,
        ),
        capabilities=_one_hot((c.capabilities for c in companies), vocabulary.capabilities),
        seeks=_one_hot((c.seeks for c in companies), vocabulary.capabilities),
        looking_for=_one_hot((c.looking_for for c in companies), vocabulary.roles),
        roles=_one_hot((c.roles for c in companies), vocabulary.roles),
        requires=_one_hot((required_columns(c.requires) for c in companies), certificates),
        holds=_one_hot((held_columns(c.holds, c.stated) for c in companies), certificates),
        languages=_one_hot((c.languages for c in companies), vocabulary.languages),
        size_rank=np.array([SIZE_RANKS.get(c.size_class, -1) for c in companies], dtype=np.int64),
        in_eec=np.array([c.in_eec for c in companies], dtype=bool),
        text=text_rows,
    )


def prepare(
    side_a: Sequence[CompanyFeatures],
    side_b: Sequence[CompanyFeatures],
    vocabulary: Vocabulary,
    *,
    counts_a: sparse.csr_matrix | None = None,
    counts_b: sparse.csr_matrix | None = None,
    idf: np.ndarray | None = None,
) -> tuple[SideMatrices, SideMatrices]:
    """Matrices for both sides, with one IDF over both corpora (text counts and IDF may come precomputed:
    a shard of one country uses the IDF of both whole countries, so every shard scores alike)."""
    if counts_a is None:
        counts_a = text_counts([c.text for c in side_a])
    if counts_b is None:
        counts_b = text_counts([c.text for c in side_b])
    if idf is None:
        idf = idf_from(counts_a, counts_b)
    return (
        build_side(side_a, vocabulary, tfidf(counts_a, idf)),
        build_side(side_b, vocabulary, tfidf(counts_b, idf)),
    )


# --------------------------------------------------------------------------------------------------
# Vectorised scoring, block by block (one company's rescoring; the fallback of the fast path below)
# --------------------------------------------------------------------------------------------------
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


def component_block(a: SideMatrices, b: SideMatrices) -> dict[str, np.ndarray]:
    """All components for every pair of ``a``'s rows × ``b``'s rows (dense len(a) × len(b) arrays)."""
    shared = a.industries_weighted @ b.industries.T
    division = (a.divisions @ b.divisions.T) > 0
    industry = np.maximum(np.minimum(1.0, shared / 2.0), ISIC_DIVISION_SCORE * division)

    seeks_a, seeks_b = a.seeks.sum(axis=1)[:, None], b.seeks.sum(axis=1)[None, :]
    forward = _share(a.seeks @ b.capabilities.T, seeks_a)
    backward = _share(a.capabilities @ b.seeks.T, seeks_b)
    capability_fit = _two_sided(forward, seeks_a > 0, backward, seeks_b > 0)
    wants_a, wants_b = a.looking_for.sum(axis=1)[:, None], b.looking_for.sum(axis=1)[None, :]
    forward = _share(a.looking_for @ b.roles.T, wants_a)
    backward = _share(a.roles @ b.looking_for.T, wants_b)
    role_fit = _two_sided(forward, wants_a > 0, backward, wants_b > 0)
    complementarity = 0.7 * capability_fit + 0.3 * role_fit

    required_a, required_b = a.requires.sum(axis=1)[:, None], b.requires.sum(axis=1)[None, :]
    cert_ab = np.where(required_a > 0, _share(a.requires @ b.holds.T, required_a), 1.0)
    cert_ba = np.where(required_b > 0, _share(a.holds @ b.requires.T, required_b), 1.0)
    certification = (cert_ab + cert_ba) / 2.0
    certification_floor = np.minimum(cert_ab, cert_ba)

    text = np.clip(_dense(a.text @ b.text.T), 0.0, 1.0)

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
        scores = combine(components, weights)
        if excluded:
            for row in range(len(block)):
                banned = list(excluded.get(start + row, ()))
                if banned:
                    scores[row, banned] = -np.inf
        for row, top in enumerate(_top_k_block(scores, k, min_score)):
            result.positions.append(top)
            result.scores.append(scores[row, top])
            result.components.append({name: components[name][row, top] for name in COMPONENTS})
    return result


# --------------------------------------------------------------------------------------------------
# Fast path: exact lookup tables, screened tiles, candidate pools, exact final ranking
# --------------------------------------------------------------------------------------------------
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
        self.a = np.hstack([f.a * r for f, r in zip(chosen, radices, strict=True)] + [a_const[:, None],
                           np.ones((n_a, 1))]).astype(np.float32)  # fmt: skip
        self.b = np.hstack([f.b for f in chosen] + [np.ones((n_b, 1)), b_const[:, None]]).astype(np.float32)
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
            stop = start + 65536
            codes[start:stop] = np.einsum("ij,ij->i", self.a[i[start:stop]], self.b[j[start:stop]])
        return codes


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
        if {"shared", "division"} <= names:
            shared = group.value("shared").astype(np.float64)
            division = group.value("division")
            tables["industry"] = np.maximum(
                np.minimum(1.0, shared / 2.0), np.where(division > 0, ISIC_DIVISION_SCORE, 0.0)
            )
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

    industry, capability, role = ["shared", "division"], ["cap_f", "cap_b"], ["role_f", "role_b"]
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
    codes = plan.codes(i, j, keys)
    tables = {}
    for group in plan.groups:
        for name, table in group.tables.items():
            tables.setdefault(name, (table, codes[group.name]))

    def take(group, table, out):
        return np.take(plan.group(group).tables[table], codes[group], out=out, mode="clip")

    similarity = np.minimum(1.0, np.maximum(0.0, plan.text.exact(i, j)))
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

    def __init__(self, n: int, k: int, min_score: float, delta: float, exact):
        self.k, self.delta, self.min_score, self.exact = k, delta, min_score, exact
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
        self.exact_bound[targets] = np.minimum(np.nextafter(kth, np.inf), near.min(axis=1) - self.delta)

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


# --------------------------------------------------------------------------------------------------
# The reference: one pair at a time, plain Python (the tests' oracle)
# --------------------------------------------------------------------------------------------------
def _plain_share(hits: int, wanted: int) -> float | None:
    return hits / wanted if wanted else None


def _plain_two_sided(forward: float | None, backward: float | None) -> float:
    defined = [value for value in (forward, backward) if value is not None]
    return sum(defined) / len(defined) if defined else 0.0


def reference_components(
    a: CompanyFeatures, b: CompanyFeatures, vocabulary: Vocabulary, text_similarity: float
) -> dict[str, float]:
    shared = sum(2.0 if slug in vocabulary.focus_industries else 1.0 for slug in a.industries & b.industries)
    divisions_a = {d for slug in a.industries for d in vocabulary.isic_divisions.get(slug, ())}
    divisions_b = {d for slug in b.industries for d in vocabulary.isic_divisions.get(slug, ())}
    industry = max(min(1.0, shared / 2.0), ISIC_DIVISION_SCORE if divisions_a & divisions_b else 0.0)
    capability_fit = _plain_two_sided(
        _plain_share(len(a.seeks & b.capabilities), len(a.seeks)),
        _plain_share(len(b.seeks & a.capabilities), len(b.seeks)),
    )
    role_fit = _plain_two_sided(
        _plain_share(len(a.looking_for & b.roles), len(a.looking_for)),
        _plain_share(len(b.looking_for & a.roles), len(b.looking_for)),
    )
    requires_a, requires_b = required_columns(a.requires), required_columns(b.requires)
    holds_a, holds_b = held_columns(a.holds, a.stated), held_columns(b.holds, b.stated)
    cert_ab = len(requires_a & holds_b) / len(requires_a) if a.requires else 1.0
    cert_ba = len(requires_b & holds_a) / len(requires_b) if b.requires else 1.0
    known = a.size_class in SIZE_RANKS and b.size_class in SIZE_RANKS
    size = 1.0 - abs(SIZE_RANKS[a.size_class] - SIZE_RANKS[b.size_class]) / 3.0 if known else 0.5
    return {
        "industry": industry,
        "complementarity": 0.7 * capability_fit + 0.3 * role_fit,
        "certification": (cert_ab + cert_ba) / 2.0,
        "text": min(1.0, max(0.0, text_similarity)),
        "practical": 0.5 * (1.0 if a.languages & b.languages else 0.0)
        + 0.3 * size
        + 0.2 * (a.in_eec or b.in_eec),
        "_certification_floor": min(cert_ab, cert_ba),
    }


def reference_score(components: dict[str, float], weights: Weights) -> float:
    total = sum(getattr(weights, name) * components[name] for name in COMPONENTS)
    total /= sum(getattr(weights, name) for name in COMPONENTS)
    return (
        100.0
        * total
        * (1.0 - weights.missing_certification_penalty * (1.0 - components["_certification_floor"]))
    )


def reference_top_k(
    side_a: Sequence[CompanyFeatures],
    side_b: Sequence[CompanyFeatures],
    vocabulary: Vocabulary,
    weights: Weights,
    text_a: sparse.csr_matrix,
    text_b: sparse.csr_matrix,
    *,
    k: int = 20,
    min_score: float = MIN_SCORE,
) -> list[list[tuple[int, float]]]:
    """For each company of ``side_a``: [(partner position, score)], best first, one pair at a time."""
    result = []
    for i, a in enumerate(side_a):
        row_a = text_a.getrow(i)
        scored = []
        for j, b in enumerate(side_b):
            similarity = float(row_a.multiply(text_b.getrow(j)).sum())
            score = reference_score(reference_components(a, b, vocabulary, similarity), weights)
            if score >= min_score and not math.isnan(score):
                scored.append((j, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        result.append(scored[:k])
    return result
