"""Matrices: one country's companies as the dense and sparse matrices the scorer multiplies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.scoring.core import NEUTRAL_ROLES, SIZE_RANKS, CompanyFeatures, Vocabulary
from matching.scoring.text import feature_counts, idf_from, tfidf
from matching.understanding.columns import certificate_columns, held_columns, required_columns


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
    matrix = np.zeros((count, len(columns)), dtype=np.float32)
    if rows:
        matrix[rows, cols] = data
    return matrix


@dataclass
class SideMatrices:
    """One country's companies as sparse matrices (rows in the order of ``ids``)."""

    ids: np.ndarray
    # Small dense 0/1 matrices (tens to hundreds of columns): dense products use BLAS and beat sparse ones
    # here. float32: their entries (0, 1, 2 for a focus industry, 0.75 for a stated certificate) and the
    # counts their products give are exact in it, and it halves the largest arrays a pass holds (0.6 GiB at
    # 100,000 companies a side); whoever computes with the counts makes them float64 first.
    industries: np.ndarray
    industries_weighted: np.ndarray
    divisions: np.ndarray
    capabilities: np.ndarray
    seeks: np.ndarray
    looking_for: np.ndarray
    roles: np.ndarray
    # The industry-neutral roles (core.NEUTRAL_ROLES) it looks for and those it fills.
    neutral_seeks: np.ndarray
    neutral_offers: np.ndarray
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
    "neutral_seeks", "neutral_offers", "requires", "holds", "languages", "size_rank", "in_eec", "text",
)  # fmt: skip


def build_side(companies: Sequence[CompanyFeatures], vocabulary: Vocabulary, text_rows: sparse.csr_matrix):
    divisions = sorted({d for values in vocabulary.isic_divisions.values() for d in values})
    focus_weights = dict.fromkeys(vocabulary.focus_industries, 2.0)
    certificates = certificate_columns(vocabulary.certifications)  # stated ones count three quarters
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
        neutral_seeks=_one_hot((c.looking_for for c in companies), NEUTRAL_ROLES),
        neutral_offers=_one_hot((c.roles for c in companies), NEUTRAL_ROLES),
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
        counts_a = feature_counts(side_a)
    if counts_b is None:
        counts_b = feature_counts(side_b)
    if idf is None:
        idf = idf_from(counts_a, counts_b)
    return (
        build_side(side_a, vocabulary, tfidf(counts_a, idf)),
        build_side(side_b, vocabulary, tfidf(counts_b, idf)),
    )
