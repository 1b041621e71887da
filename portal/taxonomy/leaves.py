"""The second level of the capability taxonomy, as versioned data (pure: no database).

``portal/taxonomy/data/taxonomy_leaves.json`` holds 100–260 leaves (processes, products, services and
materials), each under one of the 26 capability slugs of ``taxonomy.json`` or under a group declared in the
file (materials, products or services, parents without a parent; a leaf has its group's kind), with names and
synonyms in English, Thai and Japanese and ISIC/TSIC/JSIC codes where they make sense. Terms are compared
after :func:`normalize_term` (NFKC, case folding, one space), so half-width katakana and full-width Latin
written in the file stand for the ordinary forms.

A term means one leaf. A term that genuinely means several leaves ("titanium", "อลูมิเนียม", "オートクレーブ")
is listed once under ``ambiguous`` with the leaves it may mean, and in none of the leaves' synonyms.

This module reads and checks the file; loading it into the database is the job of a migration.
See docs/matching-judgments.md for how the file was written.
"""

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "th", "ja")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 40  # TrilingualTerm.slug
THAI = re.compile(r"[\u0e00-\u0e7f]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
READING = re.compile(r"^[\u3041-\u309f\u30fc・（）A-Za-z0-9 ]+$")
ISIC = re.compile(r"^[0-9]{4}$")
TSIC = re.compile(r"^[0-9]{4,5}$")
JSIC = re.compile(r"^[0-9]{4}$")
LEAF_COUNT = (100, 260)


def normalize_term(text: str) -> str:
    """The form terms are compared in: NFKC, case-folded, runs of white space as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


@functools.cache
def load() -> dict:
    """The leaves file as written (cached: it is data shipped with the code)."""
    return json.loads((DATA / "taxonomy_leaves.json").read_text(encoding="utf-8"))


@functools.cache
def load_taxonomy() -> dict:
    """The first level (``taxonomy.json``), which the leaves hang under."""
    return json.loads((DATA / "taxonomy.json").read_text(encoding="utf-8"))


def leaf_terms(leaf: dict) -> list[str]:
    """A leaf's names and synonyms in every language, as written."""
    return [leaf[f"name_{language}"] for language in LANGUAGES] + [
        term for language in LANGUAGES for term in leaf["synonyms"].get(language, [])
    ]


def term_index(data: dict | None = None) -> dict[str, str]:
    """Normalised term → the one leaf slug it means (ambiguous terms are not in it: see ``ambiguous``)."""
    data = load() if data is None else data
    return {normalize_term(term): leaf["slug"] for leaf in data["leaves"] for term in leaf_terms(leaf)}


def parent_of(data: dict | None = None) -> dict[str, str]:
    """Leaf slug → its parent (a capability slug or a group slug)."""
    data = load() if data is None else data
    return {leaf["slug"]: leaf["parent"] for leaf in data["leaves"]}


def problems(data: dict, taxonomy: dict) -> list[str]:
    """Every rule the leaves file breaks, in words (an empty list when it is sound)."""
    found: list[str] = []
    capabilities = {row["slug"] for row in taxonomy["capabilities"]}
    first_level_names = {
        normalize_term(row[f"name_{language}"])
        for key in ("industries", "capabilities")
        for row in taxonomy[key]
        for language in LANGUAGES
    }
    kinds = set(data.get("kinds", []))
    groups = {group["slug"]: group for group in data.get("groups", [])}
    leaves = data.get("leaves", [])
    if not isinstance(data.get("version"), int):
        found.append("version: a whole number is required")
    if not LEAF_COUNT[0] <= len(leaves) <= LEAF_COUNT[1]:
        found.append(f"leaves: {len(leaves)}, expected {LEAF_COUNT[0]}–{LEAF_COUNT[1]}")

    seen: set[str] = set(capabilities)
    for group in data.get("groups", []):
        found += _slug_problems(group["slug"], seen, "group")
        if group.get("kind") not in kinds:
            found.append(f"group {group['slug']}: unknown kind {group.get('kind')!r}")
        found += _name_problems(group, f"group {group['slug']}")

    owner: dict[str, str] = {}
    for leaf in leaves:
        slug = leaf.get("slug", "")
        where = f"leaf {slug}"
        found += _slug_problems(slug, seen, "leaf")
        parent = leaf.get("parent")
        if parent not in capabilities and parent not in groups:
            found.append(f"{where}: parent {parent!r} is neither a capability nor a group")
        if leaf.get("kind") not in kinds:
            found.append(f"{where}: unknown kind {leaf.get('kind')!r}")
        elif parent in groups and leaf["kind"] != groups[parent]["kind"]:
            found.append(f"{where}: kind {leaf['kind']!r} under the {groups[parent]['kind']} group {parent}")
        found += _name_problems(leaf, where)
        synonyms = leaf.get("synonyms", {})
        for language in LANGUAGES:
            terms = synonyms.get(language)
            if not terms:
                found.append(f"{where}: no {language} synonym")
                continue
            found += [f"{where}: blank {language} synonym" for term in terms if not normalize_term(term)]
        for term in leaf_terms(leaf) if all(synonyms.get(lang) for lang in LANGUAGES) else []:
            key = normalize_term(term)
            if not key:
                continue
            if owner.get(key, slug) != slug:
                found.append(
                    f"{where}: term {term!r} also belongs to leaf {owner[key]} (list it as ambiguous)"
                )
            owner.setdefault(key, slug)
            if key in first_level_names:
                found.append(f"{where}: term {term!r} is the name of a first-level term")
        codes = leaf.get("codes", {})
        for system, pattern in (("isic", ISIC), ("tsic", TSIC), ("jsic", JSIC)):
            found += [
                f"{where}: {system} code {code!r} is malformed"
                for code in codes.get(system, [])
                if not pattern.match(code)
            ]
        for tsic in codes.get("tsic", []):
            if codes.get("isic") and tsic[:4] not in codes["isic"]:
                found.append(f"{where}: tsic {tsic} does not fall in its isic classes")
        for related in leaf.get("related", []):
            if related not in capabilities or related == parent:
                found.append(f"{where}: related {related!r} is not another capability")

    leaf_slugs = {leaf.get("slug") for leaf in leaves}
    ambiguous_terms: set[str] = set()
    for entry in data.get("ambiguous", []):
        key = normalize_term(entry.get("term", ""))
        where = f"ambiguous {entry.get('term')!r}"
        if key in owner:
            found.append(f"{where}: also a term of leaf {owner[key]}")
        if key in ambiguous_terms:
            found.append(f"{where}: listed twice")
        ambiguous_terms.add(key)
        if len(set(entry.get("leaves", []))) < 2:
            found.append(f"{where}: an ambiguous term names at least two leaves")
        found += [
            f"{where}: unknown leaf {slug!r}" for slug in entry.get("leaves", []) if slug not in leaf_slugs
        ]
        if not set(entry.get("languages", [])) <= set(LANGUAGES) or not entry.get("languages"):
            found.append(f"{where}: languages must be some of {', '.join(LANGUAGES)}")
        if not entry.get("note"):
            found.append(f"{where}: say why it is ambiguous in a note")
    return found


def _slug_problems(slug: str, seen: set[str], what: str) -> list[str]:
    found = []
    if not SLUG.match(slug or "") or len(slug) > SLUG_MAX_LENGTH:
        found.append(f"{what} {slug!r}: not a slug of at most {SLUG_MAX_LENGTH} characters")
    if slug in seen:
        found.append(f"{what} {slug!r}: slug used twice")
    seen.add(slug)
    return found


def _name_problems(row: dict, where: str) -> list[str]:
    found = [f"{where}: no name_{language}" for language in LANGUAGES if not row.get(f"name_{language}")]
    if row.get("name_th") and not THAI.search(row["name_th"]):
        found.append(f"{where}: name_th has no Thai")
    if row.get("name_ja") and not JAPANESE.search(row["name_ja"]):
        found.append(f"{where}: name_ja has no Japanese")
    if not READING.match(row.get("reading_ja", "")):
        found.append(f"{where}: reading_ja must be hiragana")
    return found


@dataclass(frozen=True)
class LeafTerm:
    """A leaf or group as a term (slug and names), for pages that name inferred slugs."""

    slug: str
    parent: str
    kind: str
    name_en: str
    name_th: str
    name_ja: str

    def name(self, language: str | None = None) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en


@functools.cache
def terms() -> tuple[LeafTerm, ...]:
    """The groups and leaves of the file, as terms (groups first)."""
    data = load()
    groups = [
        LeafTerm(g["slug"], "", g["kind"], g["name_en"], g["name_th"], g["name_ja"]) for g in data["groups"]
    ]
    rows = [
        LeafTerm(
            leaf["slug"], leaf["parent"], leaf["kind"], leaf["name_en"], leaf["name_th"], leaf["name_ja"]
        )
        for leaf in data["leaves"]
    ]
    return tuple(groups + rows)
