"""The events app's items of the dashboard's to-do list (portal/core/dashboard.py)."""

import datetime

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from events.models import Delegation, MeetingRequest, Participant, ParticipantStatus, RequestStatus
from events.selectors import meetings_to_report_count
from portal.core.dashboard import Todo

EXPIRY_SOON = datetime.timedelta(hours=24)


def event_todos(*, user, roles, company_ids) -> list[Todo]:
    """Members: meeting requests to answer, invitations and meetings to report on (3 queries).
    Coordinators: requests near expiry and delegations short of their target (2 queries)."""
    now = timezone.now()
    items = []
    if company_ids:
        waiting = list(
            MeetingRequest.objects.filter(
                recipient__company_id__in=company_ids, status=RequestStatus.PENDING, expires_at__gt=now
            )
            .order_by("expires_at")
            .values_list("event__slug", flat=True)
        )
        if waiting:
            items.append(
                Todo(
                    role="member",
                    count=len(waiting),
                    urgent=True,
                    url=reverse("events:mine", kwargs={"slug": waiting[0]}),
                    text=ngettext(
                        "%(n)s meeting request to answer", "%(n)s meeting requests to answer", len(waiting)
                    )
                    % {"n": len(waiting)},
                )
            )
        invited = list(
            Participant.objects.filter(company_id__in=company_ids, status=ParticipantStatus.INVITED)
            .order_by("event__starts_on")
            .values_list("event__slug", flat=True)
        )
        if invited:
            items.append(
                Todo(
                    role="member",
                    count=len(invited),
                    url=reverse("events:mine", kwargs={"slug": invited[0]}),
                    text=ngettext(
                        "%(n)s event invitation to answer", "%(n)s event invitations to answer", len(invited)
                    )
                    % {"n": len(invited)},
                )
            )
        to_report, first = meetings_to_report_count(company_ids=company_ids, now=now)
        if to_report:
            items.append(
                Todo(
                    role="member",
                    count=to_report,
                    url=reverse("events:agenda", kwargs={"slug": first[0], "pk": first[1]}),
                    text=ngettext("%(n)s meeting to report on", "%(n)s meetings to report on", to_report)
                    % {"n": to_report},
                )
            )
    if roles & {"coordinator", "admin"}:
        expiring = MeetingRequest.objects.filter(
            status=RequestStatus.PENDING, expires_at__gt=now, expires_at__lte=now + EXPIRY_SOON
        ).count()
        items.append(
            Todo(
                role="coordinator",
                count=expiring,
                urgent=True,
                url=reverse("events:list"),
                text=ngettext(
                    "%(n)s meeting request expires within a day",
                    "%(n)s meeting requests expire within a day",
                    expiring,
                )
                % {"n": expiring},
            )
        )
        # The short delegations themselves (a few per event): one of them is linked to, several to the events.
        delegations = list(
            Delegation.objects.filter(event__ends_on__gte=timezone.localdate())
            .annotate(
                members=Count("participants", filter=~Q(participants__status=ParticipantStatus.DECLINED))
            )
            .filter(members__lt=F("target_size"))
            .values_list("pk", "event__slug")
        )
        short = len(delegations)
        url = reverse("events:list")
        if short == 1:
            url = reverse("events:delegation", kwargs={"slug": delegations[0][1], "pk": delegations[0][0]})
        items.append(
            Todo(
                role="coordinator",
                count=short,
                url=url,
                text=ngettext(
                    "%(n)s delegation is short of its target",
                    "%(n)s delegations are short of their target",
                    short,
                )
                % {"n": short},
            )
        )
    return items
