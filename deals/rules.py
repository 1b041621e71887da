"""Who may do what with conversations and proposals (django-rules; views, the API and templates use them).

Members of the two companies see their conversation. A coordinator (or admin) reads one only when a side
invited them (help or interpretation), a report concerns it, or one of the companies is in a delegation
they curate; each such read is recorded and shown to both companies (``services.coordinator_read_record``).
"""

import rules
from django.db.models import Q

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.rules import is_company_member


def member_company_ids(user) -> frozenset[int]:
    """The ids of the user's companies (cached on the user object for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_deals_company_ids")
    if cached is None:
        cached = frozenset(user.memberships.values_list("company_id", flat=True))
        user.__dict__["_deals_company_ids"] = cached
    return cached


@rules.predicate
def is_conversation_member(user, conversation) -> bool:
    return conversation is not None and bool(member_company_ids(user) & set(conversation.company_ids()))


def coordinator_access_reason(user, conversation) -> str:
    """Why a coordinator may read ``conversation``: "invited", "report", "delegation", or "" (may not)."""
    if conversation is None or not is_coordinator_or_admin(user):
        return ""
    cache = user.__dict__.setdefault("_deals_access", {})
    if conversation.pk in cache:
        return cache[conversation.pk]
    reason = ""
    if conversation.invites.filter(Q(closed_at=None) | Q(coordinator=user)).exists():
        reason = "invited"
    elif conversation.reports.filter(resolved_at=None).exists():
        reason = "report"
    else:
        from events.models import Participant

        if Participant.objects.filter(
            delegation__coordinator=user, company_id__in=conversation.company_ids()
        ).exists():
            reason = "delegation"
    cache[conversation.pk] = reason
    return reason


def coordinator_access_forget(user, conversation) -> None:
    """Forget the reason kept for this request (``coordinator_access_reason``): after a change of the
    conversation that may end it (closing ends its open requests for help)."""
    user.__dict__.get("_deals_access", {}).pop(conversation.pk, None)


@rules.predicate
def coordinator_may_read(user, conversation) -> bool:
    return bool(coordinator_access_reason(user, conversation))


@rules.predicate
def is_proposal_author_side(user, proposal) -> bool:
    return proposal is not None and proposal.company_id in member_company_ids(user)


@rules.predicate
def is_proposal_poster_side(user, proposal) -> bool:
    return proposal is not None and proposal.posting.company_id in member_company_ids(user)


@rules.predicate
def is_need_poster(user, posting) -> bool:
    return posting is not None and is_company_member(user, posting.company)


rules.add_perm("deals.view_conversation", is_conversation_member | coordinator_may_read)
rules.add_perm("deals.write_message", is_conversation_member)
rules.add_perm("deals.act_on_conversation", is_conversation_member)
rules.add_perm("deals.translate_message", coordinator_may_read)
rules.add_perm("deals.close_conversation", coordinator_may_read)
rules.add_perm("deals.access_desk", is_coordinator_or_admin)
rules.add_perm(
    "deals.view_proposal", is_proposal_author_side | is_proposal_poster_side | is_coordinator_or_admin
)
rules.add_perm("deals.decide_proposal", is_proposal_poster_side)
rules.add_perm("deals.withdraw_proposal", is_proposal_author_side)
rules.add_perm("deals.view_need_proposals", is_need_poster | is_coordinator_or_admin)
