import rules

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.rules import is_company_member


@rules.predicate
def is_member_of_any_company(user) -> bool:
    return user.is_authenticated and user.memberships.exists()


@rules.predicate
def is_side_of_introduction(user, introduction) -> bool:
    """A member of one of the introduction's two companies (they report on it and see their own report)."""
    return introduction is not None and (
        is_company_member(user, introduction.thai_company)
        or is_company_member(user, introduction.japanese_company)
    )


rules.add_perm("matching.view_recommendations", rules.is_authenticated)
rules.add_perm("matching.act_for_company", is_company_member)
rules.add_perm("matching.manage_introductions", is_coordinator_or_admin)
rules.add_perm("matching.view_own_introductions", is_member_of_any_company)
rules.add_perm("matching.verify_stated_certificate", is_coordinator_or_admin)
rules.add_perm("matching.report_introduction", is_side_of_introduction)
