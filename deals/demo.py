"""Deals demo data (``seed_demo``, after matching): a Thai need with three Japanese proposals, the accepted
one's conversation in Thai, Japanese and English with a drawing, a coordinator asked to interpret who
added translations, a pipeline step, and a second conversation in English. Idempotent: a demo database
that has the need already is left alone. The other companies' members sign in with the demo password too
(README: "Demo logins"), so a newcomer can see a conversation from both sides."""

import contextlib
import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from deals import services
from portal.accounts.models import User
from portal.companies.models import Company, Membership, MembershipRole
from portal.core.demo import DEMO_PASSWORD
from portal.postings.models import Posting, PostingStatus, PostingType
from portal.postings.services import posting_create, posting_set_status
from portal.privacy.models import REQUIRED_PURPOSES
from portal.privacy.services import consents_record
from portal.taxonomy.models import Capability, Industry

# The other sides of the demo conversations, printed by seed_demo with the demo logins.
OTHER_MEMBERS = [
    ("member.kato@demo.example", "Kato Seimitsu (JP-DEMO-002): a declined proposal, talks in English"),
    ("member.musashi@demo.example", "Musashi Catheter (JP-DEMO-003): a shortlisted proposal"),
    ("member.chonburi@demo.example", "Chonburi Medical Plastics (TH-DEMO-002): the conversation in English"),
]
NEED_TITLE_EN = "Injection-molded housings for a patient monitor (ISO 13485)"
MOLDING = ["injection-molding", "cleanroom-assembly"]
DRAWING = b"%PDF-1.4\n% demo drawing of the monitor housing\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _member(
    external_id: str, email: str, first: str, last: str, language: str
) -> tuple[Company, User] | None:
    company = Company.objects.filter(external_id=external_id).first()
    if company is None:
        return None
    owner = company.memberships.filter(role=MembershipRole.OWNER).select_related("user").first()
    if owner is not None:
        return company, owner.user
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    consents_record(user=user, purposes=REQUIRED_PURPOSES)  # as at sign-up
    Membership.objects.get_or_create(user=user, company=company, defaults={"role": MembershipRole.OWNER})
    return company, user


@transaction.atomic
def deals_demo_seed() -> int:
    """Returns the number of conversations created (0 when the demo deals exist already)."""
    if Posting.objects.filter(title_en=NEED_TITLE_EN).exists():
        return 0
    thai = _member("TH-DEMO-001", "owner.th@demo.example", "Napat", "Chaiyaporn", "th")
    japanese = [
        _member("JP-DEMO-001", "owner.jp@demo.example", "Hiroshi", "Tanaka", "ja"),
        _member("JP-DEMO-002", "member.kato@demo.example", "Kenji", "Kato", "ja"),
        _member("JP-DEMO-003", "member.musashi@demo.example", "Aiko", "Mori", "ja"),
    ]
    coordinator = User.objects.filter(email="coordinator@demo.example").first()
    if thai is None or None in japanese or coordinator is None:
        return 0
    (company_th, owner_th), (_jp1, owner_jp) = thai, japanese[0]
    need = posting_create(
        company=company_th,
        type=PostingType.SUPPLY_NEED,
        title_en=NEED_TITLE_EN,
        title_th="ต้องการผู้ผลิตฉีดพลาสติกตัวเครื่องมอนิเตอร์ผู้ป่วย (ISO 13485)",
        title_ja="患者モニター筐体の射出成形（ISO 13485）",
        body_en="5,000 ABS/PC housings a year, cleanroom assembly, medical-grade resin, samples in 8 weeks.",
        body_th="ต้องการงานฉีดพลาสติกตัวเครื่อง ABS/PC ปีละ 5,000 ชิ้น ประกอบในห้องสะอาด ส่งตัวอย่างภายใน 8 สัปดาห์",
        body_ja="ABS/PC 筐体を年間5,000個。クリーンルーム組立、医療グレード樹脂、8週間でサンプル。",
        industries=Industry.objects.filter(slug="medical-devices"),
        capabilities=Capability.objects.filter(slug__in=["injection-molding", "cleanroom-assembly"]),
        expires_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    need = posting_set_status(posting=need, status=PostingStatus.PUBLISHED)
    offers = [
        (
            "射出成形とクリーンルーム組立に対応します。ISO 13485 取得済み、8週間でサンプルを出荷できます。",
            56,
            180,
            240,
        ),
        ("We machine the molds and can partner with a molder in Rayong. Lead time 10 weeks.", 70, None, None),
        (
            "カテーテル部品で培った医療用射出成形の経験があります。クリーンルーム（クラス7）で組立します。",
            42,
            150,
            210,
        ),
    ]
    proposals = []
    for (company, user), (offer, lead_time, low, high) in zip(japanese, offers, strict=True):
        proposals.append(
            services.proposal_submit(
                posting=need,
                company=company,
                actor=user,
                offer=offer,
                lead_time_days=lead_time,
                capabilities=list(company.capabilities.filter(slug__in=MOLDING)),
                certificates=list(company.certificates.all()[:2]),
                price_min=low,
                price_max=high,
                currency="JPY" if low else "",
                price_basis="piece" if low else "",
            )
        )
    services.proposal_decide(proposal=proposals[2], actor=owner_th, status="shortlisted")
    services.proposal_decide(
        proposal=proposals[1],
        actor=owner_th,
        status="declined",
        reason="We need a molder with a cleanroom, not only the molds.",
    )
    accepted = services.proposal_decide(proposal=proposals[0], actor=owner_th, status="accepted")
    conversation = accepted.conversation
    first = services.message_send(
        conversation=conversation,
        actor=owner_th,
        text="สวัสดีครับ ขอบคุณสำหรับข้อเสนอ เราต้องการงานฉีดพลาสติกตัวเครื่อง ABS/PC ปีละ 5,000 ชิ้น "
        "ช่วยส่งใบเสนอราคาและตัวอย่างได้ไหมครับ",
    )
    reply = services.message_send(
        conversation=conversation,
        actor=owner_jp,
        text="ありがとうございます。射出成形の見積もりを準備します。図面を添付しますのでご確認ください。",
        files=[ContentFile(DRAWING, name="monitor-housing-drawing.pdf")],
    )
    services.message_send(
        conversation=conversation,
        actor=owner_th,
        text="Thank you. Could we meet at the Expo in Bangkok? Details: https://www.example.com/expo",
    )
    services.coordinator_invite(
        conversation=conversation, actor=owner_th, kind="interpret", note="Please help with Japanese."
    )
    invite = conversation.invites.get()
    services.coordinator_invite_take(invite=invite, actor=coordinator)
    services.coordinator_read_record(conversation=conversation, coordinator=coordinator, reason="invited")
    services.translation_add(
        message=first,
        actor=coordinator,
        language="ja",
        text="こんにちは。ご提案ありがとうございます。ABS/PC 筐体の射出成形を年間5,000個"
        "お願いしたいと考えています。見積書とサンプルをお送りいただけますか。",
    )
    services.translation_add(
        message=reply,
        actor=coordinator,
        language="th",
        text="ขอบคุณครับ เราจะเตรียมใบเสนอราคางานฉีดพลาสติก และแนบแบบงานมาให้ตรวจสอบครับ",
    )
    # The Expo demo's meeting outcomes may already have moved (or closed) this pair's pipeline.
    with contextlib.suppress(ValidationError):
        services.conversation_mark_step(conversation=conversation, actor=owner_th, step="samples")
    created = 1
    # A second conversation, in English, between the second Thai demo company and Kato Seimitsu.
    second = _member("TH-DEMO-002", "member.chonburi@demo.example", "Ploy", "Suwan", "th")
    if second is not None:
        (company_th2, user_th2), (jp2, user_jp2) = second, japanese[1]
        conversation2, _new = services.conversation_open(
            company=company_th2, partner=jp2, actor=user_th2, origin="recommendation"
        )
        services.message_send(
            conversation=conversation2,
            actor=user_th2,
            text="Hello, we make medical plastics in Chonburi and look for CNC-machined mold inserts.",
        )
        services.message_send(
            conversation=conversation2,
            actor=user_jp2,
            text="Hello from Nagoya. We can machine inserts in hardened steel; please share the drawings.",
        )
        created += 1
    return created
