"""Steps that several journeys share, written as a person would do them."""

import re

from allauth.account.forms import LoginForm, SignupForm
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import PASSWORD

LINK = re.compile(r"https?://\S+")


def t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def label(text: str) -> re.Pattern:
    """A field label as rendered (Django may add a colon)."""
    return re.compile(rf"^{re.escape(text)}:?$")


def form_labels(language: str, form_class) -> dict[str, re.Pattern]:
    with translation.override(language):
        form = form_class() if form_class is SignupForm else form_class(request=None)
        return {name: label(str(field.label)) for name, field in form.fields.items()}


def sign_up_and_verify(page, live_server, mailoutbox, *, email: str, language: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=t(language, "Sign up"), exact=True).click()
    signup = form_labels(language, SignupForm)
    page.get_by_label(signup["email"]).fill(email)
    page.get_by_label(signup["password1"]).fill(PASSWORD)
    page.get_by_label(signup["password2"]).fill(PASSWORD)
    accept_required_consents(page, language)
    page.get_by_role("button", name=t(language, "Sign Up")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Verify Your Email Address"))
    page.goto(LINK.search(mailoutbox[-1].body).group(0))
    page.get_by_role("button", name=t(language, "Confirm")).click()
    # Confirming signs the new user in and leads to the next step: registering a company.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Register your company"))


def accept_required_consents(page, language: str) -> None:
    from portal.privacy.models import REQUIRED_PURPOSES

    with translation.override(language):
        for purpose in REQUIRED_PURPOSES:
            page.get_by_label(label(str(purpose.label))).check()


def log_in(page, live_server, *, email: str, language: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/accounts/login/")
    login = form_labels(language, LoginForm)
    page.get_by_label(login["login"]).fill(email)
    page.get_by_label(login["password"]).fill(password)
    page.get_by_role("button", name=t(language, "Sign In")).click()
    # The dashboard greets a user with a role; a user without a company is sent to register one.
    landing = f"{re.escape(t(language, 'Welcome'))}|^{re.escape(t(language, 'Register your company'))}$"
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(landing))
