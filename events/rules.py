"""Event predicates: coordinators run events; members act for their company's participation."""

import rules

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.rules import is_company_member


@rules.predicate
def is_member_of_participant(user, participant) -> bool:
    return participant is not None and is_company_member(user, participant.company)


@rules.predicate
def is_side_of_request(user, meeting_request) -> bool:
    return meeting_request is not None and (
        is_company_member(user, meeting_request.sender.company)
        or is_company_member(user, meeting_request.recipient.company)
    )


@rules.predicate
def is_recipient_of_request(user, meeting_request) -> bool:
    return meeting_request is not None and is_company_member(user, meeting_request.recipient.company)


@rules.predicate
def is_side_of_meeting(user, meeting) -> bool:
    """A member of one of the meeting's two companies (they report on it and see their own report)."""
    return meeting is not None and is_side_of_request(user, meeting.request)


rules.add_perm("events.manage_event", is_coordinator_or_admin)
rules.add_perm("events.act_for_participant", is_member_of_participant)
rules.add_perm("events.view_agenda", is_member_of_participant | is_coordinator_or_admin)
rules.add_perm("events.view_request", is_side_of_request | is_coordinator_or_admin)
rules.add_perm("events.answer_request", is_recipient_of_request)
rules.add_perm("events.report_meeting", is_side_of_meeting)
