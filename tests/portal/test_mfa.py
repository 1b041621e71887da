"""TOTP two-factor authentication: available to all, required for consultants, coordinators and admins."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _make_user(kind: str):
    if kind == "admin":
        return UserFactory(is_staff=True, is_superuser=True)
    if kind == "member":
        return MembershipFactory().user
    if kind == "plain":
        return UserFactory()
    return UserFactory(role=kind)


@pytest.mark.parametrize("kind", ["consultant", "coordinator", "admin"])
def test_staff_roles_without_totp_are_sent_to_set_it_up(client, settings, kind):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    user = _make_user(kind)
    _login(client, user)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("kind", ["member", "plain"])
def test_sme_members_are_not_forced_to_use_totp(client, settings, kind):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    _login(client, _make_user(kind))

    assert client.get(reverse("dashboard")).status_code == 200


def test_requirement_can_be_switched_off_for_the_demo(client, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = False
    _login(client, _make_user("coordinator"))

    assert client.get(reverse("dashboard")).status_code == 200


def test_coordinator_can_enrol_totp_and_then_use_the_portal(client, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    user = _make_user("coordinator")
    _login(client, user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))  # not bounced back by our guard
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(
        reverse("mfa_activate_totp"), {"code": "000000" if _current_code(secret) != "000000" else "1"}
    )
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    assert client.get(reverse("dashboard")).status_code == 200


def test_login_with_totp_asks_for_the_code_before_signing_in(client):
    user = _make_user("consultant")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = _login(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.session.get("_auth_user_id") is None

    client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert client.session.get("_auth_user_id") is None

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_any_member_may_enable_totp(client):
    user = _make_user("member")
    _login(client, user)

    response = client.get(reverse("mfa_index"))

    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()


@pytest.mark.parametrize("language", ["th", "ja"])
def test_the_confirm_access_pages_speak_the_users_language(client, language, mailoutbox):
    user = MembershipFactory(user__language=language).user
    _login(client, user)
    with translation.override(language):
        heading, wrong_thai = translation.gettext("Confirm Access"), "AddrAccess"
        sent_to = translation.gettext("We will e-mail a code to %(address)s.") % {"address": user.email}

    password_page = client.get(reverse("account_reauthenticate")).content.decode()
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", password_page)
    assert wrong_thai not in password_page
    assert "ลืมรหัสผ่าน?:" not in password_page  # allauth's Thai "Enter your password:"

    code_page = client.get(reverse("account_request_reauthentication_code")).content.decode()
    assert "Recipient" not in code_page
    assert sent_to in code_page
    response = client.post(reverse("account_request_reauthentication_code"), {"recipient": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]


@pytest.mark.parametrize("language", ["th", "ja"])
def test_the_two_factor_page_uses_the_portals_name_for_it(client, language):
    client.force_login(MembershipFactory(user__language=language).user)
    with translation.override(language):
        ours = translation.gettext("Two-factor authentication")  # the dashboard's and the menu's name

    html = client.get(reverse("mfa_index")).content.decode()
    assert re.search(rf"<h1[^>]*>\s*{re.escape(ours)}\s*</h1>", html)
    assert "การตรวจสอบสิทธิ์สองปัจจัย" not in html  # allauth's Thai
    assert "多要素認証" not in html  # allauth's Japanese
    assert "Authenticator" not in html


def test_a_staff_member_sent_to_enrol_can_still_read_the_privacy_notice(client, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    _login(client, _make_user("coordinator"))
    assert client.get(reverse("dashboard")).status_code == 302  # still sent to enrol
    assert client.get(reverse("privacy_notice")).status_code == 200  # the footer's link goes somewhere
    assert client.get(reverse("account_reset_password")).status_code == 200  # "Forgot your password?"


@pytest.mark.parametrize("language", ["th", "ja"])
def test_the_authenticator_messages_and_pages_speak_the_portals_words(client, language):
    from django.template.loader import render_to_string

    user = MembershipFactory(user__language=language).user
    client.force_login(user)
    with translation.override(language):
        # allauth adds these after the commit (allauth/mfa/totp/internal/flows.py), from these templates.
        assert render_to_string("mfa/messages/totp_activated.txt").strip() == translation.gettext(
            "The authenticator app is activated: each log-in now asks for its code."
        )
        assert render_to_string("mfa/messages/totp_deactivated.txt").strip() == translation.gettext(
            "The authenticator app is deactivated: log-ins no longer ask for its code."
        )
        cancel = translation.gettext("Cancel")
    TOTP.activate(user, generate_totp_secret())
    response = client.get(reverse("mfa_deactivate_totp"))
    if response.status_code == 302:  # allauth asks who it is first
        client.post(response["Location"], {"password": PASSWORD})

    html = client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "Authenticator" not in html
    assert f'href="{reverse("mfa_index")}"' in html  # a way back without deactivating
    assert cancel in html


@pytest.mark.parametrize("language", ["th", "ja"])
def test_too_many_attempts_is_a_portal_page_with_a_way_on(rf, language):
    from allauth.core.internal.ratelimit import handler429
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/accounts/password/change/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = handler429(request)
        title = translation.gettext("Too many attempts")
    html = response.content.decode()
    assert response.status_code == 429
    assert title in html
    assert "Too Many Requests" not in html
    assert f'href="{reverse("account_login")}"' in html


def test_a_used_reset_link_and_a_changed_password_say_what_next(client):
    html = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "used-key"}), follow=True
    ).content.decode()
    assert "This link no longer works" in html
    assert "Bad Token" not in html
    html = client.get(reverse("account_reset_password_from_key_done")).content.decode()
    assert f'href="{reverse("account_login")}"' in html
