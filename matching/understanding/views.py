"""A coordinator verifies a certificate the company's text states (one click during vetting)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.understanding.forms import VerifyStatedCertificateForm
from matching.understanding.services import stated_certificate_verify
from portal.companies.models import Company
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
        messages.error(request, _("Enter the date until which the certificate is valid."))
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
