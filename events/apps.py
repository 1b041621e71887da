from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Expo events")

    def ready(self) -> None:
        from events.kinds import register_kinds

        # Inside ready(): these import models, which Django loads only once the app registry is ready.
        from events.panels import meeting_panel
        from events.privacy import register_personal_data
        from events.todos import event_todos
        from portal.companies.panels import register_company_panel
        from portal.core.dashboard import register_todos

        register_company_panel(meeting_panel)
        register_personal_data()
        register_kinds()
        register_todos(event_todos)
