"""A proposal's reasons read from either side of the pair (matching.reasons.reasons_seen_by)."""

import random

import pytest

from matching.reasons import reasons_for, reasons_seen_by
from matching.scoring import CompanyFeatures

CAPABILITIES = ("cnc-machining", "injection-molding", "surface-treatment", "pcb-assembly", "distribution")
INDUSTRIES = ("medical-devices", "robotics-automation", "food")
CERTIFICATIONS = ("iso-9001", "iso-13485", "as9100")
ROLES = ("supplier", "customer", "oem-partner", "distributor", "technology-partner", "investment-site")


def _some(rng: random.Random, values) -> frozenset[str]:
    return frozenset(value for value in values if rng.random() < 0.4)


def _company(rng: random.Random, pk: int) -> CompanyFeatures:
    capabilities = _some(rng, CAPABILITIES)
    industries = _some(rng, INDUSTRIES)
    return CompanyFeatures(
        id=pk,
        industries=industries,
        capabilities=capabilities,
        seeks=_some(rng, CAPABILITIES),
        looking_for=_some(rng, ROLES),
        roles=_some(rng, ROLES),
        requires=_some(rng, CERTIFICATIONS),
        holds=_some(rng, CERTIFICATIONS),
        languages=_some(rng, ("th", "ja", "en")),
        in_eec=rng.random() < 0.3,
        inferred=_some(rng, capabilities | industries),
    )


def test_reasons_seen_from_the_partner_side_equal_the_partners_own_reasons():
    rng = random.Random(13)
    for _pair in range(500):
        thai, japanese = _company(rng, 1), _company(rng, 2)
        components = {"industry": rng.choice([0.0, 0.3, 1.0]), "text": rng.choice([0.0, 0.1, 0.35])}
        written_for_thai = reasons_for(thai, japanese, components)

        seen_by_japanese = reasons_seen_by(written_for_thai, owner_id=1, partner_id=2, viewer_id=2)

        assert seen_by_japanese == reasons_for(japanese, thai, components), (thai, japanese)
        assert reasons_seen_by(written_for_thai, owner_id=1, partner_id=2, viewer_id=1) == written_for_thai


def test_what_each_side_offers_and_seeks_swaps_with_the_reader():
    thai = CompanyFeatures(id=1, capabilities=frozenset({"cnc-machining"}), seeks=frozenset({"pcb-assembly"}))
    japanese = CompanyFeatures(
        id=2, capabilities=frozenset({"pcb-assembly"}), seeks=frozenset({"cnc-machining"})
    )
    written_for_thai = reasons_for(thai, japanese, {})

    seen = reasons_seen_by(written_for_thai, owner_id=1, partner_id=2, viewer_id=2)

    assert seen[:2] == [
        {"code": "they_offer_what_you_seek", "slugs": ["cnc-machining"], "inferred": []},
        {"code": "you_offer_what_they_seek", "slugs": ["pcb-assembly"], "inferred": []},
    ]


def test_a_company_outside_the_pair_cannot_read_its_reasons():
    with pytest.raises(ValueError, match="neither side"):
        reasons_seen_by([], owner_id=1, partner_id=2, viewer_id=3)


@pytest.mark.django_db
def test_a_related_industry_is_named_from_either_side_without_jargon():
    from django.utils import translation

    from matching.reasons_text import render_reason

    molder = CompanyFeatures(id=1, industries=frozenset({"rubber-plastics"}))
    maker = CompanyFeatures(id=2, industries=frozenset({"medical-devices"}))
    reason = reasons_for(molder, maker, {"industry": 0.3})[0]
    assert reason == {"code": "related_industries", "slugs": ["medical-devices", "rubber-plastics"]}
    assert reasons_seen_by([reason], owner_id=1, partner_id=2, viewer_id=2) == [reason]
    with translation.override("en"):
        text = render_reason(reason)
        assert text.startswith("Related industries: ")
        assert "ISIC" not in text
        assert render_reason({"code": "related_industries"}) == "Related industries"  # stored before


@pytest.mark.parametrize(
    ("thai_in_eec", "japanese_in_eec", "thai_reads", "japanese_reads"),
    [
        (True, False, "Your company is in the Eastern Economic Corridor (EEC)",
         "Located in the Eastern Economic Corridor (EEC)"),
        (False, True, "Located in the Eastern Economic Corridor (EEC)",
         "Your company is in the Eastern Economic Corridor (EEC)"),
        (True, True, "Both companies are in the Eastern Economic Corridor (EEC)",
         "Both companies are in the Eastern Economic Corridor (EEC)"),
    ],
)  # fmt: skip
def test_the_eec_reason_says_which_company_is_there(thai_in_eec, japanese_in_eec, thai_reads, japanese_reads):
    from matching.reasons_text import render_reasons

    thai = CompanyFeatures(id=1, in_eec=thai_in_eec)
    japanese = CompanyFeatures(id=2, in_eec=japanese_in_eec)
    written = reasons_for(thai, japanese, {})
    assert thai_reads in render_reasons(written)
    seen = reasons_seen_by(written, owner_id=1, partner_id=2, viewer_id=2)
    assert japanese_reads in render_reasons(seen)
    assert seen == reasons_for(japanese, thai, {})


def test_a_list_written_before_the_sides_were_named_still_reads():
    from matching.reasons_text import render_reasons

    assert render_reasons([{"code": "eec"}]) == ["Located in the Eastern Economic Corridor (EEC)"]
