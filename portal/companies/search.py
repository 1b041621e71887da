"""Directory search text (pure). Thai and Japanese have no spaces between words, so search is substring
matching on a normalised text (NFKC + casefold): ``ฉีดพลาสติก`` finds "…รับฉีดพลาสติกและ…", ``精密加工``
finds "…の精密加工を…", ``ＣＮＣ`` finds "cnc". PostgreSQL indexes it with pg_trgm."""

import unicodedata
from collections.abc import Iterable

MAX_TERMS = 8


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def build_search_text(parts: Iterable[str]) -> str:
    return normalize("\n".join(part.strip() for part in parts if part and part.strip()))


def search_terms(query: str) -> list[str]:
    """The distinct terms of a query (every one must match), at most ``MAX_TERMS``."""
    seen: list[str] = []
    for term in normalize(query).split():
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]
