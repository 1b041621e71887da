"""Template helpers. Every date shown in a template goes through ``localdate``/``localdatetime``/``year``,
so the Thai UI shows Buddhist Era years in one place."""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from portal.core.dates import to_buddhist_year, with_buddhist_year
from portal.core.i18n import japanese_name_spacing as _japanese_name_spacing
from portal.core.i18n import join_list as _join_list
from portal.core.i18n import language_names as _language_names
from portal.core.i18n import list_separator as _list_separator
from portal.core.i18n import pick_with_language
from portal.core.seo import meta_description as _meta_description

register = template.Library()


def _format(value: datetime.date, format_name: str) -> str:
    fmt = get_format(format_name)
    if (translation.get_language() or "").startswith("th"):
        fmt = with_buddhist_year(fmt, value.year)
    return date_format(value, fmt)


@register.filter(is_safe=True)
def name_spacing(text) -> str:
    """A sentence that names a company or a person, without the space the Japanese catalogue keeps
    between a Japanese name and its particle ("武蔵カテーテル株式会社 が" → "…株式会社が"; a Latin name keeps
    it). Use on a ``{% blocktranslate asvar %}`` that puts a name before a particle, and on messages."""
    return _japanese_name_spacing(str(text))  # a message is no str; str() keeps a safe string safe


@register.filter
def meta_description(text: str) -> str:
    """``{{ text|meta_description }}``: one line of at most 160 characters (portal/core/seo.py)."""
    return _meta_description(str(text or ""))


@register.filter
def localdate(value: datetime.date | datetime.datetime | None) -> str:
    """A date in the active language's format (B.E. year in Thai)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return _format(value, "DATE_FORMAT")


@register.filter
def localdatetime(value: datetime.datetime | None, place=None) -> str:
    """A date and time in the active language's format (B.E. year in Thai), in the site's time zone, or
    in the time zone of ``place`` (``{{ slot.starts_at|localdatetime:event }}``: anything with a ``tz``,
    such as an event, whose meetings and deadlines are in its own local time)."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value, getattr(place, "tz", None))
    return _format(value, "DATETIME_FORMAT")


@register.filter
def notice_version(value: str) -> str:
    """A privacy notice's version ("2026-12", portal/privacy/notice.py) as the month it is of, in the active
    language (ธันวาคม 2569, 2026年12月, December 2026); any other value as it is."""
    try:
        first = datetime.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return str(value)
    return _format(first, "YEAR_MONTH_FORMAT")


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
def year_list(values) -> str:
    """Years in running text, each as ``year`` shows it: "2566, 2567" in Thai, "2023、2024" in Japanese."""
    return _join_list(year(value) for value in values)


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


def _attribute(item, path: str):
    for name in path.split("."):
        item = getattr(item, name, "")
        item = item() if callable(item) else item
    return item


@register.filter(needs_autoescape=True)
def join_list(items, attribute: str = "", autoescape: bool = True) -> str:
    """``{{ names|join_list }}`` or ``{{ memberships|join_list:"user.email" }}``: one list in running text,
    separated as the active language writes lists ("、" in Japanese, ", " otherwise)."""
    escape = conditional_escape if autoescape else str
    values = [_attribute(item, attribute) if attribute else item for item in items or []]
    return mark_safe(_join_list(escape(value) for value in values if value not in (None, "")))  # noqa: S308


@register.simple_tag
def list_separator() -> str:
    """Between items of a ``{% for %}`` list whose items carry markup: ``{% if not forloop.last %}…``."""
    return _list_separator()


@register.filter
def language_names(codes: str) -> str:
    """``{{ representative.languages|language_names }}``: see ``portal.core.i18n.language_names``."""
    return _language_names(codes)
