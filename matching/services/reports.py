"""Members' reports on their introductions: after being introduced, each side records its own outcome (the
same vocabulary as the events app's meeting outcomes) and a private rating; both sides reporting the same
outcome moves the introduction forward through ``introduction_set_stage``, as a coordinator's stage change
does (a coordinator confirms otherwise)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matching.models import NOT_REPORTABLE_STAGES, Introduction, IntroductionReport, ReportOutcome
from matching.services.introductions import MEETING_OUTCOME_STAGES, introduction_path, introduction_set_stage
from portal.companies.models import Company


def introduction_reportable(introduction: Introduction) -> bool:
    return introduction.stage not in NOT_REPORTABLE_STAGES


def introduction_advance(*, introduction: Introduction, outcome: str, actor) -> Introduction:
    """Move ``introduction`` forward to the stage ``outcome`` means, step by allowed step; a stage that is
    already further on (or cannot reach it) stays: never backwards."""
    target = MEETING_OUTCOME_STAGES[outcome]
    for stage in introduction_path(introduction.stage, target) or []:
        introduction = introduction_set_stage(introduction=introduction, actor=actor, stage=stage)
    return introduction


@transaction.atomic
def introduction_report_save(
    *,
    actor,
    introduction: Introduction,
    company: Company,
    outcome: str,
    rating: int | None = None,
    note: str = "",
) -> IntroductionReport:
    """Record (or change) ``company``'s report on ``introduction``. When the other side reported the same
    outcome, the introduction moves to the stage that outcome means (never backwards)."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    sides = (introduction.thai_company_id, introduction.japanese_company_id)
    if company.pk not in sides:
        raise ValidationError(_("Only the two companies of an introduction report on it."), code="not_a_side")
    if not introduction_reportable(introduction):
        raise ValidationError(
            _("These companies have not been introduced yet: report once the coordinators introduce you."),
            code="not_introduced",
        )
    if not outcome or outcome not in ReportOutcome.values:
        raise ValidationError(_("Choose the outcome of the introduction."), code="invalid_outcome")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError(_("A rating is from 1 to 5."), code="invalid_rating")
    report, _created = IntroductionReport.objects.update_or_create(
        introduction=introduction,
        company=company,
        defaults={"outcome": outcome, "rating": rating, "note": note.strip(), "reported_by": actor},
    )
    other = sides[1] if company.pk == sides[0] else sides[0]
    if IntroductionReport.objects.filter(
        introduction=introduction, company_id=other, outcome=outcome
    ).exists():
        introduction_advance(introduction=introduction, outcome=outcome, actor=actor)
    return report
