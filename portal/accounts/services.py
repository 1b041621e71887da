"""Writes on users: language preference and roles."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from portal.accounts.models import Role, User
from portal.accounts.rules import GROUP_FOR_ROLE

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def user_set_language(*, user: User, language: str) -> User:
    if language not in SUPPORTED_LANGUAGES and language != "":
        raise ValueError(f"Unsupported language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> User:
    group, _created = Group.objects.get_or_create(name=GROUP_FOR_ROLE[role])
    user.groups.add(group)
    if role == Role.COORDINATOR and not user.is_staff:
        # Coordinators work in the Django admin (vetting, imports); their group holds the model permissions.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def user_revoke_role(*, user: User, role: Role) -> User:
    user.groups.remove(*Group.objects.filter(name=GROUP_FOR_ROLE[role]))
    return user


def user_update_preferences(*, user: User, first_name: str, last_name: str, language: str) -> User:
    if language not in SUPPORTED_LANGUAGES and language != "":
        raise ValueError(f"Unsupported language: {language!r}")
    user.first_name, user.last_name, user.language = first_name, last_name, language
    user.save(update_fields=["first_name", "last_name", "language"])
    return user
