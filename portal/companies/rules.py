"""Company predicates: membership and ownership (object-level)."""

import rules

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.models import MembershipRole


@rules.predicate
def is_company_member(user, company) -> bool:
    if not user.is_authenticated or company is None:
        return False
    return company.memberships.filter(user=user).exists()


@rules.predicate
def is_company_owner(user, company) -> bool:
    if not user.is_authenticated or company is None:
        return False
    return company.memberships.filter(user=user, role=MembershipRole.OWNER).exists()


rules.add_perm("companies.view_company_private", is_company_member | is_coordinator_or_admin)
rules.add_perm("companies.change_company", is_company_owner | is_coordinator_or_admin)
rules.add_perm("companies.manage_members", is_company_owner | is_coordinator_or_admin)
