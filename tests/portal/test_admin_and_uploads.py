"""The Django admin for every model, and logo uploads checked by content."""

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal.accounts.models import Role
from portal.companies.models import Company
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_changelist_opens_for_an_admin(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    CompanyFactory()

    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "ฉีด"}).status_code == 200


def test_coordinators_reach_companies_and_postings_in_the_admin(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    assert client.get(reverse("admin:companies_company_changelist")).status_code == 200
    assert client.get(reverse("admin:postings_posting_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def _image(fmt: str, size=(64, 64), name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _profile_post(client, company, logo):
    return client.post(
        reverse("companies:edit", args=[company.pk, "profile"]),
        {"sector": "manufacturing", "currency": "THB", "logo": logo},
    )


@pytest.fixture
def owner_and_company(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    membership = MembershipFactory()
    client.force_login(membership.user)
    return membership.company


def test_png_logo_is_accepted(client, owner_and_company):
    response = _profile_post(client, owner_and_company, _image("PNG"))

    assert response.status_code == 302
    # Re-encoded as a WebP thumbnail under a content-hashed name (portal/core/images.py).
    assert Company.objects.get().logo.name.endswith("-logo.webp")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile(
            "logo.png", b"<script>alert(1)</script>", content_type="image/png"
        ),  # not an image
        _image("GIF", name="logo.png"),  # an image, but not an allowed format
        _image("BMP", size=(700, 700), name="logo.png"),  # over 1 MB
    ],
    ids=["text-named-png", "gif", "too-large"],
)
def test_bad_logos_are_refused_and_nothing_changes(client, owner_and_company, upload):
    response = _profile_post(client, owner_and_company, upload)

    assert response.status_code == 400
    assert "logo" in response.context["form"].errors
    assert Company.objects.get().logo.name == ""


def test_a_logo_with_too_many_pixels_says_so(client, owner_and_company):
    buffer = io.BytesIO()  # a huge canvas, small on disk
    Image.new("1", (20_000, 15_000)).save(buffer, format="PNG", optimize=True)
    response = _profile_post(client, owner_and_company, SimpleUploadedFile("big.png", buffer.getvalue()))

    assert response.status_code == 400
    (error,) = response.context["form"].errors["logo"]
    assert "too many pixels" in error
    assert Company.objects.get().logo.name == ""


def test_the_profile_step_shows_the_current_logo_and_removes_it_on_request(client, owner_and_company):
    company = owner_and_company
    url = reverse("companies:edit", args=[company.pk, "profile"])
    assert "remove_logo" not in client.get(url).content.decode()  # nothing to remove yet
    response = _profile_post(client, company, _image("PNG"))
    assert [str(m) for m in client.get(response.url).context["messages"]][:1] == ["Saved: Size and place."]
    company.refresh_from_db()

    html = client.get(url).content.decode()
    assert company.logo.url in html
    assert 'name="remove_logo"' in html

    client.post(url, {"sector": "manufacturing", "currency": "THB", "remove_logo": "on"})
    company.refresh_from_db()
    assert company.logo.name == ""
