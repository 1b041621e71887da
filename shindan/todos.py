"""The shindan app's items of the dashboard's to-do list (portal/core/dashboard.py)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.dashboard import Todo
from shindan.models import Action, Diagnosis
from shindan.models.diagnoses import Stage


def shindan_todos(*, user, roles, company_ids) -> list[Todo]:
    """Consultants: their open diagnoses by stage (1 query) and overdue actions (1 query)."""
    if "consultant" not in roles:
        return []
    items = []
    stages = dict(
        Diagnosis.objects.filter(consultants=user)
        .exclude(stage=Stage.CLOSED)
        .values_list("stage")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
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
