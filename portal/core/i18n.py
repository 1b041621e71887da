"""Content in up to three languages: pick the viewer's language, fall back to what exists."""

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("en", "th", "ja")


def language_order(language: str | None = None) -> list[str]:
    """``language`` first (default: the active one), then English, Thai, Japanese."""
    language = (language or get_language() or "en")[:2]
    return [language] + [code for code in CONTENT_LANGUAGES if code != language]


def pick(obj, field: str, language: str | None = None) -> str:
    """The first non-empty ``<field>_<lang>`` of ``obj`` in the viewer's language order."""
    for code in language_order(language):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


def pick_with_language(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """Like :func:`pick`, also returning which language the text is in (for ``lang=`` attributes)."""
    for code in language_order(language):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value, code
    return "", ""
