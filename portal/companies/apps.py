from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "portal.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from portal.companies.kinds import register_kinds

        register_kinds()
