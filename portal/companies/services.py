"""Writes on companies and memberships."""

from django.db import transaction

from portal.accounts.models import User
from portal.companies.identifiers import normalize_registration_number
from portal.companies.models import Company, Membership, MembershipRole


@transaction.atomic
def company_create(
    *,
    owner: User,
    country: str,
    registration_no: str,
    name_en: str = "",
    name_th: str = "",
    name_ja: str = "",
) -> Company:
    """Create a company (pending verification) with ``owner`` as its first owner."""
    company = Company.objects.create(
        country=country,
        registration_no=normalize_registration_number(country, registration_no),
        name_en=name_en,
        name_th=name_th,
        name_ja=name_ja,
    )
    Membership.objects.create(user=owner, company=company, role=MembershipRole.OWNER)
    return company
