"""Checklist scores (pure): each item 1–5 or N/A; an area's score is the mean of its scored items scaled
to 0–100, ((mean − 1) / 4 × 100); the overall score is the mean of the areas that have a score."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

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
