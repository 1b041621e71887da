"""The company page's "Read from the text" section (registered in ``MatchingConfig.ready``): what matching
inferred from the text, with the words it came from, and the certificates stated but not verified, which
a coordinator verifies in one click."""

import rules
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from matching.understanding.forms import VerifyStatedCertificateForm
from matching.understanding.reading import read
from matching.understanding.selectors import (
    as_written,
    inferred_industries,
    inferred_items,
    stated_certificates,
)
from portal.companies.rules import is_company_member
from portal.taxonomy.selectors import taxonomy_choices


def text_reading_panel(*, request: HttpRequest, company) -> str:
    if not request.user.has_perm("companies.view_company_private", company):
        return ""
    stated = stated_certificates(company)
    inferred = inferred_items(company)
    industries = inferred_industries(company)
    if not stated and not inferred and not industries:
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
            "industries": industries,
            "can_override": request.user.has_perm("companies.edit_company", company),
            # Its members are told what to do next; a coordinator reads the same page for vetting.
            "own": is_company_member(request.user, company),
        },
        request=request,
    )


def stated_on_vetting_card(*, request: HttpRequest, company) -> str:
    """The certificates a company's descriptions state as held and its profile does not list (valid), on its
    card in the vetting queue, with the words they were read from: the coordinator verifies them on the
    company's page. No query: the descriptions and the certificates come with the queue, the names from the
    taxonomy's cache (``company_vetting_queue``, ``register_vetting_panel``). Unlike ``stated_certificates``
    it reads neither the postings nor the company's own answers (a stated certificate it removed still shows
    here): the card is a pointer, and the company's page, where the coordinator verifies, has both."""
    text = "\n".join([company.description_en, company.description_th, company.description_ja])
    if not text.strip():
        return ""
    reading = read(text, company.country)
    today = timezone.localdate()
    listed = set()
    for certificate in company.certificates.all():
        if certificate.is_valid_on(today):
            term = certificate.certification
            listed |= {term.slug, term.equivalent_to.slug if term.equivalent_to else ""}
    names = dict(taxonomy_choices()["certifications"])
    stated = [
        (names[slug], as_written(text, reading.evidence.get(f"held:{slug}", "")))
        for slug in sorted(reading.held - listed)
        if slug in names
    ]
    if not stated:
        return ""
    return render_to_string(
        "matching/_vetting_stated.html", {"company": company, "stated": stated}, request=request
    )
