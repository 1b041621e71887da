from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "portal.showcase"
    label = "showcase"
    verbose_name = _("Products and technologies")

    def ready(self) -> None:
        from portal.showcase.kinds import register_kinds

        register_kinds()
