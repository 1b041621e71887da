"""Company predicates (object-level): membership, ownership, who may see contacts and unverified profiles."""

from collections.abc import Callable

import rules

from portal.accounts.rules import is_coordinator_or_admin
from portal.companies.models import MembershipRole


def _membership_role(user, company) -> str | None:
    """The user's role in ``company`` (cached per user object for the request)."""
    if not user.is_authenticated or company is None:
        return None
    cache = user.__dict__.setdefault("_portal_company_roles", {})
    if company.pk not in cache:
        cache[company.pk] = company.memberships.filter(user=user).values_list("role", flat=True).first()
    return cache[company.pk]


@rules.predicate
def is_company_member(user, company) -> bool:
    return _membership_role(user, company) is not None


@rules.predicate
def is_company_owner(user, company) -> bool:
    return _membership_role(user, company) == MembershipRole.OWNER


@rules.predicate
def is_verified_company(user, company) -> bool:
    return company is not None and company.is_verified


# Other apps grant contact access without portal importing them (dependencies point one way):
# the matching app registers "introduced to" here from its AppConfig.ready().
_contact_grants: list[Callable[..., bool]] = []


def register_contact_grant(check: Callable[..., bool]) -> None:
    """Register ``check(user, company) -> bool``; any true check lets the user see the company's contacts."""
    if check not in _contact_grants:
        _contact_grants.append(check)


@rules.predicate
def has_contact_grant(user, company) -> bool:
    if not user.is_authenticated or company is None:
        return False
    return any(check(user, company) for check in _contact_grants)


can_view_company = is_verified_company | is_company_member | is_coordinator_or_admin
can_view_contacts = is_company_member | is_coordinator_or_admin | has_contact_grant

# Names differ from Django's model permissions (view_company, change_company…), which the admin uses.
rules.add_perm("companies.see_company", can_view_company)
rules.add_perm("companies.view_contacts", can_view_contacts)
rules.add_perm("companies.view_company_private", is_company_member | is_coordinator_or_admin)
# Pages word their next steps for the company's own people ("your products"); staff reading them are not.
rules.add_perm("companies.is_member", is_company_member)
rules.add_perm("companies.edit_company", is_company_owner | is_coordinator_or_admin)
rules.add_perm("companies.manage_members", is_company_owner | is_coordinator_or_admin)
rules.add_perm("companies.vet_company", is_coordinator_or_admin)
rules.add_perm("companies.import_companies", is_coordinator_or_admin)
