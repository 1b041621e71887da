"""Desks: the consultant's workspace, the coordinators' overview, members' reports, consultant profiles,
assignments and checklists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.rules import is_consultant, is_coordinator_or_admin
from portal.companies.selectors import company_list_for_member
from portal.core.service_calls import call_service_for_view
from shindan import charts, selectors, services
from shindan.forms import AssignmentForm, ChecklistUploadForm, ConsultantProfileForm
from shindan.models import AREA_ORDER, Area, Checklist, ConsultantProfile


def _require(request: HttpRequest, permission: str, obj=None) -> None:
    if not request.user.has_perm(permission, obj):
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """/shindan/: the desk for the user's role."""
    if is_coordinator_or_admin(request.user):
        return overview(request)
    if is_consultant(request.user):
        return workspace(request)
    return my_reports(request)


def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    diagnoses = list(selectors.diagnosis_list_for_user(user=user))
    context = {
        "assignments": list(selectors.assignment_list_for_consultant(user=user)),
        "by_stage": selectors.diagnoses_by_stage(diagnoses),
        "overdue": list(selectors.overdue_actions_for_consultant(user=user)),
        "profile": ConsultantProfile.objects.filter(user=user).first(),
    }
    return render(request, "shindan/workspace.html", context)


def overview(request: HttpRequest) -> HttpResponse:
    data = selectors.overview(user=request.user)
    industry_rows = data["industry_scores"]
    chart = None
    if industry_rows:
        chart = charts.grouped_bars_svg(
            [
                (f"{row['industry'].name()} ({row['companies']})", [s for _a, s in row["scores"]])
                for row in industry_rows
            ],
            [str(Area(code).label) for code in AREA_ORDER],
            title=_("Average area scores by industry"),
        )
    readiness = selectors.readiness_for_companies({d.company_id for d in data["diagnoses"]})
    context = {**data, "chart": chart, "readiness": readiness}
    return render(request, "shindan/overview.html", context)


def my_reports(request: HttpRequest) -> HttpResponse:
    diagnoses = list(selectors.diagnosis_list_for_user(user=request.user))
    countries = set()
    if not diagnoses:  # what the empty page says depends on the member's country (a Shindan is for Thai SMEs)
        countries = set(company_list_for_member(user=request.user).values_list("country", flat=True))
    return render(request, "shindan/my_reports.html", {"diagnoses": diagnoses, "countries": countries})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if not is_consultant(request.user):
        raise Http404
    instance = ConsultantProfile.objects.filter(user=request.user).first()
    form = ConsultantProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.consultant_profile_save(
            user=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Your consultant profile was saved."))
        return redirect("shindan:home")
    return render(request, "shindan/profile.html", {"form": form})


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    _require(request, "shindan.manage_assignments")
    # ?company=<registration number or external ID>: from a company's page, the company filled in.
    initial = {"company": request.GET.get("company", "")[:64]}
    form = AssignmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            services.assignment_create,
            form=form,
            success=_("The consultant was assigned."),
            actor=request.user,
            **form.cleaned_data,
        )
        if result.ok:
            return redirect("shindan:assignments")
    rows = selectors.assignment_list().order_by("-starts_on", "-pk")[:200]
    profiles = {p.user_id: p for p in ConsultantProfile.objects.all()}
    return render(
        request, "shindan/assignments.html", {"form": form, "assignments": rows, "profiles": profiles}
    )


@login_required
@require_GET
def assignment_companies(request: HttpRequest) -> JsonResponse:
    """Companies matching what is typed in the assignment form's company field
    (static/js/directory_suggest.js): each with its name in the reader's language, and as its value the
    registration number the form takes."""
    _require(request, "shindan.manage_assignments")
    found = selectors.assignable_companies(query=request.GET.get("q", "")[:64])
    suggestions = [
        {
            "label": company.display_name(),
            "value": company.registration_no,
            "kind_label": f"{company.registration_no_display} · {company.get_country_display()}",
        }
        for company in found
    ]
    return JsonResponse({"suggestions": suggestions})


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    call_service_for_view(
        request,
        services.assignment_end,
        success=_("The assignment was ended."),
        actor=request.user,
        assignment=assignment,
    )
    return redirect("shindan:assignments")


@login_required
def checklists(request: HttpRequest) -> HttpResponse:
    _require(request, "shindan.manage_checklists")
    form = ChecklistUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request, services.checklist_import, form=form, actor=request.user, data=form.cleaned_data["file"]
        )
        if result.ok:
            checklist = result.value
            messages.success(
                request,
                _("Draft %(checklist)s was loaded. Review it, then publish it.") % {"checklist": checklist},
            )
            return redirect("shindan:checklist", pk=checklist.pk)
    rows = Checklist.objects.all()
    return render(
        request,
        "shindan/checklists.html",
        {"form": form, "checklists": rows, "current": services.checklist_current()},
    )


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get_for_user(user=request.user, pk=pk)
    areas = checklist.areas.prefetch_related("items").order_by("position")
    return render(request, "shindan/checklist_detail.html", {"checklist": checklist, "areas": areas})


@login_required
@require_POST
def checklist_publish(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get_for_user(
        user=request.user, pk=pk, permission="shindan.manage_checklists"
    )
    call_service_for_view(
        request,
        services.checklist_publish,
        success=_("%(checklist)s is published; new diagnoses use it.") % {"checklist": checklist},
        actor=request.user,
        checklist=checklist,
    )
    return redirect("shindan:checklist", pk=checklist.pk)
