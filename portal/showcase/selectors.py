"""Reads on showcases, always scoped to a user (404 for what is missing or not allowed)."""

import rules
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from portal.accounts.models import User
from portal.companies.models import Company
from portal.showcase.models import Product, ProductBrochure, ProductPhoto


def _with_media(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.select_related("company").prefetch_related(
        "capabilities",
        "industries",
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk")),
        Prefetch("brochures", queryset=ProductBrochure.objects.order_by("pk")),
    )


def product_list_for_company_page(*, user: User, company: Company) -> QuerySet[Product]:
    """The products shown on a company's page: public ones, and hidden ones too for members and staff."""
    products = company.products.all()
    if not rules.has_perm("companies.view_company_private", user, company):
        products = products.filter(is_hidden=False)
        if not company.is_verified:
            return Product.objects.none()
    return _with_media(products).order_by("position", "pk")


def product_list_for_manager(*, user: User, company: Company) -> QuerySet[Product]:
    if not rules.has_perm("showcase.manage_showcase", user, company):
        raise Http404
    return _with_media(company.products.all()).order_by("position", "pk")


def _product(pk: int) -> Product | None:
    return _with_media(Product.objects.filter(pk=pk)).first()


def product_get_for_user(*, user: User, pk: int) -> Product:
    product = _product(pk)
    if product is None or not rules.has_perm("showcase.see_product", user, product):
        raise Http404
    return product


def product_get_for_editor(*, user: User, pk: int) -> Product:
    product = _product(pk)
    if product is None or not rules.has_perm("showcase.edit_product", user, product):
        raise Http404
    return product


def product_get_for_moderator(*, user: User, pk: int) -> Product:
    product = _product(pk)
    if product is None or not rules.has_perm("showcase.moderate_product", user, product):
        raise Http404
    return product


def photo_get_for_editor(*, user: User, pk: int) -> ProductPhoto:
    photo = ProductPhoto.objects.select_related("product__company").filter(pk=pk).first()
    if photo is None or not rules.has_perm("showcase.edit_product", user, photo.product):
        raise Http404
    return photo


def brochure_get_for_editor(*, user: User, pk: int) -> ProductBrochure:
    brochure = ProductBrochure.objects.select_related("product__company").filter(pk=pk).first()
    if brochure is None or not rules.has_perm("showcase.edit_product", user, brochure.product):
        raise Http404
    return brochure


def brochure_get_for_user(*, user: User, pk: int) -> ProductBrochure:
    brochure = ProductBrochure.objects.select_related("product__company").filter(pk=pk).first()
    if brochure is None or not rules.has_perm("showcase.see_product", user, brochure.product):
        raise Http404
    return brochure


def showcase_file_for_user(*, user: User, name: str):
    """(the stored file named ``name``, its product) for a user allowed to see the product; else 404."""
    photo = (
        ProductPhoto.objects.select_related("product__company")
        .filter(Q(image=name) | Q(thumbnail=name))
        .first()
    )
    if photo is not None:
        product, file = photo.product, (photo.image if photo.image.name == name else photo.thumbnail)
    else:
        brochure = ProductBrochure.objects.select_related("product__company").filter(preview=name).first()
        if brochure is None:
            raise Http404
        product, file = brochure.product, brochure.preview
    if not rules.has_perm("showcase.see_product", user, product):
        raise Http404
    return file, product


def product_texts_by_company(company_ids) -> dict[int, list[str]]:
    """Texts of the shown (not hidden) products per company id: matching reads them
    (matching/features/loading.py)."""
    texts: dict[int, list[str]] = {}
    fields = [f"{part}_{code}" for part in ("name", "description", "specs") for code in ("en", "th", "ja")]
    for row in Product.objects.filter(company_id__in=company_ids, is_hidden=False).values(
        "company_id", *fields
    ):
        texts.setdefault(row["company_id"], []).extend(row[field] for field in fields if row[field])
    return texts


def product_terms_by_company(company_ids) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """(capability slugs, industry slugs) of the shown products per company id (matching's tags)."""
    capabilities: dict[int, set[str]] = {}
    industries: dict[int, set[str]] = {}
    shown = Product.objects.filter(company_id__in=company_ids, is_hidden=False)
    for company_id, slug in Product.capabilities.through.objects.filter(product__in=shown).values_list(
        "product__company_id", "capability__slug"
    ):
        capabilities.setdefault(company_id, set()).add(slug)
    for company_id, slug in Product.industries.through.objects.filter(product__in=shown).values_list(
        "product__company_id", "industry__slug"
    ):
        industries.setdefault(company_id, set()).add(slug)
    return capabilities, industries
