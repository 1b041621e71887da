"""Deleting one's account asks for what logging in asks: the password, and the authenticator app's code when
the account has one; and the password cannot be guessed there from a session left open (allauth's
re-authentication rate limit)."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def enrolled(client):
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.force_login(user)
    return user, secret


def _field_error(client, redirect, field) -> str:
    page = client.get(redirect.url).content.decode()
    start = page.find(f'id="id_{field}_error"')
    return page[start : page.find("</ul>", start)] if start >= 0 else ""


def test_without_an_authenticator_app_the_form_asks_the_password_only(client):
    client.force_login(UserFactory())
    page = client.get(reverse("my_privacy")).content.decode()
    assert 'name="password"' in page
    assert 'name="code"' not in page


def test_with_an_authenticator_app_the_password_alone_deletes_nothing(client, enrolled):
    user, _secret = enrolled
    assert 'name="code"' in client.get(reverse("my_privacy")).content.decode()

    response = client.post(reverse("privacy_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert "Enter the code from your authenticator app (or a recovery code)." in _field_error(
        client, response, "code"
    )
    user.refresh_from_db()
    assert user.is_active


def test_a_wrong_code_deletes_nothing(client, enrolled):
    user, _secret = enrolled
    response = client.post(reverse("privacy_delete"), {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 302
    assert "Incorrect code." in _field_error(client, response, "code")
    user.refresh_from_db()
    assert user.is_active


def test_a_wrong_password_is_said_alone_and_the_code_is_not_spent(client, enrolled):
    user, secret = enrolled
    code = _code(secret)
    response = client.post(reverse("privacy_delete"), {"password": "nope", "code": code})
    assert "The password is not correct." in _field_error(client, response, "password")
    user.refresh_from_db()
    assert user.is_active

    client.post(reverse("privacy_delete"), {"password": PASSWORD, "code": code})  # the same code still works

    user.refresh_from_db()
    assert not user.is_active


def test_the_password_and_a_current_code_delete_the_account(client, enrolled):
    user, secret = enrolled
    response = client.post(reverse("privacy_delete"), {"password": PASSWORD, "code": _code(secret)})
    assert response.status_code == 302
    assert response.url == reverse("home")
    user.refresh_from_db()
    assert not user.is_active
    assert not user.has_usable_password()


def test_guessing_the_password_is_stopped_by_the_rate_limit(client, settings):
    user = UserFactory()
    client.force_login(user)
    limit = 10  # allauth's default for re-entering one's password: 10 a minute per user
    assert settings.ACCOUNT_RATE_LIMITS.get("reauthenticate", "10/m/user") == "10/m/user"
    for _attempt in range(limit):
        assert client.post(reverse("privacy_delete"), {"password": "guess"}).status_code == 302

    refused = client.post(reverse("privacy_delete"), {"password": PASSWORD})

    assert refused.status_code == 429
    assert "<h1>Too many attempts</h1>" in refused.content.decode()
    user.refresh_from_db()
    assert user.is_active  # even the right password waits for the limit to pass
