"""One company's text read for matching: see ``matching/understanding/__init__.py``."""

from dataclasses import dataclass, field

from matching import textdata
from matching.glossary import infer
from matching.understanding import certificates, intent, terms
from matching.understanding.sentences import sentences


@dataclass(frozen=True)
class Reading:
    offers: frozenset[str] = frozenset()  # leaf (and ambiguous-parent) slugs, not expanded
    seeks: frozenset[str] = frozenset()  # leaf and capability slugs from seeking spans
    looking_for: frozenset[str] = frozenset()
    held: frozenset[str] = frozenset()  # certificates stated as held (canonical slugs)
    required: frozenset[str] = frozenset()
    not_held: frozenset[str] = frozenset()
    offer_text: str = ""  # the text without its seeking spans (for the glossary's offered capabilities)
    # "kind:slug" → the words it was inferred from (kind: offers, seeks, looking_for, held, required)
    evidence: dict[str, str] = field(default_factory=dict, compare=False)


def _snippet(sentence: str, start: int, end: int, margin: int = 24) -> str:
    left, right = max(0, start - margin), min(len(sentence), end + margin)
    return ("…" if left else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


def read(text: str, country: str = "") -> Reading:
    """What ``text`` (any mix of th / ja / en) says the company offers, seeks and holds."""
    text = "\n".join(textdata.normalize(line) for line in (text or "").splitlines())
    offers, seeks, looking, evidence = set(), set(), set(), {}
    held, required, not_held = set(), set(), set()
    offer_parts = []
    for _offset, sentence in sentences(text):
        parts = intent.split(sentence)
        for start, end in parts.seeking:
            span = sentence[start:end]
            for hit in terms.find(span):
                seeks.add(hit.slug)
                evidence.setdefault(f"seeks:{hit.slug}", _snippet(span, hit.start, hit.end))
            for slug in infer(span)[0]:
                seeks.add(slug)
                evidence.setdefault(f"seeks:{slug}", span.strip()[:80])
            found = intent.looking_for(span)
            if not found and seeks:
                found = {"supplier": span.strip()[:40]}
            for slug, word in found.items():
                looking.add(slug)
                evidence.setdefault(
                    f"looking_for:{slug}", _snippet(span, span.find(word), span.find(word) + len(word))
                )
        for start, end in parts.offering:
            span = sentence[start:end]
            offer_parts.append(span)
            for hit in terms.find(span):
                offers.add(hit.slug)
                evidence.setdefault(f"offers:{hit.slug}", _snippet(span, hit.start, hit.end))
        for mention in certificates.mentions_in(sentence, country=country, seeking=parts.seeking):
            {"held": held, "required": required, "not_held": not_held}[mention.status].add(mention.slug)
            evidence.setdefault(f"{mention.status}:{mention.slug}", mention.words[:120])
    return Reading(
        offers=frozenset(offers),
        seeks=frozenset(seeks),
        looking_for=frozenset(looking),
        held=frozenset(held),
        required=frozenset(required - held),
        not_held=frozenset(not_held - held),
        offer_text="\n".join(offer_parts),
        evidence=evidence,
    )
