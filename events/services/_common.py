"""What the events services share: the "event is over" refusal, the notification of a company's members,
and the states a transition table lets move to a given state."""

from django.utils.translation import gettext_lazy

from portal.companies.models import Company, MembershipRole
from portal.core.transitions import Transitions
from portal.notifications.services import notification_send

EVENT_OVER = gettext_lazy("This event is over: meeting requests and applications are closed.")
EVENT_OVER_CODE = "event_over"


def sources(transitions: Transitions, to: str) -> list[str]:
    """The states ``transitions`` lets move to ``to`` (for writes of many rows at once)."""
    return sorted(state for state in transitions.table if transitions.can(state, to))


def _members(company: Company) -> list:
    return [
        membership.user
        for membership in company.memberships.select_related("user").filter(
            role__in=[MembershipRole.OWNER, MembershipRole.MEMBER]
        )
    ]


def _notify(
    company: Company,
    kind: str,
    context: dict,
    *,
    strings: dict,
    url: str = "",
    target=None,
    dedupe_key: str = "",
) -> None:
    """Notify the company's members of ``kind`` (in-app, and the kind's e-mail template with ``context``
    after commit, once per ``dedupe_key``); ``strings`` fill the in-app sentence."""
    notification_send(
        kind=kind,
        recipients=_members(company),
        target=target,
        url=url,
        context=strings,
        dedupe_key=dedupe_key,
        email_context=context,
    )
