"""Second-level taxonomy terms (processes, products, services, materials) found in normalised text.

Rules of ``portal/taxonomy/data/taxonomy_leaves.json``: Latin-script terms match on word boundaries (an
English plural ending included), Thai and Japanese terms as substrings, the longest match first (a shorter
term inside a longer match does not count). An ambiguous term ("titanium", "อลูมิเนียม") counts as the
parent its leaves share, if they share one, and as nothing otherwise.
"""

import functools
import re
from dataclasses import dataclass

import ahocorasick

from portal.taxonomy import leaves

_LATIN = re.compile(r"[a-z0-9]")
_PLURALS = ("s", "es")
_CONSONANT_Y = re.compile(r"[b-df-hj-np-tv-z]y$")


@dataclass(frozen=True)
class Hit:
    slug: str  # a leaf slug, or a parent's slug for an ambiguous term
    start: int
    end: int
    words: str


@functools.cache
def parents() -> dict[str, str]:
    """Leaf slug → parent slug (a capability or a materials group)."""
    return leaves.parent_of()


@functools.cache
def leaf_slugs() -> tuple[str, ...]:
    data = leaves.load()
    return tuple(group["slug"] for group in data["groups"]) + tuple(leaf["slug"] for leaf in data["leaves"])


@functools.cache
def concept_slugs() -> tuple[str, ...]:
    """Every concept the text readers can yield (``TextFeatures.concepts``), sorted: the leaves and groups of
    the taxonomy, its first-level capabilities, and the glossary's capabilities."""
    from matching.glossary import capability_slugs

    first_level = {row["slug"] for row in leaves.load_taxonomy()["capabilities"]}
    return tuple(sorted(set(leaf_slugs()) | first_level | capability_slugs()))


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    meaning = dict(leaves.term_index())
    parent = parents()
    for entry in leaves.load().get("ambiguous", []):
        shared = {parent[slug] for slug in entry["leaves"]}
        if len(shared) == 1:
            meaning.setdefault(leaves.normalize_term(entry["term"]), shared.pop())
    for term, slug in list(meaning.items()):  # "factory" → "factories" (the other plurals: ``_bounded``)
        if _CONSONANT_Y.search(term):
            meaning.setdefault(term[:-1] + "ies", slug)
    automaton = ahocorasick.Automaton()
    for term, slug in meaning.items():
        if term:
            automaton.add_word(term, (term, slug))
    automaton.make_automaton()
    return automaton


def _bounded(text: str, start: int, end: int, term: str) -> int | None:
    """Where the match ends, or None when it is inside a word: Latin-script ends of a term must not run into
    other letters or digits, except an English plural ("machine" matches "machines", "press" "presses")."""
    if _LATIN.match(term[0]) and start > 0 and _LATIN.match(text[start - 1]):
        return None
    if not (_LATIN.match(term[-1]) and end < len(text) and _LATIN.match(text[end])):
        return end
    if term[-1].isalpha():
        for suffix in _PLURALS:
            stop = end + len(suffix)
            if text.startswith(suffix, end) and not (stop < len(text) and _LATIN.match(text[stop])):
                return stop
    return None


def find(text: str) -> list[Hit]:
    """The terms of ``text`` (already normalised), longest first and never overlapping, in text order. A
    short gloss in parentheses inside a term does not hide it: "凍結乾燥(フリーズドライ)装置" is also read
    as "凍結乾燥装置" (the hit then spans the gloss)."""
    if not text:
        return []
    candidates = _candidates(text)
    if "(" in text:
        collapsed, origin = _without_glosses(text)
        if len(collapsed) < len(text):
            for hit in _candidates(collapsed):
                start, end = origin[hit.start], origin[hit.end - 1] + 1
                if end - start > hit.end - hit.start:  # it spans a gloss (the others are found above)
                    candidates.append(Hit(hit.slug, start, end, text[start:end]))
    candidates.sort(key=lambda hit: (-(hit.end - hit.start), hit.start))
    taken: list[Hit] = []
    used = bytearray(len(text))
    for hit in candidates:
        if not any(used[hit.start : hit.end]):
            taken.append(hit)
            used[hit.start : hit.end] = b"\1" * (hit.end - hit.start)
    return sorted(taken, key=lambda hit: hit.start)


def _candidates(text: str) -> list[Hit]:
    candidates = []
    for end_index, (term, slug) in _automaton().iter(text):
        end = end_index + 1
        start = end - len(term)
        end = _bounded(text, start, end, term)
        if end is not None:
            candidates.append(Hit(slug, start, end, text[start:end]))
    return candidates


_GLOSS = re.compile(r"\([^()]{1,20}\)")


def _without_glosses(text: str) -> tuple[str, list[int]]:
    """``text`` less its short parenthesised glosses, and for each of its characters the position it came
    from in ``text``."""
    kept = bytearray(b"\1" * len(text))
    for match in _GLOSS.finditer(text):
        kept[match.start() : match.end()] = b"\0" * (match.end() - match.start())
    origin = [index for index, keep in enumerate(kept) if keep]
    return "".join(text[index] for index in origin), origin


def expand(slugs) -> frozenset[str]:
    """Leaves with their parents: a leaf then matches itself fully and its parent and siblings partly
    (a company seeking leaf L under P seeks {L, P}: a partner offering L meets 2 of 2, a sibling 1 of 2)."""
    parent = parents()
    return frozenset(slugs) | frozenset(parent[slug] for slug in slugs if slug in parent)
