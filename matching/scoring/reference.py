"""The reference: one pair at a time, plain Python (the tests' oracle)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import sparse

from matching.scoring.core import (
    COMPONENTS,
    ISIC_DIVISION_SCORE,
    MIN_SCORE,
    SIZE_RANKS,
    CompanyFeatures,
    Vocabulary,
    Weights,
    neutral_roles_between,
)
from matching.scoring.core import text_similarity as rounded_similarity
from matching.understanding.columns import held_columns, required_columns


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
    if neutral_roles_between(a, b):
        industry = 1.0
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
        "text": float(rounded_similarity(text_similarity)),
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
