"""allauth's pages speak as the rest of the portal does (portal/accounts/allauth_strings.py): the header's
words for signing in and up, ท่าน (never คุณ or ฉัน) in Thai, 二要素認証 in Japanese; and the sign-up form
asks for the account before the consents."""

import re

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.privacy.forms import ConsentSignupForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# "You" as the portal never says it (ขอบคุณ, "thank you", holds the same letters).
KHUN = re.compile(r"(?<!ขอบ)คุณ|ฉัน")
PAGES = ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent"]


def _get(language: str, url: str, client: Client | None = None) -> str:
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("name", PAGES)
def test_thai_account_pages_address_the_reader_as_than(name):
    html = _get("th", reverse(name))

    assert KHUN.findall(html) == []
    assert "ลงชื่อเข้าใช้" not in html
    assert "ลงทะเบียน" not in html


@pytest.mark.parametrize(
    ("language", "name", "header_link"),
    [("th", "account_login", "Log in"), ("ja", "account_login", "Log in"),
     ("th", "account_signup", "Sign up"), ("ja", "account_signup", "Sign up")],
)  # fmt: skip
def test_sign_in_and_sign_up_pages_are_named_as_the_header_names_them(language, name, header_link):
    html = _get(language, reverse(name))
    word = _t(language, header_link)

    assert f"<h1>{word}</h1>" in html.replace("\n", "").replace("  ", "")
    assert html.count(word) >= 3  # the header's link, the heading and the button


def test_japanese_sign_up_and_two_factor_wording():
    assert _t("ja", "Sign Up") == _t("ja", "Sign up") == "新規登録"
    message = "You cannot activate two-factor authentication until you have verified your email address."
    assert "二要素認証" in _t("ja", message)
    assert "ユーザー登録" not in _get("ja", reverse("account_signup"))


def test_signed_in_pages_of_allauth_keep_the_portal_words():
    client = Client()
    client.force_login(UserFactory())

    html = _get("th", reverse("account_email"), client)

    assert KHUN.findall(html) == []
    assert _t("th", "The following email addresses are associated with your account:") in html


@pytest.mark.parametrize("language", ["th", "ja"])
def test_every_marked_allauth_string_is_translated_in_our_catalogue(language):
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = [
        entry
        for entry in polib.pofile(str(path))
        if any(file == "portal/accounts/allauth_strings.py" for file, _line in entry.occurrences)
    ]

    assert len(entries) == 79
    assert [entry.msgid for entry in entries if not entry.translated() or "fuzzy" in entry.flags] == []
    if language == "th":
        assert [entry.msgid for entry in entries if KHUN.search(entry.msgstr)] == []


def test_sign_up_form_asks_for_the_account_first_and_the_consents_last():
    assert list(ConsentSignupForm().fields) == [
        "email",
        "password1",
        "password2",
        "consent_account",
        "consent_transfer_japan",
        "consent_news",
    ]


@pytest.mark.parametrize(
    ("language", "wrong", "right"), [("th", "ไม่ว่าง", "ไม่มีรายการ"), ("ja", "利用不可", "ありません")]
)
def test_the_admin_front_page_says_there_are_no_recent_actions_not_that_it_is_busy(
    client, language, wrong, right
):
    """Django's Thai says "busy" and its Japanese "unavailable" for an empty list of recent actions
    (portal/core/django_wording.py)."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True, language=language))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get(reverse("admin:index")).content.decode()

    assert _t(language, "My actions") in html
    assert right in html
    assert wrong not in html


@pytest.mark.parametrize(
    ("language", "wrong", "right"),
    [("th", "ฟิลด์นี้จำเป็น", "กรุณากรอกข้อมูลในช่องนี้"), ("ja", "このフィールドは必須です。", "この項目は必須です。")],
)
def test_a_required_field_is_asked_for_in_the_portals_words(client, language, wrong, right):
    """Django's Thai calls a form's box a "ฟิลด์" (portal/core/django_wording.py)."""
    client.force_login(UserFactory(language=language))

    response = client.post(reverse("companies:start"), {"country": "TH"})

    assert response.context["form"].errors["registration_no"] == [right]
    assert wrong not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "wrong"), [("ja", "変更内容"), ("ja", ">登録<"), ("th", "การเปลี่ยนแปลง")]
)
def test_the_admins_add_and_change_links_keep_djangos_words(client, language, wrong):
    """The portal's own "Change" (a history column) and "Add" (a security key) carry a context, so they no
    longer replace the admin's action links."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True, language=language))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get(reverse("admin:index")).content.decode()

    assert wrong not in html
    assert _t(language, "Change") in html


@pytest.mark.parametrize("language", ["th", "ja"])
def test_the_confirmation_page_names_the_address_once_and_confirms_it(language):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    user = UserFactory(email="somchai@example.co.th")
    address = EmailAddress.objects.get(user=user)
    address.verified = False
    address.save()
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])

    html = _get(language, url)

    assert html.count("somchai@example.co.th") == 1
    assert (
        _t(language, "Please confirm that <strong>%(email)s</strong> is your e-mail address.")
        % {"email": "somchai@example.co.th"}
        in html
    )
    assert KHUN.findall(html) == []
    Client().post(url)
    address.refresh_from_db()
    assert address.verified


@pytest.mark.parametrize("language", ["th", "ja"])
def test_the_mails_to_an_address_without_an_account_or_already_registered_speak_the_portals_words(
    language, mailoutbox
):
    UserFactory(email="registered@siam.example")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    client.post(reverse("account_reset_password"), {"email": "nobody@siam.example"})
    client.post(
        reverse("account_signup"),
        {
            "email": "registered@siam.example",
            "password1": "Kato-Mold-2027!",
            "password2": "Kato-Mold-2027!",
            "consent_account": "on",
            "consent_transfer_japan": "on",
        },
    )

    unknown, existing = mailoutbox
    assert _t(language, "Unknown Account") in unknown.subject
    assert _t(language, "Account Already Exists") in existing.subject
    for message in (unknown, existing):
        assert KHUN.findall(message.subject + message.body) == []
        assert "あなた" not in message.body


def test_different_new_passwords_are_named_as_such_in_thai():
    message = _t("th", "You must type the same password each time.")

    assert "เดิม" not in message  # allauth's Thai said "type the *old* password again"


@pytest.mark.parametrize("language", ["th", "ja"])
def test_making_an_unconfirmed_address_primary_says_which_address_to_confirm(client, language):
    from allauth.account.models import EmailAddress

    user = UserFactory(language=language)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    EmailAddress.objects.create(user=user, email="second@example.com", primary=False, verified=False)
    client.force_login(user)
    with translation.override(language):
        expected = translation.gettext(
            "Confirm this address first: only a confirmed address can be the primary one. Open the link "
            "in the mail we sent to it, or send the mail again."
        )

    response = client.post(
        reverse("account_email"), {"action_primary": "", "email": "second@example.com"}, follow=True
    )

    assert expected in [str(m) for m in response.context["messages"]]
    assert EmailAddress.objects.get(primary=True).email == user.email


def test_a_mail_to_an_address_another_account_holds_is_in_that_accounts_language(client, mailoutbox):
    from allauth.account.models import EmailAddress

    holder = UserFactory(language="ja", email="kato@example.jp")
    EmailAddress.objects.update_or_create(
        user=holder, email=holder.email, defaults={"primary": True, "verified": True}
    )
    asker = UserFactory(language="th")
    client.force_login(asker)
    mailoutbox.clear()

    client.post(reverse("account_email"), {"action_add": "", "email": holder.email})

    (mail,) = [m for m in mailoutbox if holder.email in m.to]
    with translation.override("ja"):
        prefix = translation.gettext("[Thai–Japan SME Portal] %(subject)s") % {"subject": ""}
    assert mail.subject.startswith(prefix.strip())  # Japanese, as its reader is, not the asker's Thai
