"""A Thai visitor signs up, verifies the e-mail (which signs them in and leads to registering a company),
switches to Japanese and logs out."""

import re

from allauth.account.forms import SignupForm
from django.utils import translation
from playwright.sync_api import expect

from portal.accounts.models import User
from tests.e2e.helpers import accept_required_consents
from tests.e2e.signed_in import tp
from tests.factories import PASSWORD

LINK = re.compile(r"https?://\S+")


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _labels(language: str, form_class) -> dict[str, re.Pattern]:
    """The form's field labels in ``language`` as rendered (Django may add a colon)."""
    with translation.override(language):
        form = form_class()
        return {
            name: re.compile(rf"^{re.escape(str(field.label))}:?$") for name, field in form.fields.items()
        }


def test_thai_signup_verify_login_switch_to_japanese_logout(live_server, new_page, mailoutbox):
    page = new_page(locale="th-TH")
    email = "somchai@example.co.th"

    # The home page greets a Thai browser in Thai.
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _t("th", "Find your partner across Thailand and Japan")
    )

    # Sign up.
    page.get_by_role("link", name=_t("th", "Sign up"), exact=True).click()
    signup = _labels("th", SignupForm)
    page.get_by_label(signup["email"]).fill(email)
    page.get_by_label(signup["password1"]).fill(PASSWORD)
    page.get_by_label(signup["password2"]).fill(PASSWORD)
    accept_required_consents(page, "th")
    page.get_by_role("button", name=_t("th", "Sign Up")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("th", "Verify Your Email Address"))
    assert User.objects.get(email=email).language == "th"

    # Verify the address from the outbox (the e-mail is in Thai).
    assert len(mailoutbox) == 1
    assert _t("th", "Please Confirm Your Email Address") in mailoutbox[0].subject
    page.goto(LINK.search(mailoutbox[0].body).group(0))
    page.get_by_role("button", name=_t("th", "Confirm")).click()

    # Signed in at once, and sent to the next step: registering the company. The dashboard greets them.
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("th", "Register your company"))
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("th", "Welcome"))

    # Switch to Japanese with the switcher on the page: the page and the saved preference change.
    page.get_by_label(_t("th", "Language"), exact=True).select_option("ja")
    page.get_by_role("button", name=tp("th", "apply the chosen language", "Switch")).click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text(_t("ja", "Welcome"))
    assert User.objects.get(email=email).language == "ja"

    # Log out: back to the public navigation, still in Japanese.
    page.locator(".site-nav summary", has_text=_t("ja", "My account")).click()
    page.get_by_role("button", name=_t("ja", "Log out")).click()
    navigation = page.get_by_role("navigation", name=_t("ja", "Main"))
    expect(navigation.get_by_role("link", name=_t("ja", "Log in"), exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
