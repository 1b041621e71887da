"""The notification kinds of the showcase app (portal/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import register_kind


def register_kinds() -> None:
    register_kind(
        "showcase.hidden_product_changed",
        label=_("Hidden product changed"),
        subject=_("%(company)s changed a product you hid: %(product)s"),
        body=_("Look at it again, and show it to partners if it is right now."),
        audience="staff",
    )
