"""Glossary aid: the trade terms of the trilingual taxonomy (industries, capabilities, certifications, in
English, Thai and Japanese, plus the matching glossary's synonyms) found in a message, each with its name
in the reader's language. It is an aid to reading, not a translation (pages say so)."""

import functools
import json

import ahocorasick

from matching.glossary import GLOSSARY, normalize
from portal.core.i18n import pick
from portal.taxonomy.models import Capability, Certification, Industry

_MODELS = {"capabilities": Capability, "industries": Industry, "certifications": Certification}


@functools.cache
def _automaton():
    """normalised term → (kind, slug); built once per process from the taxonomy and the glossary file."""
    terms: dict[str, tuple[str, str]] = {}
    for kind, model in _MODELS.items():
        for slug, en, th, ja in model.objects.values_list("slug", "name_en", "name_th", "name_ja"):
            for name in (en, th, ja):
                if len(normalize(name)) >= 2:
                    terms.setdefault(normalize(name), (kind, slug))
    data = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    for kind in ("capabilities", "industries"):
        for slug, by_language in data[kind].items():
            for words in by_language.values():
                for word in words:
                    if len(normalize(word)) >= 2:
                        terms.setdefault(normalize(word), (kind, slug))
    automaton = ahocorasick.Automaton()
    for term, value in terms.items():
        automaton.add_word(term, (term, *value))
    if terms:
        automaton.make_automaton()
    return automaton, {kind: {t.slug: t for t in model.objects.all()} for kind, model in _MODELS.items()}


def clear_cache() -> None:
    _automaton.cache_clear()


def glossary_terms(text: str, *, language: str) -> list[dict]:
    """[{"term": as found, "translation": the name in ``language``}] for the terms in ``text`` (longest
    match wins where terms overlap; each meaning once), skipping terms already in the reader's language."""
    automaton, objects = _automaton()
    normalised = normalize(text)
    if not normalised or len(automaton) == 0:
        return []
    found = []
    for end, (term, kind, slug) in automaton.iter(normalised):
        found.append((end - len(term) + 1, end, term, kind, slug))
    found.sort(key=lambda row: (row[0], -(row[1] - row[0])))
    result, seen, covered_until = [], set(), -1
    for start, end, term, kind, slug in found:
        if start <= covered_until or (kind, slug) in seen:
            continue
        covered_until = end
        obj = objects[kind].get(slug)
        if obj is None:
            continue
        translation = pick(obj, "name", language)
        if normalize(translation) == term or normalize(translation) in normalised:
            continue
        seen.add((kind, slug))
        result.append({"term": text_slice(text, normalised, start, end), "translation": translation})
    return result


def text_slice(text: str, normalised: str, start: int, end: int) -> str:
    """The original spelling of the match ``normalised[start:end + 1]``: "ABS" as written, not "abs".
    Normalising may change a text's length (Thai ำ becomes two characters, ㎜ becomes mm), so each
    normalised character is traced to the character it came from; if normalising the characters one by
    one does not give the same text (a composition across characters), the normalised match is shown."""
    if len(text) == len(normalised):
        return text[start : end + 1]
    origin: list[int] = []
    for index, character in enumerate(text):
        origin.extend([index] * len(normalize(character)))
    if len(origin) != len(normalised) or "".join(map(normalize, text)) != normalised:
        return normalised[start : end + 1]
    return text[origin[start] : origin[end] + 1]
