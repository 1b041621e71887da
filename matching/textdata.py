"""Data for reading free text (pure: no database): certificates stated in text and seeking/offering cues.

- ``matching/data/certificate_patterns.json``: for each certification slug (today's taxonomy plus proposed
  ones), regular expressions that find a mention in text normalised by :func:`normalize`, and cue phrases
  that hint whether a sentence claims it, demands it of a partner or names it without holding it.
- ``matching/data/intent_cues.json``: phrases that introduce what a company seeks or offers, and the words
  that name the kind of partner it looks for (the taxonomy's ``looking_for`` slugs).

This module loads and checks the files and applies the certificate patterns (:func:`certificate_mentions`);
deciding held / required / not held, and using any of it for matching, is the engine's job. The hand-labelled
acceptance sets are in ``tests/matching/data/``; docs/matching-judgments.md says how they were written.
"""

import functools
import json
import re
from pathlib import Path

from portal.taxonomy import leaves

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = leaves.LANGUAGES
# Where the sought or offered thing stands beside the cue; a seeking cue may also have it on both sides
# ("subcontractor wanted for anodizing": matching/understanding/intent.py).
OBJECT_POSITIONS = {"before", "after"}
SEEKING_OBJECT_POSITIONS = OBJECT_POSITIONS | {"around"}


def normalize(text: str) -> str:
    """NFKC, case-folded, one space: the form every pattern and cue is written for."""
    return leaves.normalize_term(text)


@functools.cache
def load_certificate_patterns() -> dict:
    return json.loads((DATA / "certificate_patterns.json").read_text(encoding="utf-8"))


@functools.cache
def load_intent_cues() -> dict:
    return json.loads((DATA / "intent_cues.json").read_text(encoding="utf-8"))


@functools.cache
def _compiled() -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    return tuple(
        (row["slug"], tuple(re.compile(pattern) for pattern in row["patterns"]))
        for row in load_certificate_patterns()["certifications"]
    )


def certificate_mentions(text: str) -> frozenset[str]:
    """Slugs of the certificates ``text`` names, whether it claims, demands or only mentions them."""
    text = normalize(text)
    return frozenset(slug for slug, patterns in _compiled() if any(p.search(text) for p in patterns))


@functools.cache
def _certificate_industries() -> dict[str, frozenset[str]]:
    return {
        row["slug"]: frozenset(row["industries"])
        for row in load_certificate_patterns()["certifications"]
        if row.get("industries")
    }


def industries_of_certificates(slugs) -> frozenset[str]:
    """The industries the certificates ``slugs`` belong to (ISO 13485 → medical devices, AS9100 → aerospace
    parts, IATF 16949 → automotive; ``industries`` in certificate_patterns.json)."""
    known = _certificate_industries()
    return frozenset(industry for slug in slugs for industry in known.get(slug, ()))


def certification_slugs(data: dict | None = None) -> set[str]:
    """Every slug the patterns file knows: the taxonomy's and the proposed ones."""
    data = load_certificate_patterns() if data is None else data
    return {row["slug"] for row in data["certifications"]}


def certificate_problems(data: dict, taxonomy: dict) -> list[str]:
    """Every rule the certificate patterns file breaks, in words (empty when sound)."""
    found: list[str] = []
    in_taxonomy = {row["slug"] for row in taxonomy["certifications"]}
    proposed = {row["slug"]: row for row in data.get("proposed", [])}
    seen: set[str] = set()
    for row in data.get("certifications", []):
        slug = row.get("slug", "")
        where = f"certification {slug}"
        if slug in seen:
            found.append(f"{where}: listed twice")
        seen.add(slug)
        if row.get("in_taxonomy") and slug not in in_taxonomy:
            found.append(f"{where}: says in_taxonomy but the taxonomy has no such slug")
        if not row.get("in_taxonomy") and slug not in proposed:
            found.append(f"{where}: not in the taxonomy and not proposed")
        if row.get("in_taxonomy") and slug in proposed:
            found.append(f"{where}: in the taxonomy and proposed")
        patterns = []
        for pattern in row.get("patterns", []):
            try:
                patterns.append(re.compile(pattern))
            except re.error as error:
                found.append(f"{where}: pattern {pattern!r} does not compile ({error})")
        if not row.get("patterns"):
            found.append(f"{where}: no pattern")
        found += [
            f"{where}: example {example!r} matches none of its patterns"
            for example in row.get("examples", [])
            if patterns and not any(p.search(normalize(example)) for p in patterns)
        ]
    found += [
        f"certification {slug}: in the taxonomy but has no patterns" for slug in sorted(in_taxonomy - seen)
    ]
    known = seen | in_taxonomy
    for slug, row in proposed.items():
        if slug in in_taxonomy:
            found.append(f"proposed {slug}: already in the taxonomy")
        if row.get("equivalent_to") and row["equivalent_to"] not in known:
            found.append(f"proposed {slug}: equivalent_to {row['equivalent_to']!r} is unknown")
        found += [f"proposed {slug}: no name_{lang}" for lang in LANGUAGES if not row.get(f"name_{lang}")]
    for row in data.get("certifications", []):
        if row.get("equivalent_to") and row["equivalent_to"] not in known:
            found.append(f"certification {row['slug']}: equivalent_to {row['equivalent_to']!r} is unknown")
    for entry in data.get("ambiguous_mentions", []):
        found += _regex_problems([entry.get("pattern", "")], "ambiguous mention")
        found += [
            f"ambiguous mention {entry.get('pattern')!r}: unknown slug {slug!r}"
            for slug in entry.get("slugs", [])
            if slug not in known
        ]
    for status, by_language in data.get("cues", {}).items():
        if status not in ("held", "not_held", "required"):
            found.append(f"cues: unknown status {status!r}")
        for language in LANGUAGES:
            if not by_language.get(language):
                found.append(f"cues {status}: no {language} cue")
            found += _regex_problems(by_language.get(language, []), f"cues {status} {language}")
    return found


def intent_problems(data: dict, taxonomy: dict) -> list[str]:
    """Every rule the intent cues file breaks, in words (empty when sound)."""
    found: list[str] = []
    for kind in ("seeking", "offering"):
        seen: set[tuple[str, str]] = set()
        for row in data.get(kind, []):
            key = (row.get("language"), normalize(row.get("cue", "")))
            where = f"{kind} cue {row.get('cue')!r}"
            if row.get("language") not in LANGUAGES:
                found.append(f"{where}: unknown language {row.get('language')!r}")
            if row.get("object") not in (SEEKING_OBJECT_POSITIONS if kind == "seeking" else OBJECT_POSITIONS):
                found.append(
                    f"{where}: object must be before or after" + (", or around" if kind == "seeking" else "")
                )
            if not key[1]:
                found.append(f"{where}: blank")
            if key in seen:
                found.append(f"{where}: listed twice")
            seen.add(key)
        languages = {row.get("language") for row in data.get(kind, [])}
        found += [f"{kind}: no {language} cue" for language in LANGUAGES if language not in languages]
    looking_for = data.get("looking_for", {})
    expected = [row["slug"] for row in taxonomy["looking_for"]]
    if sorted(looking_for) != sorted(expected):
        found.append(f"looking_for: keys {sorted(looking_for)} are not the taxonomy's {sorted(expected)}")
    owner: dict[tuple[str, str], str] = {}
    for slug, by_language in looking_for.items():
        for language in LANGUAGES:
            words = by_language.get(language, [])
            if not words:
                found.append(f"looking_for {slug}: no {language} word")
            for word in words:
                key = (language, normalize(word))
                if owner.get(key, slug) != slug:
                    found.append(f"looking_for {slug}: {word!r} also names {owner[key]}")
                owner.setdefault(key, slug)
    return found


def _regex_problems(patterns: list[str], where: str) -> list[str]:
    found = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            found.append(f"{where}: {pattern!r} does not compile ({error})")
    return found
