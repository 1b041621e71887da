from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShindanConfig(AppConfig):
    name = "shindan"
    verbose_name = _("Shindan diagnoses")

    def ready(self) -> None:
        from portal.core.dashboard import register_todos
        from shindan.kinds import register_kinds
        from shindan.privacy import register_personal_data
        from shindan.todos import shindan_todos

        register_personal_data()
        register_kinds()
        register_todos(shindan_todos)
