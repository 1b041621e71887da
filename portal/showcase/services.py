"""Writes on the showcase: products (create, edit, reorder, delete), their photos and brochures, moderation.

Every picture and PDF is checked by its content and re-encoded before it is stored (portal/core/images.py);
a refused file leaves nothing behind (the rows are written in one transaction and the files of a rolled-back
row are deleted)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role, User
from portal.accounts.selectors import users_with_role
from portal.companies.models import Company
from portal.companies.services import company_refresh_derived
from portal.core.images import hashed_name, pdf_first_page, web_image_variants
from portal.core.notify import send_to_users
from portal.notifications.kinds import each_language
from portal.notifications.services import notification_send, notifications_settle
from portal.showcase.models import Product, ProductBrochure, ProductPhoto

TEXT_FIELDS = tuple(
    f"{part}_{code}" for part in ("name", "description", "specs") for code in ("en", "th", "ja")
)
TERM_FIELDS = ("capabilities", "industries")
PHOTO_SIZES = {"web": 1600, "thumb": 480}


def _validate(product: Product) -> None:
    if not (product.name_en or product.name_th or product.name_ja):
        raise ValidationError(
            _("Give the product a name in at least one language."), code="product_name_required"
        )


def _refresh_company(company: Company) -> None:
    """Product texts are part of the company's search and matching text (portal/companies/services.py)."""
    company_refresh_derived(company=company)


@transaction.atomic
def product_create(*, company: Company, **fields) -> Product:
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.products.count() >= settings.PORTAL_SHOWCASE_MAX_PRODUCTS:
        raise ValidationError(
            _("A company can show at most %(count)s products and technologies.")
            % {"count": settings.PORTAL_SHOWCASE_MAX_PRODUCTS},
            code="too_many_products",
        )
    last = company.products.aggregate(last=Max("position"))["last"]
    product = Product(company=company, position=0 if last is None else last + 1)
    for key in TEXT_FIELDS:
        setattr(product, key, (fields.get(key) or "").strip())
    _validate(product)
    product.save()
    for key in TERM_FIELDS:
        if key in fields:
            getattr(product, key).set(fields[key])
    _refresh_company(company)
    return product


@transaction.atomic
def product_update(*, product: Product, **fields) -> Product:
    for key in TEXT_FIELDS:
        if key in fields:
            setattr(product, key, (fields[key] or "").strip())
    _validate(product)
    product.save()
    for key in TERM_FIELDS:
        if key in fields:
            getattr(product, key).set(fields[key])
    _refresh_company(product.company)
    _tell_coordinators_if_hidden(product)
    return product


def _tell_coordinators_if_hidden(product: Product) -> None:
    """A product a coordinator hid was changed (its texts, photos or brochures): the coordinators are told,
    once a day per product, so that one of them looks at it again and shows it when it is right."""
    if not product.is_hidden:
        return
    notification_send(
        kind="showcase.hidden_product_changed",
        recipients=users_with_role(role=Role.COORDINATOR),
        target=product,
        url=reverse("showcase:detail", args=[product.pk]) + "#moderation-heading",
        context={"company": each_language(product.company), "product": each_language(product)},
        dedupe_key=f"showcase.hidden_product_changed:{product.pk}:{timezone.localdate().isoformat()}",
    )


@transaction.atomic
def product_delete(*, product: Product) -> None:
    company = product.company
    product.delete()  # its photos and brochures, and their files after commit (portal/core/storage.py)
    _refresh_company(company)


def _swap_with_neighbour(rows: list, pk: int, direction: str, model) -> bool:
    """Swap the row ``pk`` of the ordered ``rows`` with its neighbour and renumber them 0..n-1 (gaps and ties
    disappear); False when it is already at that end."""
    index = next(i for i, item in enumerate(rows) if item.pk == pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, item in enumerate(rows):
        if item.position != position:
            model.objects.filter(pk=item.pk).update(position=position)
    return True


@transaction.atomic
def product_move(*, product: Product, direction: str) -> Product:
    """Swap ``product`` with its neighbour ``"up"`` (earlier) or ``"down"`` (later) in the company's list."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a product up or down."), code="invalid_direction")
    products = list(
        Product.objects.select_for_update().filter(company_id=product.company_id).order_by("position", "pk")
    )
    _swap_with_neighbour(products, product.pk, direction, Product)
    product.refresh_from_db(fields=["position"])
    return product


@transaction.atomic
def photo_move(*, photo: ProductPhoto, direction: str) -> ProductPhoto:
    """Swap ``photo`` with its neighbour ``"up"`` (earlier) or ``"down"`` (later) among its product's photos;
    the first photo is the one on cards and at the top of the gallery."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a photo up or down."), code="invalid_direction")
    photos = list(
        ProductPhoto.objects.select_for_update()
        .filter(product_id=photo.product_id)
        .order_by("position", "pk")
    )
    _swap_with_neighbour(photos, photo.pk, direction, ProductPhoto)
    photo.refresh_from_db(fields=["position"])
    return photo


@transaction.atomic
def photo_add(
    *, product: Product, upload, caption_en: str = "", caption_th: str = "", caption_ja: str = ""
) -> ProductPhoto:
    if product.photos.count() >= settings.PORTAL_SHOWCASE_MAX_PHOTOS:
        raise ValidationError(
            _("A product can have at most %(count)s photos.")
            % {"count": settings.PORTAL_SHOWCASE_MAX_PHOTOS},
            code="too_many_photos",
        )
    web, thumb = web_image_variants(
        upload, max_bytes=settings.PORTAL_SHOWCASE_PHOTO_MAX_BYTES, sizes=PHOTO_SIZES
    )
    last = product.photos.aggregate(last=Max("position"))["last"]
    photo = ProductPhoto(
        product=product,
        position=0 if last is None else last + 1,
        width=web.width,
        height=web.height,
        caption_en=caption_en.strip(),
        caption_th=caption_th.strip(),
        caption_ja=caption_ja.strip(),
    )
    photo.image.save(web.content.name, web.content, save=False)
    photo.thumbnail.save(thumb.content.name, thumb.content, save=False)
    _save_with_files(photo, photo.image, photo.thumbnail)
    _tell_coordinators_if_hidden(product)
    return photo


@transaction.atomic
def photo_delete(*, photo: ProductPhoto) -> None:
    photo.delete()
    _tell_coordinators_if_hidden(photo.product)


@transaction.atomic
def brochure_add(*, product: Product, upload, title: str) -> ProductBrochure:
    if product.brochures.count() >= settings.PORTAL_SHOWCASE_MAX_BROCHURES:
        raise ValidationError(
            _("A product can have at most %(count)s brochures.")
            % {"count": settings.PORTAL_SHOWCASE_MAX_BROCHURES},
            code="too_many_brochures",
        )
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the brochure a title.")}, code="brochure_title_required")
    data, preview = pdf_first_page(upload, max_bytes=settings.PORTAL_SHOWCASE_BROCHURE_MAX_BYTES)
    brochure = ProductBrochure(product=product, title=title, size=len(data))
    brochure.file.save(hashed_name(data, ".pdf"), ContentFile(data), save=False)
    brochure.preview.save(preview.content.name, preview.content, save=False)
    _save_with_files(brochure, brochure.file, brochure.preview)
    _tell_coordinators_if_hidden(product)
    return brochure


@transaction.atomic
def brochure_delete(*, brochure: ProductBrochure) -> None:
    brochure.delete()
    _tell_coordinators_if_hidden(brochure.product)


def _save_with_files(row, *files) -> None:
    """Save ``row`` whose ``files`` are already stored; if the row cannot be saved, the files go too."""
    try:
        row.save()
    except Exception:
        for file in files:
            if file and file.name:
                file.storage.delete(file.name)
        raise


@transaction.atomic
def product_moderate(*, product: Product, actor: User, hidden: bool, reason: str = "") -> Product:
    """A coordinator hides a product (with a reason the company reads) or shows it again; the company's
    members are told by e-mail, each in their own language."""
    reason = reason.strip()
    if hidden and not reason:
        raise ValidationError(
            {"reason": _("Say why the product is hidden; the company will read it.")}, code="reason_required"
        )
    product = Product.objects.select_for_update().select_related("company").get(pk=product.pk)
    was_hidden = product.is_hidden
    product.is_hidden, product.moderation_note = hidden, reason if hidden else ""
    product.save(update_fields=["is_hidden", "moderation_note", "updated_at"])
    _refresh_company(product.company)
    if was_hidden and not hidden:  # shown again: its changes no longer wait for a coordinator
        notifications_settle(kind="showcase.hidden_product_changed", model=Product, ids=[product.pk])
    if hidden != was_hidden:
        members = list(User.objects.filter(memberships__company=product.company))
        template = "product_hidden" if hidden else "product_shown"
        transaction.on_commit(
            lambda: send_to_users(users=members, template=template, context={"product": product})
        )
    return product
