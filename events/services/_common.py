"""What the events services share: the "event is over" refusal, the notification of a company's members,
and the states a transition table lets move to a given state."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from portal.companies.models import Company, MembershipRole
from portal.core.notify import send_to_users
from portal.core.transitions import Transitions

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


def _notify(company: Company, template: str, context: dict) -> None:
    users = _members(company)
    transaction.on_commit(lambda: send_to_users(users=users, template=template, context=context))
