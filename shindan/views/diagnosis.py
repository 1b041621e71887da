"""The pages of one diagnosis: overview and stage, item scores per area, statements, findings and the
action plan, follow-ups, history; and the report (HTML and PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.companies.selectors import company_get_for_user
from portal.core.service_calls import call_service_for_form, call_service_for_view
from portal.core.storage import private_file_response
from shindan import report, selectors, services
from shindan.forms import (
    ActionForm,
    ActionStatusForm,
    AreaScoresForm,
    DiagnosisCreateForm,
    DiagnosisForm,
    FindingForm,
    FollowUpForm,
    IntervieweeFormSet,
    RecommendationForm,
    RevisionForm,
    StageDetailsForm,
    StatementForm,
    TransitionForm,
)
from shindan.models import (
    AREA_ORDER,
    STAGE_ORDER,
    Area,
    Diagnosis,
    Stage,
)


def _diagnosis(request: HttpRequest, pk: int, permission: str = "shindan.view_diagnosis") -> Diagnosis:
    return selectors.diagnosis_get_for_user(user=request.user, pk=pk, permission=permission)


def _can_change(request: HttpRequest, diagnosis: Diagnosis) -> bool:
    return request.user.has_perm("shindan.change_diagnosis", diagnosis)


def _editable(diagnosis: Diagnosis) -> bool:
    return not diagnosis.is_closed and (not diagnosis.is_reported or diagnosis.revision_open)


def _base(request: HttpRequest, diagnosis: Diagnosis, tab: str) -> dict:
    can_change = _can_change(request, diagnosis)
    return {
        "diagnosis": diagnosis,
        "company": diagnosis.company,
        "tab": tab,
        "can_change": can_change,
        "editable": can_change and _editable(diagnosis),
        "area_tabs": [(code, Area(code).label, diagnosis.area_scores.get(code)) for code in AREA_ORDER],
    }


@login_required
def create(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = company_get_for_user(user=request.user, pk=company_pk, permission="shindan.create_diagnosis")
    in_progress = selectors.diagnosis_in_progress(company_id=company.pk)
    if in_progress is not None:
        messages.info(request, services.ALREADY_IN_PROGRESS)
        return redirect("shindan:diagnosis", pk=in_progress.pk)
    form = DiagnosisCreateForm(request.POST or None, company=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service_for_view(
            request,
            services.diagnosis_create,
            form=form,
            success=_("The diagnosis was created."),
            actor=request.user,
            company=company,
            requested_on=data["requested_on"],
            consultants=list(data["co_consultants"]),
            purpose=data["purpose"],
            stated_needs=data["stated_needs"],
        )
        if result.ok:
            return redirect("shindan:diagnosis", pk=result.value.pk)
    return render(request, "shindan/diagnosis_new.html", {"form": form, "company": company})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk)
    context = _base(request, diagnosis, "overview")
    form = formset = None
    if request.method == "POST":
        if not context["can_change"]:
            raise Http404
        form = DiagnosisForm(request.POST)
        formset = IntervieweeFormSet(request.POST, prefix="people")
        if form.is_valid() and formset.is_valid():
            result = call_service_for_view(
                request,
                services.diagnosis_overview_save,
                success=_("Saved."),
                actor=request.user,
                diagnosis=diagnosis,
                people=[
                    (row.get("name", ""), row.get("position", "")) for row in formset.cleaned_data if row
                ],
                **form.cleaned_data,
            )
            if result.ok:
                return redirect("shindan:diagnosis", pk=diagnosis.pk)
    return _detail_page(request, diagnosis, context, form=form, formset=formset)


def _detail_page(
    request: HttpRequest,
    diagnosis: Diagnosis,
    context: dict,
    *,
    form: DiagnosisForm | None = None,
    formset=None,
    stage_form: StageDetailsForm | None = None,
) -> HttpResponse:
    """The overview page; a refused stage change comes back here with its date and note as typed."""
    if form is None:
        form = DiagnosisForm(initial={name: getattr(diagnosis, name) for name in DiagnosisForm.base_fields})
    if formset is None:
        people = [{"position": p.position, "name": p.name} for p in diagnosis.interviewees.all()]
        formset = IntervieweeFormSet(initial=people, prefix="people")
    context.update(
        {
            "form": form,
            "formset": formset,
            **_stage_moves(diagnosis),
            "stage_form": stage_form or StageDetailsForm(),
            "revision_form": RevisionForm(),
            "stage_changes": diagnosis.stage_changes.select_related("by"),
            "revisions": diagnosis.revisions.select_related("created_by"),
            "consultants": diagnosis.consultants.all(),
        }
    )
    return render(request, "shindan/diagnosis_detail.html", context)


def _stage_moves(diagnosis: Diagnosis) -> dict:
    """The stage buttons: the step forward (primary), the others (back, or close), and what must be done
    before the report can be issued when that is the step forward."""
    allowed = services.STAGES.allowed(diagnosis.stage)
    forward = services.FORWARD.get(diagnosis.stage)
    forward = forward if forward in allowed else None
    here = STAGE_ORDER.index(diagnosis.stage)
    others = [
        (code, Stage(code).label, "back" if STAGE_ORDER.index(code) < here else "on")
        for code in STAGE_ORDER
        if code in allowed and code != forward
    ]
    missing = selectors.report_missing(diagnosis) if forward == Stage.REPORTED else []
    return {
        "forward": (forward, Stage(forward).label) if forward else None,
        "other_moves": others,
        "report_missing": missing,
    }


def _moved_message(from_stage: str, to_stage: str) -> str:
    label = Stage(to_stage).label
    if to_stage == Stage.REPORTED:
        return _("The report is issued: the company's members can read it now.")
    if to_stage == Stage.CLOSED:
        return _("The diagnosis is closed.")
    if STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage):
        return _("The diagnosis went back to “%(stage)s”.") % {"stage": label}
    return _("The diagnosis moved on to “%(stage)s”.") % {"stage": label}


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A stage button. A refused date (empty, mistyped, in the future, before the last change) comes back
    on the overview at its field with the note as typed; other refusals are a message above the page."""
    diagnosis = _diagnosis(request, pk, "shindan.change_diagnosis")
    form = TransitionForm(request.POST, stage=diagnosis.stage)
    details = StageDetailsForm(request.POST)  # the date and note as the page shows them
    if not form.is_valid():
        if form.has_error("to_stage"):  # a button of a page that is out of date, or a forged one
            messages.error(request, _("Choose a stage the diagnosis can move to, and a date."))
            return redirect("shindan:diagnosis", pk=pk)
        return _detail_page(request, diagnosis, _base(request, diagnosis, "overview"), stage_form=details)
    to_stage = form.cleaned_data["to_stage"]
    if to_stage == Stage.REPORTED and selectors.report_missing(diagnosis):
        # The service would refuse with the whole list; the page already shows it.
        messages.error(
            request, _("The report cannot be issued yet: the list on this page says what is missing.")
        )
        return redirect("shindan:diagnosis", pk=pk)
    details.is_valid()  # the same date and note as ``form``: valid; a refusal of the date goes to its field
    result = call_service_for_view(
        request,
        services.diagnosis_transition,
        form=details,
        success=_moved_message(diagnosis.stage, to_stage),
        actor=request.user,
        diagnosis=diagnosis,
        **form.cleaned_data,
    )
    if result.ok:
        return redirect("shindan:diagnosis", pk=pk)
    if not details.has_error("on"):
        messages.error(request, " ".join(result.error.messages))
        return redirect("shindan:diagnosis", pk=pk)
    return _detail_page(request, diagnosis, _base(request, diagnosis, "overview"), stage_form=details)


@login_required
@require_POST
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk, "shindan.change_diagnosis")
    if request.POST.get("issue"):
        call_service_for_view(
            request,
            services.revision_issue,
            success=_("The revised report is issued."),
            actor=request.user,
            diagnosis=diagnosis,
        )
        return redirect("shindan:diagnosis", pk=pk)
    call_service_for_form(
        request,
        RevisionForm(request.POST),
        services.revision_open,
        refused=_("Say why the report is being revised."),
        success=_("A revision is open: changes are recorded until you issue it."),
        actor=request.user,
        diagnosis=diagnosis,
    )
    return redirect("shindan:diagnosis", pk=pk)


@login_required
def area(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    diagnosis = _diagnosis(request, pk)
    checklist_area = diagnosis.checklist.areas.filter(code=code).first()
    if checklist_area is None:
        raise Http404
    items = checklist_area.items.all()
    existing = {row.item_id: row for row in diagnosis.item_scores.filter(item__area=checklist_area)}
    form = AreaScoresForm(request.POST or None, request.FILES or None, items=items, existing=existing)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "POST":
        if not _can_change(request, diagnosis):
            raise Http404
        if form.is_valid():
            result = call_service_for_view(
                request,
                services.item_scores_save,
                form=form,
                actor=request.user,
                diagnosis=diagnosis,
                entries=form.entries(),
            )
            if not result.ok and wants_json:
                return JsonResponse({"ok": False, "errors": result.error.messages}, status=400)
            if result.ok:
                changed = result.value
                diagnosis.refresh_from_db()
                if wants_json:
                    overall = diagnosis.overall_score
                    return JsonResponse(
                        {
                            "ok": True,
                            "changed": changed,
                            "area_score": diagnosis.area_scores.get(code),
                            "overall_score": None if overall is None else str(overall),
                        }
                    )
                messages.success(request, _("Scores saved."))
                return redirect("shindan:area", pk=pk, code=code)
        elif wants_json:
            return JsonResponse({"ok": False, "errors": form.errors}, status=400)
    context = _base(request, diagnosis, code)
    next_codes = [c for c in AREA_ORDER if diagnosis.checklist.areas.filter(code=c).exists()]
    position = next_codes.index(code)
    context.update(
        {
            "area": checklist_area,
            "form": form,
            "existing": existing,
            "next_area": next_codes[position + 1] if position + 1 < len(next_codes) else None,
            "language": get_language(),
        }
    )
    return render(request, "shindan/area.html", context)


@login_required
def statements(request: HttpRequest, pk: int, statement_pk: int | None = None) -> HttpResponse:
    diagnosis = _diagnosis(request, pk)
    statement = (
        selectors.statement_get_for_user(user=request.user, pk=statement_pk, diagnosis_pk=diagnosis.pk)
        if statement_pk
        else None
    )
    form = StatementForm(request.POST or None, instance=statement)
    if request.method == "POST":
        if not _can_change(request, diagnosis):
            raise Http404
        if request.POST.get("delete") and statement is not None:
            call_service_for_view(request, services.statement_delete, actor=request.user, statement=statement)
            return redirect("shindan:statements", pk=pk)
        if form.is_valid():
            result = call_service_for_view(
                request,
                services.statement_save,
                form=form,
                success=_("Statement saved."),
                actor=request.user,
                diagnosis=diagnosis,
                statement=statement,
                **form.service_data(),
            )
            if result.ok:
                return redirect("shindan:statements", pk=pk)
    context = _base(request, diagnosis, "statements")
    ratio_rows = selectors.financial_analysis(diagnosis)
    context.update(
        {
            "form": form,
            "statement": statement,
            "statements": list(diagnosis.statements.all()),
            "ratio_rows": ratio_rows,
            "negative_equity": selectors.negative_equity_years(ratio_rows),
        }
    )
    return render(request, "shindan/statements.html", context)


PLAN_FORMS = {"finding": FindingForm, "recommendation": RecommendationForm, "action": ActionForm}
PLAN_SERVICES = {
    "finding": services.finding_add,
    "recommendation": services.recommendation_add,
    "action": services.action_add,
}


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk)
    forms = {kind: form_class(prefix=kind) for kind, form_class in PLAN_FORMS.items()}
    if request.method == "POST":
        if not _can_change(request, diagnosis):
            raise Http404
        kind = request.POST.get("kind", "")
        if kind not in PLAN_FORMS:
            messages.error(request, _("Unknown kind of entry."))
            return redirect("shindan:plan", pk=pk)
        form = forms[kind] = PLAN_FORMS[kind](request.POST, prefix=kind)
        if form.is_valid():
            result = call_service_for_view(
                request,
                PLAN_SERVICES[kind],
                form=form,
                success=_("Added."),
                actor=request.user,
                diagnosis=diagnosis,
                **form.cleaned_data,
            )
            if result.ok:
                return redirect(f"{request.path}#{kind}s")
    context = _base(request, diagnosis, "plan")
    context.update(
        {
            "forms": forms,
            "findings": diagnosis.findings.all(),
            "recommendations": diagnosis.recommendations.all(),
            "actions": diagnosis.actions.all(),
            "status_form": ActionStatusForm(),
        }
    )
    return render(request, "shindan/plan.html", context)


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    entry = selectors.plan_entry_get_for_user(
        user=request.user, kind=kind, pk=obj_pk, diagnosis_pk=pk, permission="shindan.change_diagnosis"
    )
    call_service_for_view(request, services.item_delete, success=_("Removed."), actor=request.user, obj=entry)
    return redirect("shindan:plan", pk=pk)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    action = selectors.action_get_for_user(
        user=request.user, pk=action_pk, diagnosis_pk=pk, permission="shindan.change_diagnosis"
    )
    call_service_for_form(
        request,
        ActionStatusForm(request.POST),
        services.action_set_status,
        refused=_("Choose a status."),
        success=_("The action's status was updated."),
        actor=request.user,
        action=action,
    )
    return redirect(
        request.POST.get("next") == "follow_ups" and "shindan:follow_ups" or "shindan:plan", pk=pk
    )


def _at_visit_date(service):
    """``service``, its refusal of a visit before the report shown at the visit's date (the form's field)."""

    def call(**kwargs):
        try:
            return service(**kwargs)
        except ValidationError as error:
            if getattr(error, "code", None) == "before_report":
                raise ValidationError({"visited_on": [error]}) from error
            raise

    return call


@login_required
def follow_ups(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk)
    actions = list(diagnosis.actions.all())
    form = FollowUpForm(request.POST or None, actions=actions)
    if request.method == "POST":
        if not _can_change(request, diagnosis):
            raise Http404
        if form.is_valid():
            result = call_service_for_view(
                request,
                _at_visit_date(services.follow_up_record),
                form=form,
                success=_("The follow-up visit was recorded."),
                actor=request.user,
                diagnosis=diagnosis,
                visited_on=form.cleaned_data["visited_on"],
                notes=form.cleaned_data["notes"],
                statuses=form.statuses(),
            )
            if result.ok:
                return redirect("shindan:follow_ups", pk=pk)
    context = _base(request, diagnosis, "follow_ups")
    context.update(
        {
            "form": form,
            "visits": diagnosis.follow_ups.select_related("consultant").prefetch_related("updates__action"),
            "actions": actions,
        }
    )
    return render(request, "shindan/follow_ups.html", context)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk)
    context = _base(request, diagnosis, "history")
    context["changes"] = diagnosis.changes.select_related("actor")[:500]
    return render(request, "shindan/history.html", context)


@login_required
def evidence_photo(request: HttpRequest, pk: int, score_pk: int) -> FileResponse:
    """An item's evidence photo, for those who may see the diagnosis (never a public URL)."""
    row = selectors.item_score_get_for_user(user=request.user, pk=score_pk, diagnosis_pk=pk)
    if not row.photo:
        raise Http404
    return private_file_response(row.photo)


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk, "shindan.view_report")
    language = report.report_language(request.GET.get("lang"), get_language())
    with translation.override(language):
        context = report.report_context(diagnosis, language)
        # The report is in the chosen language; the page around it stays in the user's.
        body = render_to_string("shindan/_report_body.html", context, request=request)
    context["body"] = body
    context["can_view_workspace"] = request.user.has_perm("shindan.view_diagnosis", diagnosis)
    context["languages"] = report.REPORT_LANGUAGES
    return render(request, "shindan/report.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    diagnosis = _diagnosis(request, pk, "shindan.view_report")
    language = report.report_language(request.GET.get("lang"), get_language())
    pdf = report.render_pdf(diagnosis, language)
    name = slugify(diagnosis.company.name_en or diagnosis.company.registration_no) or "company"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="shindan-{name}-{diagnosis.requested_on:%Y%m%d}-{language}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
