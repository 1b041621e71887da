from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "portal.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from portal.privacy import (
            personal,  # noqa: F401 - registers portal's personal data
            signals,  # noqa: F401 - tells members at log-in that the notice changed
        )
