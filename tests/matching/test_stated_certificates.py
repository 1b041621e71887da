"""Certificates stated in text: shown as "stated, not verified", verified by a coordinator in one click."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import InferenceOverride
from matching.reasons import reasons_for
from matching.reasons_text import render_reason
from matching.scoring import CompanyFeatures
from portal.companies.models import CompanyCertification
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, add_certificate, link_terms

pytestmark = pytest.mark.django_db

TEXT = "บริษัทรับกลึงชิ้นงานไทเทเนียมด้วยเครื่อง CNC 5 แกน ได้รับการรับรอง ISO 13485:2016 แล้ว"


@pytest.fixture
def shop():
    return CompanyFactory(country="TH", description_th=TEXT)


def _verify_url(company, slug="iso-13485"):
    return reverse("matching:verify_stated_certificate", args=[company.pk, slug])


def _next_year():
    return (timezone.localdate() + datetime.timedelta(days=365)).isoformat()


def test_the_page_shows_the_stated_certificate_to_members_with_its_words(client, shop):
    client.force_login(MembershipFactory(company=shop).user)
    html = client.get(reverse("companies:detail", args=[shop.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "stated, not verified" in html
    assert "ได้รับการรับรอง ISO 13485:2016" in html  # quoted as written, not as normalised for reading
    assert "Verify the certificate" not in html  # members cannot verify their own claims
    assert "Five-axis" in html or "5-axis" in html or "five-axis" in html.lower()


def test_a_coordinator_verifies_it_in_one_click(client, shop):
    client.force_login(UserFactory(role="coordinator"))
    page = client.get(reverse("companies:detail", args=[shop.pk])).content.decode()
    assert "Verify the certificate" in page

    response = client.post(_verify_url(shop), {"iso-13485-expires_on": _next_year()})

    assert response.status_code == 302
    certificate = CompanyCertification.objects.get(company=shop)
    assert (certificate.certification.slug, certificate.expires_on.isoformat()) == ("iso-13485", _next_year())
    page = client.get(reverse("companies:detail", args=[shop.pk])).content.decode()
    assert "stated, not verified" not in page


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_others_cannot_verify(client, shop, role):
    user = MembershipFactory(company=shop).user if role == "member" else UserFactory()
    client.force_login(user)
    response = client.post(_verify_url(shop), {"iso-13485-expires_on": _next_year()})
    assert response.status_code == 404
    assert not CompanyCertification.objects.exists()


def test_anonymous_is_sent_to_log_in(client, shop):
    response = client.post(_verify_url(shop), {"iso-13485-expires_on": _next_year()})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not CompanyCertification.objects.exists()


@pytest.mark.parametrize(
    ("slug", "expires_on"),
    [("iso-13485", "2001-01-01"), ("as9100", "2099-01-01"), ("iso-13485", "not a date")],
)
def test_bad_input_changes_nothing(client, shop, slug, expires_on):
    client.force_login(UserFactory(role="coordinator"))
    response = client.post(_verify_url(shop, slug), {f"{slug}-expires_on": expires_on}, follow=True)
    assert response.status_code == 200
    assert not CompanyCertification.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_an_expired_certificate_is_renewed(client, shop):
    add_certificate(shop, "iso-13485", expires_on=datetime.date(2020, 1, 1))
    client.force_login(UserFactory(role="coordinator"))
    client.post(_verify_url(shop), {"iso-13485-expires_on": _next_year()})
    assert CompanyCertification.objects.get(company=shop).expires_on.isoformat() == _next_year()


def test_a_certificate_held_under_an_equivalent_name_is_not_unverified():
    from matching.understanding.selectors import stated_certificates

    maker = CompanyFactory(country="JP", description_en="Precision machining in Aichi; JIS Q 9100 certified.")
    assert [item.term.slug for item in stated_certificates(maker)] == ["as9100"]

    add_certificate(maker, "jis-q-9100", expires_on=timezone.localdate() + datetime.timedelta(days=30))
    assert stated_certificates(maker) == []


def test_reasons_say_stated_not_verified():
    buyer = CompanyFeatures(id=1, requires=frozenset({"iso-13485"}))
    stated = CompanyFeatures(id=2, stated=frozenset({"iso-13485"}))
    reasons = reasons_for(buyer, stated, {})
    assert [r["code"] for r in reasons][:1] == ["partner_states_certifications"]
    assert "partner_lacks_certifications" not in [r["code"] for r in reasons]
    assert "stated, not verified" in render_reason(reasons[0])


# ---- The company confirms or removes what was inferred (overrides inference) ---------------------------
def _override(client, company, **data):
    return client.post(reverse("matching:inference_override", args=[company.pk]), data, follow=True)


def _features(company):
    from matching.features import load_features

    return load_features(ids=[company.pk])[0]


def test_the_owner_removes_a_stated_certificate_and_matching_no_longer_counts_it(client, shop):
    assert _features(shop).stated == {"iso-13485"}
    client.force_login(MembershipFactory(company=shop).user)

    response = _override(client, shop, kind="held", slug="iso-13485", confirmed="0")

    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert InferenceOverride.objects.get(company=shop).confirmed is False
    assert _features(shop).stated == frozenset()
    assert "removed by the company" in response.content.decode()


def test_removing_an_inferred_leaf_takes_its_parent_unless_another_leaf_brings_it(client, shop):
    assert {"five-axis-machining", "cnc-machining"} <= _features(shop).capabilities
    client.force_login(UserFactory(role="coordinator"))
    _override(client, shop, kind="offers", slug="five-axis-machining", confirmed="0")
    capabilities = _features(shop).capabilities
    assert "five-axis-machining" not in capabilities
    assert "cnc-machining" not in capabilities


def test_a_confirmed_item_is_no_longer_marked_inferred(client, shop):
    assert "five-axis-machining" in _features(shop).inferred
    client.force_login(MembershipFactory(company=shop).user)
    _override(client, shop, kind="offers", slug="five-axis-machining", confirmed="1")
    assert "five-axis-machining" not in _features(shop).inferred
    assert "five-axis-machining" in _features(shop).capabilities


@pytest.mark.parametrize("who", ["plain member", "outsider"])
def test_others_cannot_override(client, shop, who):
    user = MembershipFactory(company=shop, role="member").user if who == "plain member" else UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("matching:inference_override", args=[shop.pk]),
        {"kind": "held", "slug": "iso-13485", "confirmed": "0"},
    )
    assert response.status_code == 404
    assert not InferenceOverride.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "held", "slug": "as9100", "confirmed": "0"},  # not inferred
        {"kind": "wishes", "slug": "iso-13485", "confirmed": "0"},  # unknown kind
        {"kind": "held", "slug": "iso-13485"},  # no answer
    ],
)
def test_bad_overrides_change_nothing(client, shop, data):
    client.force_login(MembershipFactory(company=shop).user)
    response = _override(client, shop, **data)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not InferenceOverride.objects.exists()


def test_a_diagnosed_company_carries_its_readiness_into_matching(shop):
    from shindan.selectors import readiness_for_companies
    from tests.shindan.helpers import reported_diagnosis

    reported_diagnosis(shop)
    expected = float(readiness_for_companies([shop.pk])[shop.pk].score)
    assert _features(shop).readiness == expected
    assert _features(CompanyFactory(country="JP")).readiness is None


def test_a_need_postings_title_counts_as_sought_in_matching_and_on_the_page(client):
    from matching.features import load_features
    from matching.understanding.selectors import inferred_items
    from tests.deals.helpers import need

    maker = CompanyFactory(country="JP", description_en="Precision machining of airframe parts in Aichi.")
    need(maker, title="AS9100 5-axis machining subcontractor in the EEC")

    (features,) = load_features(ids=[maker.pk])
    assert "five-axis-machining" in features.seeks
    assert "five-axis-machining" not in features.capabilities
    assert "as9100" in features.requires
    assert [
        (item.kind, item.term.slug)
        for item in inferred_items(maker)
        if item.term.slug == "five-axis-machining"
    ] == [("seeks", "five-axis-machining")]


TEXT_ONLY_TH = (
    "บริษัทของเรารับจ้างฉีดพลาสติกและผลิตแม่พิมพ์สำหรับชิ้นส่วนเครื่องมือแพทย์ มีห้องสะอาดสำหรับประกอบชิ้นงาน\nต้องการหาลูกค้าญี่ปุ่น"
)


def test_the_page_shows_the_capabilities_matching_reads_in_a_text_only_profile(client):
    """A company that ticked nothing: the capabilities the glossary reads in what it offers count for
    matching, so its page says so, with the words, and its owner can remove one."""
    company = CompanyFactory(country="TH", description_th=TEXT_ONLY_TH)
    assert {"injection-molding", "die-and-mold", "cleanroom-assembly"} <= _features(company).capabilities
    from matching.understanding.selectors import inferred_items

    offers = {item.term.slug: item.words for item in inferred_items(company) if item.kind == "offers"}
    assert set(offers) == {"injection-molding", "die-and-mold", "cleanroom-assembly"}
    assert offers["cleanroom-assembly"] == "…มีห้องสะอาดสำหรับประกอบชิ้นงาน"  # within its line, as written
    assert offers["injection-molding"].startswith("บริษัทของเรารับจ้างฉีดพลาสติก")
    client.force_login(MembershipFactory(company=company).user)
    page = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Injection molding" in page.content.decode()

    response = _override(client, company, kind="offers", slug="injection-molding", confirmed="0")

    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert "injection-molding" not in _features(company).capabilities


# ---- What a newcomer who only wrote text is shown (December walk) -------------------------------------
LONG_THAI = (
    "เราเป็นโรงงานฉีดพลาสติกขนาดกลางในจังหวัดชลบุรี ออกแบบและผลิตแม่พิมพ์เองภายในโรงงาน "
    "เชี่ยวชาญชิ้นส่วนพลาสติกสำหรับอุปกรณ์การแพทย์ ได้รับการรับรอง ISO 13485 และ ISO 9001:2015 "
    "ห้องสะอาด Class 8 กำลังมองหาพันธมิตรญี่ปุ่นด้านเทคโนโลยีแม่พิมพ์ความแม่นยำสูง"
)


def test_the_quote_of_a_long_thai_clause_names_the_certificate_and_its_cue():
    from matching.understanding.certificates import QUOTE_LENGTH
    from matching.understanding.reading import read

    evidence = read(LONG_THAI, "TH").evidence
    # The clause runs for 150 characters before the first certificate: cut around it, not after 120.
    assert evidence["held:iso-13485"].endswith("ได้รับการรับรอง iso 13485")
    assert evidence["held:iso-13485"].startswith("…")
    # A list's later item is quoted from the list's first item, with the cue that speaks of both.
    assert "ได้รับการรับรอง iso 13485 และ iso 9001:2015" in evidence["held:iso-9001"]
    assert all(len(words) <= QUOTE_LENGTH + 2 for words in evidence.values())


def test_a_partner_for_technology_with_a_country_between_is_a_technology_partner():
    from matching.understanding.reading import read

    reading = read(LONG_THAI, "TH")
    assert reading.looking_for == {"technology-partner"}  # not the default "supplier"
    assert reading.seeks == {"die-and-mold"}


def test_the_owner_of_a_verified_company_is_told_to_add_what_the_text_only_states(client):
    company = CompanyFactory(country="TH", description_th=LONG_THAI)
    client.force_login(MembershipFactory(company=company).user)
    html = client.get(
        reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "ได้รับการรับรอง ISO 13485" in html  # the quote shows the certificate as written
    assert "a coordinator checks the certificates during vetting" not in html  # vetting is over
    assert "add these certificates with their expiry dates to your profile" in html
    assert reverse("companies:edit", args=[company.pk, "capabilities"]) in html


def test_a_coordinator_is_not_given_the_owners_next_steps(client):
    company = CompanyFactory(country="TH", description_th=LONG_THAI, verification_status="pending")
    client.force_login(UserFactory(role="coordinator"))
    html = client.get(
        reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Verify the certificate" in html
    assert "add these certificates" not in html
    assert "upload or show them when asked" not in html


def test_an_impossible_date_says_why_and_changes_nothing(client, shop):
    client.force_login(UserFactory(role="coordinator"))
    response = client.post(
        _verify_url(shop), {"iso-13485-expires_on": "31/02/2030"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith("Valid until: ")
    assert "no such date" in message.lower()
    assert not CompanyCertification.objects.exists()
    response = client.post(
        _verify_url(shop), {"iso-13485-expires_on": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Enter the date until which the certificate is valid."
    ]


def test_a_coordinator_reads_the_company_page_without_the_owners_next_steps(client):
    company = CompanyFactory(country="TH", description_th=LONG_THAI)
    owner = MembershipFactory(company=company, role="owner").user
    url = reverse("companies:detail", args=[company.pk])
    client.force_login(owner)
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add your products and technologies" in html
    assert "tick the industries, capabilities, certificates and partner types" in html

    client.force_login(UserFactory(role="coordinator"))
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add your products and technologies" not in html
    assert "This company shows no product yet." in html
    assert "tick the industries, capabilities, certificates and partner types" not in html


def test_the_page_shows_the_industries_matching_counts_beyond_the_declared_ones(client):
    """A partner's card says "same industry: medical devices (read from the text)": the company's own page
    says where it comes from, with the way to declare it; a declared industry is not repeated."""
    company = CompanyFactory(country="TH", description_th=LONG_THAI)
    from matching.understanding.selectors import inferred_industries

    assert [industry.slug for industry in inferred_industries(company)] == ["medical-devices"]
    client.force_login(MembershipFactory(company=company).user)

    html = client.get(
        reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    panel = html[html.index('id="text-reading-heading"') :]
    assert "<h3>Industries counted for matching</h3>" in panel
    assert "<strong>Medical devices</strong>" in panel
    assert reverse("companies:edit", args=[company.pk, "capabilities"]) in panel
    link_terms(company, industries=["medical-devices"])
    assert inferred_industries(company) == []


def test_the_industries_read_in_a_products_text_are_shown_too_and_a_products_own_are_declared():
    """Matching reads the shown products' texts and counts their industries as the company's own: the
    page's list follows it (a card said "read from the text" while the page showed nothing)."""
    from matching.understanding.selectors import inferred_industries
    from portal.showcase.services import product_create

    company = CompanyFactory(country="TH")
    product = product_create(company=company, name_th="ชิ้นส่วน", description_th=LONG_THAI)

    assert [industry.slug for industry in inferred_industries(company)] == ["medical-devices"]
    from portal.taxonomy.models import Industry

    product.industries.add(Industry.objects.get(slug="medical-devices"))
    assert inferred_industries(company) == []
