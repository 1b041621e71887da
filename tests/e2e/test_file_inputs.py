"""A file input speaks the page's language (js/portal.js), whatever the browser's: its button and "no file
chosen" are the portal's words, the chosen files' names show beside it, and the input keeps its label, its
focus and its form."""

from playwright.sync_api import expect

from deals.services.conversations import conversation_open
from tests.e2e.helpers import label, t
from tests.e2e.signed_in import signed_in_context
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


def test_the_logo_input_is_worded_in_the_page_language_and_shows_the_chosen_file(live_server, browser):
    company = CompanyFactory()
    owner = MembershipFactory(company=company, user=UserFactory(language="ja")).user
    context = signed_in_context(
        browser, live_server, owner, language="ja"
    )  # Chromium's own words are English
    page = context.new_page()
    page.goto(f"{live_server.url}/companies/{company.pk}/edit/profile/")

    logo = page.get_by_label(label(t("ja", "Logo")))  # still found by its own label, and only by it
    box = page.locator(".file-pick").filter(has=logo)
    expect(box.locator(".file-pick-button")).to_have_text(t("ja", "Choose file"))
    expect(box.locator(".file-pick-names")).to_have_text(t("ja", "No file chosen"))

    logo.set_input_files({"name": "logo-2026.png", "mimeType": "image/png", "buffer": b"\x89PNG"})
    expect(box.locator(".file-pick-names")).to_have_text("logo-2026.png")

    # the keyboard reaches the input itself (the button stands in front of it, out of the tab order)
    logo.focus()
    expect(logo).to_be_focused()
    assert box.locator(".file-pick-button").get_attribute("tabindex") == "-1"
    context.close()


def test_several_files_are_named_and_the_multiple_input_says_files(live_server, browser):
    thai = CompanyFactory()
    member = MembershipFactory(company=thai, user=UserFactory(language="th")).user
    conversation, _ = conversation_open(company=thai, partner=CompanyFactory(country="JP"), actor=member)
    context = signed_in_context(browser, live_server, member, language="th")
    page = context.new_page()
    page.goto(f"{live_server.url}/deals/c/{conversation.pk}/")

    files = page.get_by_label(label(t("th", "Attach files")))
    box = page.locator(".file-pick").filter(has=files)
    expect(box.locator(".file-pick-button")).to_have_text(t("th", "Choose files"))
    files.set_input_files(
        [
            {"name": "drawing-A12.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"},
            {"name": "spec.png", "mimeType": "image/png", "buffer": b"\x89PNG"},
        ]
    )
    expect(box.locator(".file-pick-names")).to_have_text("drawing-A12.pdf, spec.png")
    context.close()
