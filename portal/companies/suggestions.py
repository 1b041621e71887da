"""Search-as-you-type suggestions for the directory's search box (issue 18): taxonomy terms — industries,
capabilities with their second-level processes, products and services, and materials — whose name in
any of the three languages, synonym (portal/taxonomy/data/taxonomy_leaves.json) or kana reading matches
what the person has typed so far. Labels are in the reader's language.

Keys and queries are compared after the directory's own normalisation (portal/companies/search.py:
NFKC, case folding, katakana → hiragana, Thai tone marks dropped), so ｾｲｹｲ, セイケイ and せいけい are one.
The index of one language is built once and cached (``CACHE_SECONDS``): the taxonomy changes only by
migration or in the admin."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext, override

from portal.companies.search import normalize, readings
from portal.taxonomy import leaves
from portal.taxonomy.models import Capability, CapabilityKind, Industry

CACHE_SECONDS = 300
CACHE_VERSION = 2  # bump when Entry changes
LIMIT = 8
MAX_QUERY_LENGTH = 50
# A query of Latin letters only needs this many characters ("c" would match half the taxonomy); one kanji,
# kana or Thai syllable already says much more.
MIN_LATIN_LENGTH = 2

# Kinds in the order suggestions of equal quality are listed.
KIND_ORDER = ("industry", "capability", "process", "product", "service", "material")


@dataclass(frozen=True)
class Entry:
    slug: str
    kind: str
    label: str
    names: tuple[str, ...]  # normalised names in the three languages and their kana readings
    synonyms: tuple[str, ...]  # normalised synonyms (and their readings)
    order: int


def _kind_label(kind: str) -> str:
    if kind == "industry":
        return gettext("Industry")
    if kind == "capability":
        return gettext("Capability")
    return str(CapabilityKind(kind).label)


def _keys(names: list[str]) -> tuple[str, ...]:
    keys: list[str] = []
    for name in names:
        for key in (normalize(name), normalize(readings(name))):
            if key and key not in keys:
                keys.append(key)
    return tuple(keys)


def _build_index(language: str) -> list[Entry]:
    reading: dict[str, str] = {}  # slug → the reading the data file gives
    synonyms: dict[str, list[str]] = {}  # slug → synonyms from the data file
    data = leaves.load()
    for row in [*data["leaves"], *data["groups"]]:
        reading[row["slug"]] = row.get("reading_ja", "")
        synonyms[row["slug"]] = [
            term for lang in leaves.LANGUAGES for term in row.get("synonyms", {}).get(lang, [])
        ]
    entries: list[Entry] = []
    terms = [("industry", term) for term in Industry.objects.all()]
    terms += [("capability" if not term.kind else term.kind, term) for term in Capability.objects.all()]
    for kind, term in terms:
        names = _keys([term.name_en, term.name_th, term.name_ja, reading.get(term.slug, "")])
        entries.append(
            Entry(
                slug=term.slug,
                kind=kind,
                label=term.name(language),
                names=names,
                synonyms=tuple(key for key in _keys(synonyms.get(term.slug, [])) if key not in names),
                order=KIND_ORDER.index(kind),
            )
        )
    return entries


def suggestion_index(language: str) -> list[Entry]:
    key = f"directory-suggestions:{CACHE_VERSION}:{language}"
    index = cache.get(key)
    if index is None:
        index = _build_index(language)
        cache.set(key, index, CACHE_SECONDS)
    return index


def _rank(query: str, entry: Entry) -> int | None:
    """How well ``entry`` matches: its names before its synonyms (+3), and for each, 0 when a key starts
    with the query, 1 when one of a key's words does, 2 when a key holds it anywhere (Thai and Japanese
    have no spaces, so a word may start mid-key); ``None`` when nothing matches."""
    rank = _key_rank(query, entry.names)
    if rank is None:
        rank = _key_rank(query, entry.synonyms)
        return None if rank is None else rank + 3
    return rank


def _key_rank(query: str, keys: tuple[str, ...]) -> int | None:
    best = None
    for key in keys:
        if key.startswith(query):
            return 0
        if any(word.startswith(query) for word in key.split()[1:]):
            best = 1
        elif best is None and query in key:
            best = 2
    return best


def directory_suggestions(*, query: str, language: str, limit: int = LIMIT) -> list[dict[str, str]]:
    """At most ``limit`` terms matching ``query``, the best first: ``label`` (in ``language``), ``kind``,
    ``kind_label`` and ``slug``. Too short a query gives none."""
    query = normalize(query.strip())[:MAX_QUERY_LENGTH]
    if not query or (query.isascii() and len(query) < MIN_LATIN_LENGTH):
        return []
    found = []
    for entry in suggestion_index(language):
        rank = _rank(query, entry)
        if rank is not None:
            found.append((rank, entry.order, len(entry.label), entry.label, entry))
    found.sort(key=lambda item: item[:4])
    seen: set[str] = set()
    result = []
    for *_, entry in found:
        if entry.label in seen:  # one line per label (a leaf may share its parent's name in a language)
            continue
        seen.add(entry.label)
        with override(language):
            kind_label = _kind_label(entry.kind)
        result.append(
            {"label": entry.label, "kind": entry.kind, "kind_label": kind_label, "slug": entry.slug}
        )
        if len(result) == limit:
            break
    return result
