"""A Japanese member sees a Thai partner with reasons in Japanese, shows interest and asks for an
introduction; a coordinator introduces them; both then see each other's contacts."""

import re

from playwright.sync_api import expect

from matching import services
from portal.accounts.models import Role
from portal.companies.models import CompanyContact
from tests.e2e.helpers import label, log_in, t
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, add_certificate, link_terms


def test_japanese_member_to_introduction_and_contacts(live_server, new_page):
    buyer = CompanyFactory(
        country="JP", name_en="Kato Medical", name_ja="加藤メディカル", languages="ja", currency="JPY"
    )
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"], requires=["iso-13485"])
    molder = CompanyFactory(name_en="Siam Molding", name_th="สยามโมลดิ้ง", languages="th,en")
    link_terms(molder, industries=["medical-devices"], capabilities=["injection-molding"])
    add_certificate(molder, "iso-13485")
    CompanyContact.objects.create(company=molder, name="Somchai", email="somchai@siam-molding.example")
    CompanyContact.objects.create(company=buyer, name="加藤", email="kato@kato-medical.example")
    japanese = MembershipFactory(company=buyer, user__language="ja").user
    thai = MembershipFactory(company=molder, user__language="th").user
    coordinator = UserFactory(role=Role.COORDINATOR, language="en")
    services.run_full_inline()

    # The Japanese member sees the Thai molder with reasons in Japanese, and acts on it.
    page = new_page(locale="ja-JP")
    log_in(page, live_server, email=japanese.email, language="ja")
    page.get_by_role("navigation", name=t("ja", "Main")).get_by_role(
        "link", name=t("ja", "Recommended partners")
    ).click()
    card = page.get_by_role("article", name="Siam Molding")
    expect(card).to_contain_text(t("ja", "Offers what you look for: %(items)s") % {"items": "射出成形"})
    card.get_by_role("button", name=t("ja", "Interested"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("ja", "Saved. Coordinators see mutual interest and can introduce you.")
    )
    page.get_by_role("article", name="Siam Molding").get_by_role(
        "button", name=t("ja", "Request an introduction")
    ).click()
    expect(page.get_by_role("article", name="Siam Molding")).to_contain_text(t("ja", "Requested"))

    # A coordinator introduces them.
    desk = new_page(locale="en-US")
    log_in(desk, live_server, email=coordinator.email, language="en")
    desk.get_by_role("link", name="Introductions", exact=True).click()
    desk.get_by_role("row", name=re.compile("Siam Molding")).get_by_role("link", name="Requested").click()
    desk.get_by_label(label("Stage")).select_option("introduced")
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_text("The introduction is updated.")).to_be_visible()

    # Both now see the other's contacts.
    page.goto(f"{live_server.url}/directory/{molder.pk}/")
    expect(page.get_by_role("link", name="somchai@siam-molding.example")).to_be_visible()
    other = new_page(locale="th-TH")
    log_in(other, live_server, email=thai.email, language="th")
    other.goto(f"{live_server.url}/directory/{buyer.pk}/")
    expect(other.get_by_role("link", name="kato@kato-medical.example")).to_be_visible()

    # The Japanese member follows the introduction's stage on their own introductions page.
    navigation = page.get_by_role("navigation", name=t("ja", "Main"))
    navigation.get_by_role("link", name=t("ja", "Dashboard")).click()
    page.get_by_role("main").get_by_role("link", name=t("ja", "Your introductions")).click()
    expect(page.get_by_role("article", name="Siam Molding")).to_contain_text(t("ja", "Introduced"))
