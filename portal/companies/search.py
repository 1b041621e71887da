"""Directory search text (pure). Thai and Japanese have no spaces between words, so search is substring
matching on a normalised text (NFKC + casefold): ``ฉีดพลาสติก`` finds "…รับฉีดพลาสติกและ…", ``精密加工``
finds "…の精密加工を…", ``ＣＮＣ`` finds "cnc". PostgreSQL indexes it with pg_trgm.

Japanese reads like a person: katakana, half-width katakana and hiragana are one (folded to hiragana), and
the hiragana reading of the Japanese text (pykakasi's dictionary, shipped with the package: nothing is
downloaded) is indexed beside it, so a kana query (しゃしゅつせいけい) finds 射出成形. Thai loanword
spellings that differ only in tone marks or a short "ะ" are one.

A taxonomy name in one language finds the texts that use it in another (:func:`translations`: ฉีดพลาสติก
finds "injection molding", and :func:`phrases`: a name of several words, "injection molding", finds
ฉีดพลาสติก), and British and American spellings find each other (:func:`spelling_variants`).

Latin script forgives typos: when the exact search finds few companies, a misspelt word ("machning",
"moldng") is corrected towards the nearest word of the indexed texts (:func:`closest_word`); the
directory lists the exact hits first, then those of the corrected query, and says so
(portal/companies/selectors.py, ``company_directory_search``)."""

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

MAX_TERMS = 8
KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}  # ァ…ヶ → ぁ…ゖ
# Thai spelling variants of loanwords differ in tone marks and a short "ะ" (ไทเทเนียม / ไทเทเนี่ยม,
# อลูมิเนียม / อะลูมิเนียม): both the text and the query drop them.
THAI_VARIANTS = dict.fromkeys([0x0E48, 0x0E49, 0x0E4A, 0x0E4B, 0x0E30])
FOLD = {**KATAKANA_TO_HIRAGANA, **THAI_VARIANTS}
_KANJI = re.compile(r"[\u3400-\u9fff]")
_JAPANESE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々〆ー]+")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(FOLD)


@functools.cache
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def readings(text: str) -> str:
    """The hiragana reading of the Japanese runs of ``text`` that hold kanji ("" when there are none)."""
    runs = [run for run in _JAPANESE_RUN.findall(text) if _KANJI.search(run)]
    return " ".join("".join(item["hira"] for item in _kakasi().convert(run)) for run in runs)


def build_search_text(parts: Iterable[str]) -> str:
    text = normalize("\n".join(part.strip() for part in parts if part and part.strip()))
    reading = readings(text)
    return f"{text}\n{reading}" if reading else text


def search_terms(query: str) -> list[str]:
    """The distinct terms of a query (every one must match), at most ``MAX_TERMS``."""
    seen: list[str] = []
    for term in normalize(query).split():
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


# Typo tolerance for Latin script ("machning" → "machining"). Only words of at least FUZZY_MIN_LENGTH
# letters are corrected (shorter ones have too many neighbours), and only towards a word that really is in
# the indexed text: difflib's ratio of at least FUZZY_CUTOFF (one slip in an eight-letter word is 0.94, two
# slips in a six-letter word 0.83, "mold" → "gold" 0.75 is refused).
FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFF = 0.8
_LATIN_TERM = re.compile(r"[a-z][a-z0-9\-]*")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]{2,}")


def is_correctable(term: str) -> bool:
    """A Latin-script term long enough to be corrected (Thai and Japanese are never: their variants are
    folded by :func:`normalize` instead)."""
    return len(term) >= FUZZY_MIN_LENGTH and _LATIN_TERM.fullmatch(term) is not None


def latin_words(text: str) -> set[str]:
    """The Latin words of a (normalised) search text: the vocabulary a misspelt term is corrected towards."""
    return set(_LATIN_WORD.findall(text))


def closest_word(term: str, vocabulary: Mapping[str, int], *, more_than: int = 0) -> str | None:
    """The indexed word nearest to ``term`` among those found in more than ``more_than`` texts
    (``vocabulary``: word → number of texts holding it), ``None`` when none is near enough; the
    alphabetically first of equally near ones, so the answer does not depend on the vocabulary's order."""
    candidates = sorted(word for word, count in vocabulary.items() if count > more_than and word != term)
    found = difflib.get_close_matches(term, candidates, n=1, cutoff=FUZZY_CUTOFF)
    return found[0] if found else None


# Transliterations across languages: a word of one language finds its equivalents in the others
# ("titanium" finds ไทเทเนียม and チタン, สแตนเลส finds "stainless"). The classes are the taxonomy's
# ambiguous material words (portal/taxonomy/data/taxonomy_leaves.json, "ambiguous"): the words of the three
# languages that stand for the same set of leaves. Latin words of fewer than FUZZY_MIN_LENGTH letters
# ("sus") are left out of a class: as a substring they would find "sustainable".
@functools.cache
def _equivalence_classes() -> dict[str, tuple[str, ...]]:
    from portal.taxonomy import leaves

    by_leaves: dict[tuple[str, ...], list[str]] = {}
    for row in leaves.load()["ambiguous"]:
        by_leaves.setdefault(tuple(sorted(row["leaves"])), []).append(normalize(row["term"]))
    classes: dict[str, tuple[str, ...]] = {}
    for words in by_leaves.values():
        kept = tuple(dict.fromkeys(w for w in words if not (w.isascii() and len(w) < FUZZY_MIN_LENGTH)))
        if len(kept) > 1:
            for word in kept:
                classes[word] = kept
    return classes


# British and American spellings of the trade's words: either finds the other ("mould" finds "injection
# molding", "mold" finds "mould making"). Replaced inside a term, so "moulding" finds "molding" too.
SPELLINGS = (
    ("mould", "mold"),
    ("aluminium", "aluminum"),
    ("colour", "color"),
    ("fibre", "fiber"),
    ("centre", "center"),
    ("metre", "meter"),
)


def spelling_variants(term: str) -> tuple[str, ...]:
    """``term`` (normalised) in the other spelling of English (``SPELLINGS``); () when it has none."""
    variants = []
    for british, american in SPELLINGS:
        if british in term:
            variants.append(term.replace(british, american))
        elif american in term:
            variants.append(term.replace(american, british))
    return tuple(dict.fromkeys(variants))


def equivalents(term: str) -> tuple[str, ...]:
    """The other words that stand for ``term`` (normalised): in the other languages, and in the other
    spelling of English; () when none."""
    classes = _equivalence_classes()
    words = [*classes.get(term, ())]
    for variant in spelling_variants(term):
        words += [variant, *classes.get(variant, ())]
    return tuple(dict.fromkeys(word for word in words if word != term))


# A query term that is exactly the name (or a synonym) of a capability, an industry or a leaf of the taxonomy
# finds the texts that name it in another language too: ฉีดพลาสติก finds "injection molding" and 射出成形.
# At most MAX_TRANSLATIONS words are added per term (each is one more substring condition).
MAX_TRANSLATIONS = 12


@functools.cache
def _taxonomy_names() -> dict[str, tuple[str, ...]]:
    """Normalised name or synonym → the names and synonyms, in all three languages, of every taxonomy entry
    (capability, industry, leaf or group) that it names."""
    from portal.taxonomy import leaves

    taxonomy, data = leaves.load_taxonomy(), leaves.load()
    entries = [*taxonomy["industries"], *taxonomy["capabilities"], *data["groups"], *data["leaves"]]
    by_word: dict[str, list[str]] = {}
    for entry in entries:
        words = [entry.get(f"name_{language}", "") for language in ("en", "th", "ja")]
        words += [word for synonyms in entry.get("synonyms", {}).values() for word in synonyms]
        words = list(dict.fromkeys(normalize(word) for word in words if word))
        # A short Latin name ("pcb") still leads to its entry's other names, but is never added itself: as a
        # substring it would find unrelated texts.
        added = [word for word in words if not (word.isascii() and len(word) < FUZZY_MIN_LENGTH)]
        for word in words:
            by_word.setdefault(word, []).extend(added)
    return {word: tuple(dict.fromkeys(names)) for word, names in by_word.items()}


def translations(term: str) -> tuple[str, ...]:
    """The taxonomy's names of what ``term`` (normalised) names, in every language (``MAX_TRANSLATIONS`` at
    most, the entry's own names first); () when the term is not exactly one of its names or synonyms. A
    province's or prefecture's name finds its other names and spellings the same way ("chonburi" finds
    "chon buri", ชลบุรี and チョンブリー, ``_region_names``)."""
    return tuple(word for word in _names_of(term) if word != term)[:MAX_TRANSLATIONS]


def _names_of(term: str) -> tuple[str, ...]:
    """The names, in every language, of the taxonomy entry or the region ``term`` is a name of; ()."""
    return _taxonomy_names().get(term) or _region_names().get(term, ())


@functools.cache
def _region_names() -> dict[str, tuple[str, ...]]:
    """A province's or prefecture's name in any language or spelling → its names in every one
    (portal/taxonomy/data/regions.json): "chon buri", "chonburi" (one word, as people and companies
    often write it), "ชลบุรี" and "ちょんぶりー" (the Japanese name without its 県, 府 or 都, which a text
    leaves out as often as it writes it). As for the taxonomy, a Latin name shorter than
    FUZZY_MIN_LENGTH letters ("nan", "tak") leads to the others but is never added: as a substring it
    would find unrelated words."""
    import json

    from portal.taxonomy.leaves import DATA

    names: dict[str, tuple[str, ...]] = {}
    for region in json.loads((DATA / "regions.json").read_text(encoding="utf-8")):
        english, japanese = normalize(region["name_en"]), normalize(region["name_ja"])
        short = japanese[:-1] if len(japanese) > 2 and japanese[-1] in "県府都" else japanese
        words = [english, english.replace(" ", ""), normalize(region["name_th"]), short]
        added = tuple(
            dict.fromkeys(
                word for word in words if word and not (word.isascii() and len(word) < FUZZY_MIN_LENGTH)
            )
        )
        for word in {*words, japanese} - {""}:
            names[word] = added
    return names


def phrases(terms: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The query's terms in groups, left to right: the longest run of consecutive terms that together are a
    name of the taxonomy (in either spelling of English: "injection moulding") or of a region ("chon buri")
    is one group, with that name's ``translations`` ("ฉีดพลาสติก", "射出成形"); every other term is a group of
    its own, with none.
    A group of several terms matches a text that holds each of them, or one of the translations."""
    groups = []
    start = 0
    while start < len(terms):
        found = None
        for stop in range(len(terms), start + 1, -1):  # the longest run first; one term is not a phrase
            phrase = " ".join(terms[start:stop])
            names = [name for name in (phrase, *spelling_variants(phrase)) if _names_of(name)]
            if names:
                words = dict.fromkeys(word for name in names for word in (name, *translations(name)))
                found = stop, tuple(word for word in words if word != phrase)[:MAX_TRANSLATIONS]
                break
        if found is None:
            groups.append(((terms[start],), ()))
            start += 1
        else:
            groups.append((tuple(terms[start : found[0]]), found[1]))
            start = found[0]
    return groups


@functools.cache
def taxonomy_words() -> frozenset[str]:
    """The Latin words of the taxonomy's terms (names and synonyms of the capabilities, their leaves and
    the industries, as shipped in portal/taxonomy/data): a vocabulary that is there before any company is."""
    from portal.taxonomy import leaves

    taxonomy, data = leaves.load_taxonomy(), leaves.load()
    texts = [
        row.get("name_en", "")
        for key in ("industries", "capabilities", "certifications")
        for row in taxonomy[key]
    ]
    for row in [*data["leaves"], *data["groups"]]:
        texts += [row["name_en"], *row.get("synonyms", {}).get("en", [])]
    return frozenset(word for text in texts for word in latin_words(normalize(text)))
