"""Django's and allauth's own strings in Thai and Japanese: the account forms with bad input, the password
rules, allauth's e-mails and the CSRF page leave no English sentence (portal/core/thirdparty_strings.py)."""

import html
import re

import polib
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["th", "ja"]
# Names that stay in Latin letters in every language.
PROPER_NAMES = re.compile(r"\b(?:SMRJ|SME|DIP|API|TOTP|J-GoodTech|English)\b")
# Three or more Latin words in a row (an e-mail address or a URL is at most two).
ENGLISH_SENTENCE = re.compile(r"[A-Za-z][A-Za-z’'-]+(?:[ ,–]+[A-Za-z][A-Za-z’'-]*){2,}")
VISIBLE_ATTRIBUTES = re.compile(r'\s(?:placeholder|aria-label|title|alt)="([^"]*)"')


def english_sentences(text: str) -> list[str]:
    """English sentences a reader would see in ``text`` (HTML or a plain e-mail)."""
    attributes = VISIBLE_ATTRIBUTES.findall(text)
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", "\n", text)
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    lines = [html.unescape(line) for line in [*text.splitlines(), *attributes]]
    return [match for line in lines for match in ENGLISH_SENTENCE.findall(PROPER_NAMES.sub(" ", line))]


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_english_sentence_detector_finds_sentences_and_spares_names():
    assert english_sentences("<p>This password is too common.</p>") == ["This password is too common"]
    assert english_sentences('<input placeholder="Enter your e-mail address">') == [
        "Enter your e-mail address"
    ]
    assert english_sentences("Hello from Thai–Japan SME Portal!") == ["Hello from Thai–Japan   Portal"]
    assert english_sentences("<p>รหัสผ่าน SMRJ × DIP · user@example.com http://127.0.0.1:8000/a/b</p>") == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("password1", "password2"),
    [
        ("12345", "12345"),  # too short, too common, entirely numeric
        ("password", "password"),  # too short, too common
        ("somchai.rakthai", "somchai.rakthai"),  # too similar to the e-mail address
        (PASSWORD, PASSWORD + "x"),  # not the same twice
    ],
)
def test_signup_form_with_bad_passwords_has_no_english(language, password1, password2):
    response = _client(language).post(
        reverse("account_signup"),
        {"email": "somchai.rakthai@example.com", "password1": password1, "password2": password2},
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert english_sentences(response.content.decode()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_rules_under_the_field_are_translated(language):
    response = _client(language).get(reverse("account_signup"))

    with translation.override(language):
        rules = password_validators_help_texts()
    with translation.override("en"):
        english = password_validators_help_texts()
    page = html.unescape(response.content.decode())
    assert len(rules) == 4
    for rule, original in zip(rules, english, strict=True):
        assert rule != original
        assert f"<li>{rule}</li>" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_change_with_bad_input_has_no_english(language):
    user = UserFactory(language=language)
    client = _client(language)
    client.force_login(user)

    wrong_old = client.post(
        reverse("account_change_password"), {"oldpassword": "wrong", "password1": "123", "password2": "1234"}
    )
    too_short = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "abcdefgh", "password2": "abcdefgh"},
    )

    for response in (wrong_old, too_short):
        assert 'class="errorlist' in response.content.decode()
        assert english_sentences(response.content.decode()) == []
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_pages_and_mails_have_no_english(language, mailoutbox):
    user = UserFactory(language=language, email="member@example.com")
    client = _client(language)

    invalid = client.post(reverse("account_reset_password"), {"email": "not-an-address"})
    client.post(reverse("account_reset_password"), {"email": "member@example.com"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    key = default_token_generator.make_token(user)
    url = reverse("account_reset_password_from_key", args=[user_pk_to_url_str(user), key])
    form_page = client.get(url, follow=True)
    bad_new = client.post(form_page.redirect_chain[-1][0], {"password1": "12345", "password2": "12345"})

    assert 'class="errorlist' in invalid.content.decode()
    assert 'class="errorlist' in bad_new.content.decode()
    for response in (invalid, form_page, bad_new):
        assert english_sentences(response.content.decode()) == []
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert english_sentences(message.subject) == []
        assert english_sentences(message.body) == []
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("language", LANGUAGES)
def test_csrf_failure_page_is_translated(language):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})

    assert response.status_code == 403
    assert _t(language, "The form expired") in response.content.decode()
    assert english_sentences(response.content.decode()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_our_catalogue_translates_the_django_strings_its_own_lacks(language):
    """Every msgid marked in portal/core/thirdparty_strings.py is in our catalogue, translated, and wins."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = [
        entry
        for entry in polib.pofile(str(path))
        if any(file == "portal/core/thirdparty_strings.py" for file, _line in entry.occurrences)
    ]

    assert len(entries) == 86
    assert [entry.msgid for entry in entries if not entry.translated()] == []
    with translation.override(language):
        for entry in entries:
            if entry.msgid_plural:
                assert translation.ngettext(entry.msgid, entry.msgid_plural, 5) != entry.msgid_plural
            else:
                assert translation.gettext(entry.msgid) != entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_confirmation_mail_has_no_english(language, mailoutbox):
    _client(language).post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_account": "on",
            "consent_transfer_japan": "on",
        },
    )

    assert len(mailoutbox) == 1
    assert english_sentences(mailoutbox[0].subject) == []
    assert english_sentences(mailoutbox[0].body) == []
    assert _t(language, "Thai–Japan SME Matching Portal") in mailoutbox[0].body
