"""The deals app's items of the dashboard's to-do list (portal/core/dashboard.py)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from deals import selectors
from deals.models import CoordinatorInvite, Proposal, ProposalStatus
from portal.core.dashboard import Todo


def deal_todos(*, user, roles, company_ids) -> list[Todo]:
    """Members: unread messages (1 query) and proposals on their needs to answer, shortlisted ones included
    (1 query).
    Coordinators: conversations asking for a coordinator, and the requests they took that are still open
    (1 query)."""
    items = []
    if company_ids:
        unread = selectors.unread_count_for_user(user=user)
        items.append(
            Todo(
                role="member",
                count=unread,
                urgent=True,
                url=reverse("deals:inbox"),
                text=ngettext("%(n)s unread message", "%(n)s unread messages", unread) % {"n": unread},
            )
        )
        by_need = list(
            # sent and not yet looked at, or shortlisted and still waiting for the final answer
            Proposal.objects.filter(
                posting__company_id__in=company_ids,
                status__in=[ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED],
            )
            .values_list("posting_id")
            .annotate(n=Count("pk"))
            .order_by("posting_id")
        )
        received = sum(n for _posting, n in by_need)
        if received:
            url = (
                reverse("deals:need_proposals", kwargs={"posting_pk": by_need[0][0]})
                if len(by_need) == 1
                else reverse("notifications:list") + "?kind=deals.proposal_received"
            )
            items.append(
                Todo(
                    role="member",
                    count=received,
                    url=url,
                    text=ngettext(
                        "%(n)s proposal on your needs to answer",
                        "%(n)s proposals on your needs to answer",
                        received,
                    )
                    % {"n": received},
                )
            )
    if roles & {"coordinator", "admin"}:
        waiting = CoordinatorInvite.objects.filter(closed_at=None).aggregate(
            asking=Count("pk", filter=Q(coordinator=None)), mine=Count("pk", filter=Q(coordinator=user))
        )
        items.append(
            Todo(
                role="coordinator",
                count=waiting["asking"],
                url=reverse("deals:desk"),
                text=ngettext(
                    "%(n)s conversation asks for a coordinator",
                    "%(n)s conversations ask for a coordinator",
                    waiting["asking"],
                )
                % {"n": waiting["asking"]},
            )
        )
        items.append(
            Todo(
                role="coordinator",
                count=waiting["mine"],
                url=reverse("deals:desk"),
                text=ngettext(
                    "%(n)s request you took is not marked done",
                    "%(n)s requests you took are not marked done",
                    waiting["mine"],
                )
                % {"n": waiting["mine"]},
            )
        )
    return items
