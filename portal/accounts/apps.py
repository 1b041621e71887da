from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from portal.accounts import signals
        from portal.accounts.models import User
        from portal.accounts.roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="portal.sync_role_permissions")
        # API tokens stop working when the password changes or access is taken away (signals.py).
        pre_save.connect(signals.remember_lost_access, sender=User, dispatch_uid="portal.tokens.access")
        post_save.connect(signals.revoke_after_save, sender=User, dispatch_uid="portal.tokens.revoke")
        m2m_changed.connect(
            signals.revoke_on_role_removed, sender=User.groups.through, dispatch_uid="portal.tokens.roles"
        )
