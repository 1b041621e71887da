"""The scorer's input and parameters: weights, one company's features, the vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

COMPONENTS = ("industry", "complementarity", "certification", "text", "practical")
SIZE_RANKS = {"micro": 0, "small": 1, "medium": 2, "large": 3}
# Rows of one side scored at once against all of the other side by the block path (``component_block``).
# Memory: about 10 dense float64 matrices of BLOCK_ROWS × n_other, i.e. 10 × 256 × 20,000 × 8 B ≈ 400 MB at
# 20k companies per country.
BLOCK_ROWS = 256
# Text columns: hashed character n-grams first, then one column per concept (a taxonomy leaf, material or
# capability the glossary read in the text, ``CompanyFeatures.concepts``), hashed into a space wide enough
# that the taxonomy's concepts never share a column (tests/matching/test_concepts.py checks it).
NGRAM_FEATURES = 2**20
CONCEPT_FEATURES = 2**16
TEXT_FEATURES = NGRAM_FEATURES + CONCEPT_FEATURES
# Text similarity = (1 − CONCEPT_SHARE) × cosine of the n-grams + CONCEPT_SHARE × cosine of the concepts.
# N-grams do not cross scripts (a Thai text and a Japanese one share almost none); the concepts do, since
# ไทเทเนียม, チタン and titanium are one concept. Half and half: neither is known to be the better signal.
CONCEPT_SHARE = 0.5
# A text similarity is rounded to TEXT_DECIMALS: the reference and the fast path sum the same products in
# different orders, and two pairs that tie (two identical texts, 0.5 when they have no concept) must tie in
# both. The rounding moves a score by at most 100 × 5·10⁻¹³, far inside the screening's and bounds' slack.
TEXT_DECIMALS = 12
# The text component is the similarity over TEXT_SATURATION, at most 1: two descriptions that share half of
# their weight are as alike as two companies' descriptions get (one demo pair in 600 goes past 0.5; nine in
# ten stay below 0.11), and without it the component could never come near its weight. A power of two, so
# that the division is exact in every path (the fast path folds it into its screening weight).
TEXT_SATURATION = 0.5
# Each text keeps its strongest n-grams only (after TF-IDF): rarer, more telling n-grams, and sparse
# products that stay cheap at 20,000 × 20,000 companies.
TEXT_TERMS_KEPT = 48
ISIC_DIVISION_SCORE = 0.3
# Roles that serve a partner of any trade: when one side looks for such a role and the other fills it (an
# industrial estate for a company that looks for an investment site), the pair's industry component is full,
# whatever their industries.
NEUTRAL_ROLES = ("investment-site",)
# A pair scoring below this is never proposed.
MIN_SCORE = 1.0


@dataclass(frozen=True)
class Weights:
    """The weights of the components and the penalty; the defaults are those in force on a new installation
    (``matching`` migration 0009): fitted on the hand-judged pairs of tests/matching/data/judgments.json
    and cross-validated on queries left out of the fit (``bench/bench_weights.py``; "Fifth pass" in
    docs/ranking-quality.md)."""

    industry: float = 0.20
    complementarity: float = 0.15
    certification: float = 0.10
    text: float = 0.50
    practical: float = 0.05
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
    concepts: frozenset[str] = frozenset()  # what the text speaks of: leaves, materials, capabilities (slugs)
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


def text_similarity(products):
    """The text component from the sum of two rows' products (their cosine similarity): rounded to
    TEXT_DECIMALS, over TEXT_SATURATION, within 0..1."""
    return np.clip(np.round(products, TEXT_DECIMALS) / TEXT_SATURATION, 0.0, 1.0)


def neutral_roles_between(a: CompanyFeatures, b: CompanyFeatures) -> list[str]:
    """The industry-neutral roles (``NEUTRAL_ROLES``) one of the pair looks for and the other fills."""
    return [
        role
        for role in NEUTRAL_ROLES
        if (role in a.looking_for and role in b.roles) or (role in b.looking_for and role in a.roles)
    ]
