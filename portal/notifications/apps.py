from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from portal.notifications.kinds import register_kind
        from portal.notifications.privacy import register_personal_data

        register_personal_data()
        register_kind(
            "notifications.saved_search",
            label=_("Saved search alert"),
            subject=_("New companies for your search “%(name)s”"),
            body=_(
                "%(count)s companies that match your search “%(name)s” joined the directory: %(names)s. "
                "Open it to see them."
            ),
        )
        register_kind(
            "notifications.saved_search_postings",
            label=_("Saved search alert (postings)"),
            subject=_("New postings for your search “%(name)s”"),
            body=_("%(count)s new postings match your search “%(name)s”: %(names)s. Open it to see them."),
        )
