"""Deleting one's account asks for the password, which cannot be guessed there from a session left open
(allauth's re-authentication rate limit). The authenticator app's code is not asked:
tests/portal/test_privacy_complete.py deletes an account that has one with the password alone."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


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
