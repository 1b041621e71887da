"""Sign-up, e-mail verification, login, logout, password reset/change and rate limits (allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-77"
LINK = re.compile(r"https?://[^\s]+")


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _signup(client, email="new@example.com", language="en"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_account": "on",
            "consent_transfer_japan": "on",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_signup_creates_unverified_user_with_language_and_sends_mail_in_it(client, mailoutbox):
    response = _signup(client, language="th")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert user.language == "th"
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mailoutbox) == 1
    subject = _t("th", "Please Confirm Your Email Address")
    assert subject != "Please Confirm Your Email Address"
    assert mailoutbox[0].subject == _t("th", "[Thai–Japan SME Portal] %(subject)s") % {"subject": subject}
    assert mailoutbox[0].to == ["new@example.com"]


def test_signup_rejects_mismatched_passwords_and_writes_nothing(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )

    assert response.status_code == 200
    assert _t("ja", "You must type the same password each time.") in response.content.decode()
    assert not User.objects.filter(email="new@example.com").exists()
    assert mailoutbox == []


def test_login_is_refused_until_email_verified_then_allowed(client, mailoutbox):
    _signup(client)
    client.logout()

    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _logged_in_user_id(client) is None

    confirm_url = LINK.search(mailoutbox[-1].body).group(0)
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified is True

    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:start")  # no company yet: the next step
    assert _logged_in_user_id(client) == str(User.objects.get(email="new@example.com").pk)


def test_logout_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert _logged_in_user_id(client) is None
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_password_reset_by_email_link_sets_a_new_password(client, mailoutbox):
    user = UserFactory(email="reset@example.com", language="ja")

    response = client.post(reverse("account_reset_password"), {"email": "reset@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert _t("ja", "Password Reset Email") in mailoutbox[0].subject

    reset_url = LINK.search(mailoutbox[0].body).group(0)
    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    response = client.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_password_reset_for_unknown_address_sends_no_reset_link(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302  # the same answer as for a known address: no account enumeration
    assert all("password/reset/key" not in message.body for message in mailoutbox)


def test_password_change_requires_the_current_password(client):
    user = UserFactory()
    client.force_login(user)

    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["oldpassword"] == ["The current password is not correct."]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    right = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_failed_logins_are_rate_limited_per_account(client):
    UserFactory(email="target@example.com")
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": "target@example.com", "password": "wrong"})
        assert response.status_code == 200

    response = client.post(
        reverse("account_login"),
        {"login": "target@example.com", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="th",
    )

    assert response.status_code == 200
    assert _t("th", "Too many failed login attempts. Try again later.") in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_other_accounts_are_not_affected_by_a_rate_limited_one(client):
    UserFactory(email="target@example.com")
    UserFactory(email="other@example.com")
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "other@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user_id(client) is not None


def test_the_verification_page_says_how_to_get_a_new_link_and_signing_in_sends_one(client, mailoutbox):
    _signup(client, language="ja")
    client.logout()
    page = client.get(reverse("account_email_verification_sent"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert f'href="{reverse("account_login")}"' in page
    client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert len(mailoutbox) == 1  # not again right away (allauth's rate limit: one a few minutes)
    cache.clear()  # minutes later

    client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})

    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["new@example.com"]


def test_an_unticked_consent_asks_for_a_tick_and_a_wrong_password_is_said_once(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["form"].errors["consent_account"] == [
        "Tick the box to agree: the portal cannot run an account without it."
    ]

    response = client.post(
        reverse("account_login"),
        {"login": "nobody@example.com", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (message,) = response.context["form"].non_field_errors()
    assert response.content.decode().count(str(message)) == 1  # in the summary, not again below it
