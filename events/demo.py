"""Events demo data (``seed_demo``): Thailand Industry Expo 2017 (25–30 July 2017) with the SMRJ /
Keidanren Japanese delegation (the 30 Japanese demo companies), Thai exhibitors, interpreters, meeting
requests from the matches, a published schedule and on-site outcomes. Runs after matching (requests follow
the match scores). Idempotent: an existing event is left alone.

The event is in the past, so invitation answers are written as history; requests (at a time before the
Expo), the scheduler, publishing and the on-site records go through the services."""

import contextlib
import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import (
    Attendance,
    Delegation,
    Event,
    Interpreter,
    Meeting,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Representative,
    RequestStatus,
    ScheduleRun,
)
from matching.models import MatchProposal
from portal.accounts.models import User
from portal.companies.models import Company
from portal.notifications.models import Notification
from portal.taxonomy.models import Industry

SLUG = "thailand-industry-expo-2017"
# Representatives are named as on their English business cards; the i-th of a country is given[i % 9] and
# family[(i + i // 9) % 9], so no two of a country share a full name (up to 81 of them).
NAMES = {
    "JP": (
        ["Kenichi", "Daisuke", "Makoto", "Misaki", "Hiroshi", "Naoki", "Megumi", "Shota", "Satoshi"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi"],
    ),
    "TH": (
        ["Somchai", "Suda", "Anan", "Kanya", "Preecha", "Malee", "Wichai", "Nok", "Thana"],
        ["Jaidee", "Srisuk", "Thongdee", "Phromma", "Kaewmanee", "Boonma", "Rattanakul", "Suksawat", "Wong"],
    ),
}
OUTCOMES = ["follow_up", "follow_up", "nda", "samples", "no_interest", "follow_up", "order", ""]


def _demo_companies(country: str) -> list[Company]:
    """The verified demo companies of a country (``JP-DEMO-…``, ``TH-DEMO-…``), by their demo number."""
    return list(
        Company.objects.verified()
        .filter(country=country, external_id__startswith=f"{country}-DEMO-")
        .order_by("external_id")
    )


def _representatives(participant: Participant, index: int) -> None:
    """The participant's representative; ``index``: how many of its country's came before."""
    company = participant.company
    given, family = NAMES["JP" if company.country == "JP" else "TH"]
    languages = company.languages or ("ja" if company.country == "JP" else "th")
    Representative.objects.create(
        participant=participant,
        name=f"{given[index % len(given)]} {family[(index + index // len(given)) % len(family)]}",
        role="Managing director" if company.country == "TH" else "Overseas sales manager",
        languages=languages,
    )


# Thai and Japanese venue, organiser and delegation names (the 2015 edition's year in B.E. for Thai readers).
DEMO_TRANSLATIONS = {
    "venue_th": "กรุงเทพฯ และปริมณฑล (ยังไม่ยืนยันสถานที่ ปี 2558 จัดที่อิมแพ็ค เมืองทองธานี)",
    "venue_ja": "バンコク周辺（会場未定。2015年はインパクト・ムアントンターニーで開催）",
    "organiser_th": "กระทรวงอุตสาหกรรมและ กสอ. ร่วมกับ SMRJ และเคดันเรน",
    "organiser_ja": "タイ工業省・産業振興局（DIP）、中小機構（SMRJ）、経団連",
}
DELEGATION_NAMES = {
    "name_en": "SMRJ / Keidanren Japanese delegation",
    "name_th": "คณะผู้แทนบริษัทญี่ปุ่นของ SMRJ / เคดันเรน",
    "name_ja": "中小機構・経団連 日本企業ミッション団",
}


@transaction.atomic
def events_demo_seed() -> Event | None:
    if Event.objects.filter(slug=SLUG).exists():
        # A demo database from before these fields had translations gets them (idempotent).
        Event.objects.filter(slug=SLUG, venue_th="").update(**DEMO_TRANSLATIONS)
        Delegation.objects.filter(event__slug=SLUG, name_en=DELEGATION_NAMES["name_en"], name_th="").update(
            **DELEGATION_NAMES
        )
        return None
    coordinator = User.objects.filter(email="coordinator@demo.example").first()
    rng = random.Random(SLUG)  # noqa: S311 - demo data, reproducible
    event = Event.objects.create(
        slug=SLUG,
        name_en="Thailand Industry Expo 2017",
        name_th="งานแสดงสินค้าอุตสาหกรรมไทย 2560 (Thailand Industry Expo 2017)",
        name_ja="タイ・インダストリー・エキスポ2017",
        description_en=(
            "The Ministry of Industry invited more than 30 Japanese companies in the target industries, "
            "with SMRJ and Keidanren, to exhibit and negotiate with Thai SMEs. B2B meetings on 26–28 July."
        ),
        description_th=(
            "กระทรวงอุตสาหกรรมเชิญบริษัทญี่ปุ่นกว่า 30 รายในอุตสาหกรรมเป้าหมาย ร่วมกับ SMRJ และเคดันเรน "
            "มาจัดแสดงและเจรจาธุรกิจกับ SME ไทย"
        ),
        description_ja="工業省が中小機構（SMRJ）・経団連と連携し、重点産業の日本企業30社以上を招いてタイ中小企業との商談会を開催。",
        **DEMO_TRANSLATIONS,
        venue_en="Bangkok area (venue not confirmed; the 2015 edition was at IMPACT Muang Thong Thani)",
        organiser_en="Ministry of Industry and DIP, with SMRJ and Keidanren",
        starts_on=datetime.date(2017, 7, 25),
        ends_on=datetime.date(2017, 7, 30),
        request_expiry_hours=72,
        max_requests_per_company=8,
        max_meetings_per_company=8,
        min_meetings_per_company=2,
        scheduler_seconds=8,
    )
    event.industries.set(
        Industry.objects.filter(slug__in=["medical-devices", "robotics-automation", "aerospace-parts"])
    )
    for day in (26, 27, 28):
        services.meeting_day_save(
            event=event,
            date=datetime.date(2017, 7, day),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(17, 0),
            slot_minutes=30,
            breaks=[["12:00", "13:00"]],
            tables=15,
        )
    delegation = Delegation.objects.create(
        event=event,
        **DELEGATION_NAMES,
        country="JP",
        target_size=30,
        coordinator=coordinator,
    )
    japanese, thai = _demo_companies("JP"), _demo_companies("TH")
    participants = []
    for index, company in enumerate(japanese):
        status = (
            ParticipantStatus.ARRIVED
            if index < 24
            else (ParticipantStatus.DECLINED if index < 27 else ParticipantStatus.INVITED)
        )
        participants.append(
            Participant(
                event=event,
                company=company,
                kind=ParticipantKind.DELEGATE,
                delegation=delegation,
                status=status,
                decline_reason="日程が合わないため" if status == ParticipantStatus.DECLINED else "",
            )
        )
    for index, company in enumerate(thai[:34]):
        status = ParticipantStatus.ARRIVED if index < 30 else ParticipantStatus.APPLIED
        participants.append(
            Participant(
                event=event,
                company=company,
                kind=ParticipantKind.EXHIBITOR,
                status=status,
                booth=f"H{101 + index}",
            )
        )
    Participant.objects.bulk_create(participants)
    active = list(event.participants.filter(status=ParticipantStatus.ARRIVED).select_related("company"))
    seen = {"JP": 0, "TH": 0}
    for participant in active:
        country = "JP" if participant.company.country == "JP" else "TH"
        _representatives(participant, seen[country])
        seen[country] += 1
    for name, pairs in (
        ("Ploy Srisawat", "th-ja"),
        ("Mali Chaiyaporn", "th-ja"),
        ("Sakura Kimura", "th-ja"),
        ("Ken Ono", "en-ja"),
    ):
        Interpreter.objects.create(event=event, name=name, language_pairs=pairs)

    # Each Japanese company asks its best-matched Thai exhibitors two weeks before the Expo; most accept.
    asked = datetime.datetime.combine(
        event.starts_on - datetime.timedelta(days=14), datetime.time(10), event.tz
    )
    by_company = {p.company_id: p for p in active}
    for participant in [p for p in active if p.company.country == "JP"]:
        proposals = MatchProposal.objects.filter(
            Q(company=participant.company, partner_id__in=by_company)
        ).order_by("rank")[:5]
        for proposal in proposals:
            other = by_company[proposal.partner_id]
            try:
                request = services.meeting_request_create(
                    actor=None, sender=participant, recipient=other, now=asked
                )
            except Exception:  # noqa: BLE001, S112 - a pair already asked the other way, or a cap
                continue
            roll = rng.random()
            if roll < 0.8:
                # A recipient already at the event's meeting cap leaves the request pending (as on the site).
                with contextlib.suppress(ValidationError):
                    services.meeting_request_respond(
                        actor=None, meeting_request=request, accept=True, now=asked
                    )
            elif roll < 0.9:
                services.meeting_request_respond(
                    actor=None, meeting_request=request, accept=False, reason="Not our field", now=asked
                )
    if coordinator is not None and len(active) > 2:
        thai_first = next(p for p in active if p.company.external_id == "TH-DEMO-001")
        japan_first = next((p for p in active if p.company.external_id == "JP-DEMO-001"), None)
        if japan_first is not None:
            services.meeting_request_create(
                actor=coordinator, sender=japan_first, recipient=thai_first, must_meet=True, now=asked
            )

    run = services.schedule_run_solve(
        run_id=ScheduleRun.objects.create(event=event, started_by=coordinator).pk
    )
    services.schedule_run_publish(actor=coordinator, run=run)
    # On-site records through the service, so each held meeting moves its pair's introduction forward (the
    # matching dashboard's pipeline agrees with the event's KPIs).
    for index, meeting in enumerate(Meeting.objects.filter(event=event).order_by("slot__starts_at", "table")):
        held = index % 9 != 4
        services.meeting_record(
            actor=coordinator,
            meeting=meeting,
            attendance=Attendance.HELD if held else Attendance.NO_SHOW,
            outcome=OUTCOMES[index % len(OUTCOMES)] if held else "",
        )
    # The Expo is over: what was never answered expired (which settles its "waits for your answer"), and
    # its notifications are dated from the weeks before it and were read long ago, so the notification
    # center shows what waits today first.
    services.meeting_requests_set_status(requests=event.requests.all(), status=RequestStatus.EXPIRED)
    Notification.objects.filter(url__startswith=reverse("events:detail", kwargs={"slug": event.slug})).update(
        created_at=asked, read_at=asked + datetime.timedelta(days=1)
    )
    _member_reports(event)
    return event


def _member_reports(event: Event) -> None:
    """The Thai demo owner's company reports on its first two held meetings, the other side on the first
    only and with the same outcome, so the coordinators' "Meeting reports" page shows an agreement and a
    report still waiting for the other side."""
    owner = User.objects.filter(email="owner.th@demo.example").first()
    thai = event.participants.filter(company__external_id="TH-DEMO-001").first()
    if thai is None:
        return
    held = list(
        Meeting.objects.filter(event=event, attendance=Attendance.HELD)
        .filter(Q(request__sender=thai) | Q(request__recipient=thai))
        .select_related("request__sender__company", "request__recipient__company")
        .order_by("slot__starts_at")[:2]
    )
    notes = ["Samples of the mould inserts are on their way.", "Interested; we send a quote next month."]
    for index, meeting in enumerate(held):
        outcome = meeting.outcome or "follow_up"
        services.meeting_report_save(
            actor=owner,
            meeting=meeting,
            participant=thai,
            outcome=outcome,
            rating=5 - index,
            note=notes[index],
        )
        if index == 0:
            other = meeting.request.other_side(thai)
            services.meeting_report_save(
                actor=None, meeting=meeting, participant=other, outcome=outcome, rating=4
            )


UPCOMING_WEEKS = 10  # how far ahead of the day the demo is seeded the upcoming Expo starts


@transaction.atomic
def upcoming_demo_seed(today: datetime.date | None = None) -> Event | None:
    """An Expo still to come (``UPCOMING_WEEKS`` after the day the demo is seeded, three days of B2B
    meetings), so that a newcomer can try what only an open event allows: the Thai demo owner's company
    has not registered yet and can apply to exhibit, the Japanese demo owner's company has an invitation to
    the delegation waiting for its answer, two Thai applications wait for a coordinator's decision, and
    accepted meeting requests are ready for the scheduler (nothing is scheduled yet). Through the services,
    so every notification is there. Idempotent: nothing is added while a demo Expo has not started yet, or
    when one of the same short name exists."""
    today = today or timezone.localdate()
    starts_on = today + datetime.timedelta(weeks=UPCOMING_WEEKS)
    year = starts_on.year
    slug = f"thailand-industry-expo-{year}"
    # One Expo to come at a time: seeding again later in the year (its start would fall in the next year)
    # adds none while the one seeded before has not started.
    if Event.objects.filter(slug__startswith="thailand-industry-expo-", starts_on__gt=today).exists():
        return None
    if Event.objects.filter(slug=slug).exists():
        return None
    coordinator = User.objects.filter(email="coordinator@demo.example").first()
    japanese, thai = _demo_companies("JP"), _demo_companies("TH")
    if coordinator is None or len(japanese) < 8 or len(thai) < 14:
        return None
    event = services.event_save(
        industries=Industry.objects.filter(
            slug__in=["medical-devices", "robotics-automation", "aerospace-parts"]
        ),
        slug=slug,
        name_en=f"Thailand Industry Expo {year}",
        name_th=f"งานแสดงสินค้าอุตสาหกรรมไทย {year + 543} (Thailand Industry Expo {year})",
        name_ja=f"タイ・インダストリー・エキスポ{year}",
        description_en=(
            "Thai SMEs in medical devices, robotics and automation and aerospace parts exhibit; SMRJ brings "
            "a delegation of Japanese companies. Request B2B meetings with the companies you match before "
            "the coordinators publish the schedule."
        ),
        description_th=(
            "SME ไทยในอุตสาหกรรมเครื่องมือแพทย์ หุ่นยนต์และระบบอัตโนมัติ และชิ้นส่วนอากาศยานร่วมจัดแสดง "
            "SMRJ นำคณะบริษัทญี่ปุ่นมาร่วมงาน ส่งคำขอนัดหมายเจรจากับบริษัทที่จับคู่ได้ก่อนผู้ประสานงานประกาศตารางนัดหมาย"
        ),
        description_ja=(
            "医療機器、ロボット・自動化、航空機部品のタイ中小企業が出展し、中小機構（SMRJ）が日本企業のミッション団を派遣します。"
            "コーディネーターが日程を公開する前に、マッチングした企業へ商談を申し込んでください。"
        ),
        venue_en="BITEC Bangna, Bangkok",
        venue_th="ไบเทค บางนา กรุงเทพฯ",
        venue_ja="バンコク・BITEC（バンナー）",
        organiser_en="Ministry of Industry and DIP, with SMRJ",
        organiser_th="กระทรวงอุตสาหกรรมและ กสอ. ร่วมกับ SMRJ",
        organiser_ja="タイ工業省・産業振興局（DIP）、中小機構（SMRJ）",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=3),
        request_expiry_hours=72,
        max_requests_per_company=8,
        max_meetings_per_company=8,
        min_meetings_per_company=2,
        scheduler_seconds=8,
    )
    for offset in (1, 2, 3):
        services.meeting_day_save(
            event=event,
            date=starts_on + datetime.timedelta(days=offset),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(17, 0),
            slot_minutes=30,
            breaks=[["12:00", "13:00"]],
            tables=12,
        )
    delegation = services.delegation_create(
        actor=coordinator,
        event=event,
        name_en=f"SMRJ Japanese delegation {year}",
        name_th=f"คณะผู้แทนบริษัทญี่ปุ่นของ SMRJ ปี {year + 543}",
        name_ja=f"中小機構 日本企業ミッション団 {year}",
        target_size=20,
    )
    for name, pairs in (("Ploy Srisawat", "th-ja"), ("Ken Ono", "en-ja")):
        services.interpreter_add(event=event, name=name, language_pairs=pairs)
    # The Japanese owner's company (JP-DEMO-001) and the last two are invited and have not answered; the
    # others confirmed.
    delegates = []
    for index, company in enumerate(japanese[:10]):
        participant = services.participant_invite(actor=coordinator, delegation=delegation, company=company)
        if 0 < index < 8:
            delegates.append(services.participant_respond(participant=participant, accept=True))
    # Thai exhibitors: TH-DEMO-001 (the Thai owner's) has not registered; 002–012 are approved, with a
    # booth; 013 and 014 wait for a coordinator's decision.
    exhibitors = []
    for index, company in enumerate(thai[1:14], start=1):
        participant = services.exhibitor_register(event=event, company=company)
        if index <= 11:
            exhibitors.append(
                services.participant_decide(
                    actor=coordinator, participant=participant, approve=True, booth=f"B{100 + index}"
                )
            )
    seen = {"JP": 0, "TH": 0}
    for participant in [*delegates, *exhibitors]:
        country = "JP" if participant.company.country == "JP" else "TH"
        _representatives(participant, seen[country])
        seen[country] += 1
    # Each confirmed delegate asks its best-matched Thai exhibitors; about half of the requests are
    # accepted, the rest wait for an answer (the schedule is the coordinators' next step).
    rng = random.Random(slug)  # noqa: S311 - demo data, reproducible
    by_company = {p.company_id: p for p in exhibitors}
    for participant in delegates:
        proposals = MatchProposal.objects.filter(
            company=participant.company, partner_id__in=by_company
        ).order_by("rank")[:3]
        for proposal in proposals:
            try:
                request = services.meeting_request_create(
                    actor=None, sender=participant, recipient=by_company[proposal.partner_id]
                )
            except ValidationError:
                continue
            if rng.random() < 0.6:
                with contextlib.suppress(ValidationError):
                    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    return event
