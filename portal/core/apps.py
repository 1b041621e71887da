from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal.core.storage import connect_file_cleanup

        # Every app's models are loaded by now: a deleted row with a file loses it after commit.
        connect_file_cleanup(apps.get_models())
