from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Expo events")

    def ready(self) -> None:
        from events.panels import meeting_panel
        from portal.companies.panels import register_company_panel
        from portal.privacy.registry import register_exporter, register_person_eraser

        register_company_panel(meeting_panel)
        register_exporter(_export_representatives)
        register_person_eraser(_erase_representatives)


def _export_representatives(user, companies) -> dict:
    from events.models import Representative

    rows = Representative.objects.filter(participant__company__in=companies).select_related(
        "participant__event", "participant__company"
    )
    return {
        "event_representatives": [
            {
                "event": row.participant.event.name(),
                "company": row.participant.company.display_name(),
                "name": row.name,
                "role": row.role,
                "languages": row.languages,
            }
            for row in rows
        ]
    }


def _erase_representatives(name: str, email: str) -> dict:
    from events.models import Representative

    if not name:
        return {"event_representatives": 0}
    return {"event_representatives": Representative.objects.filter(name=name).update(name="(erased)")}
