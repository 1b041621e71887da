"""What ``matching/features/loading.py`` takes from a company's text (one call per company)."""

from collections.abc import Iterable
from dataclasses import dataclass, replace

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
    offers_site: bool = False  # an industrial estate, factories for rent: the investment-site role
    # What the text speaks of, offered, sought or neither: leaves, materials and capabilities with their
    # parents. Language-neutral, so a Thai and a Japanese text about titanium share one (the text component).
    concepts: frozenset[str] = frozenset()


def text_features(raw: str, country: str = "", sought: Iterable[str] = ()) -> TextFeatures:
    """``sought``: the lines of ``raw`` that are wholly sought (need postings' titles, ``read``)."""
    reading = read(raw, country, sought)
    capabilities, _industries = infer(normalize(reading.offer_text))
    mentioned, industries = infer(normalize(raw))
    return TextFeatures(
        capabilities=frozenset(capabilities) | expand(reading.offers),
        industries=frozenset(industries),
        seeks=expand(reading.seeks),
        looking_for=reading.looking_for,
        requires=reading.required,
        stated=reading.held,
        offers_site=reading.offers_site,
        concepts=frozenset(mentioned) | expand(reading.offers | reading.seeks),
    )


def with_overrides(features: TextFeatures, overrides: dict[tuple[str, str], bool]) -> TextFeatures:
    """``features`` less what the company removed ((kind, slug) → False). A removed leaf takes its parent
    with it unless another inferred leaf still brings it."""
    removed = {key for key, confirmed in overrides.items() if not confirmed}
    if not removed:
        return features

    def without(slugs, kind):
        gone = {slug for k, slug in removed if k == kind}
        kept = frozenset(slugs) - gone
        return kept - (_parents_of(gone) - _parents_of(kept))

    return replace(
        features,
        capabilities=without(features.capabilities, "offers"),
        seeks=without(features.seeks, "seeks"),
        looking_for=features.looking_for - {slug for k, slug in removed if k == "looking_for"},
        stated=features.stated - {slug for k, slug in removed if k == "held"},
        concepts=without(features.concepts, "offers") & without(features.concepts, "seeks"),
    )


def _parents_of(slugs) -> set[str]:
    from matching.understanding.terms import parents

    parent = parents()
    return {parent[slug] for slug in slugs if slug in parent}
