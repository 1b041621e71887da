from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShindanConfig(AppConfig):
    name = "shindan"
    verbose_name = _("Shindan diagnoses")

    def ready(self) -> None:
        from portal.companies.panels import register_company_panel
        from portal.core.dashboard import register_todos
        from shindan.kinds import register_kinds
        from shindan.panels import company_panel
        from shindan.privacy import register_personal_data
        from shindan.todos import shindan_todos

        register_personal_data()
        register_kinds()
        register_todos(shindan_todos)
        register_company_panel(company_panel)
