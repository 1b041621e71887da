"""Certificates stated in text: held now, demanded of a partner, or named without being held.

A certificate is found by the patterns of ``matching/data/certificate_patterns.json`` (all the ways it is
written in th / ja / en, with versions and years). The clause around the mention decides what it says:

1. a not-held cue (planned, in progress, expired, "compliant with", consulting) in the clause, or in the
   sentence when the clause claims nothing → not held;
2. named in a span that seeks a partner, a required cue in the clause ("must hold", "ต้องมี", "必須"), or one
   in the sentence or a seeking sentence with no claim in the clause → required;
3. otherwise → held (stated, not verified: a coordinator verifies it during vetting).

Equivalent certificates (JIS Q 13485 → ISO 13485, JIS Q 9100 → AS9100) are reported under the canonical
slug. Ambiguous bare mentions ("FDA") are read by the writer's country.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from matching import textdata
from matching.understanding.sentences import clause_around, clause_bounds

# Cues the data file does not have yet, in the same form (regular expressions on normalised text).
EXTRA_CUES = {
    "held": [
        r"を取得",
        r"取得し",
        r"認証(?:済|を受け)",
        r"の認証を",
        r"ได้รับ",
        r"\bcertified to\b",
        r"\bcertificates?\b",
    ],
    "not_held": [
        r"取得を",
        r"予定",
        r"ขอการรับรอง",
        r"\bin progress\b",
        r"ไม่มี",
        # named as not needed: neither held nor required ("ISO 13485は不要です")
        r"不要",
        r"必要(?:ありません|ない)",
        r"\bnot (?:required|needed|necessary)\b",
        r"\bno need\b",
        r"ไม่จำเป็น",
        # still to do: "we must register our products with the Thai FDA first"
        r"\bwe (?:must|need to|have to|will) (?:register|obtain|acquire|get)\b",
    ],
    "required": [
        r"\bonly\b",
        r"\bwanted\b(?! to\b)",  # "AS9100-certified Thai company wanted for forming", not "we wanted to"
        r"(?<!we )\bmust (?:handle|manage|take care of|support)\b",  # "must handle Thai FDA registration"
        r"ที่มีใบรับรอง",
        r"ที่ได้รับการรับรอง",
        # "the partner must register the devices with the Thai FDA", "suppliers should obtain ISO 13485"
        r"\b(?:partners?|suppliers?|distributors?|subcontractors?|vendors?|makers?|manufacturers?|they)\b"
        r"[^.;]{0,30}\b(?:must|should|shall|will need to) (?:register|obtain|acquire|possess|get)\b",
        # "ตัวแทนต้องขึ้นทะเบียนกับ อย." (the distributor must register with the Thai FDA)
        r"(?:ตัวแทน|ผู้จัดจำหน่าย|คู่ค้า|พันธมิตร|ซัพพลายเออร์|ผู้รับจ้าง|ผู้ผลิต)\S{0,20}ต้อง(?:ขึ้นทะเบียน|ขอ|จด)",
    ],
    # A preferred certificate is no requirement (docs/matching-judgments.md, "Hard requirements").
    "preferred": [
        r"\bpreferred\b",
        r"\bpreferably\b",
        r"\bideally\b",
        # "a Thai FDA manufacturing licence is a plus", "would be an advantage", "nice to have"
        r"\b(?:is|are|would be|will be) (?:a |an )?(?:plus|advantage|bonus|asset)\b",
        r"\bnice to have\b",
        r"尚可",
        r"เป็นข้อได้เปรียบ",
        r"望まし",
        r"優先",
        r"歓迎",
        r"จะพิจารณาเป็นพิเศษ",
        r"หากมี",
    ],
}


@dataclass(frozen=True)
class Mention:
    slug: str  # canonical
    status: str  # "held", "required" or "not_held"
    words: str  # the words it was read from, at most QUOTE_LENGTH characters, the certificate among them


def _nfkc(pattern: str) -> str:
    """Patterns are written with ordinary Thai (ำ); the text they meet is NFKC-normalised (ํา)."""
    return unicodedata.normalize("NFKC", pattern)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    data = textdata.load_certificate_patterns()
    canonical = {row["slug"]: row.get("equivalent_to") or row["slug"] for row in data["certifications"]}
    return tuple(
        (canonical[row["slug"]], re.compile(_nfkc(pattern)))
        for row in data["certifications"]
        for pattern in row["patterns"]
    )


@functools.cache
def _cues() -> dict[str, re.Pattern]:
    cues = textdata.load_certificate_patterns()["cues"]
    compiled = {}
    for status in ("held", "not_held", "required", "preferred"):
        alternatives = [cue for language in cues.get(status, {}).values() for cue in language]
        alternatives += EXTRA_CUES[status]
        compiled[status] = re.compile("|".join(f"(?:{_nfkc(cue)})" for cue in alternatives))
    return compiled


@functools.cache
def _any_pattern() -> re.Pattern:
    """All patterns in one: most sentences name no certificate and are passed over at once."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _slug, pattern in _patterns()) + r"|fda")


_BARE_FDA = re.compile(r"(?<![a-z])fda(?![a-z])")


def mentions_in(sentence: str, *, country: str = "", seeking=()) -> list[Mention]:
    """Every certificate ``sentence`` (normalised) names, with what it says about it. ``seeking``: the
    spans of the sentence that seek a partner (a certificate named there is demanded of the partner)."""
    if not _any_pattern().search(sentence):
        return []
    spans: list[tuple[str, int, int]] = []
    for slug, pattern in _patterns():
        spans += [(slug, match.start(), match.end()) for match in pattern.finditer(sentence)]
    for match in _BARE_FDA.finditer(sentence):
        if not any(start <= match.start() < end for _slug, start, end in spans):
            spans.append(("thai-fda" if country == "TH" else "fda-510k", match.start(), match.end()))
    cues = _cues()
    found: dict[str, Mention] = {}
    previous: tuple[int, str] | None = None  # (end, status) of the mention before
    first = 0  # where the list the mention belongs to starts (its own start when it is no list's item)
    for slug, start, end in sorted(spans, key=lambda span: span[1]):
        # What is read for the cues: the Thai phrase before the mention, else its clause.
        clause = _thai_phrase(sentence, start, end) or clause_around(sentence, start, end)
        sought = any(begin <= start < stop for begin, stop in seeking)
        if previous is not None and (
            _LIST.fullmatch(sentence[previous[0] : start])
            or (not sought and _qualifier(sentence[previous[0] : start]))
        ):
            # "ได้รับการรับรอง ISO 9001 และ ISO 14001 ต้องการหาลูกค้า…": a list says one thing of all its items,
            # also when an item's scope stands between them ("Nadcap ด้านการอบชุบ AS9100D และ IATF 16949").
            status = previous[1]
            previous = (max(end, previous[0]), status)
            if status != "preferred":
                # Quoted from the list's first item: the cue before it speaks of them all.
                _keep(found, Mention(slug, status, _quote(sentence, first, end)))
            continue
        first = start
        claimed = bool(cues["held"].search(clause))
        if cues["not_held"].search(clause) or (not claimed and cues["not_held"].search(sentence)):
            status = "not_held"
        elif cues["preferred"].search(clause):
            previous = (end, "preferred")
            continue  # preferred, not required: neither held nor demanded
        elif (
            sought
            or cues["required"].search(clause)
            or (not claimed and (seeking or cues["required"].search(sentence)))
        ):
            status = "required"
        else:
            status = "held"
        previous = (end, status)
        _keep(found, Mention(slug, status, _quote(sentence, start, end)))
    return list(found.values())


# Between two items of one list: a conjunction or a separator only ("ISO 9001 และ ISO 14001", "ISO 9001、
# ISO 14001", "ISO 9001 and ISO 14001", "ISO 9001・ISO 14001").
_LIST = re.compile(
    r"(?:\s*[:：]\s*\d{4}|\s*\(\d{4}\)|\s*\d{4}年版)?"  # the first item's version: "ISO 13485:2016 และ …"
    r"\s*(?:และ|หรือ|กับ|\band\b|\bor\b|&|/|,|、|，|・|と|及び|および|または|や)?\s*"
)


# The scope of a list's item between it and the next ("for heat treating", "ด้านการอบชุบ", "(加工部門)"):
# a few words in which no cue says anything of the next item.
_QUALIFIER_LENGTH = 40
_SENTENCE_BREAK = re.compile(r"[;；。.!?]")


def _qualifier(between: str) -> bool:
    return (
        len(between.strip()) <= _QUALIFIER_LENGTH
        and not _SENTENCE_BREAK.search(between)
        and not any(cue.search(between) for cue in _cues().values())
    )


# The longest evidence quoted for a certificate: a long clause is cut around the certificate's name, not
# after its first characters (a Thai clause can run a whole paragraph without a break).
QUOTE_LENGTH = 120


def _quote(sentence: str, start: int, end: int) -> str:
    """The clause holding the mention at start..end, cut to QUOTE_LENGTH characters around it (at a space
    when one is near, "…" where it was cut), so that the quote always names the certificate."""
    left, right = clause_bounds(sentence, start, end)
    while left < right and sentence[left].isspace():
        left += 1
    while right > left and sentence[right - 1].isspace():
        right -= 1
    if right - left <= QUOTE_LENGTH:
        return sentence[left:right]
    room = max(QUOTE_LENGTH - (end - start), 0)
    begin = max(left, start - room * 2 // 3)  # more of what comes before: the cue ("ได้รับการรับรอง")
    finish = min(right, max(end, begin + QUOTE_LENGTH))
    begin = max(left, min(begin, finish - QUOTE_LENGTH))
    if begin > left:
        space = sentence.find(" ", begin, start)
        begin = space + 1 if 0 <= space < begin + 20 else begin
    if finish < right:
        space = sentence.rfind(" ", end, finish)
        finish = space if space > finish - 20 else finish
    return ("…" if begin > left else "") + sentence[begin:finish].strip() + ("…" if finish < right else "")


_THAI_TOKEN = re.compile(r"\S*[\u0e00-\u0e7f]\S*")


def _thai_phrase(sentence: str, start: int, end: int) -> str:
    """In Thai, which writes a space between phrases and none between words: the Thai phrase before the
    mention and the Latin words up to the next Thai phrase ("ได้รับการรับรอง ISO 9001:2015" in "…ได้รับการรับรอง
    ISO 9001:2015 ขณะนี้กำลังขอการรับรอง ISO 13485…"). Empty when no Thai phrase comes before it."""
    before = [match for match in _THAI_TOKEN.finditer(sentence, 0, start) if match.end() <= start]
    if not before:
        return ""
    after = _THAI_TOKEN.search(sentence, end)
    return sentence[before[-1].start() : after.start() if after else len(sentence)]


def _keep(found: dict[str, Mention], mention: Mention) -> None:
    """One sentence, one status per certificate: held beats the others (the writer's own claim)."""
    if mention.slug not in found or mention.status == "held":
        found[mention.slug] = mention
