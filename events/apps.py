from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Expo events")

    def ready(self) -> None:
        from events.privacy import register_personal_data

        register_personal_data()
