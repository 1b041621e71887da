"""A diagnosis' lifecycle: creation, the report's texts, the stage (table ``STAGES``) and revisions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.companies.models import Company
from portal.core.transitions import Transitions
from shindan import selectors
from shindan.models import Diagnosis, Interviewee, Revision, Stage, StageChange
from shindan.services.changes import (
    DIAGNOSIS_TEXT_FIELDS,
    diagnosis_snapshot,
    ensure_editable,
    locked,
    record,
)
from shindan.services.staffing import checklist_current

# Allowed moves: forward one step; back one step before the report is issued (rework); after the report,
# follow-up or close. A request cannot be closed before the work is done.
STAGES = Transitions(
    Stage,
    {
        Stage.REQUESTED: {Stage.PRE_SURVEY},
        Stage.PRE_SURVEY: {Stage.SITE_VISIT, Stage.REQUESTED},
        Stage.SITE_VISIT: {Stage.ANALYSIS, Stage.PRE_SURVEY},
        Stage.ANALYSIS: {Stage.REPORTING, Stage.SITE_VISIT},
        Stage.REPORTING: {Stage.REPORTED, Stage.ANALYSIS},
        Stage.REPORTED: {Stage.FOLLOW_UP, Stage.CLOSED},
        Stage.FOLLOW_UP: {Stage.CLOSED},
        Stage.CLOSED: set(),
    },
    message=gettext_lazy("A diagnosis cannot move from “%(from)s” to “%(to)s”."),
)
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
        super().__init__(
            {
                "stage": [ValidationError(_("The report cannot be issued yet."), code="report_incomplete")],
                "missing": [ValidationError(text, code="missing") for text in missing],
            }
        )


# --- Diagnoses ---------------------------------------------------------------------------------------


@transaction.atomic
def diagnosis_create(
    *, actor, company, requested_on: datetime.date | None = None, consultants=(), **texts
) -> Diagnosis:
    checklist = checklist_current()
    if checklist is None:
        raise ValidationError(_("No checklist has been published yet."), code="no_checklist")
    Company.objects.select_for_update().filter(pk=company.pk).first()  # one new diagnosis at a time
    if selectors.diagnosis_in_progress(company_id=company.pk) is not None:
        raise ValidationError(ALREADY_IN_PROGRESS, code="already_in_progress")
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
    record(diagnosis, actor, "created", after={"company": company.pk, "checklist": str(checklist)})
    return diagnosis


@transaction.atomic
def diagnosis_update(*, actor, diagnosis: Diagnosis, **fields) -> Diagnosis:
    """Change the report's texts and visit date; unchanged fields are not recorded."""
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
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
        record(diagnosis, actor, "fields", ",".join(after), before, after)
    return diagnosis


@transaction.atomic
def interviewees_set(*, actor, diagnosis: Diagnosis, people: list[tuple[str, str]]) -> None:
    """Replace the list of people interviewed (name, position)."""
    diagnosis = locked(diagnosis)
    ensure_editable(diagnosis)
    people = [(name.strip(), position.strip()) for name, position in people if position.strip()]
    before = [[p.name, p.position] for p in diagnosis.interviewees.all()]
    if before == [list(person) for person in people]:
        return
    diagnosis.interviewees.all().delete()
    Interviewee.objects.bulk_create(
        Interviewee(diagnosis=diagnosis, name=name, position=position) for name, position in people
    )
    record(diagnosis, actor, "interviewees", "", {"people": before}, {"people": [list(p) for p in people]})


@transaction.atomic
def diagnosis_overview_save(*, actor, diagnosis: Diagnosis, people: list[tuple[str, str]], **fields) -> None:
    """The overview page: the report's texts and visit date, and the people interviewed, all or nothing."""
    diagnosis = diagnosis_update(actor=actor, diagnosis=diagnosis, **fields)
    interviewees_set(actor=actor, diagnosis=diagnosis, people=people)


@transaction.atomic
def diagnosis_transition(
    *, actor, diagnosis: Diagnosis, to_stage: str, on: datetime.date | None = None, note: str = ""
) -> Diagnosis:
    """The one place a diagnosis' stage changes (table ``STAGES``; ``code="invalid_transition"``).

    Refused while a revision is open, into "reporting" before the checklist is scored, into "reported"
    while the report is incomplete (``ReportIncomplete`` lists what is missing), and on a day after today
    or before the request (errors of the field ``on``). Side effects: site
    visit → the visit date (if not set); reported → the report date, the company's members may read the
    report; closed → the closing date, nothing changes any more. Every move is a ``StageChange`` row and a
    history entry.
    """
    diagnosis = locked(diagnosis)
    STAGES.check(diagnosis.stage, to_stage)
    if diagnosis.revision_open:
        raise ValidationError(_("Issue the open revision before changing the stage."), code="revision_open")
    if to_stage == Stage.REPORTING and diagnosis.overall_score is None:
        raise ValidationError(_("Score the checklist before reporting."), code="not_scored")
    if to_stage == Stage.REPORTED:
        missing = selectors.report_missing(diagnosis)
        if missing:
            raise ReportIncomplete([item.text for item in missing])
    day = _stage_date(diagnosis, on)
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
    record(diagnosis, actor, "stage", "", {"stage": from_stage}, {"stage": to_stage, "on": day})
    if to_stage == Stage.REPORTED:
        _notify_report(diagnosis, actor, f"shindan.report_issued:{diagnosis.pk}:0")
    return diagnosis


def _stage_date(diagnosis: Diagnosis, on: datetime.date | None) -> datetime.date:
    """The day of a stage change (today when not given); it becomes the visit, report or closing date, so it
    is not after today, nor before the request."""
    today = timezone.localdate()
    day = on or today
    if day > today:
        error = ValidationError(_("The date cannot be in the future."), code="future_date")
    elif day < diagnosis.requested_on:
        error = ValidationError(_("The date cannot be before the request date."), code="before_request")
    else:
        return day
    raise ValidationError({"on": [error]})


def _notify_report(diagnosis: Diagnosis, actor, dedupe_key: str) -> None:
    """The company's members may read the report now: they are told (in-app and e-mail)."""
    from portal.companies.models import MembershipRole
    from portal.notifications.kinds import each_language
    from portal.notifications.services import notification_send

    company = diagnosis.company
    notification_send(
        kind="shindan.report_issued",
        recipients=[
            m.user
            for m in company.memberships.select_related("user").filter(
                role__in=[MembershipRole.OWNER, MembershipRole.MEMBER]
            )
        ],
        target=diagnosis,
        url=reverse("shindan:report", kwargs={"pk": diagnosis.pk}),
        context={"company": each_language(company)},
        actor=actor,
        dedupe_key=dedupe_key,
    )


@transaction.atomic
def revision_open(*, actor, diagnosis: Diagnosis, reason: str) -> Revision:
    diagnosis = locked(diagnosis)
    reason = reason.strip()
    if not diagnosis.is_reported or diagnosis.is_closed:
        raise ValidationError(
            _("Only a reported diagnosis that is not closed can be revised."), code="not_revisable"
        )
    if diagnosis.revision_open:
        raise ValidationError(_("A revision is already open."), code="revision_already_open")
    if not reason:
        raise ValidationError(_("Say why the report is being revised."), code="reason_required")
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
    record(diagnosis, actor, "revision_opened", str(revision.number), None, {"reason": revision.reason})
    return revision


@transaction.atomic
def revision_issue(*, actor, diagnosis: Diagnosis) -> Diagnosis:
    diagnosis = locked(diagnosis)
    if not diagnosis.revision_open:
        raise ValidationError(_("No revision is open."), code="no_revision_open")
    diagnosis.revision_open = False
    diagnosis.save(update_fields=["revision_open", "updated_at"])
    record(diagnosis, actor, "revision_issued", str(diagnosis.revision))
    _notify_report(diagnosis, actor, f"shindan.report_issued:{diagnosis.pk}:{diagnosis.revision}")
    return diagnosis
