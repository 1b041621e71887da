"""allauth's records in the admin, in the reader's language: users' second factors (allauth's authenticator
has no verbose name, so its own admin showed "Authenticators" and English column names) and the section of
users' e-mail addresses (called "Accounts", like the portal's own accounts section)."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _admin(language):
    return UserFactory(email="admin@example.com", language=language, is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("th", ["วิธียืนยันตัวตนสองขั้นตอน", "สร้างเมื่อ", "ใช้ล่าสุดเมื่อ"]),
        ("ja", ["二要素認証の方式", "作成日時"]),
    ],
)
def test_the_two_factor_methods_are_listed_in_the_readers_language(client, language, expected):
    owner = UserFactory(email="owner@example.com")
    Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(_admin(language))

    index = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:accounts_twofactormethod_changelist"))

    assert listing.status_code == 200
    text = listing.content.decode()
    assert all(words in text for words in expected)
    assert str(owner) in text
    assert expected[0] in index
    for english in ("Authenticators", "Created at", "Last used at", ">Type<"):
        assert english not in index + text


def test_allauths_own_page_of_the_same_records_is_gone(client):
    client.force_login(_admin("en"))

    assert client.get("/admin/mfa/authenticator/").status_code == 404
    assert client.get(reverse("admin:accounts_twofactormethod_changelist")).status_code == 200


def test_a_method_is_shown_without_its_secret_and_cannot_be_added_or_edited(client):
    owner = UserFactory(email="owner@example.com")
    method = Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "S3CR3T"})
    client.force_login(_admin("th"))
    url = reverse("admin:accounts_twofactormethod_change", args=[method.pk])

    page = client.get(url)
    posted = client.post(url, {"user": owner.pk, "type": "recovery_codes"})

    assert page.status_code == 200
    assert "S3CR3T" not in page.content.decode()
    assert "วิธียืนยันตัวตนสองขั้นตอน" in page.content.decode()
    assert posted.status_code == 403
    assert client.get(reverse("admin:accounts_twofactormethod_add")).status_code == 403
    method.refresh_from_db()
    assert method.type == "totp"


def test_deleting_a_method_lets_its_owner_enrol_again(client):
    owner = UserFactory(email="owner@example.com")
    method = Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(_admin("en"))

    response = client.post(
        reverse("admin:accounts_twofactormethod_delete", args=[method.pk]), {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=owner).exists()


@pytest.mark.parametrize("language", ["en", "th", "ja"])
def test_no_two_sections_of_the_admin_share_a_name(client, language):
    """allauth's account app (e-mail addresses) was also called "Accounts", like the portal's."""
    client.force_login(_admin(language))

    index = client.get(reverse("admin:index")).content.decode()
    sections = re.findall(r'<a href="/admin/(\w+)/" class="section"[^>]*>([^<]+)</a>', index)

    names = [name for _label, name in sections]
    assert {"account", "accounts"} <= {label for label, _name in sections}
    assert len(names) == len(set(names)), names


def test_the_list_costs_the_same_queries_for_one_method_or_many(client, django_assert_num_queries):
    client.force_login(_admin("th"))
    url = reverse("admin:accounts_twofactormethod_changelist")

    def add(n):
        for _ in range(n):
            Authenticator.objects.create(user=UserFactory(), type=Authenticator.Type.TOTP, data={})

    add(1)
    client.get(url)  # the session and the admin's caches, once
    with django_assert_num_queries(5) as one:
        assert client.get(url).status_code == 200
    add(4)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "5 " in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["coordinator", "consultant", "member"])
def test_only_administrators_see_the_two_factor_methods(client, role):
    method = Authenticator.objects.create(user=UserFactory(), type=Authenticator.Type.TOTP, data={})
    user = UserFactory(role=None if role == "member" else role)
    client.force_login(user)

    listing = client.get(reverse("admin:accounts_twofactormethod_changelist"))
    deleted = client.post(reverse("admin:accounts_twofactormethod_delete", args=[method.pk]), {"post": "yes"})

    assert listing.status_code in (302, 403)
    assert deleted.status_code in (302, 403)
    assert Authenticator.objects.filter(pk=method.pk).exists()
