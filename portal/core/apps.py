from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib import admin

        from portal.core.forms import apply_to_admin
        from portal.core.storage import connect_file_cleanup

        # The admin has autodiscovered every app's admin.py by now (it is first in INSTALLED_APPS).
        apply_to_admin(admin.site)

        # Every app's models are loaded by now: a deleted row with a file loses it after commit.
        connect_file_cleanup(apps.get_models())
