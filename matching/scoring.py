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

``score_rows`` computes blocks of pairs with sparse products (no Python loop over pairs) and keeps the exact
top-k per row (ties broken by the partner's position, i.e. by id). ``reference_score`` is the plain per-pair
implementation of the same formula: the oracle of the tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

COMPONENTS = ("industry", "complementarity", "certification", "text", "practical")
SIZE_RANKS = {"micro": 0, "small": 1, "medium": 2, "large": 3}
# Rows of one side scored at once against all of the other side. Memory: about 10 dense float64 matrices
# of BLOCK_ROWS × n_other, i.e. 10 × 256 × 20,000 × 8 B ≈ 400 MB at 20k companies per country; time is
# dominated by the sparse products, so larger blocks do not help much.
BLOCK_ROWS = 256
TEXT_FEATURES = 2**20
# Each text keeps its strongest n-grams only (after TF-IDF): rarer, more telling n-grams, and sparse
# products that stay cheap at 20,000 × 20,000 companies.
TEXT_TERMS_KEPT = 48
ISIC_DIVISION_SCORE = 0.3


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
    languages: frozenset[str] = frozenset()
    size_class: str = ""
    in_eec: bool = False
    text: str = ""
    inferred: frozenset[str] = field(default=frozenset(), compare=False)  # tags that came from the glossary


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


def text_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Character 2–3-gram counts (stateless hashing, so one company can be added without refitting)."""
    if not texts:
        return sparse.csr_matrix((0, TEXT_FEATURES), dtype=np.float64)
    return _HASHER.transform(list(texts)).tocsr().astype(np.float64)


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
    for row in range(weighted.shape[0]):
        start, stop = weighted.indptr[row], weighted.indptr[row + 1]
        if stop - start > TEXT_TERMS_KEPT:
            values = weighted.data[start:stop]
            # Keep the strongest n-grams; at equal weight the lower column wins, so the choice is stable.
            order = np.lexsort((weighted.indices[start:stop], -values))
            values[order[TEXT_TERMS_KEPT:]] = 0.0
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
        take = slice(start, stop)
        return SideMatrices(
            ids=self.ids[take],
            **{
                name: getattr(self, name)[take]
                for name in (
                    "industries", "industries_weighted", "divisions", "capabilities", "seeks", "looking_for",
                    "roles", "requires", "holds", "languages", "size_rank", "in_eec", "text",
                )
            },
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.ids)


def build_side(companies: Sequence[CompanyFeatures], vocabulary: Vocabulary, text_rows: sparse.csr_matrix):
    divisions = sorted({d for values in vocabulary.isic_divisions.values() for d in values})
    focus_weights = dict.fromkeys(vocabulary.focus_industries, 2.0)
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
        requires=_one_hot((c.requires for c in companies), vocabulary.certifications),
        holds=_one_hot((c.holds for c in companies), vocabulary.certifications),
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
# Vectorised scoring
# --------------------------------------------------------------------------------------------------
def _dense(matrix) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


def _inverse(counts: np.ndarray) -> np.ndarray:
    """1/count where count > 0, else 0."""
    inverse = np.zeros_like(counts, dtype=np.float64)
    np.divide(1.0, counts, out=inverse, where=counts > 0)
    return inverse


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
    forward = (a.seeks @ b.capabilities.T) * _inverse(seeks_a)
    backward = (a.capabilities @ b.seeks.T) * _inverse(seeks_b)
    capability_fit = _two_sided(forward, seeks_a > 0, backward, seeks_b > 0)
    wants_a, wants_b = a.looking_for.sum(axis=1)[:, None], b.looking_for.sum(axis=1)[None, :]
    forward = (a.looking_for @ b.roles.T) * _inverse(wants_a)
    backward = (a.roles @ b.looking_for.T) * _inverse(wants_b)
    role_fit = _two_sided(forward, wants_a > 0, backward, wants_b > 0)
    complementarity = 0.7 * capability_fit + 0.3 * role_fit

    required_a, required_b = a.requires.sum(axis=1)[:, None], b.requires.sum(axis=1)[None, :]
    cert_ab = np.where(required_a > 0, (a.requires @ b.holds.T) * _inverse(required_a), 1.0)
    cert_ba = np.where(required_b > 0, (a.holds @ b.requires.T) * _inverse(required_b), 1.0)
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


def score_rows(
    a: SideMatrices,
    b: SideMatrices,
    weights: Weights,
    *,
    k: int = 20,
    min_score: float = 1.0,
    excluded: dict[int, Iterable[int]] | None = None,
) -> TopK:
    """Top-k partners in ``b`` for every row of ``a``, computed in blocks of ``BLOCK_ROWS`` rows.

    ``excluded`` maps a row position of ``a`` to partner positions in ``b`` never to propose (declined).
    """
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
    cert_ab = len(a.requires & b.holds) / len(a.requires) if a.requires else 1.0
    cert_ba = len(b.requires & a.holds) / len(b.requires) if b.requires else 1.0
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
    min_score: float = 1.0,
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
