"""Content in up to three languages: pick the viewer's language, fall back to what exists."""

import re

from django.utils import translation
from django.utils.safestring import SafeData, mark_safe
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


# How the items of a list are separated in running text: Japanese uses the ideographic comma.
LIST_SEPARATORS = {"ja": "、"}
DEFAULT_LIST_SEPARATOR = ", "


def list_separator(language: str | None = None) -> str:
    """The separator between list items in ``language`` (default: the active one)."""
    return LIST_SEPARATORS.get((language or get_language() or "en")[:2], DEFAULT_LIST_SEPARATOR)


def join_list(items, language: str | None = None) -> str:
    """``items`` (strings) as one list in running text: "a, b" in English and Thai, "a、b" in Japanese."""
    return list_separator(language).join(str(item) for item in items)


def language_name(code: str) -> str:
    """A language's name in the active language ("th" → "タイ語" in Japanese); an unknown code as it is."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_names(codes: str) -> str:
    """Language codes as stored ("ja,en"; an interpreter's pairs "th-ja, en-ja") as their names in the
    active language: "日本語、英語", "タイ語–日本語、英語–日本語". Unknown codes stay as they are."""
    chunks = [chunk.strip() for chunk in (codes or "").split(",") if chunk.strip()]
    return join_list("–".join(language_name(part.strip()) for part in chunk.split("-")) for chunk in chunks)


# The space the Japanese sentences keep between a filled-in name and its particle (right after a Latin
# name, "Siam Precision から"), dropped after a Japanese one ("武蔵カテーテル株式会社が").
_JAPANESE_NAME_SPACE = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff々〆ー）」』]) (?=(?:が|は|を|に|と|の|へ|で|から|まで|より|も))"
)


def japanese_name_spacing(text: str) -> str:
    """``text`` without the space between a Japanese name and the particle after it: the Japanese catalogue
    writes "%(company)s が" so that a Latin name keeps its space, which a Japanese name must not. Safe
    strings stay safe (the space is no markup)."""
    spaced = _JAPANESE_NAME_SPACE.sub("", text)
    return mark_safe(spaced) if isinstance(text, SafeData) else spaced  # noqa: S308 - only a space removed


_THAI = re.compile("[\u0e00-\u0e7f]")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile("[A-Za-z]")


def detect_language(text: str, default: str = "en") -> str:
    """``th``, ``ja`` or ``en``: the script most of the letters are written in (Thai script, kana/kanji,
    Latin). A text with no letters gets ``default``."""
    counts = {
        "th": len(_THAI.findall(text or "")),
        "ja": len(_JAPANESE.findall(text or "")),
        "en": len(_LATIN.findall(text or "")),
    }
    best = max(counts, key=lambda code: (counts[code], code == default))
    return best if counts[best] else default
