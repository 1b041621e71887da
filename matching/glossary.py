"""The trilingual glossary: English, Thai and Japanese trade terms → capability and industry slugs.

Inferring tags from free text lets a Thai company that writes only Thai match a Japanese company that
writes only Japanese. Terms match as substrings of normalised text (NFKC, case-folded): Thai and Japanese
have no spaces between words. Inferred tags are kept apart so pages can say "inferred from the text".
"""

import functools
import json
import unicodedata
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary.json"


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


@functools.cache
def _terms() -> dict[str, list[tuple[str, str]]]:
    """{"capabilities": [(term, slug), ...], "industries": [...]}, longest terms first."""
    data = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    result = {}
    for kind in ("capabilities", "industries"):
        pairs = [
            (normalize(term), slug)
            for slug, by_language in data[kind].items()
            for terms in by_language.values()
            for term in terms
            if normalize(term)
        ]
        result[kind] = sorted(pairs, key=lambda pair: -len(pair[0]))
    return result


def infer(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(capability slugs, industry slugs) whose terms occur in ``text``."""
    text = normalize(text)
    if not text:
        return frozenset(), frozenset()
    terms = _terms()
    capabilities = frozenset(slug for term, slug in terms["capabilities"] if term in text)
    industries = frozenset(slug for term, slug in terms["industries"] if term in text)
    return capabilities, industries
