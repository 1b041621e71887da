import rules
from django.utils import timezone

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.rules import is_company_member, is_company_owner


@rules.predicate
def is_posting_live(user, posting) -> bool:
    return posting is not None and (
        posting.status == "published"
        and not posting.is_hidden
        and (posting.expires_on is None or posting.expires_on >= timezone.localdate())
        and posting.company.is_verified
    )


@rules.predicate
def is_member_of_posting_company(user, posting) -> bool:
    return posting is not None and is_company_member(user, posting.company)


@rules.predicate
def is_owner_of_posting_company(user, posting) -> bool:
    return posting is not None and is_company_owner(user, posting.company)


rules.add_perm(
    "postings.see_posting", is_posting_live | is_member_of_posting_company | is_coordinator_or_admin
)
rules.add_perm("postings.edit_posting", is_member_of_posting_company | is_coordinator_or_admin)
rules.add_perm("postings.moderate_posting", is_coordinator_or_admin)
