from django import template
from django.utils.safestring import mark_safe

from deals.text import linkify

register = template.Library()


@register.filter
def message_html(text) -> str:
    """Message text as HTML: everything escaped, http(s) links clickable (deals/text.py)."""
    return mark_safe(linkify(str(text or "")))  # noqa: S308 - linkify escapes every character of the text


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if hasattr(mapping, "get") else key
