"""Reads about what a company's text says (for its page and for vetting)."""

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from matching import glossary
from matching.understanding.reading import read, snippet
from matching.understanding.terms import expand
from portal.companies.models import Company
from portal.postings.models import NEED_TYPES, Posting
from portal.taxonomy import leaves
from portal.taxonomy.models import Capability, Certification, LookingFor

_THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")


@dataclass(frozen=True)
class Inferred:
    kind: str  # "offers", "seeks", "looking_for", "held" (stated certificate)
    term: object  # a taxonomy term or a leaf (has .slug and .name())
    words: str  # where in the text it was read
    state: str = ""  # "" (inferred), "confirmed" or "removed" by the company


def overrides_by_company(companies) -> defaultdict:
    """company id → {(kind, slug): confirmed} for the companies of the queryset ``companies`` (one query)."""
    from matching.models import InferenceOverride

    found = defaultdict(dict)
    for company_id, kind, slug, confirmed in InferenceOverride.objects.filter(
        company_id__in=companies
    ).values_list("company_id", "kind", "slug", "confirmed"):
        found[company_id][(kind, slug)] = confirmed
    return found


def _state(overrides: dict, kind: str, slug: str) -> str:
    decision = overrides.get((kind, slug))
    return "" if decision is None else ("confirmed" if decision else "removed")


def company_text(company: Company) -> tuple[str, list[str]]:
    """The text matching reads: the three descriptions, the live postings and the shown products, and the
    titles of the need postings, read as sought (as matching/features/loading.py)."""
    from portal.showcase.selectors import product_texts_by_company

    parts = [company.description_en, company.description_th, company.description_ja]
    need_titles = []
    for posting in (
        Posting.objects.live()
        .filter(company=company)
        .values("type", "title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja")
    ):
        kind = posting.pop("type")
        parts += list(posting.values())
        if kind in NEED_TYPES:
            need_titles += [posting["title_en"], posting["title_th"], posting["title_ja"]]
    parts += product_texts_by_company([company.pk]).get(company.pk, [])
    return "\n".join(parts), need_titles


def as_written(text: str, words: str) -> str:
    """``words`` (evidence in the reading's normalised form: NFKC, case-folded, one space, maybe cut mid-word
    and marked "…") as ``text`` writes them: its case and characters, cut at whole words. As normalised when
    they cannot be found (normalisation joined characters across a boundary)."""
    needle = words.strip("…").strip()
    if not needle:
        return words
    folded, origin = _folded(text)
    at = folded.find(needle)
    if at < 0:
        return words
    start, end = origin[at], origin[at + len(needle) - 1] + 1
    # A word cut by the snippet's margin is shown whole: a Latin word to its end, a Thai phrase to the space
    # that ends it (Thai writes spaces between phrases, not words) when one is near.
    start, end = _whole(text, start, -1), _whole(text, end, +1)
    before, after = text[:start].rstrip(" "), text[end:].lstrip(" ")
    head = "…" if words.startswith("…") and before and before[-1] not in "\n.!?。！？" else ""
    tail = "…" if words.endswith("…") and after and after[0] != "\n" else ""
    return head + text[start:end].strip() + tail


@functools.lru_cache(maxsize=4)  # one company's page quotes its text several times
def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` normalised character by character as the reading normalises it, and the index in ``text``
    of each character of the result."""
    folded, origin = [], []
    for index, char in enumerate(text):
        if char.isspace():
            if folded and folded[-1] != " ":
                folded.append(" ")
                origin.append(index)
            continue
        for part in unicodedata.normalize("NFKC", char).casefold():
            folded.append(part)
            origin.append(index)
    return "".join(folded), tuple(origin)


def _whole(text: str, at: int, step: int, reach: int = 30) -> int:
    """The cut ``at`` (between text[at - 1] and text[at]) moved outwards (``step`` -1: left, +1: right) to
    the end of the word it splits."""

    def outside(cut):
        return text[cut - 1] if step < 0 else text[cut]

    if not 0 < at < len(text):
        return at
    inside = text[at] if step < 0 else text[at - 1]
    if inside.isascii() and inside.isalnum():
        while 0 < at < len(text) and outside(at).isascii() and outside(at).isalnum():
            at += step
        return at
    if _THAI_CHAR.match(inside):
        for moved in range(at, at + step * reach, step):
            if not 0 < moved < len(text) or outside(moved).isspace():
                return min(max(moved, 0), len(text))
    return at


def stated_certificates(company: Company) -> list[Inferred]:
    """Certificates the text states as held that the company does not hold (valid) yet: "stated, not
    verified"."""
    text, need_titles = company_text(company)
    reading = read(text, company.country, need_titles)
    # A held certificate counts under its canonical slug too (JIS Q 9100 held: "AS9100" is not unverified).
    held = {
        slug
        for pair in company.certificates.valid(timezone.localdate()).values_list(
            "certification__slug", "certification__equivalent_to__slug"
        )
        for slug in pair
        if slug
    }
    terms = {c.slug: c for c in Certification.objects.filter(slug__in=reading.held)}
    overrides = overrides_by_company([company.pk])[company.pk]
    return [
        Inferred(
            "held",
            terms[slug],
            as_written(text, reading.evidence.get(f"held:{slug}", "")),
            _state(overrides, "held", slug),
        )
        for slug in sorted(reading.held)
        if slug in terms and slug not in held
    ]


def inferred_items(company: Company) -> list[Inferred]:
    """What the text says the company offers, seeks and looks for beyond its declared tags, with the words."""
    text, need_titles = company_text(company)
    reading = read(text, company.country, need_titles)
    declared = set(company.capabilities.values_list("slug", flat=True)) | set(
        company.seeking.values_list("slug", flat=True)
    )
    declared_roles = set(company.looking_for.values_list("slug", flat=True))
    names = {term.slug: term for term in leaves.terms()}
    names.update({c.slug: c for c in Capability.objects.all()})
    roles = {term.slug: term for term in LookingFor.objects.all()}
    overrides = overrides_by_company([company.pk])[company.pk]
    found = [
        Inferred(
            kind,
            names[slug],
            as_written(text, reading.evidence.get(f"{kind}:{slug}", "")),
            _state(overrides, kind, slug),
        )
        for kind, slugs in (("offers", reading.offers), ("seeks", reading.seeks))
        for slug in sorted(slugs)
        if slug in names and not expand({slug}) <= declared
    ]
    # The capabilities the glossary reads in what the company offers (``hooks.text_features``), beyond the
    # declared ones and those a leaf above already brings: "รับจ้างฉีดพลาสติก" is injection molding.
    offer_text = glossary.normalize(reading.offer_text)
    shown = expand(reading.offers)
    found += [
        Inferred(
            "offers",
            names[slug],
            as_written(text, _line_snippet(offer_text, start, end)),
            _state(overrides, "offers", slug),
        )
        for slug, (start, end) in sorted(glossary.capability_mentions(offer_text).items())
        if slug in names and slug not in shown and not expand({slug}) <= declared
    ]
    found += [
        Inferred(
            "looking_for",
            roles[slug],
            as_written(text, reading.evidence.get(f"looking_for:{slug}", "")),
            _state(overrides, "looking_for", slug),
        )
        for slug in sorted(reading.looking_for - declared_roles)
        if slug in roles
    ]
    order = {"offers": 0, "seeks": 1, "looking_for": 2}
    return sorted(found, key=lambda item: order[item.kind])  # stable: within a kind, as read


def inferred_industries(company: Company) -> list:
    """The industries matching counts for ``company`` beyond those its profile declares: read in its text,
    or brought by a certificate (ISO 13485: medical devices), as ``matching/features/loading.py`` does. A
    partner's card says "same industry (read from the text)": the company sees here where that comes from."""
    from matching.textdata import industries_of_certificates
    from matching.understanding.hooks import text_features
    from portal.showcase.selectors import product_terms_by_company
    from portal.taxonomy.models import Industry

    text, need_titles = company_text(company)
    features = text_features(text, company.country, need_titles)
    held = set(company.certificates.values_list("certification__slug", flat=True))
    slugs = features.industries | industries_of_certificates(held | features.stated | features.requires)
    # declared: the profile's, its live postings' and its shown products' (they count as its own)
    declared = set(company.industries.values_list("slug", flat=True))
    declared |= set(
        Posting.objects.live().filter(company=company).values_list("industries__slug", flat=True)
    ) | product_terms_by_company([company.pk])[1].get(company.pk, set())
    return list(Industry.objects.filter(slug__in=slugs - declared).order_by("pk"))


def _line_snippet(text: str, start: int, end: int, margin: int = 24) -> str:
    """The words around text[start:end], within its line. Thai writes spaces between phrases, not words:
    around Thai words the snippet is their phrase, cut ``margin`` characters away only when the phrase is
    longer, and never before a vowel or tone mark (which would stand alone)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    start, end = start - line_start, end - line_start
    if not _THAI_CHAR.match(line[start]):
        return snippet(line, start, end, margin)
    left = line.rfind(" ", 0, start) + 1
    if start - left > margin:
        left = start - margin
        while left > 0 and unicodedata.category(line[left]) == "Mn":
            left -= 1
    right = line.find(" ", end)
    right = len(line) if right < 0 else right
    if right - end > margin:
        right = end + margin
        while right < len(line) and unicodedata.category(line[right]) == "Mn":
            right += 1
    return ("…" if left else "") + line[left:right].strip() + ("…" if right < len(line) else "")
