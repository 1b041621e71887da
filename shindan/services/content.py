"""What a diagnosis holds: item scores, financial statements, findings, recommendations, the action plan
and follow-up visits. Each write checks the diagnosis is editable and records the change."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.storage import delete_file_on_commit
from portal.core.templatetags.portal import localdate, year  # B.E. years in Thai, as the pages write them
from shindan import scoring
from shindan.models import (
    NOT_APPLICABLE,
    NOT_ASSESSED,
    Action,
    ActionStatus,
    ActionUpdate,
    Diagnosis,
    FinancialStatement,
    Finding,
    FollowUpVisit,
    ItemScore,
    Recommendation,
    Stage,
)
from shindan.ratios import LINE_ITEMS
from shindan.services.changes import ensure_editable, locked, record
from shindan.services.stages import diagnosis_transition

SCORE_VALUES = (NOT_ASSESSED, NOT_APPLICABLE, "1", "2", "3", "4", "5")


def _recorded(row: ItemScore) -> dict:
    """An item's answer as the history keeps it: the score, "na" for N/A, None when not assessed."""
    return {"score": NOT_APPLICABLE if row.not_applicable else row.score, "evidence": row.evidence}


def _recompute_scores(diagnosis: Diagnosis) -> None:
    by_area: dict[str, list[int | None]] = {}
    for area, score in diagnosis.item_scores.values_list("item__area__code", "score"):
        by_area.setdefault(area, []).append(score)
    areas = {area: scoring.area_score(scores) for area, scores in by_area.items()}
    overall = scoring.overall_score(areas)
    diagnosis.area_scores = {area: str(round(value, 1)) for area, value in areas.items() if value is not None}
    diagnosis.overall_score = None if overall is None else round(overall, 2)
    diagnosis.save(update_fields=["area_scores", "overall_score", "updated_at"])


@transaction.atomic
def item_scores_save(*, actor, diagnosis: Diagnosis, entries: list[dict]) -> int:
    """Save the scores of checklist items; returns how many changed.

    Each entry: ``item`` (a ChecklistItem of the diagnosis' checklist), ``value`` ("" = not assessed,
    "na" = not applicable, "1"…"5"), ``evidence`` and optionally ``photo`` (an uploaded image). An item
    not assessed keeps its evidence and photo (a row without score that is not N/A); without either its
    row goes.
    """
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
    existing = {row.item_id: row for row in diagnosis.item_scores.all()}
    changed = 0
    for entry in entries:
        item, value = entry["item"], str(entry.get("value", NOT_ASSESSED))
        if item.area.checklist_id != diagnosis.checklist_id:
            raise ValidationError(
                _("This item is not on the diagnosis' checklist."), code="item_not_on_checklist"
            )
        if value not in SCORE_VALUES:
            raise ValidationError(_("A score is 1 to 5 or N/A."), code="invalid_score")
        evidence = entry.get("evidence", "").strip()
        photo = entry.get("photo")
        row = existing.get(item.pk)
        before = None if row is None else _recorded(row)
        if value == NOT_ASSESSED and not evidence and not photo:
            if row is not None:
                row.delete()
                record(diagnosis, actor, "score", item.code, before, None)
                changed += 1
            continue
        score = None if value in (NOT_ASSESSED, NOT_APPLICABLE) else int(value)
        not_applicable = value == NOT_APPLICABLE
        if (
            row is not None
            and (row.score, row.not_applicable, row.evidence) == (score, not_applicable, evidence)
            and not photo
        ):
            continue
        row = row or ItemScore(diagnosis=diagnosis, item=item)
        row.score, row.not_applicable, row.evidence = score, not_applicable, evidence
        if photo:
            # The photo it replaces leaves the storage once this commits (a cleared row: models' cleanup).
            delete_file_on_commit(row.photo)
            row.photo = photo
        row.save()
        record(diagnosis, actor, "score", item.code, before, _recorded(row))
        changed += 1
    if changed:
        _recompute_scores(diagnosis)
    return changed


# --- Financial statements ----------------------------------------------------------------------------

STATEMENT_FIELDS = ("fiscal_year", "period_end", "currency", "unit", *LINE_ITEMS)
# Profits (a loss is negative) and equity (negative after losses larger than the capital) may be below zero;
# amounts of assets, liabilities, costs, sales and the employees may not.
SIGNED_LINE_ITEMS = frozenset({"gross_profit", "operating_profit", "ordinary_profit", "net_income", "equity"})


@transaction.atomic
def statement_save(
    *, actor, diagnosis: Diagnosis, statement: FinancialStatement | None = None, **data
) -> FinancialStatement:
    """Create or change one fiscal year; years are C.E. (forms convert B.E. input). Only the profits and
    equity may be negative (``code="negative"``, each such field at once)."""
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
    unknown = set(data) - set(STATEMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown statement fields {sorted(unknown)}")
    negative = {
        name: [ValidationError(_("This cannot be negative."), code="negative")]
        for name in LINE_ITEMS
        if name not in SIGNED_LINE_ITEMS and data.get(name) is not None and data[name] < 0
    }
    if negative:
        raise ValidationError(negative)
    others = diagnosis.statements.exclude(pk=statement.pk if statement else None)
    if others.filter(fiscal_year=data["fiscal_year"]).exists():
        raise ValidationError(
            _("Fiscal year %(year)s is already entered.") % {"year": year(data["fiscal_year"])},
            code="year_taken",
        )
    if others.exclude(currency=data["currency"]).exists():
        raise ValidationError(
            _("All statements of a diagnosis must use the same currency."), code="mixed_currency"
        )
    before = None if statement is None else {name: getattr(statement, name) for name in STATEMENT_FIELDS}
    statement = statement or FinancialStatement(diagnosis=diagnosis)
    for name, value in data.items():
        setattr(statement, name, value)
    statement.full_clean()
    statement.save()
    record(diagnosis, actor, "statement", f"FY{statement.fiscal_year}", before, data)
    return statement


@transaction.atomic
def statement_delete(*, actor, statement: FinancialStatement) -> None:
    diagnosis = locked(statement.diagnosis)
    ensure_editable(diagnosis)
    record(
        diagnosis,
        actor,
        "statement_deleted",
        f"FY{statement.fiscal_year}",
        {"fiscal_year": statement.fiscal_year},
    )
    statement.delete()


# --- Findings, recommendations, actions, follow-ups --------------------------------------------------


@transaction.atomic
def finding_add(
    *, actor, diagnosis: Diagnosis, kind: str, text: str, severity: str = "medium", area: str = ""
) -> Finding:
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
    finding = Finding(diagnosis=diagnosis, kind=kind, severity=severity, area=area, text=text.strip())
    finding.full_clean()
    finding.save()
    record(
        diagnosis,
        actor,
        "finding",
        str(finding.pk),
        None,
        {"kind": kind, "severity": severity, "area": area, "text": finding.text},
    )
    return finding


@transaction.atomic
def recommendation_add(*, actor, diagnosis: Diagnosis, area: str, text: str) -> Recommendation:
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
    recommendation = Recommendation(diagnosis=diagnosis, area=area, text=text.strip())
    recommendation.full_clean()
    recommendation.save()
    record(
        diagnosis,
        actor,
        "recommendation",
        str(recommendation.pk),
        None,
        {"area": area, "text": recommendation.text},
    )
    return recommendation


@transaction.atomic
def action_add(*, actor, diagnosis: Diagnosis, **fields) -> Action:
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
    action = Action(diagnosis=diagnosis, **fields)
    action.full_clean()
    action.save()
    record(diagnosis, actor, "action", str(action.pk), None, {k: fields[k] for k in sorted(fields)})
    return action


@transaction.atomic
def item_delete(*, actor, obj) -> None:
    """Remove a finding, recommendation or action (part of the report: only while editable)."""
    diagnosis = locked(obj.diagnosis)
    ensure_editable(diagnosis)
    kind = type(obj).__name__.lower()
    record(diagnosis, actor, f"{kind}_deleted", str(obj.pk), {"text": str(obj)})
    obj.delete()


@transaction.atomic
def action_set_status(
    *, actor, action: Action, status: str, note: str = "", visit: FollowUpVisit | None = None
) -> Action:
    """Progress of an action: allowed at any stage but "closed" (follow-up happens after the report)."""
    diagnosis = locked(action.diagnosis)
    if diagnosis.is_closed:
        raise ValidationError(_("This diagnosis is closed and cannot be changed."), code="closed")
    if status not in ActionStatus.values:
        raise ValidationError(_("Unknown action status."), code="unknown_status")
    if status == action.status and not note:
        return action
    before = {"status": action.status}
    action.status = status
    action.done_on = (action.done_on or timezone.localdate()) if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on", "updated_at"])
    ActionUpdate.objects.create(action=action, visit=visit, status=status, note=note[:300], by=actor)
    record(diagnosis, actor, "action_status", str(action.pk), before, {"status": status, "note": note})
    return action


@transaction.atomic
def follow_up_record(
    *,
    actor,
    diagnosis: Diagnosis,
    visited_on: datetime.date,
    notes: str = "",
    statuses: dict[int, str] | None = None,
) -> FollowUpVisit:
    """A follow-up visit after the report; it updates action statuses and moves a reported diagnosis to
    "follow-up"."""
    diagnosis = locked(diagnosis)
    if diagnosis.stage not in (Stage.REPORTED, Stage.FOLLOW_UP):
        raise ValidationError(
            _("Follow-up visits are recorded after the report is issued."), code="not_reported"
        )
    if diagnosis.reported_on and visited_on < diagnosis.reported_on:
        raise ValidationError(
            _("A follow-up visit cannot be before the report date (%(date)s).")
            % {"date": localdate(diagnosis.reported_on)},
            code="before_report",
        )
    visit = FollowUpVisit.objects.create(
        diagnosis=diagnosis, visited_on=visited_on, consultant=actor, notes=notes.strip()
    )
    record(
        diagnosis, actor, "follow_up", str(visit.pk), None, {"visited_on": visited_on, "notes": visit.notes}
    )
    actions = {action.pk: action for action in diagnosis.actions.all()}
    for action_id, status in (statuses or {}).items():
        if action_id not in actions:
            raise ValidationError(
                _("That action is not part of this diagnosis."), code="action_not_on_diagnosis"
            )
        if status != actions[action_id].status:
            action_set_status(actor=actor, action=actions[action_id], status=status, visit=visit)
    if diagnosis.stage == Stage.REPORTED and not diagnosis.revision_open:
        diagnosis_transition(actor=actor, diagnosis=diagnosis, to_stage=Stage.FOLLOW_UP, on=visited_on)
    return visit


def overdue_actions_remind() -> int:
    """E-mail each consultant the open actions past their date on their diagnoses (in their language)."""
    from portal.notifications.services import notification_send

    by_consultant: dict = {}
    overdue = (
        Action.objects.overdue()
        .exclude(diagnosis__stage=Stage.CLOSED)
        .select_related("diagnosis__company")
        .prefetch_related("diagnosis__consultants")
        .order_by("due_on", "pk")
    )
    for action in overdue:
        for consultant in action.diagnosis.consultants.all():
            by_consultant.setdefault(consultant, []).append(action)
    sent = 0
    week = timezone.localdate().isocalendar()
    for consultant, actions in by_consultant.items():
        # In-app and the e-mail (templates/email/shindan_overdue_*), once per consultant and week.
        with transaction.atomic():
            rows = notification_send(
                kind="shindan.action_overdue",
                recipients=[consultant],
                url=reverse("shindan:home"),
                context={"count": len(actions)},
                dedupe_key=f"shindan.action_overdue:{consultant.pk}:{week.year}-{week.week}",
                email_context={"actions": actions},
            )
        sent += len(rows)
    return sent
