"""Builders for Shindan tests: an assigned consultant, a diagnosis with scores and statements."""

import datetime
from decimal import Decimal

from shindan import services
from shindan.models import Assignment, ChecklistItem
from tests.factories import CompanyFactory, DiagnosisFactory, MembershipFactory, UserFactory

TODAY = datetime.date(2026, 11, 26)


def assigned_consultant(company, **kwargs):
    consultant = UserFactory(role="consultant", **kwargs)
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))
    return consultant


def items(checklist, area: str | None = None):
    queryset = ChecklistItem.objects.filter(area__checklist=checklist).select_related("area")
    if area:
        queryset = queryset.filter(area__code=area)
    return list(queryset.order_by("area__position", "position"))


def score_all(diagnosis, consultant, value: str = "3", area: str | None = None) -> None:
    entries = [{"item": item, "value": value, "evidence": ""} for item in items(diagnosis.checklist, area)]
    services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=entries)


def statement_values(year: int, scale: Decimal = Decimal(1)) -> dict:
    base = {
        "sales": 100_000,
        "gross_profit": 30_000,
        "operating_profit": 8_000,
        "ordinary_profit": 7_000,
        "net_income": 5_000,
        "fixed_costs": 20_000,
        "variable_costs": 60_000,
        "total_assets": 80_000,
        "current_assets": 40_000,
        "quick_assets": 25_000,
        "fixed_assets": 40_000,
        "current_liabilities": 20_000,
        "liabilities": 50_000,
        "equity": 30_000,
        "interest_and_dividends_received": 500,
        "interest_paid": 1_000,
        "borrowings": 30_000,
        "cash": 10_000,
        "depreciation": 4_000,
        "receivables": 15_000,
        "inventory": 10_000,
        "payables": 8_000,
        "external_purchases": 60_000,
        "personnel_costs": 20_000,
    }
    values = {name: Decimal(value) * scale for name, value in base.items()}
    return {
        "fiscal_year": year,
        "currency": "THB",
        "unit": 1,
        "period_end": None,
        "employees": Decimal(40),
        **values,
    }


def reported_diagnosis(
    company=None, consultant=None, *, value: str = "3", requested_on=None, statements=(2024, 2025)
):
    """A diagnosis scored throughout, with statements, moved to "reported" (``DiagnosisFactory``)."""
    return DiagnosisFactory(
        company=company or CompanyFactory(),
        consultant=consultant,
        reported=True,
        value=value,
        requested_on=requested_on or datetime.date(2026, 1, 10),
        statements=statements,
    )


REPORT_TEXTS = {
    "purpose": "Readiness for a Japanese partner.",
    "methods": "Questionnaire, statements, interviews and a factory walk.",
    "overview": "A family-owned moulder.",
    "external_analysis": "Japanese medical firms look for Thai suppliers.",
    "conclusion": "Solid production; costing must improve.",
    "follow_up_plan": "Visits after three and six months.",
}


def write_report(diagnosis, consultant) -> None:
    """The sections a report needs before it is issued: texts, a finding and a recommendation (the action
    plan's first action is added by callers that count actions, or here when there is none)."""
    services.diagnosis_update(actor=consultant, diagnosis=diagnosis, **REPORT_TEXTS)
    services.finding_add(
        actor=consultant, diagnosis=diagnosis, kind="weakness", area="FINANCE", text="No product costing."
    )
    services.recommendation_add(
        actor=consultant, diagnosis=diagnosis, area="FINANCE", text="Introduce standard costing."
    )
    if not diagnosis.actions.exists():
        services.action_add(
            actor=consultant,
            diagnosis=diagnosis,
            what="Standard cost sheets",
            owner="Accounting",
            due_on=datetime.date(2027, 3, 31),
        )


def owner_of(company):
    return MembershipFactory(company=company).user
