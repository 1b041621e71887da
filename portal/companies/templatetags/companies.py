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


@register.inclusion_tag("companies/_join_form.html", takes_context=True)
def join_form(context):
    """The form that asks a company's owners to let the signed-in person join it (it posts to
    ``companies:join``; errors come back on the registration page), folded under "Ask to join your
    company…" wherever a person without a company is shown the way in (the dashboard, an event's page)."""
    from portal.companies.forms import JoinRequestForm

    return {"csrf_token": context.get("csrf_token"), "join_form": JoinRequestForm(auto_id="join_%s")}
