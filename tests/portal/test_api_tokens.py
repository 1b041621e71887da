"""Personal API tokens: the attacks of issue 12 (items 1–3) and what tokens promise (README, "API tokens").

- staff get a token only with a TOTP code, and a token of a staff account without TOTP reads nothing
  when the site requires it;
- ``POST /api/auth/token/`` shares the login page's rate limits and lockout;
- tokens expire, are stored as digests, listed and revoked on the account page, and revoked on a
  password change or reset, a lost role, deactivation and account deletion.
"""

import datetime
import hashlib
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from portal.accounts.models import ApiToken, Role, TokenRevocation
from portal.accounts.services import api_token_create, user_grant_role, user_revoke_role
from portal.core.text import SINGLE_LINE_MESSAGE
from shindan.models import Diagnosis
from tests.factories import PASSWORD, CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
NEW_PASSWORD = "another-long-passphrase-77"
SETUP_FIRST = "Your role gives access to other companies' data: set up two-factor authentication first."
LOCKED = "Too many failed login attempts. Try again later."


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _enrol(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _staff(kind: str):
    if kind == "admin":
        return UserFactory(is_staff=True, is_superuser=True)
    return UserFactory(role=kind)


def _obtain(api, user, language="en", **extra):
    return api.post(
        TOKEN_URL, {"username": user.email, "password": PASSWORD, **extra}, HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def mfa_required(settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True


# ---------------------------------------------------------------------------------------------------
# Item 1: staff skip two-factor through the API
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["consultant", "coordinator", "admin"])
def test_staff_without_totp_get_no_token_when_the_site_requires_it(api, mfa_required, kind):
    user = _staff(kind)

    response = _obtain(api, user, language="th")

    assert response.status_code == 403
    assert response.json() == {"detail": _t("th", SETUP_FIRST)}
    assert _t("th", SETUP_FIRST) != SETUP_FIRST
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("kind", ["consultant", "coordinator", "admin", "member"])
def test_a_user_with_totp_needs_a_current_code(api, mfa_required, kind):
    user = MembershipFactory().user if kind == "member" else _staff(kind)
    secret = _enrol(user)

    without = _obtain(api, user, language="ja")
    wrong = _obtain(api, user, code="000000" if _code(secret) != "000000" else "111111")
    assert without.status_code == 400
    assert without.json() == {
        "code": [_t("ja", "Enter the code from your authenticator app (or a recovery code).")]
    }
    assert wrong.status_code == 400
    assert wrong.json() == {"code": ["Incorrect code."]}
    assert not ApiToken.objects.exists()

    response = _obtain(api, user, code=_code(secret), name="Reporting")

    assert response.status_code == 200
    assert ApiToken.objects.get().user == user
    assert response.json()["name"] == "Reporting"
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/companies/mine/").status_code == 200


def test_a_totp_code_gets_one_token_only(api):
    user = _staff("consultant")
    secret = _enrol(user)
    code = _code(secret)

    assert _obtain(api, user, code=code).status_code == 200
    replay = _obtain(api, user, code=code)

    assert replay.status_code == 400
    assert ApiToken.objects.count() == 1


def test_a_recovery_code_works_once_instead_of_a_totp_code(api):
    user = _staff("coordinator")
    _enrol(user)
    recovery = RecoveryCodes.activate(user).generate_codes()[0]

    assert _obtain(api, user, code=recovery).status_code == 200
    assert _obtain(api, user, code=recovery).status_code == 400
    assert ApiToken.objects.count() == 1


def test_members_without_totp_get_a_token_with_their_password(api, mfa_required):
    user = MembershipFactory().user

    response = _obtain(api, user)

    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert response.json()["token"].startswith(token.prefix)
    assert response.json()["name"] == "API token"


def test_without_the_requirement_staff_without_totp_get_a_token(api, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = False  # the demo

    assert _obtain(api, _staff("coordinator")).status_code == 200


def _read_endpoints(world) -> list[str]:
    return [
        "/api/shindan/diagnoses/",
        f"/api/shindan/diagnoses/{world['diagnosis'].pk}/",
        "/api/meeting-requests/",
        "/api/participants/",
        "/api/introductions/",
        "/api/companies/",
    ]


@pytest.fixture
def world():
    from shindan import services as shindan_services

    company = CompanyFactory()
    consultant = UserFactory(role="consultant")
    diagnosis = shindan_services.diagnosis_create(
        actor=UserFactory(role="coordinator"), company=company, purpose="Export"
    )
    return {"company": company, "consultant": consultant, "diagnosis": diagnosis}


@pytest.mark.parametrize("kind", ["consultant", "coordinator", "admin"])
def test_a_token_of_staff_without_totp_reads_and_writes_nothing(api, settings, world, kind):
    """A token created before the rule was switched on (or before the role was granted) is refused."""
    user = _staff(kind)
    _token, secret = api_token_create(user=user, name="old")
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}", HTTP_ACCEPT_LANGUAGE="ja")

    for url in _read_endpoints(world):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"detail": _t("ja", SETUP_FIRST)}
    before = Diagnosis.objects.count()
    response = api.post(
        "/api/shindan/diagnoses/", {"company": world["company"].pk, "purpose": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Diagnosis.objects.count() == before

    _enrol(user)
    assert api.get("/api/shindan/diagnoses/").status_code == 200


def test_a_session_of_staff_without_totp_gets_403_from_the_api_and_is_sent_to_enrol_elsewhere(
    client, mfa_required, world
):
    user = _staff("coordinator")
    client.force_login(user)

    api_response = client.get("/api/shindan/diagnoses/", HTTP_ACCEPT_LANGUAGE="th")
    admin_response = client.get(reverse("admin:index"))
    page_response = client.get(reverse("account_api_tokens"))

    assert api_response.status_code == 403
    assert api_response.json() == {"detail": _t("th", SETUP_FIRST)}
    assert admin_response.status_code == 302
    assert admin_response["Location"] == reverse("mfa_activate_totp")
    assert page_response.status_code == 302
    assert page_response["Location"] == reverse("mfa_activate_totp")


def test_unverified_addresses_get_no_token(api):
    user = UserFactory(verified=False)

    response = _obtain(api, user)

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Your primary email address must be verified."]}
    assert not ApiToken.objects.exists()


def test_wrong_credentials_are_a_400_that_says_so(api):
    user = UserFactory()

    response = api.post(TOKEN_URL, {"username": user.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="th")

    assert response.status_code == 400
    message = "The email address and/or password you specified are not correct."
    assert response.json() == {"non_field_errors": [_t("th", message)]}


# ---------------------------------------------------------------------------------------------------
# Item 2: rate limits shared with the web login
# ---------------------------------------------------------------------------------------------------


def test_an_account_locked_by_the_web_login_gets_no_token_even_with_the_right_password(client, api):
    user = UserFactory()
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    response = _obtain(api, user, language="th")

    assert response.status_code == 429
    assert response.json() == {"detail": _t("th", LOCKED)}
    assert _t("th", LOCKED) != LOCKED
    assert not ApiToken.objects.exists()


def test_failed_token_requests_lock_the_web_login_too(client, api):
    user = UserFactory()
    for _attempt in range(5):
        assert api.post(TOKEN_URL, {"username": user.email, "password": "wrong"}).status_code == 400
    assert api.post(TOKEN_URL, {"username": user.email, "password": "wrong"}).status_code == 429

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="ja"
    )

    assert response.status_code == 200
    assert _t("ja", LOCKED) in response.content.decode()
    assert client.session.get("_auth_user_id") is None
    assert _obtain(api, user).status_code == 429


def test_the_lockout_counts_the_address_in_any_case(api):
    user = UserFactory(email="case@example.com")
    for _attempt in range(5):
        api.post(TOKEN_URL, {"username": "CASE@example.com", "password": "wrong"})

    assert _obtain(api, user).status_code == 429


def test_failed_attempts_from_one_address_are_limited_across_accounts(api):
    victims = UserFactory.create_batch(10)
    for user in victims:
        assert api.post(TOKEN_URL, {"username": user.email, "password": "wrong"}).status_code == 400

    response = _obtain(api, UserFactory())

    assert response.status_code == 429
    other_ip = api.post(
        TOKEN_URL, {"username": victims[0].email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_ip.status_code == 200


def test_wrong_codes_are_limited_like_wrong_passwords(api):
    user = _staff("consultant")
    secret = _enrol(user)
    wrong = "000000" if _code(secret) != "000000" else "111111"
    for _attempt in range(5):
        assert _obtain(api, user, code=wrong).status_code == 400

    response = _obtain(api, user, code=_code(secret))

    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED}
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Item 3: expiry, storage, the account page and revocation
# ---------------------------------------------------------------------------------------------------


def test_only_a_digest_of_the_secret_is_stored_and_the_token_expires(api, settings):
    settings.PORTAL_API_TOKEN_DAYS = 30
    user = MembershipFactory().user

    response = _obtain(api, user)
    secret = response.json()["token"]
    token = ApiToken.objects.get()

    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.digest}
    assert token.prefix == secret[:12]
    lifetime = token.expires_at - token.created_at
    assert datetime.timedelta(days=30) - lifetime < datetime.timedelta(seconds=5)

    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/companies/mine/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api.get("/api/companies/mine/", HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    message = "This token has expired. Create a new one on your account page."
    assert response.json() == {"detail": _t("th", message)}


def test_a_lifetime_above_the_maximum_is_refused(api, settings):
    settings.PORTAL_API_TOKEN_MAX_DAYS = 90
    user = MembershipFactory().user

    response = _obtain(api, user, expires_in_days=91)

    assert response.status_code == 400
    assert response.json() == {"expires_in_days": ["A token lasts from 1 to 90 days."]}
    assert _obtain(api, user, expires_in_days=90).status_code == 200


def test_unknown_and_malformed_tokens_are_401(api):
    for header in ("Token smp_nothing", "Token", "Token a b", "Token ümlaut"):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get("/api/companies/mine/")
        assert response.status_code == 401, header


def _secret_for(user, name="Script"):
    return api_token_create(user=user, name=name)[1]


def _works(secret) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api.get("/api/companies/mine/").status_code == 200


def test_a_password_change_revokes_every_token_of_that_user_only(client):
    user, other = UserFactory(), UserFactory()
    secrets = [_secret_for(user), _secret_for(user, "Second")]
    kept = _secret_for(other)
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not any(_works(secret) for secret in secrets)
    assert set(ApiToken.objects.filter(user=user).values_list("revoked_because", flat=True)) == {
        TokenRevocation.PASSWORD
    }
    assert _works(kept)


def test_a_password_reset_revokes_the_tokens(client, mailoutbox):
    import re

    user = UserFactory()
    secret = _secret_for(user)
    client.post(reverse("account_reset_password"), {"email": user.email})
    reset_url = re.search(r"https?://[^\s]+", mailoutbox[0].body).group(0)
    form_url = client.get(reset_url)["Location"]

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert not _works(secret)


def test_a_password_set_elsewhere_revokes_the_tokens_but_a_hash_upgrade_at_login_does_not(client, settings):
    user = UserFactory()
    kept = _secret_for(user)
    # Login with a hasher that is no longer the preferred one: Django re-hashes the same password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert client.login(email=user.email, password=PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert _works(kept)

    user.set_password(NEW_PASSWORD)  # the admin's password form, manage.py changepassword
    user.save()

    assert not _works(kept)


@pytest.mark.parametrize(
    "take_away",
    [
        lambda user: user_revoke_role(user=user, role=Role.CONSULTANT),
        lambda user: user.groups.clear(),
        lambda user: Group.objects.get(name="Consultants").user_set.remove(user),
    ],
    ids=["service", "clear", "group-side"],
)
def test_losing_a_role_revokes_the_tokens(take_away):
    user = UserFactory(role="consultant")
    other = UserFactory(role="consultant")
    secret, kept = _secret_for(user), _secret_for(other)

    take_away(user)

    assert not _works(secret)
    assert ApiToken.objects.get(user=user).revoked_because == TokenRevocation.ROLE
    assert _works(kept)


def test_gaining_a_role_or_leaving_a_company_group_keeps_the_tokens():
    user = UserFactory()
    secret = _secret_for(user)
    plain = Group.objects.create(name="Newsletter")
    user.groups.add(plain)
    user.groups.remove(plain)

    user_grant_role(user=user, role=Role.COORDINATOR)

    assert _works(secret)


def test_losing_superuser_status_or_deactivation_revokes_the_tokens():
    admin, member = UserFactory(is_staff=True, is_superuser=True), UserFactory()
    admin_secret, member_secret = _secret_for(admin), _secret_for(member)

    admin.is_superuser = False
    admin.save()
    member.is_active = False
    member.save()

    assert ApiToken.objects.get(user=admin).revoked_because == TokenRevocation.ROLE
    assert ApiToken.objects.get(user=member).revoked_because == TokenRevocation.ACCOUNT
    assert not _works(admin_secret)
    assert not _works(member_secret)


def test_the_admin_taking_a_role_away_revokes_the_tokens(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(role="coordinator")
    secret = _secret_for(user)
    client.force_login(admin)
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(groups=[], date_joined_0="2026-01-01", date_joined_1="00:00:00")
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)

    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not user.groups.exists()
    assert not _works(secret)


def test_deleting_the_account_deletes_its_tokens(client):
    user, other = UserFactory(), UserFactory()
    _secret_for(user)
    kept = _secret_for(other)
    client.force_login(user)

    response = client.post(reverse("privacy_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    assert _works(kept)


def test_download_my_data_lists_the_tokens_without_secrets(client):
    user = UserFactory()
    secret = _secret_for(user, "ERP")
    client.force_login(user)

    data = client.get(reverse("privacy_download")).json()

    assert [token["name"] for token in data["api_tokens"]] == ["ERP"]
    assert secret not in str(data)


# The account page


def _page(client):
    return client.get(reverse("account_api_tokens"))


@pytest.mark.parametrize("count", [1, 3])
def test_the_account_page_lists_the_tokens_in_a_constant_number_of_queries(
    client, django_assert_num_queries, count
):
    user = UserFactory()
    for index in range(count):
        _secret_for(user, f"Token {index}")
    api_token_create(user=UserFactory(), name="Somebody else's")
    client.force_login(user)

    with django_assert_num_queries(6):  # the same literal count for 1 and 3 tokens
        response = _page(client)

    assert response.status_code == 200
    assert len(response.context["tokens"]) == count
    assert "Somebody else" not in response.content.decode()


def test_a_member_creates_a_token_and_sees_its_secret_only_once(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("account_api_tokens"), {"name": "ERP export", "expires_in_days": 7})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.name == "ERP export"
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - datetime.timedelta(days=7)) < datetime.timedelta(seconds=5)
    assert _works(secret)
    assert secret not in _page(client).content.decode()
    assert token.prefix in _page(client).content.decode()


def test_staff_with_totp_give_a_code_on_the_page_unless_they_just_used_it(client):
    user = _staff("consultant")
    secret = _enrol(user)
    client.force_login(user)  # no second factor used in this session

    refused = client.post(reverse("account_api_tokens"), {"name": "Script", "expires_in_days": 30})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"code": ["This field is required."]}
    wrong = client.post(
        reverse("account_api_tokens"), {"name": "Script", "expires_in_days": 30, "code": "12345"}
    )
    assert wrong.context["form"].errors == {"code": ["Incorrect code."]}
    assert not ApiToken.objects.exists()

    response = client.post(
        reverse("account_api_tokens"), {"name": "Script", "expires_in_days": 30, "code": _code(secret)}
    )
    assert response.context["secret"]
    assert ApiToken.objects.count() == 1

    client.logout()  # signing in with the second factor counts for five minutes
    cache.clear()  # forget that the code was used: as if the next 30-second period had begun
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert client.session.get("_auth_user_id") == str(user.pk)
    page = _page(client)
    assert "code" not in page.context["form"].fields
    response = client.post(reverse("account_api_tokens"), {"name": "Second", "expires_in_days": 30})
    assert response.context["secret"]
    assert ApiToken.objects.count() == 2


def test_bad_input_on_the_page_is_refused_and_creates_nothing(client, settings):
    settings.PORTAL_API_TOKEN_MAX_DAYS = 90
    client.force_login(UserFactory(language="th"))

    response = client.post(
        reverse("account_api_tokens"), {"name": "ERP\r\nX-Injected: 1", "expires_in_days": 91}
    )

    errors = response.context["form"].errors
    assert set(errors) == {"name", "expires_in_days"}
    assert errors["name"] == [_t("th", str(SINGLE_LINE_MESSAGE))]
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_token_but_not_anybody_elses(client):
    user, other = UserFactory(), UserFactory()
    mine = api_token_create(user=user, name="Mine")[0]
    theirs, their_secret = api_token_create(user=other, name="Theirs")
    client.force_login(user)

    denied = client.post(reverse("account_token_revoke", args=[theirs.pk]))
    response = client.post(reverse("account_token_revoke", args=[mine.pk]))

    assert denied.status_code == 404
    assert _works(their_secret)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_because == TokenRevocation.BY_USER
    assert list(_page(client).context["tokens"]) == []
    assert client.post(reverse("account_token_revoke", args=[mine.pk])).status_code == 404


def test_the_number_of_live_tokens_is_bounded(api):
    user = UserFactory()
    for index in range(20):
        api_token_create(user=user, name=f"T{index}")

    response = _obtain(api, user)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["You already have 20 active tokens: revoke one you no longer use first."]
    }
    assert ApiToken.objects.count() == 20
