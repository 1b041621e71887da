"""Template helpers. Every date shown in a template goes through ``localdate``/``localdatetime``/``year``,
so the Thai UI shows Buddhist Era years in one place."""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html

from portal.core.dates import to_buddhist_year, with_buddhist_year
from portal.core.i18n import pick_with_language

register = template.Library()


def _format(value: datetime.date, format_name: str) -> str:
    fmt = get_format(format_name)
    if (translation.get_language() or "").startswith("th"):
        fmt = with_buddhist_year(fmt, value.year)
    return date_format(value, fmt)


@register.filter
def localdate(value: datetime.date | datetime.datetime | None) -> str:
    """A date in the active language's format (B.E. year in Thai)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return _format(value, "DATE_FORMAT")


@register.filter
def localdatetime(value: datetime.datetime | None) -> str:
    """A date and time in the active language's format and the site's time zone (B.E. year in Thai)."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return _format(value, "DATETIME_FORMAT")


@register.filter
def year(value: int | datetime.date | None) -> str:
    """A year alone (B.E. in Thai)."""
    if value in (None, ""):
        return ""
    number = value.year if isinstance(value, datetime.date) else int(value)
    if (translation.get_language() or "").startswith("th"):
        number = to_buddhist_year(number)
    return str(number)


@register.filter
def get_item(mapping: dict, key):
    """``{{ counts|get_item:value }}``: a dictionary value by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def in_language(obj, field: str) -> str:
    """``{{ posting|in_language:"title" }}``: a trilingual field in the viewer's language order (as ``pick``),
    wrapped in ``<span lang="…">`` when the text is in another language than the page, so screen readers
    and line breaking treat it as that language."""
    text, language = pick_with_language(obj, field)
    if not text or language == (translation.get_language() or "")[:2]:
        return text
    return format_html('<span lang="{}">{}</span>', language, text)
