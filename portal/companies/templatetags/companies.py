"""Company display filters: ``{% load companies %}``."""

from django import template

from portal.companies.selectors import user_country
from portal.core.phones import format_phone

register = template.Library()


@register.filter
def phone(value: str, viewer) -> str:
    """A stored (E.164) phone number as ``viewer`` reads it: national when the viewer is in the number's
    country, international otherwise. ``viewer`` is a user or a country code (``"TH"``, ``"JP"``)."""
    country = viewer if isinstance(viewer, str) else user_country(viewer)
    return format_phone(value, viewer_country=country)
