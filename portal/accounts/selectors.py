"""Reads about users and their roles."""

from portal.accounts.models import Role, User
from portal.accounts.rules import GROUP_FOR_ROLE

ADMIN = "admin"
SME_MEMBER = "member"


def user_roles(*, user: User) -> frozenset[str]:
    """Role names a user holds: ``consultant``, ``coordinator``, ``admin``, ``member`` (of a company).

    Two queries at most (groups, memberships); cached on the user object for the request.
    """
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    by_group = {group: role for role, group in GROUP_FOR_ROLE.items()}
    roles = {str(by_group[name]) for name in user.groups.values_list("name", flat=True) if name in by_group}
    if user.is_superuser:
        roles.add(ADMIN)
    if user.memberships.exists():
        roles.add(SME_MEMBER)
    user._portal_roles = frozenset(roles)
    return user._portal_roles


def user_has_role(*, user: User, role: Role | str) -> bool:
    return str(role) in user_roles(user=user)
