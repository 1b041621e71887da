"""Pure text helpers for messages (no Django model imports): the language a message is written in (from
its script: ``detect_language``, in portal/core/i18n.py since reports use it too), and message text as safe
HTML (escaped, links made clickable, line breaks kept)."""

import re
from html import escape

from portal.core.i18n import detect_language

__all__ = ["LANGUAGES", "detect_language", "linkify"]

LANGUAGES = ("th", "ja", "en")

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
