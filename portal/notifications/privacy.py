"""Notifications are the person's own: exported, and deleted with the account."""

from portal.privacy.registry import Person, register


def _export(user, companies) -> dict:
    from portal.notifications.models import Notification

    rows = Notification.objects.filter(recipient=user).order_by("created_at")
    return {
        "notifications": [
            {"kind": row.kind, "context": row.context, "url": row.url, "at": row.created_at.isoformat()}
            for row in rows
        ]
    }


def _erase(person: Person) -> dict:
    from portal.notifications.models import Notification

    return {"notifications": Notification.objects.filter(recipient=person.user).delete()[0]}


def _export_preferences(user, companies) -> dict:
    from portal.notifications.models import NotificationPreference

    rows = NotificationPreference.objects.filter(user=user).order_by("kind")
    return {"notification_preferences": {row.kind: row.frequency for row in rows}}


def _erase_preferences(person: Person) -> dict:
    from portal.notifications.models import NotificationPreference

    return {"notification_preferences": NotificationPreference.objects.filter(user=person.user).delete()[0]}


def _export_searches(user, companies) -> dict:
    from portal.notifications.models import SavedSearch

    rows = SavedSearch.objects.filter(user=user).order_by("pk")
    return {
        "saved_searches": [{"name": row.name, "query": row.query, "alert": row.frequency} for row in rows]
    }


def _erase_searches(person: Person) -> dict:
    from portal.notifications.models import SavedSearch

    return {"saved_searches": SavedSearch.objects.filter(user=person.user).delete()[0]}


def register_personal_data() -> None:
    register(
        "notifications.SavedSearch",
        fields=("user", "name", "query"),
        export=_export_searches,
        erase=_erase_searches,
    )
    register(
        "notifications.NotificationPreference",
        fields=("user",),
        export=_export_preferences,
        erase=_erase_preferences,
    )
    register(
        "notifications.Notification",
        fields=("recipient", "actor", "emailed_at"),
        export=_export,
        erase=_erase,
    )
