"""The shindan app's items of the dashboard's to-do list (portal/core/dashboard.py).

A consultant sees their open diagnoses by stage, and for each one what keeps it from moving forward
(the checks mirror ``shindan/services/stages.py``: no visit date, no checklist scores, no financial
statement for the ratios, no action plan, the report not issued), the overdue actions of their plans, and
the follow-up visits that are due. Two queries whatever the number of diagnoses
(tests/shindan/test_consultant_todos.py counts them)."""

import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.dashboard import Todo
from portal.core.templatetags.portal import localdate
from shindan.models import Action, Diagnosis, FinancialStatement, FollowUpVisit, ItemScore
from shindan.models.diagnoses import Stage

# A reported diagnosis in improvement support gets a follow-up visit at least this often (counted from
# the last visit, else from the report).
FOLLOW_UP_EVERY = datetime.timedelta(days=90)
# Per-diagnosis lines shown (oldest requests first); the stage counts above them cover the rest.
DIAGNOSES_SHOWN = 15


def _missing(diagnosis) -> list[tuple[str, str]]:
    """(text, url) of what keeps ``diagnosis`` (annotated by ``shindan_todos``) from its next stage."""
    name = diagnosis.company.display_name()
    stage = diagnosis.stage
    pk = diagnosis.pk
    items = []
    if stage in (Stage.REQUESTED, Stage.PRE_SURVEY) and diagnosis.site_visit_on is None:
        items.append(
            (
                _("%(company)s: no site visit date yet") % {"company": name},
                reverse("shindan:diagnosis", args=[pk]),
            )
        )
    if stage in (Stage.SITE_VISIT, Stage.ANALYSIS, Stage.REPORTING) and not diagnosis.has_scores:
        items.append(
            (
                _("%(company)s: no checklist scores yet") % {"company": name},
                reverse("shindan:diagnosis", args=[pk]),
            )
        )
    if stage in (Stage.ANALYSIS, Stage.REPORTING) and not diagnosis.has_statements:
        items.append(
            (
                _("%(company)s: no financial ratios yet (no financial statement entered)")
                % {"company": name},
                reverse("shindan:statements", args=[pk]),
            )
        )
    if stage in (Stage.ANALYSIS, Stage.REPORTING) and not diagnosis.has_actions:
        items.append(
            (_("%(company)s: no action plan yet") % {"company": name}, reverse("shindan:plan", args=[pk]))
        )
    if stage == Stage.REPORTING:
        items.append(
            (
                _("%(company)s: the report is not issued yet") % {"company": name},
                reverse("shindan:report", args=[pk]),
            )
        )
    return items


def _follow_up_due(diagnosis, today: datetime.date) -> tuple[str, str] | None:
    if diagnosis.stage not in (Stage.REPORTED, Stage.FOLLOW_UP):
        return None
    last = diagnosis.last_visit or diagnosis.reported_on
    if last is None or last + FOLLOW_UP_EVERY > today:
        return None
    return (
        _("%(company)s: a follow-up visit is due (last contact %(date)s)")
        % {"company": diagnosis.company.display_name(), "date": localdate(last)},
        reverse("shindan:follow_ups", args=[diagnosis.pk]),
    )


def shindan_todos(*, user, roles, company_ids) -> list[Todo]:
    """Consultants: their open diagnoses by stage, what each one misses, follow-up visits due (1 query),
    and overdue actions (1 query)."""
    if "consultant" not in roles:
        return []
    today = timezone.localdate()
    diagnoses = list(
        Diagnosis.objects.filter(consultants=user)
        .exclude(stage=Stage.CLOSED)
        .select_related("company")
        .annotate(
            has_scores=Exists(ItemScore.objects.answered().filter(diagnosis=OuterRef("pk"))),
            has_statements=Exists(FinancialStatement.objects.filter(diagnosis=OuterRef("pk"))),
            has_actions=Exists(Action.objects.filter(diagnosis=OuterRef("pk"))),
            last_visit=Subquery(
                FollowUpVisit.objects.filter(diagnosis=OuterRef("pk"))
                .order_by("-visited_on")
                .values("visited_on")[:1]
            ),
        )
        .order_by("requested_on", "pk")
    )
    items = []
    stages: dict[str, int] = {}
    for diagnosis in diagnoses:
        stages[diagnosis.stage] = stages.get(diagnosis.stage, 0) + 1
    labels = dict(Stage.choices)
    for stage, _label in Stage.choices:
        if stages.get(stage):
            items.append(
                Todo(
                    role="consultant",
                    count=stages[stage],
                    url=reverse("shindan:home"),
                    text=_("Diagnoses at “%(stage)s”: %(n)s") % {"stage": labels[stage], "n": stages[stage]},
                )
            )
    lines = [line for diagnosis in diagnoses for line in _missing(diagnosis)]
    due = [line for diagnosis in diagnoses if (line := _follow_up_due(diagnosis, today))]
    items += [Todo(role="consultant", count=1, urgent=True, url=url, text=text) for text, url in due]
    items += [Todo(role="consultant", count=1, url=url, text=text) for text, url in lines[:DIAGNOSES_SHOWN]]
    overdue = (
        Action.objects.overdue()
        .filter(diagnosis__consultants=user)
        .exclude(diagnosis__stage=Stage.CLOSED)
        .count()
    )
    items.append(
        Todo(
            role="consultant",
            count=overdue,
            urgent=True,
            url=reverse("shindan:home"),
            text=ngettext("%(n)s action of a plan is overdue", "%(n)s actions of plans are overdue", overdue)
            % {"n": overdue},
        )
    )
    return items
