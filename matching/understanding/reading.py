"""One company's text read for matching: see ``matching/understanding/__init__.py``."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from matching import textdata
from matching.glossary import infer
from matching.understanding import certificates, intent, terms
from matching.understanding.sentences import clause_around, sentences


@dataclass(frozen=True)
class Reading:
    offers: frozenset[str] = frozenset()  # leaf (and ambiguous-parent) slugs, not expanded
    seeks: frozenset[str] = frozenset()  # leaf and capability slugs from seeking spans
    looking_for: frozenset[str] = frozenset()
    held: frozenset[str] = frozenset()  # certificates stated as held (canonical slugs)
    required: frozenset[str] = frozenset()
    not_held: frozenset[str] = frozenset()
    offer_text: str = ""  # the text without its seeking spans (for the glossary's offered capabilities)
    offers_site: bool = False  # offers a place to set up a factory (an industrial estate, factories for rent)
    # "kind:slug" → the words it was inferred from (kind: offers, seeks, looking_for, held, required)
    evidence: dict[str, str] = field(default_factory=dict, compare=False)


# What a company says it does not have (yet) or only plans is not offered: "ยังไม่มีห้องสะอาด" (no cleanroom
# yet), "มีแผนจะสร้างห้องสะอาด" (plans to build one), "クリーンルームは保有していません", "we plan to add
# anodizing". Such a phrase is left out of what the company offers (it may still seek it).
_NOT_OFFERED = re.compile(
    r"ยังไม่(?:มี|ได้|สามารถ)|ไม่มี|ไม่ได้(?:ทำ|ผลิต|ให้บริการ|รับ)|(?:มี|วาง)แผน(?:ที่)?จะ|กำลังจะ|ในอนาคต"
    r"|予定|計画|ありません|していません|できません|未対応|目指|検討中|将来"
    r"|\bplan(?:s|ning)? to\b|\bnot yet\b|\bdo(?:es)? not (?:have|offer|provide|make)\b"
    r"|\bdon't (?:have|offer)\b|\bno (?:in-house|own)\b|\bin the future\b"
    r"|\bwill (?:build|add|install|set up|open|introduce)\b"
)
_THAI = re.compile(r"[\u0e00-\u0e7f]")
# A company that offers a place to set up (an industrial estate, ready-built factories for rent, industrial
# land) fills the investment-site role for a partner of any industry. Written with ordinary Thai (ำ), matched
# on NFKC-normalised text.
_SITE_OFFER = re.compile(
    unicodedata.normalize(
        "NFKC",
        r"โรงงาน(?:สำเร็จรูป)?ให้เช่า|ให้เช่าโรงงาน|ให้เช่า(?:ที่ดิน|พื้นที่)|(?:ผู้)?พัฒนานิคม|ที่ดินอุตสาหกรรม"
        r"|^นิคมอุตสาหกรรม|^สวนอุตสาหกรรม"
        r"|貸し?工場|レンタル工場|工業団地(?:の|を)?(?:開発|運営|分譲)|工場用地(?:の|を)?(?:分譲|賃貸)"
        r"|\bready-built factor|\bfactor(?:y|ies) for (?:rent|lease|sale)|\bland for (?:lease|sale|rent)"
        r"|^industrial (?:estate|park)\b|\bindustrial (?:estate|park) (?:developer|operator)",
    )
)


# What a company does for its partners rather than makes: a distributor, a forwarder or an adviser that looks
# for suppliers looks for products to sell or clients, not for its own services done by others.
_NOT_SUBCONTRACTED = {"distribution", "logistics-warehousing", "contract-rnd"}


def _scope(sentence: str, start: int, end: int) -> tuple[int, int]:
    """What a cue at start..end speaks of: its space-delimited phrase in Thai (Thai writes a space between
    phrases, not between words), else its clause."""
    if _THAI.match(sentence[start]):
        left = sentence.rfind(" ", 0, start) + 1
        right = sentence.find(" ", end)
        return left, len(sentence) if right < 0 else right
    clause = clause_around(sentence, start, end)
    left = sentence.rfind(clause, 0, end) if clause else start
    return max(left, 0), max(left, 0) + len(clause)


def _not_offered(sentence: str) -> list[tuple[int, int]]:
    return [_scope(sentence, match.start(), match.end()) for match in _NOT_OFFERED.finditer(sentence)]


def _without(span: str, offset: int, masked: list[tuple[int, int]]) -> str:
    """``span`` (at ``offset`` of its sentence) with the masked parts blanked (lengths kept)."""
    chars = list(span)
    for start, end in masked:
        for index in range(max(start - offset, 0), min(end - offset, len(chars))):
            chars[index] = " "
    return "".join(chars)


def snippet(sentence: str, start: int, end: int, margin: int = 24) -> str:
    """The words around sentence[start:end], ``margin`` characters each side. A cut never parts a Thai
    letter from its vowel or tone mark, nor a leading vowel from its letter (…่วน, not ส่วน, read as noise)."""
    left, right = max(0, start - margin), min(len(sentence), end + margin)
    while left > 0 and (_is_mark(sentence[left]) or sentence[left - 1] in _LEADING_VOWELS):
        left -= 1
    while right < len(sentence) and _is_mark(sentence[right]):
        right += 1
    return ("…" if left else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"  # เ แ โ ใ ไ, written before their consonant


def _is_mark(character: str) -> bool:
    return unicodedata.category(character) == "Mn"


def read(text: str, country: str = "", sought: Iterable[str] = ()) -> Reading:
    """What ``text`` (any mix of th / ja / en) says the company offers, seeks and holds. Lines of ``text``
    equal to one of ``sought`` are wholly sought, cue or not: the titles of the company's need postings
    ("AS9100 5-axis machining subcontractor in the EEC")."""
    lines = [textdata.normalize(line) for line in (text or "").splitlines()]
    sought = {textdata.normalize(line) for line in sought} - {""}
    text = "\n".join(lines)
    sought_at = set()  # offsets in ``text`` of the sought lines
    offset = 0
    for line in lines:
        if line in sought:
            sought_at.add(offset)
        offset += len(line) + 1
    offers, seeks, looking, evidence = set(), set(), set(), {}
    held, required, not_held = set(), set(), set()
    offer_parts = []
    offers_site = False
    for at, sentence in sentences(text):
        # A line break ends a sentence: the sentence at ``at`` is on the line that starts after the last
        # break before it.
        if text.rfind("\n", 0, at) + 1 in sought_at:
            parts = intent.Split(seeking=[(0, len(sentence))], offering=[])
        else:
            parts = intent.split(sentence)
        for start, end in parts.seeking:
            span = sentence[start:end]
            for hit in terms.find(span):
                seeks.add(hit.slug)
                evidence.setdefault(f"seeks:{hit.slug}", snippet(span, hit.start, hit.end))
            for slug in infer(span)[0]:
                seeks.add(slug)
                evidence.setdefault(f"seeks:{slug}", span.strip()[:80])
            found = intent.looking_for(span)
            if not found and seeks:
                found = {"supplier": span.strip()[:40]}
            for slug, word in found.items():
                looking.add(slug)
                evidence.setdefault(
                    f"looking_for:{slug}", snippet(span, span.find(word), span.find(word) + len(word))
                )
        masked = _not_offered(sentence)
        for start, end in parts.offering:
            span = _without(sentence[start:end], start, masked)
            offer_parts.append(span)
            offers_site = offers_site or bool(_SITE_OFFER.search(span.strip()))
            for hit in terms.find(span):
                offers.add(hit.slug)
                evidence.setdefault(f"offers:{hit.slug}", snippet(span, hit.start, hit.end))
        for mention in certificates.mentions_in(sentence, country=country, seeking=parts.seeking):
            {"held": held, "required": required, "not_held": not_held}[mention.status].add(mention.slug)
            evidence.setdefault(f"{mention.status}:{mention.slug}", mention.words)
    made = {slug for slug in offers if not ({slug, terms.parents().get(slug)} & _NOT_SUBCONTRACTED)}
    if not seeks and looking & {"supplier", "oem-partner"} and made:
        # "タイで協力工場を探しています" (a partner factory, no process named): a maker that looks for a
        # subcontractor or an OEM partner and names nothing else looks for its own processes, done abroad.
        # Not a distributor or an adviser that looks for makers: it looks for their products.
        seeks = set(made)
        words = evidence.get("looking_for:oem-partner") or evidence.get("looking_for:supplier", "")
        for slug in made:
            evidence.setdefault(f"seeks:{slug}", words)
    return Reading(
        offers=frozenset(offers),
        seeks=frozenset(seeks),
        looking_for=frozenset(looking),
        held=frozenset(held),
        # Held and demanded of a partner is common ("ISO 13485 certified; our subcontractors must hold it"):
        # one sentence decides one status (certificates.mentions_in), different sentences may say both.
        required=frozenset(required),
        not_held=frozenset(not_held - held),
        offer_text="\n".join(offer_parts),
        offers_site=offers_site,
        evidence=evidence,
    )
