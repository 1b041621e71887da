"""Reads of the Shindan app, scoped to the user; the financial analysis and the readiness score."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import rules
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.accounts.rules import is_consultant, is_coordinator_or_admin
from portal.companies.models import Company
from shindan import ratios, scoring
from shindan.models import (
    AREA_ORDER,
    IN_PROGRESS_STAGES,
    OPEN_ACTION_STATUSES,
    REPORT_STAGES,
    STAGE_ORDER,
    Action,
    Area,
    Assignment,
    Checklist,
    ChecklistArea,
    Diagnosis,
    FinancialStatement,
    Finding,
    ItemScore,
    Recommendation,
    Stage,
)
from shindan.scoring import Readiness


def _with_list_relations(queryset: QuerySet[Diagnosis]) -> QuerySet[Diagnosis]:
    return queryset.select_related("company", "checklist").prefetch_related(
        Prefetch("consultants", queryset=User.objects.only("pk", "email", "first_name", "last_name"))
    )


def diagnosis_list_for_user(*, user: User) -> QuerySet[Diagnosis]:
    """Coordinators: all; consultants: the ones they took part in; members: their companies' reports."""
    if not user.is_authenticated:
        return Diagnosis.objects.none()
    if is_coordinator_or_admin(user):
        queryset = Diagnosis.objects.all()
    elif is_consultant(user):
        queryset = Diagnosis.objects.filter(consultants=user)
    else:
        queryset = Diagnosis.objects.filter(company__memberships__user=user, stage__in=REPORT_STAGES)
    return _with_list_relations(queryset.distinct())


VIEW_DIAGNOSIS = "shindan.view_diagnosis"


def diagnosis_get_for_user(*, user: User, pk: int, permission: str = VIEW_DIAGNOSIS) -> Diagnosis:
    """The diagnosis ``pk`` if ``user`` holds ``permission`` on it (a django-rules name); 404 when
    missing or not allowed, the same answer (as for companies)."""
    diagnosis = Diagnosis.objects.select_related("company", "checklist").filter(pk=pk).first()
    if diagnosis is None or not rules.has_perm(permission, user, diagnosis):
        raise Http404
    return diagnosis


def _part_get_for_user(model, *, user: User, pk: int, diagnosis_pk: int | None, permission: str):
    """A row that belongs to a diagnosis (statement, score, finding, action…): 404 when missing, of
    another diagnosis than ``diagnosis_pk`` (when given), or when ``user`` lacks ``permission`` on its
    diagnosis."""
    rows = model.objects.select_related("diagnosis__company", "diagnosis__checklist").filter(pk=pk)
    if diagnosis_pk is not None:
        rows = rows.filter(diagnosis_id=diagnosis_pk)
    row = rows.first()
    if row is None or not rules.has_perm(permission, user, row.diagnosis):
        raise Http404
    return row


def action_get_for_user(
    *, user: User, pk: int, permission: str = VIEW_DIAGNOSIS, diagnosis_pk: int | None = None
) -> Action:
    return _part_get_for_user(Action, user=user, pk=pk, diagnosis_pk=diagnosis_pk, permission=permission)


def statement_get_for_user(
    *, user: User, pk: int, permission: str = VIEW_DIAGNOSIS, diagnosis_pk: int | None = None
) -> FinancialStatement:
    return _part_get_for_user(
        FinancialStatement, user=user, pk=pk, diagnosis_pk=diagnosis_pk, permission=permission
    )


def item_score_get_for_user(
    *, user: User, pk: int, permission: str = VIEW_DIAGNOSIS, diagnosis_pk: int | None = None
) -> ItemScore:
    return _part_get_for_user(ItemScore, user=user, pk=pk, diagnosis_pk=diagnosis_pk, permission=permission)


PLAN_MODELS = {"finding": Finding, "recommendation": Recommendation, "action": Action}


def plan_entry_get_for_user(
    *, user: User, kind: str, pk: int, permission: str = VIEW_DIAGNOSIS, diagnosis_pk: int | None = None
) -> Finding | Recommendation | Action:
    """A finding, recommendation or action (``kind``) of the action plan; 404 for an unknown kind too."""
    if kind not in PLAN_MODELS:
        raise Http404
    return _part_get_for_user(
        PLAN_MODELS[kind], user=user, pk=pk, diagnosis_pk=diagnosis_pk, permission=permission
    )


def assignment_get_for_user(
    *, user: User, pk: int, permission: str = "shindan.manage_assignments"
) -> Assignment:
    """An assignment for those who manage them; 404 when missing or not allowed."""
    assignment = Assignment.objects.filter(pk=pk).first()
    if assignment is None or not rules.has_perm(permission, user, assignment):
        raise Http404
    return assignment


def checklist_get_for_user(*, user: User, pk: int, permission: str = "shindan.view_checklist") -> Checklist:
    """A checklist version for DIP's staff (consultants read it, coordinators also publish); else 404."""
    checklist = Checklist.objects.filter(pk=pk).first()
    if checklist is None or not rules.has_perm(permission, user, checklist):
        raise Http404
    return checklist


def assignment_list_for_consultant(*, user: User, active_only: bool = True) -> QuerySet[Assignment]:
    """The consultant's assignments, each with ``in_progress_id``: the company's diagnosis that is not
    reported yet (None: a new one may be started)."""
    queryset = Assignment.objects.filter(consultant=user)
    if active_only:
        queryset = queryset.active()
    in_progress = Diagnosis.objects.filter(company_id=OuterRef("company_id"), stage__in=IN_PROGRESS_STAGES)
    return (
        queryset.select_related("company")
        .annotate(in_progress_id=Subquery(in_progress.order_by("-pk").values("pk")[:1]))
        .order_by("company__name_en", "pk")
    )


def assignment_list(*, active_only: bool = False) -> QuerySet[Assignment]:
    queryset = Assignment.objects.all()
    if active_only:
        queryset = queryset.active()
    return queryset.select_related("consultant", "company", "assigned_by")


ASSIGNABLE_SUGGESTIONS = 8


def assignable_companies(*, query: str, limit: int = ASSIGNABLE_SUGGESTIONS) -> list[Company]:
    """Companies a coordinator may mean by ``query`` in the assignment form: a name containing it (in any
    of the three languages), or a registration number or external ID starting with it; by name."""
    query = query.strip()
    if not query or "\x00" in query:
        return []
    digits = query.replace("-", "").replace(" ", "")
    matches = (
        Q(name_en__icontains=query)
        | Q(name_th__icontains=query)
        | Q(name_ja__icontains=query)
        | Q(external_id__istartswith=query)
    )
    if digits.isdigit():
        matches |= Q(registration_no__startswith=digits)
    return list(Company.objects.filter(matches).order_by("name_en", "name_th", "name_ja", "pk")[:limit])


def companies_for_assignment(value: str) -> list[Company]:
    """The company the assignment form's ``value`` names, as a list: its registration number (dashes
    allowed) or external ID; failing that, the companies whose name in any language is exactly ``value``
    (at most two: more than one means the name does not say which)."""
    value = value.strip()
    if not value or "\x00" in value:
        return []
    digits = value.replace("-", "").replace(" ", "")
    by_id = Q(external_id=value) | (Q(registration_no=digits) if digits.isdigit() else Q(pk__in=[]))
    company = Company.objects.filter(by_id).order_by("pk").first()
    if company is not None:
        return [company]
    named = Q(name_en__iexact=value) | Q(name_th=value) | Q(name_ja=value)
    return list(Company.objects.filter(named).order_by("pk")[:2])


COMPANY_PANEL_DIAGNOSES = 5


def company_shindan_state(*, user: User, company: Company) -> dict:
    """For a company's page (``shindan.panels``): its active assignments, its latest diagnoses the user may
    open (each with ``can_view``), how many it has in all, and the one in progress (None when a new one may
    be started). Three queries, and one per diagnosis listed to a consultant (``can_view``)."""
    assignments = list(
        Assignment.objects.active().filter(company=company).select_related("consultant").order_by("starts_on")
    )
    diagnoses = list(
        Diagnosis.objects.filter(company=company)
        .annotate(total=Window(Count("pk")))
        .order_by("-requested_on", "-pk")[:COMPANY_PANEL_DIAGNOSES]
    )
    for diagnosis in diagnoses:
        diagnosis.can_view = user.has_perm(VIEW_DIAGNOSIS, diagnosis)
    in_progress = Diagnosis.objects.filter(company=company, stage__in=IN_PROGRESS_STAGES).first()
    return {
        "assignments": assignments,
        "diagnoses": diagnoses,
        "diagnosis_count": diagnoses[0].total if diagnoses else 0,
        "in_progress": in_progress,
    }


def overdue_actions_for_consultant(*, user: User) -> QuerySet[Action]:
    """Open actions past their date on diagnoses the consultant works on (for the workspace and e-mail)."""
    return (
        Action.objects.overdue()
        .filter(diagnosis__consultants=user)
        .exclude(diagnosis__stage=Stage.CLOSED)
        .select_related("diagnosis__company")
        .distinct()
        .order_by("due_on", "pk")
    )


def diagnoses_by_stage(diagnoses) -> list[tuple[str, str, list[Diagnosis]]]:
    grouped: dict[str, list[Diagnosis]] = defaultdict(list)
    for diagnosis in diagnoses:
        grouped[diagnosis.stage].append(diagnosis)
    return [(code, Stage(code).label, grouped[code]) for code in STAGE_ORDER if grouped.get(code)]


def diagnosis_in_progress(*, company_id: int) -> Diagnosis | None:
    """The company's diagnosis that has not been reported yet (there is at most one)."""
    return (
        Diagnosis.objects.filter(company_id=company_id, stage__in=IN_PROGRESS_STAGES).order_by("-pk").first()
    )


# The report's sections that must be written before it is issued (field, its label in the overview form).
REQUIRED_TEXTS = (
    ("purpose", _("Purpose and scope")),
    ("methods", _("Methods")),
    ("overview", _("Company overview")),
    ("external_analysis", _("External analysis")),
    ("conclusion", _("Overall conclusion")),
    ("follow_up_plan", _("Follow-up plan")),
)


class Missing(NamedTuple):
    """One thing to do before the report is issued: the text, and where to do it (``area`` with its code,
    ``texts`` on the overview, ``plan`` for findings, recommendations and actions)."""

    text: str
    where: str
    area: str = ""

    def __str__(self) -> str:
        return self.text


def report_missing(diagnosis: Diagnosis) -> list[Missing]:
    """What must be done before the report can be issued, in the active language; empty when it is ready.

    Every checklist item answered (a score, or N/A), so that the overall score and readiness are not
    computed from a few areas; the report's written sections; at least one SWOT finding, one
    recommendation and one action."""
    answered = set(diagnosis.item_scores.answered().values_list("item_id", flat=True))
    missing = []
    for area in checklist_areas(diagnosis):
        items = [item.pk for item in area.items.all()]
        open_items = len([pk for pk in items if pk not in answered])
        if open_items:
            name = Area(area.code).label if area.code in Area.values else area.title_in()
            text = ngettext(
                "%(area)s: %(count)s of %(total)s items is not scored yet (a score or N/A).",
                "%(area)s: %(count)s of %(total)s items are not scored yet (a score or N/A).",
                open_items,
            ) % {"area": name, "count": open_items, "total": len(items)}
            missing.append(Missing(text, "area", area.code))
    for field, heading in REQUIRED_TEXTS:
        if not getattr(diagnosis, field).strip():
            missing.append(
                Missing(gettext("Write the section “%(section)s”.") % {"section": heading}, "texts")
            )
    if not diagnosis.findings.exists():
        missing.append(Missing(gettext("Add at least one SWOT finding."), "plan"))
    if not diagnosis.recommendations.exists():
        missing.append(Missing(gettext("Add at least one recommendation."), "plan"))
    if not diagnosis.actions.exists():
        missing.append(Missing(gettext("Add at least one action to the action plan."), "plan"))
    return missing


def checklist_areas(diagnosis: Diagnosis) -> QuerySet[ChecklistArea]:
    return diagnosis.checklist.areas.prefetch_related("items").order_by("position")


def previous_reported(diagnosis: Diagnosis) -> Diagnosis | None:
    """The company's last reported diagnosis before this one (for the radar chart's comparison)."""
    return (
        Diagnosis.objects.filter(company_id=diagnosis.company_id, stage__in=REPORT_STAGES)
        .filter(
            Q(requested_on__lt=diagnosis.requested_on)
            | Q(requested_on=diagnosis.requested_on, pk__lt=diagnosis.pk)
        )
        .exclude(pk=diagnosis.pk)
        .order_by("-requested_on", "-pk")
        .first()
    )


# --- Financial analysis ------------------------------------------------------------------------------


def to_ratio_statement(statement: FinancialStatement) -> ratios.Statement:
    """Line items in base currency units (×unit) so years entered in different units compare."""
    unit = Decimal(statement.unit)
    values = {}
    for name in ratios.LINE_ITEMS:
        value = getattr(statement, name)
        values[name] = None if value is None else (value if name == "employees" else value * unit)
    return ratios.Statement(fiscal_year=statement.fiscal_year, **values)


@dataclass(frozen=True)
class RatioRow:
    code: str
    group: str
    unit: str
    higher_is_better: bool | None
    values: list[tuple[int, Decimal | None]]  # oldest first
    peer_median: Decimal | None
    currency: str = ""  # of the amounts (the latest statement's), for the units "amount" and "amount/person"

    @property
    def latest(self) -> Decimal | None:
        return self.values[-1][1] if self.values else None

    @property
    def trend(self) -> str:
        """ "up", "down", "flat" or "" comparing the last two years that have a value; "" when the latest
        year has none (an arrow beside its "n/a" would speak of earlier years as if of this one: a
        debt-to-equity that is n/a for a negative equity "improving")."""
        if not self.values or self.values[-1][1] is None:
            return ""
        known = [value for _year, value in self.values if value is not None]
        if len(known) < 2:
            return ""
        if known[-1] > known[-2]:
            return "up"
        return "down" if known[-1] < known[-2] else "flat"

    @property
    def change(self) -> str:
        """ "better", "worse" or "" (no trend, no change, or a ratio that is neither better high nor low,
        such as payable days): the trend judged by ``higher_is_better``, so that a falling debt-to-equity
        ratio shows as an improvement and a rising one as a deterioration."""
        if self.higher_is_better is None or self.trend not in ("up", "down"):
            return ""
        return "better" if (self.trend == "up") == self.higher_is_better else "worse"


# Comparable across companies: ratios without a currency (amounts differ by currency and size).
PEER_UNITS = frozenset({"%", "times", "days", "years"})


def financial_analysis(diagnosis: Diagnosis, years: int = 5) -> list[RatioRow]:
    rows = list(diagnosis.statements.order_by("fiscal_year"))
    if not rows:
        return []
    statements = [to_ratio_statement(s) for s in rows]
    series = ratios.trends(statements, years=years)
    medians = peer_medians(diagnosis)
    return [
        RatioRow(
            code=definition.code,
            group=definition.group,
            unit=definition.unit,
            higher_is_better=definition.higher_is_better,
            values=series[definition.code],
            peer_median=medians.get(definition.code),
            currency=rows[-1].currency if definition.unit.startswith("amount") else "",
        )
        for definition in ratios.DEFINITIONS.values()
    ]


def negative_equity_years(rows: list[RatioRow]) -> list[int]:
    """The fiscal years of ``financial_analysis`` whose equity is negative (a negative equity ratio), in
    which ROE, debt-to-equity and fixed assets to equity are "n/a" (``ratios._per_equity``); no
    query."""
    equity = next((row for row in rows if row.code == "equity_ratio"), None)
    return [year for year, value in (equity.values if equity else []) if value is not None and value < 0]


def peer_medians(diagnosis: Diagnosis) -> dict[str, Decimal | None]:
    """Median of each comparable ratio over the latest reported diagnoses of *other* companies of the
    same size class sharing an industry; only when at least 5 such companies have a value."""
    company = diagnosis.company
    industries = list(company.industries.values_list("pk", flat=True))
    if not company.size_class or not industries:
        return {}
    peers = (
        Diagnosis.objects.reported()
        .filter(company__size_class=company.size_class, company__industries__in=industries)
        .exclude(company_id=company.pk)
        .order_by("company_id", "-requested_on", "-pk")
        .values_list("pk", "company_id")
        .distinct()
    )
    latest_per_company: dict[int, int] = {}
    for diagnosis_id, company_id in peers:
        latest_per_company.setdefault(company_id, diagnosis_id)
    if len(latest_per_company) < 5:
        return {}
    by_diagnosis: dict[int, list[FinancialStatement]] = defaultdict(list)
    for statement in FinancialStatement.objects.filter(diagnosis_id__in=latest_per_company.values()).order_by(
        "fiscal_year"
    ):
        by_diagnosis[statement.diagnosis_id].append(statement)
    values: dict[str, list[Decimal | None]] = defaultdict(list)
    for statements in by_diagnosis.values():
        current = to_ratio_statement(statements[-1])
        has_previous = len(statements) > 1 and statements[-2].fiscal_year == statements[-1].fiscal_year - 1
        previous = to_ratio_statement(statements[-2]) if has_previous else None
        for code, value in ratios.compute_ratios(current, previous).items():
            values[code].append(value)
    units = {code: definition.unit for code, definition in ratios.DEFINITIONS.items()}
    return {code: ratios.median(found) for code, found in values.items() if units.get(code) in PEER_UNITS}


# --- Readiness (the maths: shindan/scoring.py) --------------------------------------------------------


def readiness_for_companies(company_ids) -> dict[int, Readiness]:
    """Readiness per company from its latest reported diagnosis (companies without one are absent).

    The formula is ``shindan.scoring.readiness`` (70 % the overall score, 30 % a finance score from four
    key ratios of the latest statement). Matching may use it as a component; two queries whatever the
    number of companies.
    """
    latest: dict[int, Diagnosis] = {}
    for diagnosis in (
        Diagnosis.objects.reported()
        .filter(company_id__in=list(company_ids), overall_score__isnull=False)
        .order_by("company_id", "-requested_on", "-pk")
        .only("pk", "company_id", "overall_score")
    ):
        latest.setdefault(diagnosis.company_id, diagnosis)
    statements: dict[int, FinancialStatement] = {}
    for statement in FinancialStatement.objects.filter(
        diagnosis_id__in=[d.pk for d in latest.values()]
    ).order_by("fiscal_year"):
        statements[statement.diagnosis_id] = statement  # the last one wins: the latest year
    result = {}
    for company_id, diagnosis in latest.items():
        statement = statements.get(diagnosis.pk)
        result[company_id] = scoring.readiness(
            overall_score=Decimal(diagnosis.overall_score),
            statement=to_ratio_statement(statement) if statement else None,
            diagnosis_id=diagnosis.pk,
        )
    return result


# --- Coordinator overview ----------------------------------------------------------------------------


def overview(*, user: User) -> dict:
    """All diagnoses by stage, consultants' load and the mean area scores by industry (reported only)."""
    diagnoses = list(diagnosis_list_for_user(user=user))
    load = (
        User.objects.filter(shindan_diagnoses__isnull=False)
        .annotate(
            open_diagnoses=Count(
                "shindan_diagnoses", filter=~Q(shindan_diagnoses__stage=Stage.CLOSED), distinct=True
            ),
            active_assignments=Count(
                "shindan_assignments", filter=Q(shindan_assignments__ends_on__isnull=True), distinct=True
            ),
            # as the consultant's own workspace counts them (overdue_actions_for_consultant): a closed
            # diagnosis's actions are no one's to chase
            overdue_actions=Count(
                "shindan_diagnoses__actions",
                filter=Q(shindan_diagnoses__actions__status__in=OPEN_ACTION_STATUSES)
                & Q(shindan_diagnoses__actions__due_on__lt=timezone.localdate())
                & ~Q(shindan_diagnoses__stage=Stage.CLOSED),
                distinct=True,
            ),
        )
        .order_by("-open_diagnoses", "email")
    )
    return {
        "diagnoses": diagnoses,
        "by_stage": diagnoses_by_stage(diagnoses),
        "stage_counts": Counter(d.stage for d in diagnoses),
        "load": list(load),
        "industry_scores": area_scores_by_industry(),
    }


def area_scores_by_industry() -> list[dict]:
    """For each industry with reported diagnoses: the mean score per area of each company's latest one."""
    latest: dict[int, Diagnosis] = {}
    for diagnosis in (
        Diagnosis.objects.reported()
        .order_by("company_id", "-requested_on", "-pk")
        .only("pk", "company_id", "area_scores")
    ):
        latest.setdefault(diagnosis.company_id, diagnosis)
    sums: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, Company] = {}
    companies = Company.objects.filter(pk__in=latest).prefetch_related("industries")
    for company in companies:
        for industry in company.industries.all():
            names[industry.pk] = industry
            for area, value in latest[company.pk].area_scores.items():
                sums[industry.pk][area].append(Decimal(value))
    rows = []
    for industry_id, areas in sums.items():
        counts = {area: len(values) for area, values in areas.items()}
        rows.append(
            {
                "industry": names[industry_id],
                "companies": max(counts.values()) if counts else 0,
                "scores": [
                    (area, round(sum(areas[area]) / len(areas[area]), 1) if areas.get(area) else None)
                    for area in AREA_ORDER
                ],
            }
        )
    rows.sort(key=lambda row: (-row["companies"], str(row["industry"])))
    return rows
