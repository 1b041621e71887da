"""Reads about users, their roles and their API tokens."""

from django.db.models import QuerySet
from django.http import Http404

from portal.accounts.models import ApiToken, Role, User
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


def users_with_role(*, role: Role) -> QuerySet[User]:
    """The active users who hold ``role`` (e.g. every coordinator, to be told of new work)."""
    return User.objects.filter(groups__name=GROUP_FOR_ROLE[role], is_active=True)


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens that have not been revoked (expired ones included, marked by the page)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_get_for_user(*, user: User, pk: int) -> ApiToken:
    """One of the user's own live tokens; anybody else's, or a missing one, is 404."""
    token = api_token_list_for_user(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def api_tokens_export(user: User, companies) -> dict:
    """ "Download my data" (``portal.privacy.registry``): the user's tokens, without any secret."""

    def iso(value):
        return value.isoformat() if value else None

    return {
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": iso(token.created_at),
                "expires_at": iso(token.expires_at),
                "last_used_at": iso(token.last_used_at),
                "revoked_at": iso(token.revoked_at),
            }
            for token in ApiToken.objects.filter(user=user)
        ]
    }
