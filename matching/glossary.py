"""The trilingual glossary: English, Thai and Japanese trade terms → capability and industry slugs.

Inferring tags from free text lets a Thai company that writes only Thai match a Japanese company that
writes only Japanese. Terms match as substrings of normalised text (NFKC, case-folded): Thai and Japanese
have no spaces between words. Inferred tags are kept apart so pages can say "inferred from the text".
All terms are looked for in one pass over the text (an Aho–Corasick automaton), so the cost grows with
the text, not with the size of the glossary.
"""

import functools
import json
import unicodedata
from collections import defaultdict
from pathlib import Path

import ahocorasick

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


def capability_slugs() -> frozenset[str]:
    """The capability slugs the glossary's terms stand for."""
    return frozenset(slug for _term, slug in _terms()["capabilities"])


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Every normalised term → (the term, the (kind, slug) pairs it stands for)."""
    meanings = defaultdict(set)
    for kind, pairs in _terms().items():
        for term, slug in pairs:
            meanings[term].add((kind, slug))
    automaton = ahocorasick.Automaton()
    for term, values in meanings.items():
        automaton.add_word(term, (term, tuple(sorted(values))))
    automaton.make_automaton()
    return automaton


def capability_mentions(text: str) -> dict[str, tuple[int, int]]:
    """Capability slug → where in ``text`` (already normalised, ``normalize``) its first term occurs
    (start, end): the words a capability was inferred from, for the company page."""
    found: dict[str, tuple[int, int]] = {}
    for end, (term, values) in _automaton().iter(text or ""):
        for kind, slug in values:
            if kind == "capabilities" and slug not in found:
                found[slug] = (end + 1 - len(term), end + 1)
    return found


def infer(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(capability slugs, industry slugs) whose terms occur in ``text`` (anywhere, overlaps included)."""
    text = normalize(text)
    found = {"capabilities": set(), "industries": set()}
    if text:
        for _end, (_term, values) in _automaton().iter(text):
            for kind, slug in values:
                found[kind].add(slug)
    return frozenset(found["capabilities"]), frozenset(found["industries"])
