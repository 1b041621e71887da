from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "portal.companies"
    label = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from portal.companies.kinds import register_kinds
        from portal.companies.todos import admin_todos, company_todos
        from portal.core.dashboard import register_todos

        register_kinds()
        register_todos(company_todos)
        register_todos(admin_todos)
