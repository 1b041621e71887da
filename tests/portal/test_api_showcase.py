"""REST API for showcases: the same scope as the pages (hidden products and those of unverified companies
only for the company's members and coordinators), writes by the company's editors through the services."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portal.accounts.models import Role
from portal.showcase.models import Product, ProductPhoto
from portal.showcase.services import brochure_add, photo_add, product_create, product_moderate
from portal.taxonomy.models import Capability
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.portal import showcase_files as files

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "other_company_owner", "member", "owner", "coordinator", "consultant"]
EDITORS = {"member", "owner", "coordinator"}


@pytest.fixture
def company():
    return CompanyFactory(name_en="Siam Precision Co., Ltd.")


@pytest.fixture
def product(company):
    return product_create(company=company, name_th="เฟืองอะลูมิเนียม", name_en="Aluminium gear")


def _users(company):
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "other_company_owner": MembershipFactory().user,
        "member": MembershipFactory(company=company, role="member").user,
        "owner": MembershipFactory(company=company, role="owner").user,
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "consultant": UserFactory(role=Role.CONSULTANT),
    }


def _api(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _state(company) -> list:
    return list(
        Product.objects.filter(company=company)
        .order_by("pk")
        .values_list("pk", "name_en", "name_th", "is_hidden", "position")
    ) + [ProductPhoto.objects.count()]


def test_product_list_shows_the_order_texts_tags_and_file_urls(company, product):
    second = product_create(
        company=company,
        name_ja="精密金型",
        specs_en="±0.01 mm",
        capabilities=[Capability.objects.get(slug="die-and-mold")],
    )
    photo = photo_add(product=product, upload=files.jpeg(), caption_th="ด้านหน้า")
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue")

    body = APIClient().get(f"/api/companies/{company.pk}/products/", HTTP_ACCEPT_LANGUAGE="ja").json()

    assert [item["id"] for item in body] == [product.pk, second.pk]
    assert body[1]["name"] == "精密金型"
    assert body[1]["capabilities"] == ["die-and-mold"]
    assert body[1]["specs_en"] == "±0.01 mm"
    assert body[0]["photos"] == [
        {
            "id": photo.pk,
            "position": 0,
            "url": f"http://testserver{photo.url}",
            "thumbnail_url": f"http://testserver{photo.thumbnail_url}",
            "width": 800,
            "height": 600,
            "caption_en": "",
            "caption_th": "ด้านหน้า",
            "caption_ja": "",
        }
    ]
    assert body[0]["brochures"] == [
        {
            "id": brochure.pk,
            "title": "Catalogue",
            "size": brochure.size,
            "url": f"http://testserver/showcase/brochures/{brochure.pk}/download/",
            "preview_url": f"http://testserver{brochure.preview_url}",
        }
    ]
    assert APIClient().get(body[0]["photos"][0]["thumbnail_url"]).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_product_list_has_a_fixed_number_of_queries(company, django_assert_num_queries, count):
    for n in range(count):
        product = product_create(company=company, name_en=f"Product {n}")
        photo_add(product=product, upload=files.jpeg())
    api = APIClient()

    # company (+ its profile's taxonomy and certificates), products, capabilities, industries, photos,
    # brochures
    with django_assert_num_queries(10):
        assert len(api.get(f"/api/companies/{company.pk}/products/").json()) == count


@pytest.mark.parametrize(
    ("state", "visible_to"),
    [
        ("public", set(ROLES)),
        ("hidden", {"member", "owner", "coordinator"}),
        ("unverified", {"member", "owner", "coordinator"}),
    ],
)
def test_reads_are_scoped_like_the_pages(company, product, state, visible_to):
    shown = product_create(company=company, name_en="Shown")
    if state == "hidden":
        product_moderate(
            product=product, actor=UserFactory(role=Role.COORDINATOR), hidden=True, reason="Spam"
        )
    if state == "unverified":
        company.verification_status = "pending"
        company.save()

    for role, user in _users(company).items():
        api = _api(user)
        listed = api.get(f"/api/companies/{company.pk}/products/")
        detail = api.get(f"/api/showcase/products/{product.pk}/")
        if state == "hidden":
            # the company is public: everybody gets its list, the hidden product only for its viewers
            expected_ids = [product.pk, shown.pk] if role in visible_to else [shown.pk]
            assert [item["id"] for item in listed.json()] == expected_ids, role
        elif role in visible_to:
            assert [item["id"] for item in listed.json()] == [product.pk, shown.pk], role
        else:
            assert listed.status_code == 404, role
        assert detail.status_code == (200 if role in visible_to else 404), role
    if state == "hidden":
        owner_view = _api(MembershipFactory(company=company).user).get(
            f"/api/showcase/products/{product.pk}/"
        )
        assert (owner_view.json()["is_hidden"], owner_view.json()["moderation_note"]) == (True, "Spam")


@pytest.mark.parametrize("role", ROLES)
def test_writes_only_by_the_company_editors(company, product, role):
    user = _users(company)[role]
    api = _api(user)
    before = _state(company)

    created = api.post(f"/api/companies/{company.pk}/products/", {"name_th": "แม่พิมพ์"}, format="json")
    updated = api.patch(f"/api/showcase/products/{product.pk}/", {"name_en": "Gear"}, format="json")
    uploaded = api.post(
        f"/api/showcase/products/{product.pk}/photos/", {"photo": files.jpeg()}, format="multipart"
    )

    if role in EDITORS:
        assert (created.status_code, updated.status_code, uploaded.status_code) == (201, 200, 201)
        new = company.products.get(name_th="แม่พิมพ์")
        assert (created.json()["id"], created.json()["position"]) == (new.pk, 1)
        assert updated.json()["name_en"] == "Gear"
        assert updated.json()["name_th"] == "เฟืองอะลูมิเนียม"  # not given: unchanged
        assert product.photos.get().pk == uploaded.json()["id"]
        deleted = api.delete(f"/api/showcase/products/{new.pk}/")
        assert deleted.status_code == 204
        assert not Product.objects.filter(pk=new.pk).exists()
    else:
        denied = {401, 403} if role == "anonymous" else {404}
        assert {created.status_code, updated.status_code, uploaded.status_code} <= denied
        assert api.delete(f"/api/showcase/products/{product.pk}/").status_code in denied
        assert _state(company) == before


@pytest.mark.parametrize("role", ROLES)
def test_reordering_and_deleting_photos_only_by_the_company_editors(company, product, role):
    second = product_create(company=company, name_en="Second")
    photos = [photo_add(product=product, upload=files.jpeg()) for _ in range(3)]
    api = _api(_users(company)[role])
    before = _state(company)

    moved_product = api.post(f"/api/showcase/products/{second.pk}/move/", {"direction": "up"}, format="json")
    moved_photo = api.post(f"/api/showcase/photos/{photos[2].pk}/move/", {"direction": "up"}, format="json")
    deleted = api.delete(f"/api/showcase/photos/{photos[0].pk}/")

    if role in EDITORS:
        assert [item["id"] for item in moved_product.json()] == [second.pk, product.pk]
        assert [item["id"] for item in moved_photo.json()] == [photos[0].pk, photos[2].pk, photos[1].pk]
        assert [item["position"] for item in moved_photo.json()] == [0, 1, 2]
        assert deleted.status_code == 204
        assert list(product.photos.order_by("position").values_list("pk", flat=True)) == [
            photos[2].pk,
            photos[1].pk,
        ]
    else:
        denied = {401, 403} if role == "anonymous" else {404}
        assert {moved_product.status_code, moved_photo.status_code, deleted.status_code} <= denied
        assert _state(company) == before
        assert list(product.photos.order_by("position").values_list("pk", flat=True)) == [
            p.pk for p in photos
        ]


def test_a_move_needs_up_or_down(company, product):
    api = _api(MembershipFactory(company=company).user)

    response = api.post(f"/api/showcase/products/{product.pk}/move/", {"direction": "left"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["direction"]


def test_refusals_answer_400_and_change_nothing(company, product):
    api = _api(MembershipFactory(company=company).user)
    before = _state(company)

    no_name = api.post(f"/api/companies/{company.pk}/products/", {"description_en": "x"}, format="json")
    emptied = api.patch(
        f"/api/showcase/products/{product.pk}/", {"name_en": "", "name_th": ""}, format="json"
    )
    svg = api.post(f"/api/showcase/products/{product.pk}/photos/", {"photo": files.svg()}, format="multipart")
    bomb = api.post(
        f"/api/showcase/products/{product.pk}/photos/", {"photo": files.png_bomb()}, format="multipart"
    )
    control = api.post(f"/api/companies/{company.pk}/products/", {"name_en": "Gear\x07"}, format="json")
    unknown_tag = api.post(
        f"/api/companies/{company.pk}/products/", {"name_en": "Gear", "industries": ["nope"]}, format="json"
    )

    assert [r.status_code for r in (no_name, emptied, svg, bomb, control, unknown_tag)] == [400] * 6
    assert no_name.json() == ["Give the product a name in at least one language."]
    assert list(control.json()) == ["name_en"]
    assert list(unknown_tag.json()) == ["industries"]
    assert _state(company) == before


def test_products_are_in_the_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), "--validate")
    schema = out.read_text()

    for path in (
        "/api/companies/{company}/products/:",
        "/api/showcase/products/{id}/:",
        "/api/showcase/products/{id}/photos/:",
        "/api/showcase/products/{id}/move/:",
        "/api/showcase/photos/{id}/:",
        "/api/showcase/photos/{id}/move/:",
    ):
        assert f"  {path}\n" in schema
    assert "operationId: showcase_products_photos_create" in schema
    assert "multipart/form-data" in schema
