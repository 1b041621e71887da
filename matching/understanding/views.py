"""A coordinator verifies a certificate the company's text states (one click during vetting)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.understanding.forms import InferenceOverrideForm, VerifyStatedCertificateForm
from matching.understanding.services import inference_override_set, stated_certificate_verify
from portal.companies.models import Company
from portal.companies.selectors import company_get_with_permission
from portal.core.service_calls import call_service_for_view


@login_required
@require_POST
def verify_stated_certificate(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    if not rules.has_perm("matching.verify_stated_certificate", request.user):
        raise Http404
    company = get_object_or_404(Company, pk=pk)
    back = reverse("companies:detail", args=[company.pk])
    form = VerifyStatedCertificateForm(request.POST, prefix=slug)
    if not form.is_valid():
        typed = form.data.get(form.add_prefix("expires_on"), "").strip()
        errors = form.errors.get("expires_on")
        # A date that was typed but cannot be read says why ("no such date", the pattern); none asks for one.
        messages.error(
            request,
            _("Valid until: %(error)s") % {"error": errors[0]}
            if typed and errors
            else _("Enter the date until which the certificate is valid."),
        )
        return redirect(back)
    call_service_for_view(
        request,
        stated_certificate_verify,
        success=_("Certificate verified: it now counts as held until its expiry."),
        company=company,
        slug=slug,
        expires_on=form.cleaned_data["expires_on"],
    )
    return redirect(back)


@login_required
@require_POST
def inference_override(request: HttpRequest, pk: int) -> HttpResponse:
    """The company confirms or removes an item inferred from its text (owners and coordinators)."""
    company = company_get_with_permission(user=request.user, pk=pk, permission="companies.edit_company")
    back = reverse("companies:detail", args=[company.pk])
    form = InferenceOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an inferred item to confirm or remove."))
        return redirect(back)
    call_service_for_view(
        request,
        inference_override_set,
        success=_("Saved: the recommended partners are recomputed with your answer."),
        company=company,
        **form.cleaned_data,
    )
    return redirect(back)
