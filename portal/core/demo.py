"""Demo data for the embedded default (``seed_demo``). Idempotent: running it twice changes nothing.

Companies come from ``demo_data/companies.json`` (hand-written: 40 Thai and 30 Japanese SMEs) and go
through the same importer as a coordinator's upload; ``--scale N`` adds N synthetic companies per country.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.db import transaction

from portal.accounts.models import Role, User
from portal.accounts.services import user_grant_role
from portal.companies.importer import COLUMNS, ImportResult, import_rows
from portal.companies.models import Company, CompanyCertification, Membership, MembershipRole
from portal.companies.services import company_refresh_derived
from portal.postings.models import Posting, PostingStatus
from portal.postings.services import posting_create, posting_set_status
from portal.privacy.models import REQUIRED_PURPOSES
from portal.privacy.services import consents_record
from portal.taxonomy.models import Capability, Certification, Industry

DEMO_PASSWORD = "Demo-Portal-2017"  # noqa: S105 - printed for the demo; seed_demo refuses to run in production
DATA = Path(__file__).resolve().parent / "demo_data" / "companies.json"


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    first_name: str
    last_name: str
    language: str
    description: str
    company: str = ""


DEMO_USERS = [
    DemoUser("admin@demo.example", "admin", "Ada", "Admin", "en", "Administrator (everything, Django admin)"),
    DemoUser("coordinator@demo.example", "coordinator", "Kanya", "Srisuk", "th", "DIP coordinator"),
    DemoUser("consultant@demo.example", "consultant", "Somchai", "Wongsa", "th", "DIP Shindan consultant"),
    DemoUser(
        "consultant2@demo.example", "consultant", "Yuki", "Sato", "ja", "Shindan consultant (中小企業診断士)"
    ),
    DemoUser(
        "owner.th@demo.example", "member", "Napat", "Chaiyaporn", "th", "Owner of a Thai SME", "TH-DEMO-001"
    ),
    DemoUser(
        "owner.jp@demo.example", "member", "Hiroshi", "Tanaka", "ja", "Owner of a Japanese SME", "JP-DEMO-001"
    ),
]


def _cell(value) -> str:
    if isinstance(value, list):
        return ";".join(_cell(item) for item in value)
    if isinstance(value, dict):  # a certificate
        return f"{value['slug']}:{value['expires']}" if value.get("expires") else value["slug"]
    return "" if value is None else str(value)


def demo_records() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@transaction.atomic
def demo_companies_seed() -> ImportResult:
    records = demo_records()
    rows = [
        (number, {column: _cell(record.get(column, "")) for column in COLUMNS})
        for number, record in enumerate(records, start=2)
    ]
    result = import_rows(rows=rows)
    companies = {
        c.external_id: c for c in Company.objects.filter(external_id__in=[r["external_id"] for r in records])
    }
    for record in records:
        company = companies[record["external_id"]]
        for item in record.get("certifications", []):
            CompanyCertification.objects.filter(company=company, certification__slug=item["slug"]).update(
                number=item.get("number", ""), issuer=item.get("issuer", "")
            )
        if _seed_postings(company, record.get("postings", [])):
            company_refresh_derived(company=company)
    return result


def _seed_postings(company: Company, postings: list[dict]) -> bool:
    created = False
    for item in postings:
        titles = {f"title_{lang}": item.get(f"title_{lang}", "") for lang in ("en", "th", "ja")}
        if Posting.objects.filter(company=company, type=item["type"], **titles).exists():
            continue
        posting = posting_create(
            company=company,
            type=item["type"],
            **titles,
            **{f"body_{lang}": item.get(f"body_{lang}", "") for lang in ("en", "th", "ja")},
            industries=Industry.objects.filter(slug__in=item.get("industries", [])),
            capabilities=Capability.objects.filter(slug__in=item.get("capabilities", [])),
            required_certifications=Certification.objects.filter(slug__in=item.get("certifications", [])),
            expires_on=datetime.date.fromisoformat(item["expires"]) if item.get("expires") else None,
        )
        posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
        created = True
    return created


@transaction.atomic
def demo_users_seed() -> list[tuple[DemoUser, User]]:
    seeded = []
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=spec.email,
            defaults={"first_name": spec.first_name, "last_name": spec.last_name, "language": spec.language},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if spec.role == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=spec.email, defaults={"verified": True, "primary": True}
        )
        # As at sign-up: the consents the portal needs (the privacy page and its banner then show a member
        # who signed up, not one who never agreed). Kept when already given.
        consents_record(user=user, purposes=REQUIRED_PURPOSES)
        if spec.role in (Role.CONSULTANT, Role.COORDINATOR):
            user_grant_role(user=user, role=Role(spec.role))
        if spec.company:
            company = Company.objects.filter(external_id=spec.company).first()
            if company is not None:
                Membership.objects.get_or_create(
                    user=user, company=company, defaults={"role": MembershipRole.OWNER}
                )
        seeded.append((spec, user))
    return seeded
