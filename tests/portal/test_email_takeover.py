"""A session left open is not enough to move an account to another mailbox: making a confirmed address
primary or removing one asks for the password again (allauth's reauthentication), unless it was entered in
the last few minutes; adding an address, which its owner must confirm, does not ask."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_email")


@pytest.fixture
def user():
    user = UserFactory(email="owner@example.co.th")
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    EmailAddress.objects.create(user=user, email="taker@example.com", primary=False, verified=True)
    return user


@pytest.mark.parametrize("action", ["action_primary", "action_remove"])
def test_a_session_alone_cannot_move_the_account(client, user, action):
    client.force_login(user)  # a session, no password entered in it

    response = client.post(
        URL, {action: "", "email": "taker@example.com" if action == "action_primary" else user.email}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert EmailAddress.objects.get(primary=True).email == "owner@example.co.th"
    assert EmailAddress.objects.filter(user=user).count() == 2


def test_after_the_password_the_confirmed_address_becomes_primary(client, user):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # what the redirect asks for

    response = client.post(URL, {"action_primary": "", "email": "taker@example.com"})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert EmailAddress.objects.get(primary=True).email == "taker@example.com"


def test_adding_an_address_asks_nothing(client, user, mailoutbox):
    client.force_login(user)

    client.post(URL, {"action_add": "", "email": "second@example.org"})

    assert EmailAddress.objects.filter(user=user, email="second@example.org", verified=False).exists()
    assert any("second@example.org" in mail.to for mail in mailoutbox)


def test_a_wrong_password_when_asked_again_reads_plainly_in_thai(client, user):
    """allauth's Thai for it read "current password password is wrong"."""
    user.language = "th"
    user.save(update_fields=["language"])
    client.force_login(user)

    html = client.post(reverse("account_reauthenticate"), {"password": "wrong"}).content.decode()

    assert "รหัสผ่านไม่ถูกต้อง" in html
    assert "รหัสปัจจุบันรหัสผ่าน" not in html
