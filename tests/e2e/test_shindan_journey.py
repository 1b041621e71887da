"""A consultant signs in with a second factor, diagnoses an assigned company (scores, two years of
statements, findings and an action), reports it and downloads the PDF; the owner then reads the report
in Thai with Buddhist Era dates."""

import datetime
import re
import time

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.models import Role
from shindan import services
from shindan.models import Assignment, Diagnosis, Stage
from tests.e2e.helpers import label, log_in, t
from tests.factories import PASSWORD, CompanyFactory, MembershipFactory, UserFactory
from tests.shindan.helpers import items


def _code(secret: str) -> str:
    # A code typed in the last seconds of its 30-second period may arrive after it (a loaded CI machine):
    # wait for a fresh period then.
    left = 30 - time.time() % 30
    if left < 8:
        time.sleep(left + 0.5)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_consultant_diagnoses_and_owner_reads_the_thai_report(live_server, new_page, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    company = CompanyFactory(name_en="Siam Precision Mold", name_th="สยามพรีซิชั่นโมลด์", languages="th,en")
    owner = MembershipFactory(company=company, user__language="th").user
    consultant = UserFactory(role=Role.CONSULTANT, language="en", first_name="Somchai", last_name="Wongsa")
    secret = generate_totp_secret()
    TOTP.activate(consultant, secret)
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2026, 1, 1))

    # Sign in with password, then the authenticator code.
    page = new_page(locale="en-US")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(label("Email")).fill(consultant.email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label(label("Code")).fill(_code(secret))
    page.get_by_role("button", name="Sign In").click()

    # The workspace lists the assigned company; start a diagnosis.
    page.get_by_role("link", name="Shindan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultant workspace")
    page.get_by_role("row", name=re.compile("Siam Precision Mold")).get_by_role(
        "link", name="New diagnosis"
    ).click()
    page.get_by_label(label("Purpose and scope")).fill("Readiness for a Japanese medical-device partner.")
    page.get_by_role("button", name="Create the diagnosis").click()
    expect(page.get_by_text("The diagnosis was created.")).to_be_visible()
    diagnosis = Diagnosis.objects.get(company=company)

    # Score production items: autosave says when the scores are stored, keyboard only for the second.
    page.get_by_role("navigation", name="Diagnosis sections").get_by_role(
        "link", name=re.compile("^Production")
    ).click()
    groups = page.locator("fieldset.score-group")
    groups.nth(0).get_by_label("4", exact=True).check()
    expect(page.locator("[data-save-state]")).to_have_text("All changes saved")
    groups.nth(1).get_by_label("3", exact=True).focus()
    page.keyboard.press("ArrowRight")  # 3 → 4 inside the radio group
    expect(groups.nth(1).get_by_label("4", exact=True)).to_be_checked()
    expect(page.locator("[data-save-state]")).to_have_text("All changes saved")
    groups.nth(2).get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_text("Scores saved.")).to_be_visible()
    diagnosis.refresh_from_db()
    assert diagnosis.area_scores == {"PRODUCTION": "83.3"}  # mean 4.33 → (4.33 − 1) / 4 × 100

    # Two years of statements, the first typed as a Buddhist Era year.
    page.get_by_role("link", name="Financial statements").click()
    for year, sales, profit in (("2567", "120000", "6000"), ("2025", "138000", "8300")):
        page.get_by_label(label("Fiscal year")).fill(year)
        page.get_by_label(label("Currency")).select_option("THB")
        page.get_by_label(label("Sales")).fill(sales)
        page.get_by_label(label("Ordinary profit")).fill(profit)
        page.get_by_label(label("Total assets")).fill("90000")
        page.get_by_label(label("Equity"), exact=True).fill("36000")
        page.get_by_role("button", name="Save statement").click()
        expect(page.get_by_text("Statement saved.")).to_be_visible()
    ratios = page.locator("table.ratios")
    expect(ratios.get_by_role("row", name=re.compile("^Ordinary profit margin"))).to_contain_text("5.0%")
    expect(ratios.get_by_role("row", name=re.compile("^Sales growth"))).to_contain_text("15.0%")

    # A finding and an action.
    page.get_by_role("link", name="Findings and actions").click()
    findings = page.locator("form", has=page.locator("input[name=kind][value=finding]"))
    findings.get_by_label(label("Kind")).select_option("weakness")
    findings.get_by_label(label("Area")).select_option("PRODUCTION")
    findings.get_by_label(label("Finding")).fill("Changeovers take 90 minutes on the main presses.")
    findings.get_by_role("button", name="Add finding").click()
    expect(page.get_by_role("cell", name="Changeovers take 90 minutes on the main presses.")).to_be_visible()
    actions = page.locator("form", has=page.locator("input[name=kind][value=action]"))
    actions.get_by_label(label("What")).fill("SMED workshop on presses 3 and 4")
    actions.get_by_label(label("Who")).fill("Production manager")
    actions.get_by_label(label("By when")).fill("2027-03-31")
    actions.get_by_label(label("KPI")).fill("Changeover ≤ 30 min")
    actions.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("cell", name="SMED workshop on presses 3 and 4")).to_be_visible()

    # Move it on, one obvious step at a time; the report cannot be issued with most of the checklist open.
    page.get_by_role("link", name="Overview", exact=True).click()
    for stage in ("Pre-survey", "Site visit", "Analysis", "Reporting"):
        page.get_by_role("button", name=f"Move on to “{stage}”").click()
        expect(page.get_by_text(f"The diagnosis moved on to “{stage}”.")).to_be_visible()
    missing = page.locator("#report-missing")
    expect(missing).to_contain_text("Strategy: 6 of 6 items are not scored yet (a score or N/A).")
    expect(missing).to_contain_text("Production: 7 of 10 items are not scored yet (a score or N/A).")
    expect(missing).to_contain_text("Add at least one recommendation.")
    expect(page.get_by_role("button", name="Issue the report")).to_have_count(0)

    # The rest of the checklist was scored on site (the scoring pages are exercised above); the consultant
    # writes the report's sections and a recommendation, then issues it.
    open_items = [item for item in items(diagnosis.checklist) if item.area.code != "PRODUCTION"]
    services.item_scores_save(
        actor=consultant, diagnosis=diagnosis, entries=[{"item": i, "value": "3"} for i in open_items]
    )
    services.item_scores_save(
        actor=consultant,
        diagnosis=diagnosis,
        entries=[{"item": i, "value": "4"} for i in items(diagnosis.checklist, "PRODUCTION")[3:]],
    )
    page.reload()
    for field, text in (
        ("Methods", "Questionnaire, interviews and a factory walk."),
        ("Company overview", "A family-owned moulder with 80 employees."),
        ("External analysis", "Japanese medical firms look for Thai suppliers."),
        ("Overall conclusion", "Solid production; changeovers must get faster."),
        ("Follow-up plan", "Visits after three and six months."),
    ):
        page.get_by_label(label(field)).fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("link", name="Findings and actions").click()
    recommendations = page.locator("form", has=page.locator("input[name=kind][value=recommendation]"))
    recommendations.get_by_label(label("Area")).select_option("PRODUCTION")
    recommendations.get_by_label(label("Recommendation")).fill("Run a SMED project on presses 3 and 4.")
    recommendations.get_by_role("button", name="Add recommendation").click()
    page.get_by_role("link", name="Overview", exact=True).click()
    expect(page.locator("#report-missing")).to_have_count(0)
    page.get_by_role("button", name="Issue the report").click()
    expect(page.get_by_text("The report is issued: the company's members can read it now.")).to_be_visible()
    diagnosis.refresh_from_db()
    assert diagnosis.stage == Stage.REPORTED

    # The PDF report.
    page.get_by_role("link", name="Report", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The owner reads it in Thai, with the B.E. year.
    owner_page = new_page(locale="th-TH")
    log_in(owner_page, live_server, email=owner.email, language="th")
    owner_page.locator(".site-nav summary", has_text=t("th", "My account")).click()  # the header's menu
    owner_page.get_by_role("link", name=t("th", "Diagnosis reports")).click()
    owner_page.get_by_role("link", name=t("th", "Read the report")).click()
    report = owner_page.locator("article.report")
    expect(report).to_contain_text("สยามพรีซิชั่นโมลด์")
    expect(report).to_contain_text(str(timezone.localdate().year + 543))
    expect(report).to_contain_text(t("th", "Action plan"))
    expect(report).to_contain_text("SMED workshop on presses 3 and 4")
