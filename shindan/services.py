"""Every write of the Shindan app. Views and the API check permissions (``shindan.rules``); services check
business rules, keep writes atomic and record each change in the diagnosis' history (who, when, what)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import Role
from portal.accounts.rules import GROUP_FOR_ROLE
from portal.companies.models import Company
from portal.core.storage import delete_file_on_commit
from shindan import checklists, scoring, selectors
from shindan.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Assignment,
    Change,
    Checklist,
    ChecklistArea,
    ChecklistItem,
    ConsultantProfile,
    Diagnosis,
    FinancialStatement,
    Finding,
    FollowUpVisit,
    Interviewee,
    ItemScore,
    Recommendation,
    Revision,
    Stage,
    StageChange,
)
from shindan.ratios import LINE_ITEMS

# Allowed moves: forward one step; back one step before the report is issued (rework); after the report,
# follow-up or close. A request cannot be closed before the work is done (STYLE.md).
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.REQUESTED: frozenset({Stage.PRE_SURVEY}),
    Stage.PRE_SURVEY: frozenset({Stage.SITE_VISIT, Stage.REQUESTED}),
    Stage.SITE_VISIT: frozenset({Stage.ANALYSIS, Stage.PRE_SURVEY}),
    Stage.ANALYSIS: frozenset({Stage.REPORTING, Stage.SITE_VISIT}),
    Stage.REPORTING: frozenset({Stage.REPORTED, Stage.ANALYSIS}),
    Stage.REPORTED: frozenset({Stage.FOLLOW_UP, Stage.CLOSED}),
    Stage.FOLLOW_UP: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}
# The step the lifecycle expects next (the obvious action on the page); the other allowed moves are the
# way back, or closing a reported diagnosis without follow-up.
FORWARD: dict[str, str] = {
    Stage.REQUESTED: Stage.PRE_SURVEY,
    Stage.PRE_SURVEY: Stage.SITE_VISIT,
    Stage.SITE_VISIT: Stage.ANALYSIS,
    Stage.ANALYSIS: Stage.REPORTING,
    Stage.REPORTING: Stage.REPORTED,
    Stage.REPORTED: Stage.FOLLOW_UP,
    Stage.FOLLOW_UP: Stage.CLOSED,
}


ALREADY_IN_PROGRESS = gettext_lazy(
    "This company already has a diagnosis in progress: finish or report it before starting another."
)


class ReportIncomplete(ValidationError):  # noqa: N818 - a ValidationError, named for what it says
    """Raised instead of moving to "reported": ``missing`` lists what must be done first (translated)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__({"stage": [_("The report cannot be issued yet.")], "missing": missing})


DIAGNOSIS_TEXT_FIELDS = (
    "purpose",
    "stated_needs",
    "methods",
    "overview",
    "external_analysis",
    "conclusion",
    "follow_up_plan",
)


# --- History -----------------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _record(diagnosis: Diagnosis, actor, kind: str, target: str = "", before=None, after=None) -> Change:
    return Change.objects.create(
        diagnosis=diagnosis,
        actor=actor,
        revision=diagnosis.revision,
        kind=kind,
        target=target,
        before=_plain_dict(before),
        after=_plain_dict(after),
    )


def _plain_dict(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return _plain(value)


def _ensure_editable(diagnosis: Diagnosis) -> None:
    """A reported diagnosis changes only inside an open revision; a closed one never."""
    if diagnosis.is_closed:
        raise ValidationError(_("This diagnosis is closed and cannot be changed."))
    if diagnosis.is_reported and not diagnosis.revision_open:
        raise ValidationError(
            _("This diagnosis has been reported. Open a revision, with a reason, to change it.")
        )


def _locked(diagnosis: Diagnosis) -> Diagnosis:
    """Re-read the diagnosis with a row lock so concurrent edits serialise."""
    return Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)


# --- Consultants and assignments ---------------------------------------------------------------------


def consultant_profile_save(*, user, **fields) -> ConsultantProfile:
    profile, _created = ConsultantProfile.objects.update_or_create(user=user, defaults=fields)
    return profile


def _is_consultant(user) -> bool:
    return user.groups.filter(name=GROUP_FOR_ROLE[Role.CONSULTANT]).exists()


@transaction.atomic
def assignment_create(*, actor, consultant, company, starts_on, ends_on=None, note: str = "") -> Assignment:
    if not _is_consultant(consultant):
        raise ValidationError(_("Only consultants can be assigned to companies."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The assignment must end on or after the day it starts."))
    overlapping = Assignment.objects.filter(consultant=consultant, company=company).exclude(
        ends_on__lt=starts_on
    )
    if ends_on is not None:
        overlapping = overlapping.exclude(starts_on__gt=ends_on)
    if overlapping.exists():
        raise ValidationError(_("This consultant is already assigned to this company for that period."))
    return Assignment.objects.create(
        consultant=consultant,
        company=company,
        starts_on=starts_on,
        ends_on=ends_on,
        assigned_by=actor,
        note=note,
    )


def assignment_end(*, actor, assignment: Assignment, on: datetime.date | None = None) -> Assignment:
    day = on or timezone.localdate()
    if day < assignment.starts_on:
        # An assignment that has not started yet is simply withdrawn.
        assignment.delete()
        return assignment
    assignment.ends_on = day
    assignment.save(update_fields=["ends_on", "updated_at"])
    return assignment


def consultant_group() -> Group:
    return Group.objects.get_or_create(name=GROUP_FOR_ROLE[Role.CONSULTANT])[0]


# --- Checklists --------------------------------------------------------------------------------------


_MODELS = SimpleNamespace(Checklist=Checklist, ChecklistArea=ChecklistArea, ChecklistItem=ChecklistItem)


@transaction.atomic
def checklist_import(*, actor, data: dict) -> Checklist:
    """A new draft version of the checklist ``data["code"]`` (validated first; nothing written on error)."""
    checklists.validate(data)
    latest = Checklist.objects.filter(code=data["code"]).aggregate(Max("version"))["version__max"] or 0
    return checklists.create_checklist(data, models=_MODELS, version=latest + 1, created_by=actor)


def checklist_publish(*, actor, checklist: Checklist) -> Checklist:
    if checklist.is_published:
        raise ValidationError(_("This version is already published."))
    checklist.published_at = timezone.now()
    checklist.save(update_fields=["published_at", "updated_at"])
    return checklist


def checklist_current(code: str = "dip-shindan") -> Checklist | None:
    """The newest published version: new diagnoses use it (older diagnoses keep theirs)."""
    return Checklist.objects.filter(code=code, published_at__isnull=False).order_by("-version").first()


# --- Diagnoses ---------------------------------------------------------------------------------------


@transaction.atomic
def diagnosis_create(
    *, actor, company, requested_on: datetime.date | None = None, consultants=(), **texts
) -> Diagnosis:
    checklist = checklist_current()
    if checklist is None:
        raise ValidationError(_("No checklist has been published yet."))
    Company.objects.select_for_update().filter(pk=company.pk).first()  # one new diagnosis at a time
    if selectors.diagnosis_in_progress(company_id=company.pk) is not None:
        raise ValidationError(ALREADY_IN_PROGRESS)
    unknown = set(texts) - set(DIAGNOSIS_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    diagnosis = Diagnosis.objects.create(
        company=company,
        checklist=checklist,
        requested_on=requested_on or timezone.localdate(),
        created_by=actor,
        **texts,
    )
    diagnosis.consultants.set({actor, *consultants})
    StageChange.objects.create(
        diagnosis=diagnosis, to_stage=Stage.REQUESTED, on=diagnosis.requested_on, by=actor
    )
    _record(diagnosis, actor, "created", after={"company": company.pk, "checklist": str(checklist)})
    return diagnosis


@transaction.atomic
def diagnosis_update(*, actor, diagnosis: Diagnosis, **fields) -> Diagnosis:
    """Change the report's texts and visit date; unchanged fields are not recorded."""
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    allowed = {*DIAGNOSIS_TEXT_FIELDS, "site_visit_on"}
    before, after = {}, {}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"not an editable field: {name}")
        if getattr(diagnosis, name) != value:
            before[name], after[name] = getattr(diagnosis, name), value
            setattr(diagnosis, name, value)
    if after:
        diagnosis.save(update_fields=[*after, "updated_at"])
        _record(diagnosis, actor, "fields", ",".join(after), before, after)
    return diagnosis


@transaction.atomic
def interviewees_set(*, actor, diagnosis: Diagnosis, people: list[tuple[str, str]]) -> None:
    """Replace the list of people interviewed (name, position)."""
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    people = [(name.strip(), position.strip()) for name, position in people if position.strip()]
    before = [[p.name, p.position] for p in diagnosis.interviewees.all()]
    if before == [list(person) for person in people]:
        return
    diagnosis.interviewees.all().delete()
    Interviewee.objects.bulk_create(
        Interviewee(diagnosis=diagnosis, name=name, position=position) for name, position in people
    )
    _record(diagnosis, actor, "interviewees", "", {"people": before}, {"people": [list(p) for p in people]})


@transaction.atomic
def diagnosis_transition(
    *, actor, diagnosis: Diagnosis, to_stage: str, on: datetime.date | None = None, note: str = ""
) -> Diagnosis:
    diagnosis = _locked(diagnosis)
    if to_stage not in TRANSITIONS.get(diagnosis.stage, ()):
        raise ValidationError(
            _("A diagnosis cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": Stage(diagnosis.stage).label,
                "to": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    if diagnosis.revision_open:
        raise ValidationError(_("Issue the open revision before changing the stage."))
    if to_stage == Stage.REPORTING and diagnosis.overall_score is None:
        raise ValidationError(_("Score the checklist before reporting."))
    if to_stage == Stage.REPORTED:
        missing = selectors.report_missing(diagnosis)
        if missing:
            raise ReportIncomplete([item.text for item in missing])
    day = on or timezone.localdate()
    if day < diagnosis.requested_on:
        raise ValidationError(_("The date cannot be before the request date."))
    from_stage = diagnosis.stage
    diagnosis.stage = to_stage
    changed = ["stage", "updated_at"]
    if to_stage == Stage.SITE_VISIT and diagnosis.site_visit_on is None:
        diagnosis.site_visit_on = day
        changed.append("site_visit_on")
    if to_stage == Stage.REPORTED:
        diagnosis.reported_on = day
        changed.append("reported_on")
    if to_stage == Stage.CLOSED:
        diagnosis.closed_on = day
        changed.append("closed_on")
    diagnosis.save(update_fields=changed)
    StageChange.objects.create(
        diagnosis=diagnosis, from_stage=from_stage, to_stage=to_stage, on=day, by=actor, note=note[:300]
    )
    _record(diagnosis, actor, "stage", "", {"stage": from_stage}, {"stage": to_stage, "on": day})
    return diagnosis


def diagnosis_snapshot(diagnosis: Diagnosis) -> dict:
    """The report's content as plain data (what a revision keeps of the version it replaces)."""
    return {
        "revision": diagnosis.revision,
        "fields": {name: getattr(diagnosis, name) for name in DIAGNOSIS_TEXT_FIELDS},
        "area_scores": diagnosis.area_scores,
        "overall_score": _plain(diagnosis.overall_score),
        "scores": {
            row.item.code: row.score
            for row in diagnosis.item_scores.select_related("item").order_by("item__code")
        },
        "statements": [
            {"fiscal_year": s.fiscal_year, **{name: _plain(getattr(s, name)) for name in LINE_ITEMS}}
            for s in diagnosis.statements.all()
        ],
        "findings": [[f.kind, f.severity, f.area, f.text] for f in diagnosis.findings.all()],
        "recommendations": [[r.area, r.text] for r in diagnosis.recommendations.all()],
        "actions": [
            [a.what, a.owner, a.due_on.isoformat(), a.kpi, a.status] for a in diagnosis.actions.all()
        ],
    }


@transaction.atomic
def revision_open(*, actor, diagnosis: Diagnosis, reason: str) -> Revision:
    diagnosis = _locked(diagnosis)
    reason = reason.strip()
    if not diagnosis.is_reported or diagnosis.is_closed:
        raise ValidationError(_("Only a reported diagnosis that is not closed can be revised."))
    if diagnosis.revision_open:
        raise ValidationError(_("A revision is already open."))
    if not reason:
        raise ValidationError(_("Say why the report is being revised."))
    revision = Revision.objects.create(
        diagnosis=diagnosis,
        number=diagnosis.revision + 1,
        reason=reason[:300],
        snapshot=diagnosis_snapshot(diagnosis),
        created_by=actor,
    )
    diagnosis.revision = revision.number
    diagnosis.revision_open = True
    diagnosis.save(update_fields=["revision", "revision_open", "updated_at"])
    _record(diagnosis, actor, "revision_opened", str(revision.number), None, {"reason": revision.reason})
    return revision


@transaction.atomic
def revision_issue(*, actor, diagnosis: Diagnosis) -> Diagnosis:
    diagnosis = _locked(diagnosis)
    if not diagnosis.revision_open:
        raise ValidationError(_("No revision is open."))
    diagnosis.revision_open = False
    diagnosis.save(update_fields=["revision_open", "updated_at"])
    _record(diagnosis, actor, "revision_issued", str(diagnosis.revision))
    return diagnosis


# --- Item scores -------------------------------------------------------------------------------------

NOT_ASSESSED = ""
NOT_APPLICABLE = "na"


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
    "na" = not applicable, "1"…"5"), ``evidence`` and optionally ``photo`` (an uploaded image).
    """
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    existing = {row.item_id: row for row in diagnosis.item_scores.all()}
    changed = 0
    for entry in entries:
        item, value = entry["item"], str(entry.get("value", NOT_ASSESSED))
        if item.area.checklist_id != diagnosis.checklist_id:
            raise ValidationError(_("This item is not on the diagnosis' checklist."))
        if value not in (NOT_ASSESSED, NOT_APPLICABLE, "1", "2", "3", "4", "5"):
            raise ValidationError(_("A score is 1 to 5 or N/A."))
        evidence = entry.get("evidence", "").strip()
        photo = entry.get("photo")
        row = existing.get(item.pk)
        before = None if row is None else {"score": row.score, "evidence": row.evidence}
        if value == NOT_ASSESSED and not evidence and not photo:
            if row is not None:
                row.delete()
                _record(diagnosis, actor, "score", item.code, before, None)
                changed += 1
            continue
        score = None if value in (NOT_ASSESSED, NOT_APPLICABLE) else int(value)
        if row is not None and row.score == score and row.evidence == evidence and not photo:
            continue
        row = row or ItemScore(diagnosis=diagnosis, item=item)
        row.score, row.evidence = score, evidence
        if photo:
            # The photo it replaces leaves the storage once this commits (a cleared row: models' cleanup).
            delete_file_on_commit(row.photo)
            row.photo = photo
        row.save()
        _record(diagnosis, actor, "score", item.code, before, {"score": score, "evidence": evidence})
        changed += 1
    if changed:
        _recompute_scores(diagnosis)
    return changed


# --- Financial statements ----------------------------------------------------------------------------

STATEMENT_FIELDS = ("fiscal_year", "period_end", "currency", "unit", *LINE_ITEMS)


@transaction.atomic
def statement_save(
    *, actor, diagnosis: Diagnosis, statement: FinancialStatement | None = None, **data
) -> FinancialStatement:
    """Create or change one fiscal year; years are C.E. (forms convert B.E. input)."""
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    unknown = set(data) - set(STATEMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown statement fields {sorted(unknown)}")
    others = diagnosis.statements.exclude(pk=statement.pk if statement else None)
    if others.filter(fiscal_year=data["fiscal_year"]).exists():
        raise ValidationError(_("Fiscal year %(year)s is already entered.") % {"year": data["fiscal_year"]})
    if others.exclude(currency=data["currency"]).exists():
        raise ValidationError(_("All statements of a diagnosis must use the same currency."))
    before = None if statement is None else {name: getattr(statement, name) for name in STATEMENT_FIELDS}
    statement = statement or FinancialStatement(diagnosis=diagnosis)
    for name, value in data.items():
        setattr(statement, name, value)
    statement.full_clean()
    statement.save()
    _record(diagnosis, actor, "statement", f"FY{statement.fiscal_year}", before, data)
    return statement


@transaction.atomic
def statement_delete(*, actor, statement: FinancialStatement) -> None:
    diagnosis = _locked(statement.diagnosis)
    _ensure_editable(diagnosis)
    _record(
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
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    finding = Finding(diagnosis=diagnosis, kind=kind, severity=severity, area=area, text=text.strip())
    finding.full_clean()
    finding.save()
    _record(
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
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    recommendation = Recommendation(diagnosis=diagnosis, area=area, text=text.strip())
    recommendation.full_clean()
    recommendation.save()
    _record(
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
    diagnosis = _locked(diagnosis)
    _ensure_editable(diagnosis)
    action = Action(diagnosis=diagnosis, **fields)
    action.full_clean()
    action.save()
    _record(diagnosis, actor, "action", str(action.pk), None, {k: fields[k] for k in sorted(fields)})
    return action


@transaction.atomic
def item_delete(*, actor, obj) -> None:
    """Remove a finding, recommendation or action (part of the report: only while editable)."""
    diagnosis = _locked(obj.diagnosis)
    _ensure_editable(diagnosis)
    kind = type(obj).__name__.lower()
    _record(diagnosis, actor, f"{kind}_deleted", str(obj.pk), {"text": str(obj)})
    obj.delete()


@transaction.atomic
def action_set_status(
    *, actor, action: Action, status: str, note: str = "", visit: FollowUpVisit | None = None
) -> Action:
    """Progress of an action: allowed at any stage but "closed" (follow-up happens after the report)."""
    diagnosis = _locked(action.diagnosis)
    if diagnosis.is_closed:
        raise ValidationError(_("This diagnosis is closed and cannot be changed."))
    if status not in ActionStatus.values:
        raise ValidationError(_("Unknown action status."))
    if status == action.status and not note:
        return action
    before = {"status": action.status}
    action.status = status
    action.done_on = (action.done_on or timezone.localdate()) if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on", "updated_at"])
    ActionUpdate.objects.create(action=action, visit=visit, status=status, note=note[:300], by=actor)
    _record(diagnosis, actor, "action_status", str(action.pk), before, {"status": status, "note": note})
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
    diagnosis = _locked(diagnosis)
    if diagnosis.stage not in (Stage.REPORTED, Stage.FOLLOW_UP):
        raise ValidationError(_("Follow-up visits are recorded after the report is issued."))
    if diagnosis.reported_on and visited_on < diagnosis.reported_on:
        raise ValidationError(_("A follow-up visit cannot be before the report date."))
    visit = FollowUpVisit.objects.create(
        diagnosis=diagnosis, visited_on=visited_on, consultant=actor, notes=notes.strip()
    )
    _record(
        diagnosis, actor, "follow_up", str(visit.pk), None, {"visited_on": visited_on, "notes": visit.notes}
    )
    actions = {action.pk: action for action in diagnosis.actions.all()}
    for action_id, status in (statuses or {}).items():
        if action_id not in actions:
            raise ValidationError(_("That action is not part of this diagnosis."))
        if status != actions[action_id].status:
            action_set_status(actor=actor, action=actions[action_id], status=status, visit=visit)
    if diagnosis.stage == Stage.REPORTED and not diagnosis.revision_open:
        diagnosis_transition(actor=actor, diagnosis=diagnosis, to_stage=Stage.FOLLOW_UP, on=visited_on)
    return visit


def overdue_actions_remind() -> int:
    """E-mail each consultant the open actions past their date on their diagnoses (in their language)."""
    from portal.core.notify import send_to_users

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
    for consultant, actions in by_consultant.items():
        sent += send_to_users(users=[consultant], template="shindan_overdue", context={"actions": actions})
    return sent
