"""Writes about what the text states: a coordinator verifies a stated certificate during vetting.

Verifying turns "stated in the text, not verified" into a held certificate with an expiry
(``CompanyCertification``), which then counts fully for matching (``matching/understanding/columns.py``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import InferenceKind, InferenceOverride
from matching.understanding.selectors import inferred_items, stated_certificates
from portal.companies.models import Company, CompanyCertification
from portal.companies.signals import announce_company_changed


@transaction.atomic
def stated_certificate_verify(
    *, company: Company, slug: str, expires_on: datetime.date, number: str = "", issuer: str = ""
) -> CompanyCertification:
    """Record the certificate ``slug`` that ``company``'s text states as held, valid until ``expires_on``."""
    stated = {row.term.slug: row for row in stated_certificates(company) if row.state != "removed"}
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


@transaction.atomic
def inference_override_set(*, company: Company, kind: str, slug: str, confirmed: bool) -> InferenceOverride:
    """The company confirms (``confirmed``) or removes something matching inferred from its text; matching
    then takes it as declared, or no longer infers it (features.py applies the overrides)."""
    if kind not in InferenceKind.values:
        raise ValidationError(_("Unknown kind of inferred item."), code="kind")
    items = inferred_items(company) + stated_certificates(company)
    if not any(item.kind == kind and item.term.slug == slug for item in items):
        raise ValidationError(_("Matching did not infer this from the profile's text."), code="not_inferred")
    override, _created = InferenceOverride.objects.update_or_create(
        company=company, kind=kind, slug=slug, defaults={"confirmed": confirmed}
    )
    Company.objects.filter(pk=company.pk).update(updated_at=timezone.now())
    announce_company_changed(company.pk)
    return override
