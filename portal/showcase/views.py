"""Showcase pages: a company's members manage its products; everybody allowed sees them and their files."""

import mimetypes
import re

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.companies.selectors import company_get_with_permission
from portal.core.service_calls import call_service_for_view
from portal.core.storage import private_file_response
from portal.showcase import services
from portal.showcase.forms import BrochureForm, MoveForm, PhotoForm, ProductForm, ProductModerationForm
from portal.showcase.selectors import (
    brochure_get_for_editor,
    brochure_get_for_user,
    photo_get_for_editor,
    product_get_for_editor,
    product_get_for_moderator,
    product_get_for_user,
    product_list_for_manager,
    showcase_file_for_user,
)

YEAR = 365 * 24 * 3600


def _picked(request: HttpRequest, parameter: str, items):
    """The item of ``items`` (already scoped to what the reader may edit) whose pk the query parameter
    names, or None: an unknown, foreign or malformed pk is ignored (no card, no error)."""
    value = request.GET.get(parameter, "")
    if not (value.isascii() and value.isdigit()):
        return None
    return next((item for item in items if item.pk == int(value)), None)


# Deleting asks first. The delete URLs stay POST only; the page the delete link is on shows, asked by a query
# parameter, a confirmation card at its top (templates/showcase/_delete_confirm.html) whose form POSTs to
# the delete URL; Cancel goes back to the item on the same page, without the parameter.


def _product_delete_confirmation(request: HttpRequest, products) -> dict | None:
    """The manage page's ``?delete=<product pk>``: one of the company's products the reader may edit."""
    product = _picked(request, "delete", products)
    if product is None or not rules.has_perm("showcase.edit_product", request.user, product):
        return None
    return {
        "kind": "product",
        "product": product,
        "photos": len(product.photos.all()),
        "brochures": len(product.brochures.all()),
        "action": reverse("showcase:delete", args=[product.pk]),
        "cancel_url": f"{reverse('showcase:manage', args=[product.company_id])}#product-{product.pk}",
    }


def _media_delete_confirmation(request: HttpRequest, product) -> dict | None:
    """The edit page's ``?delete_photo=<pk>`` / ``?delete_brochure=<pk>``: one of this product's own."""
    edit_url = reverse("showcase:edit", args=[product.pk])
    photos = list(product.photos.all())
    photo = _picked(request, "delete_photo", photos)
    if photo is not None:
        return {
            "kind": "photo",
            "product": product,
            "photo": photo,
            "number": photos.index(photo) + 1,
            "total": len(photos),
            "action": reverse("showcase:photo_delete", args=[photo.pk]),
            "cancel_url": f"{edit_url}#photo-{photo.pk}",
        }
    brochure = _picked(request, "delete_brochure", product.brochures.all())
    if brochure is not None:
        return {
            "kind": "brochure",
            "product": product,
            "brochure": brochure,
            "action": reverse("showcase:brochure_delete", args=[brochure.pk]),
            "cancel_url": f"{edit_url}#brochure-{brochure.pk}",
        }
    return None


def _apply_error(form, error) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def showcase_manage(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = company_get_with_permission(
        user=request.user, pk=company_pk, permission="showcase.manage_showcase"
    )
    products = product_list_for_manager(user=request.user, company=company)
    return render(
        request,
        "showcase/manage.html",
        {
            "company": company,
            "products": products,
            "confirm": _product_delete_confirmation(request, products),
        },
    )


@login_required
def product_new(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = company_get_with_permission(
        user=request.user, pk=company_pk, permission="showcase.manage_showcase"
    )
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            services.product_create,
            company=company,
            success=_("The product is saved. Add photos and a brochure below."),
            **form.cleaned_data,
        )
        if result.ok:
            return redirect("showcase:edit", pk=result.value.pk)
        _apply_error(form, result.error)
    return render(request, "showcase/product_form.html", {"company": company, "form": form})


def _edit_context(request, product, **forms) -> dict:
    return {
        "company": product.company,
        "product": product,
        "form": forms.get("form") or ProductForm(initial=ProductForm.initial_for(product)),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "brochure_form": forms.get("brochure_form") or BrochureForm(),
        # At the limit, the upload form gives way to a note (the service would refuse any file).
        "max_photos": settings.PORTAL_SHOWCASE_MAX_PHOTOS,
        "max_brochures": settings.PORTAL_SHOWCASE_MAX_BROCHURES,
        "photos_full": len(product.photos.all()) >= settings.PORTAL_SHOWCASE_MAX_PHOTOS,
        "brochures_full": len(product.brochures.all()) >= settings.PORTAL_SHOWCASE_MAX_BROCHURES,
    }


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get_for_editor(user=request.user, pk=pk)
    if request.method == "POST":
        form = ProductForm(request.POST)
        if form.is_valid():
            result = call_service_for_view(
                request,
                services.product_update,
                product=product,
                success=_("The product is saved. The coordinators are told to look at it again.")
                if product.is_hidden
                else _("The product is saved."),
                **form.cleaned_data,
            )
            if result.ok:
                return redirect("showcase:edit", pk=product.pk)
            _apply_error(form, result.error)
        return render(
            request, "showcase/product_form.html", _edit_context(request, product, form=form), status=400
        )
    context = _edit_context(request, product)
    context["confirm"] = _media_delete_confirmation(request, product)
    return render(request, "showcase/product_form.html", context)


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get_for_editor(user=request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        result = call_service_for_view(
            request,
            services.photo_add,
            product=product,
            upload=data["photo"],
            caption_en=data["caption_en"],
            caption_th=data["caption_th"],
            caption_ja=data["caption_ja"],
            success=_("The photo is added."),
        )
        if result.ok:
            return redirect("showcase:edit", pk=product.pk)
        _apply_error(form, result.error)
    return render(
        request, "showcase/product_form.html", _edit_context(request, product, photo_form=form), status=400
    )


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = photo_get_for_editor(user=request.user, pk=pk)
    call_service_for_view(request, services.photo_delete, photo=photo, success=_("The photo is deleted."))
    return redirect("showcase:edit", pk=photo.product_id)


@login_required
@require_POST
def photo_move(request: HttpRequest, pk: int) -> HttpResponse:
    photo = photo_get_for_editor(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        call_service_for_view(
            request, services.photo_move, photo=photo, direction=form.cleaned_data["direction"]
        )
    return redirect(f"{reverse('showcase:edit', args=[photo.product_id])}#photo-{photo.pk}")


@login_required
@require_POST
def brochure_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get_for_editor(user=request.user, pk=pk)
    form = BrochureForm(request.POST, request.FILES)
    if form.is_valid():
        result = call_service_for_view(
            request,
            services.brochure_add,
            product=product,
            upload=form.cleaned_data["brochure"],
            title=form.cleaned_data["title"],
            success=_("The brochure is added."),
        )
        if result.ok:
            return redirect("showcase:edit", pk=product.pk)
        _apply_error(form, result.error)
    return render(
        request, "showcase/product_form.html", _edit_context(request, product, brochure_form=form), status=400
    )


@login_required
@require_POST
def brochure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    brochure = brochure_get_for_editor(user=request.user, pk=pk)
    call_service_for_view(
        request, services.brochure_delete, brochure=brochure, success=_("The brochure is deleted.")
    )
    return redirect("showcase:edit", pk=brochure.product_id)


@login_required
@require_POST
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get_for_editor(user=request.user, pk=pk)
    company_pk = product.company_id
    call_service_for_view(
        request, services.product_delete, product=product, success=_("The product is deleted.")
    )
    return redirect("showcase:manage", company_pk=company_pk)


@login_required
@require_POST
def product_move(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get_for_editor(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        call_service_for_view(
            request, services.product_move, product=product, direction=form.cleaned_data["direction"]
        )
    return redirect(f"{reverse('showcase:manage', args=[product.company_id])}#product-{product.pk}")


@login_required
@require_POST
def product_moderation(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get_for_moderator(user=request.user, pk=pk)
    form = ProductModerationForm(request.POST)
    if form.is_valid():
        result = call_service_for_view(
            request,
            services.product_moderate,
            form=form,
            product=product,
            actor=request.user,
            hidden=form.cleaned_data["hidden"],
            reason=form.cleaned_data["reason"],
            success=_("Moderation saved. The company's members are told by e-mail."),
        )
        if result.ok:
            return redirect("showcase:detail", pk=product.pk)
    # Refused (a hide without a reason): the page again, the tick kept and the error at its field.
    return _product_page(request, product, moderation_form=form, status=400)


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_page(request, product_get_for_user(user=request.user, pk=pk))


def _product_page(request, product, *, moderation_form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "showcase/product_detail.html",
        {
            "product": product,
            "company": product.company,
            "moderation_form": moderation_form
            or ProductModerationForm(
                initial={"hidden": product.is_hidden, "reason": product.moderation_note}
            ),
        },
        status=status,
    )


def showcase_file(request: HttpRequest, name: str) -> FileResponse:
    """A photo, thumbnail or brochure preview. The name is the hash of the content, so the browser may keep
    a public one for a year; files of hidden products or unverified companies are private to their viewers."""
    file, product = showcase_file_for_user(user=request.user, name=f"showcase/{name}")
    response = private_file_response(file)
    response["Content-Type"] = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if not product.is_hidden and product.company.is_verified:
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "private, max-age=3600"
    return response


def brochure_download(request: HttpRequest, pk: int) -> FileResponse:
    brochure = brochure_get_for_user(user=request.user, pk=pk)
    if not brochure.file:
        raise Http404
    # A title's slashes would be read as folders (only what follows the last one would name the file); a
    # title that ends in ".pdf" would be downloaded as "….pdf.pdf".
    title = re.sub(r"[/\\]+", " ", brochure.title[:80]).strip()
    title = re.sub(r"\.pdf$", "", title, flags=re.IGNORECASE).strip() or "brochure"
    return private_file_response(brochure.file, download_name=f"{title}.pdf")
