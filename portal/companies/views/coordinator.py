"""Coordinator tools: the vetting queue, bulk import and export."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.companies.forms import ImportForm, VettingForm
from portal.companies.importer import ImportFailed, export_csv, export_xlsx, import_companies
from portal.companies.models import Company
from portal.companies.selectors import company_vetting_queue
from portal.companies.services import company_set_verification


def _require(request: HttpRequest, permission: str) -> None:
    if not rules.has_perm(permission, request.user):
        raise Http404


@login_required
def vetting_queue(request: HttpRequest) -> HttpResponse:
    companies = company_vetting_queue(user=request.user)
    return render(request, "companies/vetting_queue.html", {"companies": companies, "form": VettingForm()})


@login_required
@require_POST
def vetting_decide(request: HttpRequest, pk: int) -> HttpResponse:
    company = company_vetting_queue(user=request.user).filter(pk=pk).first()
    if company is None:
        raise Http404
    form = VettingForm(request.POST)
    if form.is_valid():
        try:
            company_set_verification(
                company=company,
                actor=request.user,
                status=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                endorsed_by=form.cleaned_data["endorsed_by"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(company)s: decision saved and the owner told.") % {"company": company}
            )
            return redirect("companies:vetting")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("companies:vetting")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _require(request, "companies.import_companies")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_companies(data=upload.read(), filename=upload.name, actor=request.user)
        except ImportFailed as failure:
            errors = failure.errors
    status = 400 if errors else 200
    return render(
        request, "companies/import.html", {"form": form, "errors": errors, "result": result}, status=status
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require(request, "companies.import_companies")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    companies = Company.objects.order_by("pk")
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(companies),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(export_csv(companies), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="companies-{stamp}.{fmt}"'
    return response
