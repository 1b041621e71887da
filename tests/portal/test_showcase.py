"""Showcases: products with photos and brochures, permissions per role, upload refusals, EXIF stripped,
moderation told in the company's language, search, logos and pitches on cards."""

import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from portal.accounts.models import Role
from portal.companies.models import Company
from portal.companies.services import company_update_profile
from portal.showcase.forms import PhotoForm, ProductForm
from portal.showcase.models import Product, ProductBrochure, ProductPhoto
from portal.showcase.services import (
    brochure_add,
    photo_add,
    photo_move,
    product_create,
    product_delete,
    product_moderate,
    product_move,
)
from portal.taxonomy.models import Capability
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.portal import showcase_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory(name_en="Siam Precision Co., Ltd.")


@pytest.fixture
def product(company):
    return product_create(
        company=company, name_th="เฟืองอะลูมิเนียม", name_en="Aluminium gear", specs_en="±0.01 mm"
    )


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


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


# --- Services ------------------------------------------------------------------------------------------


def test_products_are_ordered_and_reordered(company):
    first = product_create(company=company, name_en="First")
    second = product_create(company=company, name_en="Second")
    third = product_create(company=company, name_ja="第三")

    product_move(product=third, direction="up")
    product_move(product=first, direction="up")  # already first: nothing moves

    assert list(company.products.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    assert list(company.products.order_by("position").values_list("position", flat=True)) == [0, 1, 2]


def test_photos_are_ordered_and_reordered(product):
    first, second, third = (photo_add(product=product, upload=files.jpeg()) for _ in range(3))

    photo_move(photo=first, direction="down")
    photo_move(photo=first, direction="down")
    photo_move(photo=first, direction="down")  # already last: nothing moves
    photo_move(photo=third, direction="up")

    ordered = product.photos.order_by("position")
    assert list(ordered.values_list("pk", flat=True)) == [third.pk, second.pk, first.pk]
    assert list(ordered.values_list("position", flat=True)) == [0, 1, 2]


@pytest.mark.parametrize("service", ["product", "photo"])
def test_moving_needs_up_or_down(product, service):
    photo = photo_add(product=product, upload=files.jpeg())
    move = {
        "product": lambda: product_move(product=product, direction="sideways"),
        "photo": lambda: photo_move(photo=photo, direction="sideways"),
    }[service]
    with pytest.raises(ValidationError) as error:
        move()

    assert error.value.error_list[0].code == "invalid_direction"


def test_a_product_needs_a_name_in_one_language(company):
    with pytest.raises(ValidationError) as error:
        product_create(company=company, description_en="No name")

    assert error.value.error_list[0].code == "product_name_required"
    assert Product.objects.count() == 0


def test_photo_is_reencoded_without_exif_or_gps(product):
    upload = files.jpeg(gps=True)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)  # the original has GPS

    photo = photo_add(product=product, upload=upload, caption_th="ด้านหน้า")

    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as stored:
            image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "WEBP"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert (photo.width, photo.height) == (800, 600)
    # The hash of the content (a file with the same content already stored gets a suffix from the storage).
    assert re.fullmatch(r"showcase/[0-9a-f]{32}-thumb(_[A-Za-z0-9]{7})?\.webp", photo.thumbnail.name)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (files.svg(), "image_markup"),
        (files.png(extra=b"<html><script>alert(1)</script></html>"), "image_markup"),
        (files.png_bomb(), "image_too_large"),
        (files.pdf("photo.jpg"), "image_format"),
    ],
    ids=["svg", "png-html-polyglot", "decompression-bomb", "wrong-type"],
)
def test_photo_refusals_store_nothing(product, upload, code):
    with pytest.raises(ValidationError) as error:
        photo_add(product=product, upload=upload)

    assert error.value.error_list[0].code == code
    assert ProductPhoto.objects.count() == 0


def test_too_big_photo_is_refused(product, settings):
    settings.PORTAL_SHOWCASE_PHOTO_MAX_BYTES = 1000

    with pytest.raises(ValidationError) as error:
        photo_add(product=product, upload=files.png())

    assert error.value.error_list[0].code == "file_too_big"


def test_brochure_gets_a_preview_of_its_first_page(product):
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue 2026")

    with brochure.preview.open("rb") as stored:
        preview = Image.open(io.BytesIO(stored.read()))
    assert preview.format == "WEBP"
    assert max(preview.size) == 800
    assert brochure.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("upload", "code"),
    [(files.png("brochure.pdf"), "pdf_format"), (files.svg("brochure.pdf"), "pdf_format")],
    ids=["png-named-pdf", "svg-named-pdf"],
)
def test_brochure_refusals(product, upload, code):
    with pytest.raises(ValidationError) as error:
        brochure_add(product=product, upload=upload, title="Catalogue")

    assert error.value.error_list[0].code == code
    assert product.brochures.count() == 0


def test_directory_search_finds_products(company, client):
    product_create(company=company, name_ja="精密アルミダイカスト部品")

    found = client.get(reverse("companies:directory"), {"q": "アルミダイカスト"}).context["page"]

    assert [c.pk for c in found] == [company.pk]


def test_deleted_or_hidden_products_leave_the_search(company, client, product):
    coordinator = UserFactory(role=Role.COORDINATOR)

    product_moderate(
        product=product, actor=coordinator, hidden=True, reason="Photo shows a competitor's mark"
    )
    assert not client.get(reverse("companies:directory"), {"q": "เฟืองอะลูมิเนียม"}).context["page"].object_list

    product_moderate(product=product, actor=coordinator, hidden=False)
    assert [
        c.pk for c in client.get(reverse("companies:directory"), {"q": "เฟืองอะลูมิเนียม"}).context["page"]
    ] == [company.pk]

    product_delete(product=product)
    assert not client.get(reverse("companies:directory"), {"q": "เฟืองอะลูมิเนียม"}).context["page"].object_list


def test_hiding_needs_a_reason_and_tells_members_in_their_language(
    company, product, django_capture_on_commit_callbacks
):
    thai = MembershipFactory(company=company, user=UserFactory(language="th")).user
    japanese = MembershipFactory(company=company, role="member", user=UserFactory(language="ja")).user
    coordinator = UserFactory(role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        product_moderate(product=product, actor=coordinator, hidden=True, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        product_moderate(product=product, actor=coordinator, hidden=True, reason="Wrong photo")

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {thai.email, japanese.email}
    assert "ซ่อน" in by_recipient[thai.email].body
    assert "非表示" in by_recipient[japanese.email].body
    assert "Wrong photo" in by_recipient[thai.email].body


# --- Permissions per role --------------------------------------------------------------------------------

MANAGERS = {"member", "owner", "coordinator"}


@pytest.mark.parametrize(
    "role", ["anonymous", "outsider", "other_company_owner", "member", "owner", "coordinator", "consultant"]
)
def test_manage_pages_per_role(client, company, product, role):
    user = _users(company)[role]
    if user:
        client.force_login(user)
    pages = [
        reverse("showcase:manage", args=[company.pk]),
        reverse("showcase:new", args=[company.pk]),
        reverse("showcase:edit", args=[product.pk]),
    ]
    expected = 200 if role in MANAGERS else (302 if role == "anonymous" else 404)

    assert [client.get(url).status_code for url in pages] == [expected] * 3
    response = client.post(reverse("showcase:delete", args=[product.pk]))
    assert Product.objects.filter(pk=product.pk).exists() == (role not in MANAGERS)
    assert response.status_code == (302 if role in MANAGERS | {"anonymous"} else 404)


@pytest.mark.parametrize(
    "role", ["anonymous", "outsider", "other_company_owner", "member", "owner", "coordinator", "consultant"]
)
def test_reordering_products_and_photos_only_by_editors(client, company, product, role):
    second = product_create(company=company, name_en="Second")
    photos = [photo_add(product=product, upload=files.jpeg()) for _ in range(2)]
    user = _users(company)[role]
    if user:
        client.force_login(user)

    product_answer = client.post(reverse("showcase:move", args=[second.pk]), {"direction": "up"})
    photo_answer = client.post(reverse("showcase:photo_move", args=[photos[1].pk]), {"direction": "up"})

    products = list(company.products.order_by("position").values_list("pk", flat=True))
    photo_order = list(product.photos.order_by("position").values_list("pk", flat=True))
    if role in MANAGERS:
        assert products == [second.pk, product.pk]
        assert photo_order == [photos[1].pk, photos[0].pk]
        assert product_answer["Location"] == f"/companies/{company.pk}/showcase/#product-{second.pk}"
        assert photo_answer["Location"] == f"/showcase/{product.pk}/edit/#photo-{photos[1].pk}"
    else:
        assert products == [product.pk, second.pk]
        assert photo_order == [photos[0].pk, photos[1].pk]
        expected = 302 if role == "anonymous" else 404
        assert (product_answer.status_code, photo_answer.status_code) == (expected, expected)


def test_move_buttons_are_forms_named_after_what_they_move(client, company, product):
    second = product_create(company=company, name_en="Second")
    photo_add(product=product, upload=files.jpeg())
    photo_add(product=product, upload=files.jpeg())
    client.force_login(MembershipFactory(company=company).user)

    manage = client.get(reverse("showcase:manage", args=[company.pk])).content.decode()
    edit = client.get(reverse("showcase:edit", args=[product.pk])).content.decode()

    # Without JS: plain POST forms with a submit button, one per possible move (none up from the first, none
    # down from the last), each button's accessible name saying which item it moves.
    assert manage.count('name="direction" value="up"') == 1
    assert manage.count('name="direction" value="down"') == 1
    assert 'aria-label="Move down: Aluminium gear">Move down</button>' in manage
    assert 'aria-label="Move up: Second">Move up</button>' in manage
    assert f'action="/showcase/{second.pk}/move/"' in manage
    assert 'aria-label="Move down: photo 1">Move down</button>' in edit
    assert 'aria-label="Move up: photo 2">Move up</button>' in edit
    assert "Photo 2 of 2" in edit


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "owner", "coordinator", "consultant"])
def test_moderation_only_by_coordinators(client, company, product, role):
    user = _users(company)[role]
    if user:
        client.force_login(user)

    client.post(reverse("showcase:moderation", args=[product.pk]), {"hidden": "on", "reason": "Spam"})

    product.refresh_from_db()
    assert product.is_hidden == (role == "coordinator")


@pytest.mark.parametrize(
    ("state", "visible_to"),
    [
        (
            "public",
            {"anonymous", "outsider", "other_company_owner", "member", "owner", "coordinator", "consultant"},
        ),
        ("hidden", {"member", "owner", "coordinator"}),
        ("unverified", {"member", "owner", "coordinator"}),
    ],
)
def test_product_page_and_files_per_role(client, company, product, state, visible_to):
    photo = photo_add(product=product, upload=files.jpeg())
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue")
    users = _users(company)
    if state == "hidden":
        Product.objects.filter(pk=product.pk).update(is_hidden=True, moderation_note="Spam")
    if state == "unverified":
        company.verification_status = "pending"
        company.save()
    urls = [
        reverse("showcase:detail", args=[product.pk]),
        photo.url,
        photo.thumbnail_url,
        brochure.preview_url,
        reverse("showcase:brochure", args=[brochure.pk]),
    ]
    for role, user in users.items():
        client.logout()
        if user:
            client.force_login(user)
        expected = 200 if role in visible_to else 404
        assert [client.get(url).status_code for url in urls] == [expected] * 5, role


def test_public_files_are_cached_for_a_year_and_private_ones_are_not(client, company, product):
    photo = photo_add(product=product, upload=files.jpeg())

    public = client.get(photo.thumbnail_url)
    assert public["Cache-Control"] == "public, max-age=31536000, immutable"
    assert public["Content-Type"] == "image/webp"
    assert public["X-Content-Type-Options"] == "nosniff"

    Product.objects.filter(pk=product.pk).update(is_hidden=True, moderation_note="Spam")
    client.force_login(MembershipFactory(company=company).user)
    assert client.get(photo.thumbnail_url)["Cache-Control"] == "private, max-age=3600"


def test_brochure_is_downloaded_as_an_attachment(client, product):
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue")

    response = client.get(reverse("showcase:brochure", args=[brochure.pk]))

    assert response["Content-Disposition"].startswith("attachment")
    assert _read(response).startswith(b"%PDF-")


def test_a_brochure_whose_title_has_slashes_keeps_its_whole_title_as_file_name(client, product):
    brochure = brochure_add(product=product, upload=files.pdf(), title='Brochure/catalogue "2026"')

    response = client.get(reverse("showcase:brochure", args=[brochure.pk]))

    assert "Brochure catalogue" in response["Content-Disposition"]


def test_a_brochure_titled_with_its_file_name_is_not_downloaded_as_pdf_pdf(client, product):
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue 2026.PDF")

    response = client.get(reverse("showcase:brochure", args=[brochure.pk]))

    assert 'filename="Catalogue 2026.pdf"' in response["Content-Disposition"]


def test_at_the_limit_the_upload_forms_give_way_to_a_note(client, company, product, settings):
    settings.PORTAL_SHOWCASE_MAX_BROCHURES = 1
    client.force_login(MembershipFactory(company=company).user)
    edit = reverse("showcase:edit", args=[product.pk])
    html = client.get(edit, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Up to 1 brochure a product." in html
    assert reverse("showcase:brochure_add", args=[product.pk]) in html

    brochure_add(product=product, upload=files.pdf(), title="Catalogue")
    html = client.get(edit, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A product has at most 1 brochure: delete one to add another." in html
    assert reverse("showcase:brochure_add", args=[product.pk]) not in html
    assert reverse("showcase:photo_add", args=[product.pk]) in html  # photos are not at their limit


def test_the_showcase_of_an_unverified_company_says_partners_see_it_later(client):
    pending = CompanyFactory(verification_status="pending")
    client.force_login(MembershipFactory(company=pending).user)
    html = client.get(
        reverse("showcase:manage", args=[pending.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Partners see these products once a coordinator has verified your company." in html


def test_owner_adds_a_product_with_photo_and_brochure_through_the_pages(client, company):
    owner = MembershipFactory(company=company, user=UserFactory(language="th")).user
    client.force_login(owner)

    response = client.post(
        reverse("showcase:new", args=[company.pk]), {"name_th": "แม่พิมพ์ฉีด", "specs_th": "ขนาด 500 ตัน"}
    )
    product = company.products.get()
    assert response.status_code == 302
    client.post(
        reverse("showcase:photo_add", args=[product.pk]), {"photo": files.jpeg(), "caption_th": "ด้านหน้า"}
    )
    client.post(reverse("showcase:photo_add", args=[product.pk]), {"photo": files.png()})
    client.post(
        reverse("showcase:brochure_add", args=[product.pk]), {"brochure": files.pdf(), "title": "แคตตาล็อก"}
    )
    refused = client.post(reverse("showcase:photo_add", args=[product.pk]), {"photo": files.svg()})

    assert refused.status_code == 400
    assert "SVG" in refused.content.decode()
    assert product.photos.count() == 2
    assert product.brochures.count() == 1
    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert "แม่พิมพ์ฉีด" in page
    assert product.photos.first().thumbnail_url in page


# --- Logos and pitches ------------------------------------------------------------------------------------


def test_logo_is_reencoded_small_and_cached_for_a_year(client, company):
    company_update_profile(company=company, logo=files.jpeg("logo.jpg", size=(1200, 900), gps=True))
    company.refresh_from_db()

    with company.logo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.format == "WEBP"
    assert image.size == (256, 192)
    assert dict(image.getexif()) == {}
    response = client.get(company.logo.url)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_svg_logo_is_refused(company):
    with pytest.raises(ValidationError) as error:
        company_update_profile(company=company, logo=files.svg())

    assert "logo" in error.value.error_dict


def test_card_shows_logo_pitch_or_initials(client):
    with_logo = CompanyFactory(name_en="Alpha Tech Co., Ltd.", pitch_en="Precision gears for EV motors")
    company_update_profile(company=with_logo, logo=files.png("logo.png"))
    without = CompanyFactory(name_en="Bangkok Mould Works Co., Ltd.")

    page = client.get(reverse("companies:directory")).content.decode()

    with_logo.refresh_from_db()
    assert f'src="{with_logo.logo.url}"' in page
    assert "Precision gears for EV motors" in page
    assert ">BM</span>" in page
    assert without.initials == "BM"


@pytest.mark.parametrize("count", [1, 3])
def test_directory_with_logos_has_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for _ in range(count):
        company = CompanyFactory(pitch_th="ผลิตชิ้นส่วน")
        company_update_profile(company=company, logo=files.png("logo.png"))

    # The page's queries (taxonomy choices for the filters, the count, the page, its prefetches): the same for
    # one company and three, logos included (the logo is a column of the company).
    with django_assert_num_queries(11):
        response = client.get(reverse("companies:directory"))

    assert len(response.context["page"].object_list) == count


def test_product_texts_and_tags_feed_matching(company):
    from matching.features import load_features
    from portal.taxonomy.models import Capability

    product = product_create(
        company=company,
        name_en="Cleanroom injection moulding",
        capabilities=[Capability.objects.get(slug="cnc-machining")],
    )
    hidden = product_create(company=company, name_en="Secret prototype gearbox")
    coordinator = UserFactory(role=Role.COORDINATOR)
    product_moderate(product=hidden, actor=coordinator, hidden=True, reason="Duplicate")

    (features,) = load_features(ids=[company.pk])

    assert "cleanroom injection moulding" in features.text
    assert "gearbox" not in features.text
    assert "cnc-machining" in features.capabilities
    assert product.company_id == features.id


# --- Demo data ----------------------------------------------------------------------------------------


def test_demo_companies_get_logos_and_one_to_four_products_with_drawn_pictures():
    from portal.core.demo import demo_companies_seed
    from portal.showcase.demo import draw_product, showcase_demo_seed

    demo_companies_seed()
    made = showcase_demo_seed()
    again = showcase_demo_seed()

    companies = list(Company.objects.filter(external_id__contains="-DEMO-").prefetch_related("products"))
    assert again == 0
    assert made == sum(len(c.products.all()) for c in companies)
    assert all(1 <= len(c.products.all()) <= 4 for c in companies)
    assert all(c.logo for c in companies)
    assert not ProductPhoto.objects.filter(product__photos__isnull=True).exists()
    assert (
        ProductPhoto.objects.filter(caption_en__contains="synthetic").count() == ProductPhoto.objects.count()
    )
    assert (
        draw_product("CNC machining", "TH-DEMO-001:0", 0).read()
        == draw_product("CNC machining", "TH-DEMO-001:0", 0).read()
    )


def test_deleting_a_product_deletes_its_files_and_a_refused_upload_stores_none(
    product, django_capture_on_commit_callbacks, settings, tmp_path
):
    from portal.core.storage import private_storage, walk

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # an empty storage of its own

    with pytest.raises(ValidationError):
        photo_add(product=product, upload=files.svg())
    assert list(walk(private_storage())) == []
    photo = photo_add(product=product, upload=files.jpeg())
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue")
    stored = {photo.image.name, photo.thumbnail.name, brochure.file.name, brochure.preview.name}
    assert set(walk(private_storage())) == stored

    with django_capture_on_commit_callbacks(execute=True):
        product_delete(product=product)

    assert list(walk(private_storage())) == []


def test_the_product_form_offers_the_grouped_first_level_capabilities_and_keeps_a_deeper_one(product):
    form = ProductForm()
    offered = set(form.fields["capabilities"].queryset.values_list("slug", flat=True))
    assert offered == set(Capability.objects.filter(kind="").values_list("slug", flat=True))
    assert form["capabilities"].groups  # shown in their groups, as on a company's profile

    deeper = Capability.objects.exclude(kind="").first()
    product.capabilities.add(deeper)  # e.g. from a product sheet
    kept = ProductForm(initial=ProductForm.initial_for(product))
    assert deeper.slug in set(kept.fields["capabilities"].queryset.values_list("slug", flat=True))


def test_demo_product_pictures_carry_no_words_but_demo_and_their_colour_follows_the_product():
    """A demo picture serves every language: no English name drawn in it (the page names the product), only
    the DEMO mark; the products of one kind share a background colour from company to company."""
    from PIL import Image

    from portal.showcase.demo import draw_product

    def picture(label, key):
        return Image.open(draw_product(label, key, 0)).convert("RGB")

    first, second = picture("CNC machining", "TH-DEMO-001:0"), picture("CNC machining", "JP-DEMO-007:2")
    other = picture("Welding", "TH-DEMO-001:0")

    strip = first.crop((0, 505, 600, 595))  # where the English name used to be written
    assert strip.getcolors() == [(600 * 90, (255, 255, 255))]
    assert first.getpixel((2, 2)) == second.getpixel((2, 2))
    assert first.getpixel((2, 2)) != other.getpixel((2, 2))


# --- Deleting asks first: the delete URLs stay POST only; the page with the delete link shows a card -------
# (?delete= on the manage page, ?delete_photo= / ?delete_brochure= on the edit page) whose form POSTs there.

ROLES = ["anonymous", "outsider", "other_company_owner", "member", "owner", "coordinator", "consultant"]


def _expected_get(role) -> int:
    return 200 if role in MANAGERS else (302 if role == "anonymous" else 404)


@pytest.fixture
def product_with_media(product):
    photos = [photo_add(product=product, upload=files.jpeg()) for _ in range(2)]
    brochure = brochure_add(product=product, upload=files.pdf(), title="Catalogue 2026")
    return product, photos, brochure


def _counts():
    return (Product.objects.count(), ProductPhoto.objects.count(), ProductBrochure.objects.count())


def _card(html: str) -> str:
    """The confirmation card of a page ("" without one)."""
    found = re.search(r'<section class="card confirm" id="delete-confirm".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _action(card: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)"', card).group(1)


@pytest.mark.parametrize("name", ["showcase:delete", "showcase:photo_delete", "showcase:brochure_delete"])
def test_the_delete_urls_stay_post_only_and_a_get_deletes_nothing(client, company, product_with_media, name):
    product, photos, brochure = product_with_media
    client.force_login(MembershipFactory(company=company).user)
    pk = {"showcase:delete": product.pk, "showcase:photo_delete": photos[0].pk}.get(name, brochure.pk)

    response = client.get(reverse(name, args=[pk]))

    assert response.status_code == 405
    assert _counts() == (1, 2, 1)


@pytest.mark.parametrize("role", ROLES)
def test_the_product_confirmation_is_shown_only_to_an_editor_and_its_form_deletes_it(
    client, company, product_with_media, role
):
    product, _photos, _brochure = product_with_media
    other = product_create(company=company, name_en="Other gear")
    user = _users(company)[role]
    if user:
        client.force_login(user)
    before = _counts()

    page = client.get(reverse("showcase:manage", args=[company.pk]), {"delete": product.pk})

    assert page.status_code == _expected_get(role)  # the page itself, as without the parameter
    assert _counts() == before  # a GET changes nothing, for anybody
    if role == "anonymous":
        assert "/accounts/login/" in page["Location"]
    if role not in MANAGERS:
        assert "Aluminium gear" not in page.content.decode()
        answer = client.post(reverse("showcase:delete", args=[product.pk]))
        assert answer.status_code == (302 if role == "anonymous" else 404)
        assert _counts() == before
        return
    card = _card(page.content.decode())
    assert "Delete “Aluminium gear” with its 2 photos, 1 brochure? This cannot be undone." in card
    assert _action(card) == reverse("showcase:delete", args=[product.pk])
    assert 'name="csrfmiddlewaretoken"' in card
    assert '<button type="submit" class="danger">Delete the product</button>' in card
    assert f'href="/companies/{company.pk}/showcase/#product-{product.pk}">Cancel</a>' in card

    answer = client.post(_action(card))

    assert answer["Location"] == reverse("showcase:manage", args=[company.pk])
    assert list(Product.objects.values_list("pk", flat=True)) == [other.pk]
    assert _counts() == (1, 0, 0)  # the product, its 2 photos and its brochure; the other product stays


def test_the_confirmation_is_at_the_top_and_takes_the_focus(client, company, product_with_media):
    product, _photos, _brochure = product_with_media
    client.force_login(MembershipFactory(company=company).user)
    manage = reverse("showcase:manage", args=[company.pk])

    plain = client.get(manage).content.decode()
    html = client.get(manage, {"delete": product.pk}).content.decode()

    assert _card(plain) == ""
    card = _card(html)
    assert 'tabindex="-1" autofocus aria-labelledby="delete-confirm-title"' in card
    assert '<h2 id="delete-confirm-title">Delete the product</h2>' in card
    assert html.index(card) < html.index('<ol class="showcase-manage">')  # above the list
    assert html.count("autofocus") == 1


def test_the_confirmation_of_a_product_without_media_says_so_in_the_readers_language(
    client, company, product
):
    client.force_login(MembershipFactory(company=company).user)
    with translation.override("ja"):
        html = client.get(
            reverse("showcase:manage", args=[company.pk]), {"delete": product.pk}, HTTP_ACCEPT_LANGUAGE="ja"
        ).content
        expected = translation.gettext("Delete “%(name)s”? This cannot be undone.") % {
            "name": '<span lang="en">Aluminium gear</span>'  # ja readers: English before Thai
        }
        button = translation.gettext("Delete the product")
    card = _card(html.decode())
    assert expected in card
    assert f'<button type="submit" class="danger">{button}</button>' in card


@pytest.mark.parametrize("role", ROLES)
def test_the_photo_confirmation_is_shown_only_to_an_editor_and_its_form_deletes_only_that_photo(
    client, company, product_with_media, role
):
    product, photos, _brochure = product_with_media
    user = _users(company)[role]
    if user:
        client.force_login(user)
    before = _counts()

    page = client.get(reverse("showcase:edit", args=[product.pk]), {"delete_photo": photos[1].pk})

    assert page.status_code == _expected_get(role)
    assert _counts() == before
    if role not in MANAGERS:
        answer = client.post(reverse("showcase:photo_delete", args=[photos[1].pk]))
        assert answer.status_code == (302 if role == "anonymous" else 404)
        assert _counts() == before
        return
    card = _card(page.content.decode())
    assert '<h2 id="delete-confirm-title">Delete photo 2 of 2?</h2>' in card
    assert photos[1].thumbnail_url in card
    assert photos[0].thumbnail_url not in card
    assert _action(card) == reverse("showcase:photo_delete", args=[photos[1].pk])
    assert '<button type="submit" class="danger">Delete the photo</button>' in card
    assert f'href="/showcase/{product.pk}/edit/#photo-{photos[1].pk}">Cancel</a>' in card

    answer = client.post(_action(card))

    assert answer["Location"] == reverse("showcase:edit", args=[product.pk])
    assert list(product.photos.values_list("pk", flat=True)) == [photos[0].pk]
    assert _counts() == (1, 1, 1)


@pytest.mark.parametrize("role", ROLES)
def test_the_brochure_confirmation_is_shown_only_to_an_editor_and_its_form_deletes_only_that_brochure(
    client, company, product_with_media, role
):
    product, _photos, brochure = product_with_media
    kept = brochure_add(product=product, upload=files.pdf(), title="Price list")
    user = _users(company)[role]
    if user:
        client.force_login(user)
    before = _counts()

    page = client.get(reverse("showcase:edit", args=[product.pk]), {"delete_brochure": brochure.pk})

    assert page.status_code == _expected_get(role)
    assert _counts() == before
    if role not in MANAGERS:
        answer = client.post(reverse("showcase:brochure_delete", args=[brochure.pk]))
        assert answer.status_code == (302 if role == "anonymous" else 404)
        assert _counts() == before
        return
    card = _card(page.content.decode())
    assert '<h2 id="delete-confirm-title">Delete the brochure “Catalogue 2026”?</h2>' in card
    assert "Price list" not in card
    assert _action(card) == reverse("showcase:brochure_delete", args=[brochure.pk])
    assert f'href="/showcase/{product.pk}/edit/#brochure-{brochure.pk}">Cancel</a>' in card

    answer = client.post(_action(card))

    assert answer["Location"] == reverse("showcase:edit", args=[product.pk])
    assert list(product.brochures.values_list("pk", flat=True)) == [kept.pk]
    assert _counts() == (1, 2, 1)


@pytest.mark.parametrize("editor", ["member", "coordinator"])
def test_an_unknown_or_foreign_pk_shows_no_card_and_leaks_nothing(
    client, company, product_with_media, editor
):
    product, _photos, _brochure = product_with_media
    foreign = product_create(company=CompanyFactory(), name_en="Secret prototype")
    foreign_photo = photo_add(product=foreign, upload=files.jpeg())
    foreign_brochure = brochure_add(product=foreign, upload=files.pdf(), title="Secret roadmap")
    sibling = product_create(company=company, name_en="Sibling gear")  # same company, another product
    sibling_photo = photo_add(product=sibling, upload=files.jpeg())
    sibling_brochure = brochure_add(product=sibling, upload=files.pdf(), title="Sibling sheet")
    client.force_login(_users(company)[editor])  # a coordinator may edit the foreign product too
    manage = reverse("showcase:manage", args=[company.pk])
    edit = reverse("showcase:edit", args=[product.pk])
    before = _counts()

    asked = [
        (manage, {"delete": foreign.pk}),
        (manage, {"delete": 999999}),
        (manage, {"delete": "abc"}),
        (manage, {"delete": "²"}),
        (manage, {"delete": ""}),
        (edit, {"delete_photo": foreign_photo.pk}),
        (edit, {"delete_photo": sibling_photo.pk}),
        (edit, {"delete_photo": 999999}),
        (edit, {"delete_brochure": foreign_brochure.pk}),
        (edit, {"delete_brochure": sibling_brochure.pk}),
        (edit, {"delete_brochure": "-1"}),
        (edit, {"delete": product.pk}),  # the manage page's parameter: not the edit page's
    ]
    for url, query in asked:
        response = client.get(url, query)
        html = response.content.decode()
        assert response.status_code == 200, query
        assert _card(html) == "", query
        for secret in ("Secret prototype", "Secret roadmap", foreign_photo.thumbnail_url):
            assert secret not in html, query
    assert "Sibling sheet" not in client.get(edit, {"delete_brochure": sibling_brochure.pk}).content.decode()
    assert _counts() == before


def test_the_lists_link_to_the_confirmations_and_post_no_delete(client, company, product_with_media):
    product, photos, brochure = product_with_media
    client.force_login(MembershipFactory(company=company).user)

    manage = client.get(reverse("showcase:manage", args=[company.pk])).content.decode()
    edit = client.get(reverse("showcase:edit", args=[product.pk])).content.decode()

    # Links to the page's own confirmation (works without JS); no form deletes in one click.
    assert "/delete/" not in manage + edit
    assert (
        f'href="/companies/{company.pk}/showcase/?delete={product.pk}" aria-label="Delete: Aluminium gear">'
        "Delete</a>"
    ) in manage
    assert (
        f'href="/showcase/{product.pk}/edit/?delete_photo={photos[1].pk}" '
        'aria-label="Delete the photo: photo 2">Delete the photo</a>'
    ) in edit
    assert (
        f'href="/showcase/{product.pk}/edit/?delete_brochure={brochure.pk}" '
        'aria-label="Delete the brochure: Catalogue 2026">Delete the brochure</a>'
    ) in edit


def test_the_delete_links_of_a_form_shown_again_after_an_error_still_ask_on_the_edit_page(
    client, company, product_with_media
):
    product, photos, _brochure = product_with_media
    client.force_login(MembershipFactory(company=company).user)

    # An upload refused: the edit page is shown again at the photo_add address (POST only).
    html = client.post(reverse("showcase:photo_add", args=[product.pk]), {}).content.decode()

    assert f'href="/showcase/{product.pk}/edit/?delete_photo={photos[0].pk}"' in html
    assert _card(html) == ""


# --- The product form ------------------------------------------------------------------------------------


def test_no_photo_or_brochure_yet_is_a_line_of_its_own_not_a_gallery_cell(client, company, product):
    client.force_login(MembershipFactory(company=company).user)

    html = client.get(reverse("showcase:edit", args=[product.pk])).content.decode()

    # Outside the gallery grid (one thumbnail wide), so the sentence does not wrap in the middle of a word.
    assert '<p class="muted">No photo yet.</p>' in html
    assert '<p class="muted">No brochure yet.</p>' in html
    assert 'class="gallery"' not in html
    photo_add(product=product, upload=files.jpeg())
    html = client.get(reverse("showcase:edit", args=[product.pk])).content.decode()
    assert html.count('class="gallery"') == 1
    assert "No photo yet." not in html


@pytest.mark.parametrize(
    ("language", "order"),
    [("th", ["th", "en", "ja"]), ("ja", ["ja", "en", "th"]), ("en", ["en", "th", "ja"])],
)
def test_photo_captions_come_in_the_readers_language_order(client, company, product, language, order):
    with translation.override(language):
        assert list(PhotoForm().fields) == ["photo"] + [f"caption_{code}" for code in order]
    client.force_login(MembershipFactory(company=company).user)
    html = client.get(reverse("showcase:edit", args=[product.pk]), HTTP_ACCEPT_LANGUAGE=language).content
    positions = [html.decode().index(f'name="caption_{code}"') for code in order]
    assert positions == sorted(positions)


def test_the_product_confirmation_names_only_what_the_product_has(client, company, product_with_media):
    product, _photos, brochure = product_with_media
    brochure.delete()
    client.force_login(MembershipFactory(company=company).user)

    card = _card(
        client.get(reverse("showcase:manage", args=[company.pk]), {"delete": product.pk}).content.decode()
    )

    assert "Delete “Aluminium gear” with its 2 photos? This cannot be undone." in card
    assert "brochure" not in card.split("</h2>", 1)[1].split("</p>", 2)[1]


def test_changing_a_hidden_product_tells_the_coordinators_once_a_day(client, company, product):
    from portal.notifications.models import Notification
    from portal.showcase.services import product_update

    coordinator = UserFactory(role=Role.COORDINATOR)
    product_update(product=product, name_en="Aluminium gear, new photo")  # shown: nobody to tell
    product_moderate(product=product, actor=coordinator, hidden=True, reason="Wrong photo")
    product.refresh_from_db()
    owner = MembershipFactory(company=company, user=UserFactory(language="en")).user
    client.force_login(owner)
    html = client.get(reverse("showcase:edit", args=[product.pk])).content.decode()
    assert "Each change tells the coordinators" in html

    photo_add(product=product, upload=files.png())
    product_update(product=product, name_en="Aluminium gear")

    told = Notification.objects.filter(kind="showcase.hidden_product_changed")
    assert [(n.recipient, n.url) for n in told] == [
        (coordinator, reverse("showcase:detail", args=[product.pk]) + "#moderation-heading")
    ]  # one a day, however many changes
    assert not told.filter(recipient=owner).exists()


def test_hiding_without_a_reason_keeps_the_tick_and_says_so_at_the_field(client, product):
    client.force_login(UserFactory(role=Role.COORDINATOR, language="en"))

    response = client.post(reverse("showcase:moderation", args=[product.pk]), {"hidden": "on", "reason": " "})

    assert response.status_code == 400
    form = response.context["moderation_form"]
    assert form.errors["reason"] == ["Say why the product is hidden; the company will read it."]
    assert 'name="hidden"' in response.content.decode()
    assert form["hidden"].value() is True  # the tick is kept
    product.refresh_from_db()
    assert not product.is_hidden


@pytest.mark.parametrize(
    ("name_th", "name_ja", "initial"),
    [
        ("บริษัท เมดิคอล โมลด์ดิ้ง คิวเอ จำกัด", "", "เม"),  # a leading vowel with its consonant
        ("บริษัท ที่ดีที่สุด จำกัด (มหาชน)", "", "ที่"),  # the marks above stay with their letter
        ("ห้างหุ้นส่วนจำกัด สยามแม่พิมพ์", "", "ส"),
        ("", "株式会社加藤精密", "加"),
        ("", "QA精密樹脂株式会社", "Q"),
        ("บริษัท จำกัด", "", "บ"),  # nothing but the legal form: its first letter still
    ],
)
def test_a_thai_or_japanese_name_gives_its_own_initial_not_its_legal_forms(name_th, name_ja, initial):
    company = CompanyFactory.build(name_en="", name_th=name_th, name_ja=name_ja)

    assert company.initials == initial


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("ja", "この企業はまだこの言語で製品の説明を書いていません。原文（タイ語）で表示しています。"),
        ("th", None),  # written in the reader's language: no note
    ],
)
def test_a_product_described_in_another_language_says_so(client, company, language, note):
    thai_only = product_create(company=company, name_th="แม่พิมพ์", description_th="แม่พิมพ์ฉีดพลาสติก")

    html = client.get(
        reverse("showcase:detail", args=[thai_only.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert '<p class="lead" lang="th">แม่พิมพ์ฉีดพลาสติก</p>' in html
    if note:
        assert note in html
    else:
        assert "ยังไม่ได้เขียนรายละเอียดสินค้านี้" not in html
