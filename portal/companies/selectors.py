"""Reads on companies, always scoped to a user."""

from django.db.models import QuerySet

from portal.accounts.models import User
from portal.companies.models import Company


def company_list_for_member(*, user: User) -> QuerySet[Company]:
    """The companies ``user`` belongs to."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user).distinct()
