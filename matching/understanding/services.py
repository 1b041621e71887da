"""Writes about what the text states: a coordinator verifies a stated certificate during vetting.

Verifying turns "stated in the text, not verified" into a held certificate with an expiry
(``CompanyCertification``), which then counts fully for matching (``matching/understanding/columns.py``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.understanding.selectors import stated_certificates
from portal.companies.events import announce_company_changed
from portal.companies.models import Company, CompanyCertification


@transaction.atomic
def stated_certificate_verify(
    *, company: Company, slug: str, expires_on: datetime.date, number: str = "", issuer: str = ""
) -> CompanyCertification:
    """Record the certificate ``slug`` that ``company``'s text states as held, valid until ``expires_on``."""
    stated = {row.term.slug: row for row in stated_certificates(company)}
    if slug not in stated:
        raise ValidationError(
            _("The profile's text does not state this certificate, or it is already held."), code="not_stated"
        )
    if expires_on < timezone.localdate():
        raise ValidationError(_("The expiry date is in the past."), code="expired")
    # An expired certificate of the same kind is renewed (one row per company and certification).
    certificate, _created = CompanyCertification.objects.update_or_create(
        company=company,
        certification=stated[slug].term,
        defaults={"expires_on": expires_on, "number": number, "issuer": issuer},
    )
    Company.objects.filter(pk=company.pk).update(updated_at=timezone.now())
    announce_company_changed(company.pk)
    return certificate
