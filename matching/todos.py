"""The matching app's items of the dashboard's to-do list (portal/core/dashboard.py)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.models import Introduction, IntroductionReport, IntroductionStage, MatchRun, RunStatus
from portal.core.dashboard import Todo
from portal.core.templatetags.portal import localdatetime

ACTIVE = [
    IntroductionStage.REQUESTED,
    IntroductionStage.INTRODUCED,
    IntroductionStage.TALKING,
    IntroductionStage.NDA,
    IntroductionStage.SAMPLES,
    IntroductionStage.ORDER,
]


def matching_todos(*, user, roles, company_ids) -> list[Todo]:
    """Members: their introductions under way, by stage, and those introduced their company has not reported
    on (1 query). Coordinators: introductions waiting for them (1 query). Admins: the last matching run (1
    query)."""
    items = []
    if company_ids:
        reported = Exists(
            IntroductionReport.objects.filter(introduction=OuterRef("pk"), company_id__in=company_ids)
        )
        rows = (
            Introduction.objects.filter(
                Q(thai_company_id__in=company_ids) | Q(japanese_company_id__in=company_ids), stage__in=ACTIVE
            )
            .values_list("stage")
            .annotate(n=Count("pk"), unreported=Count("pk", filter=~Q(reported)))
            .order_by()
        )
        stages, to_report = {}, 0
        for stage, n, unreported in rows:
            stages[stage] = n
            to_report += unreported if stage != IntroductionStage.REQUESTED else 0
        labels = dict(IntroductionStage.choices)
        items.extend(
            Todo(
                role="member",
                count=stages[stage],
                url=reverse("matching:introductions"),
                text=_("Introductions at “%(stage)s”: %(n)s") % {"stage": labels[stage], "n": stages[stage]},
            )
            for stage in ACTIVE
            if stages.get(stage)
        )
        if to_report:
            items.append(
                Todo(
                    role="member",
                    count=to_report,
                    url=reverse("matching:introductions"),
                    text=ngettext(
                        "%(n)s introduction to report on", "%(n)s introductions to report on", to_report
                    )
                    % {"n": to_report},
                )
            )
    if roles & {"coordinator", "admin"}:
        waiting = Introduction.objects.filter(stage=IntroductionStage.REQUESTED).count()
        items.append(
            Todo(
                role="coordinator",
                count=waiting,
                url=f"{reverse('matching:introductions')}?stage={IntroductionStage.REQUESTED}#introductions",
                text=ngettext("%(n)s introduction waits for you", "%(n)s introductions wait for you", waiting)
                % {"n": waiting},
            )
        )
    if "admin" in roles:
        run = MatchRun.objects.filter(kind=MatchRun.Kind.FULL).order_by("-started_at").first()
        items.append(
            Todo(
                role="admin",
                count=1,
                urgent=run is None or run.status != RunStatus.FINISHED,
                url=reverse("admin:matching_matchrun_change", args=[run.pk])
                if run
                else reverse("admin:matching_matchrun_changelist"),
                text=_("Last full matching run: %(status)s, %(at)s")
                % {
                    "status": run.get_status_display() if run else _("never"),
                    # in the reader's calendar and format (Buddhist Era in Thai), as every date on the site
                    "at": localdatetime(run.finished_at or run.started_at) if run else "—",
                },
            )
        )
    return items
