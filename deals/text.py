"""Pure text helpers for messages (no Django model imports): the language a message is written in (from
its script), and message text as safe HTML (escaped, links made clickable, line breaks kept)."""

import re
from html import escape

_THAI = re.compile("[\u0e00-\u0e7f]")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile("[A-Za-z]")

LANGUAGES = ("th", "ja", "en")


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


# http(s) links only; a link ends before whitespace, quotes, angle brackets or closing punctuation.
_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}。、）"


def linkify(text: str) -> str:
    """``text`` as HTML: every character escaped, http(s) links as ``<a>`` with ``rel="nofollow noopener
    noreferrer"`` (no other scheme ever becomes a link), line breaks as ``<br>``. The result is safe to
    mark safe: nothing of the text is ever markup."""
    parts, position = [], 0
    text = text or ""
    for match in _LINK.finditer(text):
        url = match.group(0)
        trimmed = url.rstrip(_TRAILING)
        end = match.start() + len(trimmed)
        parts.append(escape(text[position : match.start()]))
        href = escape(trimmed, quote=True)
        parts.append(f'<a href="{href}" rel="nofollow noopener noreferrer">{href}</a>')
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
