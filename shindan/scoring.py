"""Scores (pure, no database): checklist scores and the readiness score.

Checklist: each item 1–5 or N/A; an area's score is the mean of its scored items scaled to 0–100,
((mean − 1) / 4 × 100); the overall score is the mean of the areas that have a score (docs/domain.md
"Shindan"). Readiness: ``readiness`` below (the coordinators' overview, through
``shindan.selectors.readiness_for_companies``)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shindan import ratios

SCALE_MIN, SCALE_MAX = 1, 5


def area_score(item_scores: Iterable[int | None]) -> Decimal | None:
    """0–100 from the items' 1–5 scores; N/A (None) items do not count; None when nothing is scored."""
    scored = [int(score) for score in item_scores if score is not None]
    if any(score < SCALE_MIN or score > SCALE_MAX for score in scored):
        raise ValueError("Item scores are 1 to 5.")
    if not scored:
        return None
    mean = Decimal(sum(scored)) / len(scored)
    return (mean - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * 100


def overall_score(area_scores: Mapping[str, Decimal | None]) -> Decimal | None:
    known = [score for score in area_scores.values() if score is not None]
    return sum(known) / len(known) if known else None


# --- Readiness ---------------------------------------------------------------------------------------

READINESS_AREA_WEIGHT = Decimal("0.7")
READINESS_FINANCE_WEIGHT = Decimal("0.3")
# Key ratio → (value scoring 0, value scoring 100); linear in between, clamped.
READINESS_RATIOS = {
    "equity_ratio": (Decimal(0), Decimal(40)),
    "current_ratio": (Decimal(50), Decimal(150)),
    "ordinary_margin": (Decimal(-5), Decimal(5)),
    "interest_coverage": (Decimal(0), Decimal(5)),
}


@dataclass(frozen=True)
class Readiness:
    """How ready a company is for an international partnership, 0–100 (see ``readiness_for_companies``)."""

    score: Decimal
    area_score: Decimal
    finance_score: Decimal | None
    diagnosis_id: int


def _scaled(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(100), (value - low) / (high - low) * 100))


def finance_score(statement: ratios.Statement | None) -> Decimal | None:
    if statement is None:
        return None
    computed = ratios.compute_ratios(statement)
    parts = [
        _scaled(computed[code], *bounds)
        for code, bounds in READINESS_RATIOS.items()
        if computed[code] is not None
    ]
    return sum(parts) / len(parts) if parts else None


def readiness(*, overall_score: Decimal, statement: ratios.Statement | None, diagnosis_id: int) -> Readiness:
    """70 % the diagnosis' overall score (mean of area scores, 0–100) and 30 % ``finance_score`` of the
    latest statement: the mean of four key ratios each scaled linearly to 0–100 and clamped (equity
    ratio 0 %→0, 40 %→100; current ratio 50 %→0, 150 %→100; ordinary margin −5 %→0, +5 %→100; interest
    coverage 0→0, 5 times→100; n/a ratios left out). Without a statement (or with every key ratio n/a)
    readiness is the overall score alone."""
    finance = finance_score(statement)
    score = (
        overall_score
        if finance is None
        else overall_score * READINESS_AREA_WEIGHT + finance * READINESS_FINANCE_WEIGHT
    )
    return Readiness(
        score=round(score, 1),
        area_score=overall_score,
        finance_score=None if finance is None else round(finance, 1),
        diagnosis_id=diagnosis_id,
    )
