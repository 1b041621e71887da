"""Readiness from Shindan as an explainable signal, and how equal scores are ordered (pure but for
``readiness_by_company``).

Readiness (0–100, ``shindan.selectors.readiness_for_companies``: 70 % the latest reported diagnosis'
overall score, 30 % key financial ratios) gets its own reason line ("Diagnosed by a Shindan consultant:
readiness 74/100") and breaks ties; it never changes a score, so it never hides a better fit. Equal scores
(to the 6 decimals stored) are ordered by text similarity, then the partner's readiness, then id — the same
key for a full recompute and for one company's rescoring (matching/services/runs.py).
"""


def readiness_by_company(companies) -> dict[int, float]:
    """company id → readiness 0–100 for the companies of ``companies`` (ids or a queryset) with a report."""
    from shindan.models import Diagnosis
    from shindan.selectors import readiness_for_companies

    # Only the few diagnosed companies are passed on (a subquery, not thousands of ids).
    diagnosed = set(
        Diagnosis.objects.reported().filter(company_id__in=companies).values_list("company_id", flat=True)
    )
    if not diagnosed:
        return {}
    return {pk: float(value.score) for pk, value in readiness_for_companies(diagnosed).items()}


def reason_readiness(reasons: list[dict]) -> float:
    """The partner's readiness recorded in a proposal's reasons (−1 when it has none)."""
    return next((r["value"] for r in reasons if r.get("code") == "partner_readiness"), -1.0)


def tie_key(score: float, partner_id: int, components: dict, reasons: list[dict]) -> tuple:
    """Sort key of a partner in a list: score, then text similarity, then readiness, then id."""
    return (-round(float(score), 6), -components.get("text", 0.0), -reason_readiness(reasons), partner_id)
