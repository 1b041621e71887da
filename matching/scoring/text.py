"""Text: character n-gram and concept counts, IDF and TF-IDF rows (stateless hashing).

A text row is two parts, each L2-normalised on its own and then weighted so that the cosine of two rows is
(1 − CONCEPT_SHARE) × the n-grams' cosine + CONCEPT_SHARE × the concepts' cosine (see ``tfidf``)."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from matching.scoring.core import (
    CONCEPT_FEATURES,
    CONCEPT_SHARE,
    NGRAM_FEATURES,
    TEXT_FEATURES,
    TEXT_TERMS_KEPT,
    CompanyFeatures,
)

_HASHER = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 3), n_features=NGRAM_FEATURES, alternate_sign=False, norm=None
)
# The same n-grams of text that is already lower-case (one word at a time, see text_counts).
_WORD_HASHER = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 3),
    n_features=NGRAM_FEATURES,
    alternate_sign=False,
    norm=None,
    lowercase=False,
)


def concept_column(slug: str) -> int:
    """The text column of a concept, after the n-grams: its own for every concept the readers know
    (``_known_columns``), by a stable hash of its slug for any other."""
    column = _known_columns().get(slug)
    return column if column is not None else NGRAM_FEATURES + _hash(slug)


def _hash(slug: str) -> int:
    return zlib.crc32(slug.encode()) % CONCEPT_FEATURES


@functools.cache
def _known_columns() -> dict[str, int]:
    """The known concepts (``concept_slugs``) in sorted order, each at its hash or, when an earlier one took
    it, at the next free column: no two share a column, and the columns stay the same while the vocabulary
    does."""
    from matching.understanding.terms import concept_slugs

    columns: dict[str, int] = {}
    taken: set[int] = set()
    for slug in concept_slugs():
        column = _hash(slug)
        while column in taken:
            column = (column + 1) % CONCEPT_FEATURES
        taken.add(column)
        columns[slug] = NGRAM_FEATURES + column
    return columns


def feature_counts(features: Sequence[CompanyFeatures]) -> sparse.csr_matrix:
    """``text_counts`` of the companies' texts and concepts."""
    return text_counts([f.text for f in features], [f.concepts for f in features])


def text_counts(texts: Sequence[str], concepts: Sequence[Iterable[str]] | None = None) -> sparse.csr_matrix:
    """Character 2–3-gram counts (stateless hashing, so one company can be added without refitting), and a
    count of 1 in the column of each of the text's ``concepts``.

    The n-grams equal ``_HASHER.transform(texts)``: its char_wb n-grams never cross whitespace, so a text's
    counts are the sum of its (lower-cased) words' counts, and each distinct word is analysed once."""
    counts = _ngram_counts(texts)
    if concepts is None:
        return counts
    columns = [sorted({concept_column(slug) for slug in slugs}) for slugs in concepts]
    lengths = np.fromiter(map(len, columns), dtype=np.int64, count=len(columns))
    if not lengths.any():
        return counts
    marks = sparse.csr_matrix(
        (
            np.ones(int(lengths.sum())),
            np.fromiter(chain.from_iterable(columns), dtype=np.int64, count=int(lengths.sum())),
            np.concatenate([[0], np.cumsum(lengths)]),
        ),
        shape=(len(texts), TEXT_FEATURES),
    )
    return sparse.csr_matrix(counts + marks)  # the n-grams never reach the concepts' columns


def _ngram_counts(texts: Sequence[str]) -> sparse.csr_matrix:
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
    ngrams = _WORD_HASHER.transform(list(index))
    ngrams.resize((len(index), TEXT_FEATURES))  # the concepts' columns, empty
    counts = sparse.csr_matrix(occurrences @ ngrams, dtype=np.float64)
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
    """Sublinear TF × IDF; the n-grams (their strongest TEXT_TERMS_KEPT) and the concepts each L2-normalised,
    then weighted by √(1 − CONCEPT_SHARE) and √CONCEPT_SHARE, so that a row's norm is at most 1 and the dot
    product of two rows mixes the two cosines (an empty part stays zero)."""
    if counts.shape[0] == 0:
        return counts
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    weighted.sort_indices()
    concept = weighted.indices >= NGRAM_FEATURES
    if not concept.any():
        return _kept_ngrams(weighted, np.sqrt(1.0 - CONCEPT_SHARE))
    ngrams, concepts = weighted.copy(), weighted
    ngrams.data[concept] = 0.0
    ngrams.eliminate_zeros()
    concepts.data[~concept] = 0.0
    concepts.eliminate_zeros()
    concepts = normalize(concepts, norm="l2", copy=False)
    concepts.data *= np.sqrt(CONCEPT_SHARE)
    result = sparse.csr_matrix(_kept_ngrams(ngrams, np.sqrt(1.0 - CONCEPT_SHARE)) + concepts)
    result.sort_indices()
    return result


def _kept_ngrams(weighted: sparse.csr_matrix, scale: float) -> sparse.csr_matrix:
    """The strongest TEXT_TERMS_KEPT n-grams of each row (in place), L2-normalised × ``scale``."""
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
    result = normalize(weighted, norm="l2", copy=False)
    result.data *= scale
    return result
