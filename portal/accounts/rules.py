"""Role predicates (django-rules): the one permission layer for views, the API and templates."""

import rules
from allauth.mfa.models import Authenticator
from django.conf import settings

from portal.accounts.models import Role

GROUP_FOR_ROLE = {Role.CONSULTANT: "Consultants", Role.COORDINATOR: "Coordinators"}

is_consultant = rules.is_group_member(GROUP_FOR_ROLE[Role.CONSULTANT])
is_coordinator = rules.is_group_member(GROUP_FOR_ROLE[Role.COORDINATOR])
is_admin = rules.is_superuser
is_coordinator_or_admin = is_coordinator | is_admin


@rules.predicate
def is_sme_member(user) -> bool:
    """A user who belongs to at least one company (as owner or member)."""
    if not user.is_authenticated:
        return False
    return user.memberships.exists()


@rules.predicate
def has_totp(user) -> bool:
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Roles whose accounts guard other companies' data: TOTP is required when the setting is on.
must_use_mfa = is_consultant | is_coordinator | is_admin


@rules.predicate
def must_enrol_second_factor(user) -> bool:
    """The one two-factor rule, for every way in (pages, the admin, the API by session or token): with
    ``PORTAL_REQUIRE_MFA_FOR_STAFF`` on, a consultant, coordinator or admin without TOTP may do nothing
    but enrol. Enforced by ``RequireMFAMiddleware`` and ``ApiTokenAuthentication`` (see mfa.py)."""
    if not settings.PORTAL_REQUIRE_MFA_FOR_STAFF or not user.is_authenticated:
        return False
    return must_use_mfa(user) and not has_totp(user)


rules.add_perm("portal.view_dashboard", rules.is_authenticated)
rules.add_perm("portal.access_coordinator_desk", is_coordinator_or_admin)
rules.add_perm("portal.access_consultant_desk", is_consultant)
