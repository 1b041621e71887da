"""When a user's tokens stop working: thin receivers that call ``api_token_revoke_all``.

Hooked at the model, so every path counts, not only allauth's pages: a password changed or reset (allauth,
the admin, ``manage.py changepassword`` — all go through ``set_password`` and ``save``), a role group
removed (``user_revoke_role``, the admin's group field, ``group.user_set``), superuser status or the
account itself switched off. Connected in ``AccountsConfig.ready``.
"""

from django.contrib.auth.models import Group

from portal.accounts.models import TokenRevocation, User
from portal.accounts.rules import GROUP_FOR_ROLE

ROLE_GROUPS = set(GROUP_FOR_ROLE.values())


def remember_lost_access(sender, instance: User, update_fields=None, **kwargs) -> None:
    """pre_save: note whether this save takes superuser status or the account's activity away."""
    instance._portal_lost_access = None
    watched = {"is_superuser", "is_active"}
    if instance.pk is None or (update_fields is not None and not watched & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values("is_superuser", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._portal_lost_access = TokenRevocation.ACCOUNT
    elif before["is_superuser"] and not instance.is_superuser:
        instance._portal_lost_access = TokenRevocation.ROLE


def revoke_after_save(sender, instance: User, created: bool, **kwargs) -> None:
    """post_save: Django sets ``_password`` when ``set_password`` was called (it clears it for a mere
    hash upgrade at login), i.e. the password changed."""
    from portal.accounts.services import api_token_revoke_all

    if created:
        return
    if getattr(instance, "_password", None) is not None:
        api_token_revoke_all(user=instance, reason=TokenRevocation.PASSWORD)
    reason = getattr(instance, "_portal_lost_access", None)
    if reason:
        api_token_revoke_all(user=instance, reason=reason)
        instance._portal_lost_access = None


def revoke_on_role_removed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """m2m_changed on ``User.groups``: a role group removed (or all groups cleared) from a user."""
    from portal.accounts.services import api_token_revoke_all

    if action not in ("pre_remove", "pre_clear"):
        return
    if not reverse:  # user.groups.remove(...) / .clear()
        groups = Group.objects.filter(pk__in=pk_set) if action == "pre_remove" else instance.groups.all()
        if groups.filter(name__in=ROLE_GROUPS).exists():
            api_token_revoke_all(user=instance, reason=TokenRevocation.ROLE)
        return
    if instance.name not in ROLE_GROUPS:  # group.user_set.remove(...) / .clear()
        return
    users = User.objects.filter(pk__in=pk_set) if action == "pre_remove" else instance.user_set.all()
    for user in users:
        api_token_revoke_all(user=user, reason=TokenRevocation.ROLE)
