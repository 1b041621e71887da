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
* text: cosine similarity of TF-IDF vectors of descriptions and postings (character 2–3-grams, which work
  for Thai and Japanese, and the concepts read from the text, which cross languages), over
  TEXT_SATURATION (0.5), at most 1.
* practical: 0.5 × a common working language + 0.3 × size compatibility + 0.2 × an EEC location.

``score_rows`` keeps the exact top-k per row (ties broken by the partner's position, i.e. by id) and
``score_both_ways`` the top-k of both sides from one pass over the pairs (scores are symmetric). Both run
the fast path below (no Python loop over pairs): exact lookup tables for every component but text, and a
float32 screening of text similarities; only the pairs that can enter a list get their exact text
similarity. Their scores are bit for bit those of the block-by-block ``component_block`` + ``combine`` (the
incremental rescoring of one company, and the fallback). ``reference_score`` is the plain per-pair
implementation of the same formula: the oracle of the tests.

The package, one module per stage: ``core`` (weights, features, vocabulary), ``text`` (n-grams, TF-IDF),
``matrices`` (a side's matrices), ``blocks`` (dense block path), ``plan``/``pool``/``passes`` (the fast
path: tables and screening, candidate pools, the pass in tiles), ``bounds`` (exact tile skipping by upper
bounds, ``prune=True``), ``reference`` (the oracle) and ``synthetic`` (a clustered directory for benchmarks
and tests).
"""

from matching.scoring.blocks import TopK, combine, component_block, top_k_block
from matching.scoring.core import (
    BLOCK_ROWS,
    COMPONENTS,
    ISIC_DIVISION_SCORE,
    MIN_SCORE,
    SIZE_RANKS,
    TEXT_FEATURES,
    TEXT_TERMS_KEPT,
    CompanyFeatures,
    Vocabulary,
    Weights,
)
from matching.scoring.matrices import SideMatrices, build_side, prepare
from matching.scoring.passes import score_both_ways, score_rows
from matching.scoring.reference import reference_components, reference_score, reference_top_k
from matching.scoring.text import feature_counts, idf_from, text_counts, tfidf

__all__ = [
    "BLOCK_ROWS", "COMPONENTS", "ISIC_DIVISION_SCORE", "MIN_SCORE", "SIZE_RANKS", "TEXT_FEATURES",
    "TEXT_TERMS_KEPT", "CompanyFeatures", "SideMatrices", "TopK", "Vocabulary", "Weights", "build_side",
    "combine", "component_block", "feature_counts", "idf_from", "prepare", "reference_components",
    "reference_score", "reference_top_k", "score_both_ways", "score_rows", "text_counts", "tfidf",
    "top_k_block",
]  # fmt: skip
