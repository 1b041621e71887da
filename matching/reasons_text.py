"""Reasons rendered in the active language (the data comes from matching.reasons)."""

import functools

from django.utils.translation import get_language, gettext, ngettext

from matching.reasons import reasons_seen_by
from portal.core.i18n import join_list, pick
from portal.taxonomy import leaves
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor


@functools.cache
def _names() -> dict[str, object]:
    terms = {}
    for model in (Industry, Capability, Certification, LookingFor):
        for term in model.objects.all():
            terms.setdefault(term.slug, term)
    for term in leaves.terms():  # second-level terms inferred from text (portal/taxonomy/leaves.py)
        terms.setdefault(term.slug, term)
    return terms


def _term(slug: str, inferred: set[str]) -> str:
    term = _names().get(slug)
    name = pick(term, "name", get_language()) if term else slug
    return gettext("%(name)s (inferred from the text)") % {"name": name} if slug in inferred else name


def _list(reason: dict) -> str:
    inferred = set(reason.get("inferred", []))
    return join_list(_term(slug, inferred) for slug in reason.get("slugs", []))


LANGUAGE_NAMES = {"th": "Thai", "ja": "Japanese", "en": "English"}


def render_reason(reason: dict) -> str:
    code, items = reason["code"], _list(reason)
    count = len(reason.get("slugs", []))
    if code == "partner_lacks_certifications":
        return ngettext(
            "Does not hold the certification you require: %(items)s",
            "Does not hold the certifications you require: %(items)s",
            count,
        ) % {"items": items}
    if code == "you_lack_certifications":
        return ngettext(
            "Requires a certification you do not hold: %(items)s",
            "Requires certifications you do not hold: %(items)s",
            count,
        ) % {"items": items}
    if code == "partner_states_certifications":
        return gettext("States the certification you require (stated, not verified): %(items)s") % {
            "items": items
        }
    if code == "you_state_certifications":
        return gettext("Requires a certification you state, not yet verified: %(items)s") % {"items": items}
    if code == "shared_industries":
        return gettext("Same industry: %(items)s") % {"items": items}
    if code == "serves_any_industry":
        return gettext("Serves every industry: %(items)s") % {"items": items}
    if code == "related_industries":
        # Reasons stored before they named the industries have none to name.
        if not items:
            return gettext("Related industries")
        return gettext("Related industries: %(items)s") % {"items": items}
    if code == "they_offer_what_you_seek":
        return gettext("Offers what you look for: %(items)s") % {"items": items}
    if code == "you_offer_what_they_seek":
        return gettext("Looks for what you offer: %(items)s") % {"items": items}
    if code == "fits_what_you_look_for":
        return gettext("Can be your %(items)s") % {"items": items}
    if code == "you_fit_what_they_look_for":
        return gettext("You can be their %(items)s") % {"items": items}
    if code == "certifications_met":
        return gettext("Certification requirements met: %(items)s") % {"items": items}
    if code == "similar_descriptions":
        return gettext("Similar descriptions (%(percent)s%% text similarity)") % {
            "percent": round(reason["value"] * 100)
        }
    if code == "shared_topics":
        return gettext("Both descriptions speak of: %(items)s") % {"items": items}
    if code == "common_language":
        languages = join_list(gettext(LANGUAGE_NAMES.get(slug, slug)) for slug in reason.get("slugs", []))
        return gettext("Common working language: %(languages)s") % {"languages": languages}
    if code == "needs_interpreter":
        return gettext("No common working language: an interpreter will be needed")
    if code == "partner_readiness":
        return gettext("Diagnosed by a Shindan consultant: readiness %(score)s/100") % {
            "score": round(reason["value"])
        }
    if code == OWN_READINESS:
        return gettext("Your Shindan readiness: %(score)s/100") % {"score": round(reason["value"])}
    if code == "eec":
        sides = reason.get("sides", ["partner"])  # lists before the sides were named: said of the partner
        if sides == ["you"]:
            return gettext("Your company is in the Eastern Economic Corridor (EEC)")
        if sides == ["you", "partner"]:
            return gettext("Both companies are in the Eastern Economic Corridor (EEC)")
        return gettext("Located in the Eastern Economic Corridor (EEC)")
    return code


def render_reasons(reasons: list[dict]) -> list[str]:
    return [render_reason(reason) for reason in reasons]


def proposal_reasons(proposal, *, viewer_id: int) -> list[dict]:
    """A proposal's reasons as the company ``viewer_id`` (either side of the pair) reads them.

    A proposal is written from its ``company``'s side; events show a pair from whichever side's proposal
    exists, so every page, file, e-mail and API that shows reasons to a company goes through here."""
    return reasons_seen_by(
        proposal.reasons, owner_id=proposal.company_id, partner_id=proposal.partner_id, viewer_id=viewer_id
    )


def render_proposal_reasons(proposal, *, viewer_id: int) -> list[str]:
    """``proposal_reasons`` in the active language."""
    return render_reasons(proposal_reasons(proposal, viewer_id=viewer_id))


# The viewer's own Shindan readiness: the same on every card of a list, which says it once above them.
OWN_READINESS = "your_readiness"


def own_readiness_apart(reasons: list[dict]) -> tuple[list[dict], dict | None]:
    """``reasons`` without the viewer's own readiness, and that reason (None when there is none)."""
    own = next((reason for reason in reasons if reason["code"] == OWN_READINESS), None)
    return [reason for reason in reasons if reason["code"] != OWN_READINESS], own


def is_warning(reason: dict) -> bool:
    return reason["code"] in {"partner_lacks_certifications", "you_lack_certifications", "needs_interpreter"}
