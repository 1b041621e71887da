"""Text: character n-gram counts, IDF and TF-IDF rows (stateless hashing)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from matching.scoring.core import TEXT_FEATURES, TEXT_TERMS_KEPT

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
