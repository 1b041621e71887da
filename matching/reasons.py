"""Why a partner was proposed, as data (pure): codes with slugs, rendered later in the viewer's language."""

from matching.scoring import CompanyFeatures
from matching.scoring.core import neutral_roles_between
from matching.understanding.terms import parents

# The text component (the cosine over TEXT_SATURATION, matching/scoring/core.py) from which descriptions are
# called similar: a cosine of 0.2.
TEXT_REASON_THRESHOLD = 0.4
SHARED_TOPICS_SHOWN = 5


def _slugs(values: frozenset, *inferred: frozenset) -> dict:
    """The slugs, sorted, and those of them in any of the ``inferred`` sets (read from a text)."""
    found = values & inferred[0]
    for part in inferred[1:]:
        found |= values & part
    return {"slugs": sorted(values), "inferred": sorted(found) if found else []}


def _shared_topics(company: CompanyFeatures, partner: CompanyFeatures, said: frozenset) -> list[str]:
    """What both texts speak of (their concepts, the text component's language-neutral part), less what an
    earlier line already names and less a parent one of its shared leaves stands for; at most
    SHARED_TOPICS_SHOWN."""
    shared = (company.concepts & partner.concepts) - said
    parent = parents()
    covered = {parent[slug] for slug in shared if slug in parent}
    return sorted(shared - covered)[:SHARED_TOPICS_SHOWN]


def reasons_for(
    company: CompanyFeatures, partner: CompanyFeatures, components: dict[str, float]
) -> list[dict]:
    """Reasons from ``company``'s point of view, strongest signals first; missing certifications always."""
    reasons = []
    missing = company.requires - partner.holds - partner.stated
    if missing:
        reasons.append({"code": "partner_lacks_certifications", "slugs": sorted(missing)})
    lacking = partner.requires - company.holds - company.stated
    if lacking:
        reasons.append({"code": "you_lack_certifications", "slugs": sorted(lacking)})
    # Stated in the text, not verified by a coordinator: counts three quarters
    # (matching/understanding/columns.py).
    stated = (company.requires - partner.holds) & partner.stated
    if stated:
        reasons.append({"code": "partner_states_certifications", "slugs": sorted(stated)})
    you_state = (partner.requires - company.holds) & company.stated
    if you_state:
        reasons.append({"code": "you_state_certifications", "slugs": sorted(you_state)})
    shared = company.industries & partner.industries
    if shared:
        reasons.append({"code": "shared_industries", **_slugs(shared, company.inferred, partner.inferred)})
    elif neutral := neutral_roles_between(company, partner):
        # An industrial estate serves any trade (scoring/core.py, NEUTRAL_ROLES): full industry fit.
        reasons.append({"code": "serves_any_industry", "slugs": sorted(neutral)})
    elif components.get("industry", 0) > 0:
        # Both sides' industries, which share an ISIC division (named, not the division's code): the same
        # from either side, as ``reasons_seen_by`` needs.
        reasons.append(
            {"code": "related_industries", "slugs": sorted(company.industries | partner.industries)}
        )
    they_offer = company.seeks & partner.capabilities
    if they_offer:
        reasons.append({"code": "they_offer_what_you_seek", **_slugs(they_offer, partner.inferred)})
    you_offer = partner.seeks & company.capabilities
    if you_offer:
        reasons.append({"code": "you_offer_what_they_seek", **_slugs(you_offer, company.inferred)})
    roles = company.looking_for & partner.roles
    if roles:
        reasons.append({"code": "fits_what_you_look_for", "slugs": sorted(roles)})
    their_roles = partner.looking_for & company.roles
    if their_roles:
        reasons.append({"code": "you_fit_what_they_look_for", "slugs": sorted(their_roles)})
    met = (company.requires & partner.holds) | (partner.requires & company.holds)
    if met:
        reasons.append({"code": "certifications_met", "slugs": sorted(met)})
    if components.get("text", 0) >= TEXT_REASON_THRESHOLD:
        reasons.append({"code": "similar_descriptions", "value": round(components["text"], 2)})
    topics = _shared_topics(company, partner, they_offer | you_offer)
    if topics:
        reasons.append({"code": "shared_topics", "slugs": topics})
    common = company.languages & partner.languages
    if common:
        reasons.append({"code": "common_language", "slugs": sorted(common)})
    else:
        reasons.append({"code": "needs_interpreter"})
    in_eec = [side for side, who in (("you", company), ("partner", partner)) if who.in_eec]
    if in_eec:  # which of the two is there: "located in the EEC" on every card misled an EEC company
        reasons.append({"code": "eec", "sides": in_eec})
    # Shindan readiness: a reason line and a tie-breaker (matching/understanding/ranking.py), not a score.
    if partner.readiness is not None:
        reasons.append({"code": "partner_readiness", "value": round(partner.readiness, 1)})
    if company.readiness is not None:
        reasons.append({"code": "your_readiness", "value": round(company.readiness, 1)})
    return reasons


# The codes in the order ``reasons_for`` emits them, and which code each becomes seen from the other side
# (every other code says the same thing from both sides).
ORDER = (
    "partner_lacks_certifications", "you_lack_certifications", "partner_states_certifications",
    "you_state_certifications", "shared_industries", "serves_any_industry", "related_industries",
    "they_offer_what_you_seek", "you_offer_what_they_seek", "fits_what_you_look_for",
    "you_fit_what_they_look_for", "certifications_met", "similar_descriptions", "shared_topics",
    "common_language",
    "needs_interpreter", "eec", "partner_readiness", "your_readiness",
)  # fmt: skip
MIRRORED = {
    "partner_lacks_certifications": "you_lack_certifications",
    "you_lack_certifications": "partner_lacks_certifications",
    "partner_states_certifications": "you_state_certifications",
    "partner_readiness": "your_readiness",
    "your_readiness": "partner_readiness",
    "you_state_certifications": "partner_states_certifications",
    "they_offer_what_you_seek": "you_offer_what_they_seek",
    "you_offer_what_they_seek": "they_offer_what_you_seek",
    "fits_what_you_look_for": "you_fit_what_they_look_for",
    "you_fit_what_they_look_for": "fits_what_you_look_for",
}


def _mirrored(reason: dict) -> dict:
    """One reason as the other side reads it: its code mirrored, and "you" and "partner" swapped in the
    sides it names (``eec``)."""
    mirrored = {**reason, "code": MIRRORED.get(reason["code"], reason["code"])}
    if "sides" in reason:
        swap = {"you": "partner", "partner": "you"}
        mirrored["sides"] = sorted((swap[side] for side in reason["sides"]), key=["you", "partner"].index)
    return mirrored


def reasons_seen_by(reasons: list[dict], *, owner_id: int, partner_id: int, viewer_id: int) -> list[dict]:
    """``reasons`` were written from ``owner_id``'s side about ``partner_id`` (a proposal's ``company`` and
    ``partner``); the same reasons as ``viewer_id`` (one of the two) reads them. Seen from the partner's
    side they equal ``reasons_for(partner, owner)``: "you" and "they" swap, the rest is symmetric."""
    if viewer_id == owner_id:
        return reasons
    if viewer_id != partner_id:
        raise ValueError(f"company {viewer_id} is neither side of the pair ({owner_id}, {partner_id})")
    rank = {code: index for index, code in enumerate(ORDER)}
    mirrored = [_mirrored(reason) for reason in reasons]
    return sorted(mirrored, key=lambda reason: rank.get(reason["code"], len(ORDER)))
