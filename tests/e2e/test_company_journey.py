"""A Thai SME registers its company, a coordinator verifies it, a Japanese visitor finds it."""

from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.companies.models import Company
from portal.taxonomy.models import Capability, Industry
from tests.e2e.helpers import label, log_in, sign_up_and_verify, t
from tests.factories import UserFactory

COMPANY_EN = "Chon Buri Cleanroom Molding Co., Ltd."
COMPANY_TH = "บริษัท ชลบุรีคลีนรูมโมลดิ้ง จำกัด"


def test_thai_company_is_registered_verified_and_found_in_japanese_and_english(
    live_server, new_page, mailoutbox
):
    coordinator = UserFactory(role=Role.COORDINATOR, language="th")

    # A Thai visitor signs up and registers the company in four steps, in Thai.
    page = new_page(locale="th-TH")
    email = "napat@cbcm.example"
    sign_up_and_verify(page, live_server, mailoutbox, email=email, language="th")  # signed in, on "register"
    page.get_by_label(label(t("th", "Country"))).first.select_option("TH")
    page.get_by_label(label(t("th", "Registration number"))).first.fill("0105536112014")
    page.get_by_label(label(t("th", "Company name in English"))).fill(COMPANY_EN)
    page.get_by_label(label(t("th", "Company name in Thai"))).fill(COMPANY_TH)
    page.get_by_role("button", name=t("th", "Register and continue")).click()

    page.get_by_label(label(t("th", "Province or prefecture"))).select_option("TH-20")
    page.get_by_label(label(t("th", "Employees"))).fill("45")
    page.get_by_label(label(t("th", "Year founded"))).fill("2545")
    page.get_by_role("button", name=t("th", "Save and continue")).click()

    page.get_by_label(Industry.objects.get(slug="medical-devices").name_th, exact=True).check()
    page.get_by_label(Capability.objects.get(slug="injection-molding").name_th, exact=True).first.check()
    page.get_by_label(t("th", "Thai"), exact=True).check()
    page.get_by_role("button", name=t("th", "Save and continue")).click()

    page.get_by_label(label(t("th", "Description in Thai"))).fill("รับฉีดพลาสติกชิ้นส่วนเครื่องมือแพทย์ในห้องสะอาด")
    page.get_by_label(label(t("th", "Contact person"))).fill("Napat Chaiyaporn")
    page.get_by_role("button", name=t("th", "Save the profile")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY_TH)
    expect(page.get_by_text(t("th", "Pending review"))).to_be_visible()
    company = Company.objects.get(registration_no="0105536112014")
    assert (company.founded_year, company.verification_status) == (2002, "pending")

    # A coordinator verifies it from the vetting queue.
    desk = new_page(locale="th-TH")
    log_in(desk, live_server, email=coordinator.email, language="th")
    desk.get_by_role("link", name=t("th", "Vetting"), exact=True).click()
    card = desk.get_by_role("region", name=COMPANY_TH)
    card.get_by_label(t("th", "Verify"), exact=True).check()
    card.get_by_role("button", name=t("th", "Save the decision")).click()
    expect(
        desk.get_by_text(
            t("th", "Nothing to review. A company that registers appears here and on your dashboard.")
        )
    ).to_be_visible()

    # A Japanese visitor finds it by searching in Japanese, then in English.
    visitor = new_page(locale="ja-JP")
    visitor.goto(live_server.url + "/")
    visitor.get_by_role("link", name=t("ja", "Directory"), exact=True).click()
    for query in ["射出成形", "injection molding"]:
        visitor.get_by_role("combobox", name=label(t("ja", "Search"))).fill(query)
        visitor.get_by_role("button", name=t("ja", "Search"), exact=True).click()
        expect(visitor.get_by_role("link", name=COMPANY_EN)).to_be_visible()
    visitor.get_by_role("link", name=COMPANY_EN).click()
    expect(visitor.locator("html")).to_have_attribute("lang", "ja")
    expect(visitor.get_by_text("napat@cbcm.example")).to_have_count(0)
