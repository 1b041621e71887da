"""The company page's "Read from the text" section (registered in ``MatchingConfig.ready``): what matching
inferred from the text, with the words it came from, and the certificates stated but not verified, which
a coordinator verifies in one click."""

import rules
from django.http import HttpRequest
from django.template.loader import render_to_string

from matching.understanding.forms import VerifyStatedCertificateForm
from matching.understanding.selectors import inferred_items, stated_certificates
from portal.companies.rules import is_company_member


def text_reading_panel(*, request: HttpRequest, company) -> str:
    if not request.user.has_perm("companies.view_company_private", company):
        return ""
    stated = stated_certificates(company)
    inferred = inferred_items(company)
    if not stated and not inferred:
        return ""
    can_verify = rules.has_perm("matching.verify_stated_certificate", request.user)
    return render_to_string(
        "matching/_text_reading_panel.html",
        {
            "company": company,
            "stated": [
                (item, VerifyStatedCertificateForm(prefix=item.term.slug) if can_verify else None)
                for item in stated
            ],
            "inferred": inferred,
            "can_override": request.user.has_perm("companies.edit_company", company),
            # Its members are told what to do next; a coordinator reads the same page for vetting.
            "own": is_company_member(request.user, company),
        },
        request=request,
    )
