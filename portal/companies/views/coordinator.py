"""Coordinator tools: the vetting queue, bulk import (as background jobs) and export."""

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from portal.companies.forms import ImportForm, VettingForm
from portal.companies.importer import COLUMNS, export_csv, export_xlsx, file_size_error
from portal.companies.models import Company, ImportJob, ImportJobStatus
from portal.companies.panels import vetting_panels
from portal.companies.selectors import (
    company_vetting_get_for_user,
    company_vetting_queue,
    import_job_get_for_user,
    import_job_list_for_user,
)
from portal.companies.services import company_set_verification, import_job_create
from portal.core.service_calls import call_service_for_view
from portal.core.uploads import SizeLimitUploadHandler


def _require(request: HttpRequest, permission: str) -> None:
    if not rules.has_perm(permission, request.user):
        raise Http404


def _vetting_page(request: HttpRequest, refused: tuple[int, VettingForm] | None = None) -> HttpResponse:
    """The queue; a company the coordinator belongs to shows no decision form (another coordinator
    decides on it), and a refused decision comes back on its company's card with what was entered."""
    companies = list(company_vetting_queue(user=request.user))
    for company in companies:
        company.own = any(m.user_id == request.user.pk for m in company.memberships.all())
        company.vetting_form = refused[1] if refused and refused[0] == company.pk else None
        company.panels = vetting_panels(request=request, company=company)
    return render(request, "companies/vetting_queue.html", {"companies": companies, "form": VettingForm()})


@login_required
def vetting_queue(request: HttpRequest) -> HttpResponse:
    return _vetting_page(request)


@login_required
@require_POST
def vetting_decide(request: HttpRequest, pk: int) -> HttpResponse:
    company = company_vetting_get_for_user(user=request.user, pk=pk)
    form = VettingForm(request.POST)
    if form.is_valid():
        result = call_service_for_view(
            request,
            company_set_verification,
            form=form,
            success=_("%(company)s: decision saved and the owner told.") % {"company": company},
            company=company,
            actor=request.user,
            status=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            endorsed_by=form.cleaned_data["endorsed_by"],
        )
        if result.ok:
            return redirect("companies:vetting")
    return _vetting_page(request, refused=(company.pk, form))


@csrf_exempt  # checked below by csrf_protect, once the upload's size limit is in place
@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _require(request, "companies.import_companies")
    # Before the body is read: a file past the limit is not stored (nor parsed), and the page says so.
    limiter = SizeLimitUploadHandler(settings.PORTAL_IMPORT_MAX_BYTES, request)
    request.upload_handlers.insert(0, limiter)
    return _import_page(request, limiter)


@csrf_protect
def _import_page(request: HttpRequest, limiter: SizeLimitUploadHandler) -> HttpResponse:
    form = ImportForm()
    if request.method == "POST":
        files = request.FILES  # reads the body, through the limiter
        too_large = ""
        if limiter.exceeded:
            too_large = file_size_error(int(request.META.get("CONTENT_LENGTH") or 0) or limiter.limit + 1)
        form = ImportForm(request.POST, files, too_large=too_large or "")
        if form.is_valid():
            job = import_job_create(
                actor=request.user, upload=form.cleaned_data["file"], language=translation.get_language()
            )
            return redirect("companies:import_job", pk=job.pk)
    jobs = import_job_list_for_user(user=request.user)[:RECENT_IMPORTS]
    return render(
        request,
        "companies/import.html",
        {"form": form, "jobs": jobs, "header": ",".join(COLUMNS)},  # the file's first row
        status=400 if form.errors else 200,
    )


RECENT_IMPORTS = 10


def _progress_label(job: ImportJob) -> str:
    numbers = {
        "done": number_format(job.rows_done, force_grouping=True),
        "total": number_format(job.rows_total, force_grouping=True),
    }
    if job.status == ImportJobStatus.CHECKING and job.rows_total:
        return _("Checking rows: %(done)s of %(total)s") % numbers
    if job.status == ImportJobStatus.CHECKING:
        return _("Reading the file…")
    if job.status == ImportJobStatus.WRITING:
        return _("Writing companies: %(done)s of %(total)s") % numbers
    if job.status == ImportJobStatus.QUEUED:
        return _("Waiting for a worker to start the import…")
    return job.get_status_display()


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get_for_user(user=request.user, pk=pk)
    return render(request, "companies/import_job.html", {"job": job, "label": _progress_label(job)})


@login_required
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the job page polls (static/js/import_job.js): small, and never cached."""
    job = import_job_get_for_user(user=request.user, pk=pk)
    response = JsonResponse(
        {
            "status": job.status,
            "finished": job.is_finished,
            "percent": job.percent,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "label": _progress_label(job),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


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
