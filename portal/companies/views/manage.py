"""Onboarding and editing a company (owners), join requests and members."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.companies.forms import (
    CertificateFormSet,
    CompanyAboutForm,
    CompanyBasicsForm,
    CompanyCapabilitiesForm,
    CompanyProfileForm,
    JoinDecisionForm,
    JoinRequestForm,
    MembershipForm,
)
from portal.companies.models import VerificationStatus
from portal.companies.selectors import (
    company_get_for_user,
    join_request_get_for_user,
    join_request_list_for_company,
    join_request_list_for_user,
    membership_get_for_user,
    membership_list_for_company,
)
from portal.companies.services import (
    company_create,
    company_set_certificates,
    company_set_primary_contact,
    company_update_profile,
    join_request_create,
    join_request_decide,
    membership_remove,
    membership_set_role,
)
from portal.core.dates import to_buddhist_year
from portal.core.phones import format_phone
from portal.core.service_calls import call_service_for_form, call_service_for_view

STEPS = [  # lazy: translated when a page shows them, not once at import
    ("profile", gettext_lazy("Size and place")),
    ("capabilities", gettext_lazy("Capabilities and certificates")),
    ("about", gettext_lazy("Description and contact")),
]
STEP_NAMES = [name for name, _label in STEPS]
ABOUT_TEXT_FIELDS = ("pitch_en", "pitch_th", "pitch_ja", "description_en", "description_th", "description_ja")


@login_required
def company_start(request: HttpRequest) -> HttpResponse:
    """Onboarding: register a new company (step 1) or ask to join an existing one."""
    form = CompanyBasicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = call_service_for_view(
            request,
            company_create,
            form=form,
            success=_("Your company is registered. Complete its profile in three short steps."),
            owner=request.user,
            **form.cleaned_data,
        )
        if result.ok:
            return redirect("companies:edit", pk=result.value.pk, step=STEP_NAMES[0])
    return render(
        request,
        "companies/company_start.html",
        {
            "form": form,
            "join_form": JoinRequestForm(auto_id="join_%s"),  # ids apart from the register form's
            "join_requests": join_request_list_for_user(user=request.user),
        },
    )


@login_required
@require_POST
def join_request_new(request: HttpRequest) -> HttpResponse:
    form = JoinRequestForm(request.POST, auto_id="join_%s")
    if form.is_valid():
        result = call_service_for_view(
            request,
            join_request_create,
            form=form,
            success=_("Your request was sent to the company's owners."),
            user=request.user,
            **form.cleaned_data,
        )
        if result.ok:
            return redirect("companies:start")
    return render(
        request,
        "companies/company_start.html",
        {
            "form": CompanyBasicsForm(),
            "join_form": form,
            "join_requests": join_request_list_for_user(user=request.user),
        },
        status=400,
    )


def _step_forms(request: HttpRequest, company, step: str):
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    if step == "profile":
        initial = {
            key: getattr(company, key)
            for key in (
                "sector",
                "region",
                "employees",
                "annual_revenue",
                "capital",
                "currency",
                "founded_year",
                "website",
            )
        }
        # As the reader writes them: the founding year in the Buddhist Era on a Thai page (public pages show
        # it so; the form takes either), whole amounts without ".00".
        if initial["founded_year"] and translation.get_language() == "th":
            initial["founded_year"] = to_buddhist_year(initial["founded_year"])
        for key in ("annual_revenue", "capital"):
            if initial[key] is not None and initial[key] == initial[key].to_integral_value():
                initial[key] = initial[key].quantize(Decimal(1))
        return {"form": CompanyProfileForm(data, files, company=company, initial=initial)}
    if step == "capabilities":
        initial = {
            key: list(getattr(company, key).all())
            for key in ("industries", "capabilities", "seeking", "requires", "looking_for")
        }
        initial["languages"] = company.language_list
        certificates = [
            {
                "certification": c.certification,
                "number": c.number,
                "issuer": c.issuer,
                "expires_on": c.expires_on,
            }
            for c in company.certificates.select_related("certification")
        ]
        return {
            "form": CompanyCapabilitiesForm(data, initial=initial),
            "formset": CertificateFormSet(data, initial=certificates, prefix="certificates"),
        }
    contact = company.contacts.filter(is_primary=True).first()
    initial = {key: getattr(company, key) for key in ABOUT_TEXT_FIELDS}
    if contact:
        initial.update(
            contact_name=contact.name,
            contact_email=contact.email,
            contact_phone=format_phone(contact.phone, viewer_country=company.country),
        )
    return {"form": CompanyAboutForm(data, initial=initial, country=company.country)}


@transaction.atomic
def _save_step(*, company, step: str, forms: dict) -> None:
    """One step's services, all or nothing."""
    data = forms["form"].cleaned_data
    if step == "profile":
        changes = dict(data)
        remove = changes.pop("remove_logo", False)
        if not changes.get("logo"):
            changes.pop("logo", None)  # keep the current logo unless a new one was uploaded
            if remove:
                changes["logo"] = None  # removed on purpose (a new upload wins over the tick)
        company_update_profile(company=company, **changes)
    elif step == "capabilities":
        kept = {  # second-level terms the form does not show stay as they are
            name: [*data[name], *getattr(company, name).exclude(kind="")]
            for name in ("capabilities", "seeking")
        }
        company_update_profile(company=company, **{**data, **kept, "languages": ",".join(data["languages"])})
        company_set_certificates(company=company, certificates=forms["formset"].certificates())
    else:
        company_update_profile(
            company=company,
            **{key: data[key] for key in ABOUT_TEXT_FIELDS},
        )
        company_set_primary_contact(
            company=company,
            name=data["contact_name"],
            email=data["contact_email"],
            phone=data["contact_phone"],
        )


@login_required
def company_edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    company = company_get_for_user(user=request.user, pk=pk, permission="companies.edit_company")
    if step not in STEP_NAMES:
        raise Http404
    forms = _step_forms(request, company, step)
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        was_rejected = company.verification_status == VerificationStatus.REJECTED
        result = call_service_for_view(
            request, _save_step, form=forms["form"], company=company, step=step, forms=forms
        )
        if result.ok:
            company.refresh_from_db(fields=["verification_status"])
            if was_rejected and company.verification_status == VerificationStatus.PENDING:
                # the edit sent it back to the vetting queue (services.company_update_profile)
                messages.info(request, _("The profile is sent again to the coordinators for review."))
            index = STEP_NAMES.index(step)
            if index + 1 < len(STEP_NAMES):
                messages.success(request, _("Saved: %(step)s.") % {"step": dict(STEPS)[step]})
                return redirect("companies:edit", pk=company.pk, step=STEP_NAMES[index + 1])
            messages.success(request, _("The profile is saved."))
            return redirect("companies:detail", pk=company.pk)
    return render(
        request,
        "companies/company_edit.html",
        {
            "company": company,
            "step": step,
            "steps": STEPS,
            "step_number": STEP_NAMES.index(step) + 1,
            **forms,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def company_members(request: HttpRequest, pk: int) -> HttpResponse:
    company = company_get_for_user(user=request.user, pk=pk, permission="companies.manage_members")
    return render(
        request,
        "companies/company_members.html",
        {
            "company": company,
            "memberships": membership_list_for_company(company=company),
            "join_requests": join_request_list_for_company(company=company),
        },
    )


@login_required
@require_POST
def join_request_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    join_request = join_request_get_for_user(user=request.user, pk=request_pk, company_pk=pk)
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        raise Http404
    call_service_for_view(
        request,
        join_request_decide,
        join_request=join_request,
        actor=request.user,
        approve=form.cleaned_data["decision"] == "approve",
    )
    return redirect(reverse("companies:members", args=[pk]))


@login_required
@require_POST
def membership_change(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = membership_get_for_user(user=request.user, pk=membership_pk, company_pk=pk)
    if request.POST.get("action") == "remove":
        call_service_for_view(
            request,
            membership_remove,
            success=_("The member was removed."),
            membership=membership,
            actor=request.user,
        )
        return redirect(reverse("companies:members", args=[pk]))
    call_service_for_form(
        request,
        MembershipForm(request.POST),
        membership_set_role,
        refused=_("Unknown role."),
        success=_("The role was changed."),
        membership=membership,
        actor=request.user,
    )
    return redirect(reverse("companies:members", args=[pk]))
