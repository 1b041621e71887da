"""What ``matching/features.py`` takes from a company's text (one call per company)."""

from dataclasses import dataclass

from matching.glossary import infer, normalize
from matching.understanding.reading import read
from matching.understanding.terms import expand


@dataclass(frozen=True)
class TextFeatures:
    capabilities: frozenset[str]  # offered: glossary capabilities of the offering sentences, leaves + parents
    industries: frozenset[str]
    seeks: frozenset[str]  # leaves + parents and capabilities of the seeking sentences
    looking_for: frozenset[str]
    requires: frozenset[str]  # certificates the text demands of a partner
    stated: frozenset[str]  # certificates the text states as held (not verified)


def text_features(raw: str, country: str = "") -> TextFeatures:
    reading = read(raw, country)
    capabilities, _industries = infer(normalize(reading.offer_text))
    _capabilities, industries = infer(normalize(raw))
    return TextFeatures(
        capabilities=frozenset(capabilities) | expand(reading.offers),
        industries=frozenset(industries),
        seeks=expand(reading.seeks),
        looking_for=reading.looking_for,
        requires=reading.required,
        stated=reading.held,
    )
