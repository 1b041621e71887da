"""Demo data for the embedded default (``seed_demo``). Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from portal.accounts.models import Role, User
from portal.accounts.services import user_grant_role
from portal.companies.models import Company, Membership, MembershipRole, VerificationStatus

DEMO_PASSWORD = "Demo-Portal-2017"  # noqa: S105 - printed for the demo; seed_demo refuses to run in production


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    first_name: str
    last_name: str
    language: str
    description: str


DEMO_USERS = [
    DemoUser("admin@demo.example", "admin", "Ada", "Admin", "en", "Administrator (everything, Django admin)"),
    DemoUser("coordinator@demo.example", "coordinator", "Kanya", "Srisuk", "th", "DIP coordinator"),
    DemoUser("consultant@demo.example", "consultant", "Somchai", "Wongsa", "th", "DIP Shindan consultant"),
    DemoUser("owner.th@demo.example", "member", "Napat", "Chaiyaporn", "th", "Owner of a Thai SME"),
    DemoUser("owner.jp@demo.example", "member", "Hiroshi", "Tanaka", "ja", "Owner of a Japanese SME"),
]

DEMO_COMPANIES = {
    "owner.th@demo.example": {
        "country": "TH",
        "registration_no": "0105536112014",
        "name_en": "Siam Precision Medical Co., Ltd.",
        "name_th": "บริษัท สยามพรีซิชั่นเมดิคอล จำกัด",
    },
    "owner.jp@demo.example": {
        "country": "JP",
        "registration_no": "4011001098993",
        "name_en": "Tanaka Seimitsu Kogyo Co., Ltd.",
        "name_ja": "田中精密工業株式会社",
    },
}


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
        if spec.role in (Role.CONSULTANT, Role.COORDINATOR):
            user_grant_role(user=user, role=Role(spec.role))
        if spec.email in DEMO_COMPANIES:
            data = DEMO_COMPANIES[spec.email]
            company, _created = Company.objects.get_or_create(
                country=data["country"],
                registration_no=data["registration_no"],
                defaults={**data, "verification_status": VerificationStatus.VERIFIED},
            )
            Membership.objects.get_or_create(
                user=user, company=company, defaults={"role": MembershipRole.OWNER}
            )
        seeded.append((spec, user))
    return seeded
