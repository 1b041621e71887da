"""Shindan demo data (``seed_demo``): two consultants' profiles and assignments, ten diagnosed Thai demo
companies with scores, statements, findings and action plans; two of them diagnosed twice, the second
time better. Each consultant writes in their working language: the DIP consultant in Thai, the SMRJ
Shindanshi in English (the language a Japanese consultant and a Thai company share); ``TEXTS`` holds both.
Written through the services, so the history is as real as a consultant's. Idempotent: a company that
already has a diagnosis is left alone."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from portal.accounts.models import User
from portal.companies.models import Company
from shindan import services
from shindan.models import (
    AREA_ORDER,
    ActionStatus,
    Assignment,
    ChecklistItem,
    FindingKind,
    Qualification,
    Severity,
)

CONSULTANTS = {
    "consultant@demo.example": {
        "qualification": Qualification.DIP,
        "registration_no": "DIP-SD-2561-0147",
        "valid_until": datetime.date(2028, 3, 31),
        "languages": "th,en",
        "organisation": "Department of Industrial Promotion",
    },  # writes in Thai
    "consultant2@demo.example": {
        "qualification": Qualification.SHINDANSHI,
        "registration_no": "412873",
        "valid_until": datetime.date(2027, 3, 31),
        "languages": "ja,en",
        "organisation": "SMRJ",
    },  # writes in English
}
WRITES_IN = {"consultant@demo.example": "th", "consultant2@demo.example": "en"}

# Company → (consultant e-mail, per-area level 1–5 on the first diagnosis, sales in THB thousands)
COMPANIES = {
    "TH-DEMO-001": ("consultant@demo.example", [3, 2, 3, 3, 2, 2, 3], 320_000),
    "TH-DEMO-002": ("consultant@demo.example", [2, 2, 3, 3, 3, 2, 2], 140_000),
    "TH-DEMO-004": ("consultant@demo.example", [3, 3, 2, 4, 3, 2, 3], 180_000),
    "TH-DEMO-005": ("consultant@demo.example", [4, 3, 3, 4, 3, 3, 3], 410_000),
    "TH-DEMO-010": ("consultant@demo.example", [2, 2, 2, 3, 2, 1, 2], 100_000),
    "TH-DEMO-013": ("consultant2@demo.example", [3, 3, 3, 3, 3, 4, 3], 210_000),
    "TH-DEMO-016": ("consultant2@demo.example", [2, 3, 2, 3, 2, 2, 3], 120_000),
    "TH-DEMO-019": ("consultant2@demo.example", [4, 3, 3, 4, 4, 3, 3], 300_000),
    "TH-DEMO-025": ("consultant2@demo.example", [4, 4, 3, 4, 3, 3, 4], 380_000),
    "TH-DEMO-027": ("consultant@demo.example", [3, 2, 2, 3, 3, 2, 2], 110_000),
}
FOLLOW_UP_COMPANIES = ("TH-DEMO-001", "TH-DEMO-002")

# What a consultant writes, in English and in Thai (the same findings, recommendations and actions).
TEXTS = {
    "en": {
        "findings": [
            (
                FindingKind.STRENGTH,
                "PRODUCTION",
                "Skilled machinists and stable quality on the main product line.",
            ),
            (
                FindingKind.STRENGTH,
                "MARKETING",
                "Long relationships with Japanese tier-1 customers in Thailand.",
            ),
            (
                FindingKind.WEAKNESS,
                "FINANCE",
                "No product costing: quotes are based on market price, margins per part are unknown.",
            ),
            (
                FindingKind.WEAKNESS,
                "PRODUCTION",
                "Changeovers take 90 minutes on average; no SMED analysis has been done.",
            ),
            (
                FindingKind.WEAKNESS,
                "ORG_HR",
                "Key know-how is held by two senior technicians; no skill map or multi-skilling plan.",
            ),
            (
                FindingKind.OPPORTUNITY,
                "MARKETING",
                "Japanese medical and robotics firms are looking for Thai partners in the EEC.",
            ),
            (
                FindingKind.THREAT,
                "MARKETING",
                "Customer concentration: the largest customer is 45% of sales.",
            ),
        ],
        "recommendations": [
            (
                "PRODUCTION",
                "Run a SMED project on the two bottleneck presses; target changeover under 30 minutes.",
            ),
            ("FINANCE", "Introduce standard costing per part and review margins monthly with the owner."),
            ("ORG_HR", "Build a skill map and a 12-month multi-skilling plan for the moulding section."),
            (
                "MARKETING",
                "Prepare an English/Japanese company profile and join the DIP–SMRJ business matching.",
            ),
        ],
        # (area, what, owner, KPI)
        "actions": [
            (
                "PRODUCTION",
                "SMED workshop on presses 3 and 4",
                "Production manager",
                "Changeover time ≤ 30 min",
            ),
            (
                "FINANCE",
                "Standard cost sheet for the top 20 parts",
                "Accounting manager",
                "Margin known for 80% of sales",
            ),
            (
                "ORG_HR",
                "Skill map for the moulding section",
                "HR officer",
                "Each process covered by ≥ 2 operators",
            ),
            (
                "MARKETING",
                "Company profile in English and Japanese",
                "Managing director",
                "Profile published on the portal",
            ),
        ],
        "purpose": "Assess management and production capability before matching with Japanese partners.",
        "stated_needs": (
            "Lower costs, stable quality for export customers, find a Japanese technology partner."
        ),
        "interviewees": ("Managing director", "Production manager"),
        "methods": (
            "Pre-survey questionnaire, three years of financial statements, interviews and a factory walk."
        ),
        "overview": "{company}: {employees} employees.",
        "external_analysis": "Demand from Japanese medical and automation firms in the EEC is growing.",
        "conclusion": (
            "Solid production base; management systems (costing, skills, planning) need strengthening."
        ),
        "conclusion_improved": (
            "Clear progress since the last diagnosis; costing and multi-skilling remain the priorities."
        ),
        "follow_up_plan": "Follow-up visits after three and six months.",
        "follow_up_notes": "SMED workshop held; cost sheets started for the main parts.",
    },
    "th": {
        "findings": [
            (FindingKind.STRENGTH, "PRODUCTION", "ช่างมีฝีมือ และคุณภาพของสายการผลิตหลักคงที่"),
            (FindingKind.STRENGTH, "MARKETING", "มีความสัมพันธ์ยาวนานกับลูกค้าญี่ปุ่นระดับ Tier 1 ในประเทศไทย"),
            (
                FindingKind.WEAKNESS,
                "FINANCE",
                "ยังไม่มีการคำนวณต้นทุนผลิตภัณฑ์: เสนอราคาตามราคาตลาด จึงไม่ทราบกำไรต่อชิ้นงาน",
            ),
            (
                FindingKind.WEAKNESS,
                "PRODUCTION",
                "การเปลี่ยนรุ่นการผลิตใช้เวลาเฉลี่ย 90 นาที และยังไม่เคยวิเคราะห์ SMED",
            ),
            (
                FindingKind.WEAKNESS,
                "ORG_HR",
                "ความรู้สำคัญอยู่กับช่างอาวุโสเพียงสองคน ยังไม่มีแผนผังทักษะหรือแผนพัฒนาให้พนักงานทำได้หลายหน้าที่",
            ),
            (
                FindingKind.OPPORTUNITY,
                "MARKETING",
                "บริษัทญี่ปุ่นด้านเครื่องมือแพทย์และหุ่นยนต์กำลังมองหาคู่ค้าไทยในพื้นที่ EEC",
            ),
            (FindingKind.THREAT, "MARKETING", "พึ่งพาลูกค้ารายเดียวมาก: ลูกค้ารายใหญ่ที่สุดคิดเป็น 45% ของยอดขาย"),
        ],
        "recommendations": [
            ("PRODUCTION", "ทำโครงการ SMED กับเครื่องปั๊มสองเครื่องที่เป็นคอขวด ตั้งเป้าเวลาเปลี่ยนรุ่นต่ำกว่า 30 นาที"),
            ("FINANCE", "นำระบบต้นทุนมาตรฐานต่อชิ้นงานมาใช้ และทบทวนกำไรร่วมกับเจ้าของกิจการทุกเดือน"),
            ("ORG_HR", "จัดทำแผนผังทักษะและแผนพัฒนาทักษะหลายด้าน 12 เดือนสำหรับแผนกฉีดขึ้นรูป"),
            ("MARKETING", "จัดทำโปรไฟล์บริษัทภาษาอังกฤษและญี่ปุ่น และเข้าร่วมการจับคู่ธุรกิจ DIP–SMRJ"),
        ],
        "actions": [
            ("PRODUCTION", "เวิร์กช็อป SMED ที่เครื่องปั๊มหมายเลข 3 และ 4", "ผู้จัดการฝ่ายผลิต", "เวลาเปลี่ยนรุ่น ≤ 30 นาที"),
            ("FINANCE", "ใบต้นทุนมาตรฐานของชิ้นงานหลัก 20 รายการ", "ผู้จัดการฝ่ายบัญชี", "ทราบกำไรของยอดขาย 80%"),
            ("ORG_HR", "แผนผังทักษะของแผนกฉีดขึ้นรูป", "เจ้าหน้าที่ฝ่ายบุคคล", "ทุกกระบวนการมีผู้ทำได้อย่างน้อย 2 คน"),
            ("MARKETING", "โปรไฟล์บริษัทภาษาอังกฤษและญี่ปุ่น", "กรรมการผู้จัดการ", "เผยแพร่โปรไฟล์บนพอร์ทัลแล้ว"),
        ],
        "purpose": "ประเมินความสามารถด้านการบริหารและการผลิตก่อนจับคู่กับคู่ค้าญี่ปุ่น",
        "stated_needs": "ลดต้นทุน คุณภาพคงที่สำหรับลูกค้าส่งออก และหาคู่ค้าด้านเทคโนโลยีจากญี่ปุ่น",
        "interviewees": ("กรรมการผู้จัดการ", "ผู้จัดการฝ่ายผลิต"),
        "methods": "แบบสอบถามก่อนเข้าเยี่ยม งบการเงินย้อนหลังสามปี การสัมภาษณ์ และการเดินสำรวจโรงงาน",
        "overview": "{company}: พนักงาน {employees} คน",
        "external_analysis": "ความต้องการจากบริษัทญี่ปุ่นด้านเครื่องมือแพทย์และระบบอัตโนมัติในพื้นที่ EEC กำลังเติบโต",
        "conclusion": "ฐานการผลิตแข็งแรง แต่ระบบบริหาร (ต้นทุน ทักษะ การวางแผน) ยังต้องเสริมให้แข็งแรงขึ้น",
        "conclusion_improved": (
            "มีความก้าวหน้าชัดเจนนับจากการวินิจฉัยครั้งก่อน เรื่องต้นทุนและการพัฒนาทักษะหลายด้านยังเป็นเรื่องสำคัญอันดับแรก"
        ),
        "follow_up_plan": "ติดตามผลเมื่อครบสามเดือนและหกเดือน",
        "follow_up_notes": "จัดเวิร์กช็อป SMED แล้ว และเริ่มทำใบต้นทุนของชิ้นงานหลักแล้ว",
    },
}


def _statement(year: int, sales: int, growth: Decimal, rng: random.Random) -> dict:
    sales_value = Decimal(sales) * growth
    margin = Decimal(rng.randint(18, 30)) / 100
    operating = sales_value * Decimal(rng.randint(3, 9)) / 100
    total_assets = sales_value * Decimal(rng.randint(70, 110)) / 100
    equity = total_assets * Decimal(rng.randint(25, 55)) / 100
    current_liabilities = total_assets * Decimal(rng.randint(18, 30)) / 100
    value = {
        "sales": sales_value,
        "gross_profit": sales_value * margin,
        "operating_profit": operating,
        "ordinary_profit": operating * Decimal("0.9"),
        "net_income": operating * Decimal("0.7"),
        "fixed_costs": sales_value * Decimal("0.15"),
        "variable_costs": sales_value * Decimal("0.70"),
        "total_assets": total_assets,
        "current_assets": total_assets * Decimal("0.45"),
        "quick_assets": total_assets * Decimal("0.30"),
        "fixed_assets": total_assets * Decimal("0.55"),
        "current_liabilities": current_liabilities,
        "liabilities": total_assets - equity,
        "equity": equity,
        "interest_and_dividends_received": sales_value * Decimal("0.002"),
        "interest_paid": sales_value * Decimal("0.012"),
        "borrowings": (total_assets - equity) * Decimal("0.6"),
        "cash": total_assets * Decimal("0.08"),
        "depreciation": total_assets * Decimal("0.05"),
        "receivables": sales_value * Decimal(rng.randint(50, 90)) / 365,
        "inventory": sales_value * Decimal(rng.randint(25, 60)) / 365,
        "payables": sales_value * Decimal(rng.randint(30, 60)) / 365,
        "external_purchases": sales_value * Decimal("0.62"),
        "personnel_costs": sales_value * Decimal("0.16"),
        "employees": Decimal(rng.randint(30, 200)),
    }
    return {
        "fiscal_year": year,
        "currency": "THB",
        "unit": 1000,
        "period_end": datetime.date(year, 12, 31),
        **{key: round(amount, 0) for key, amount in value.items()},
    }


def _diagnose(company, consultant, levels, sales, *, requested_on, years, rng, improved=False):
    language = WRITES_IN[consultant.email]
    text = TEXTS[language]
    diagnosis = services.diagnosis_create(
        actor=consultant,
        company=company,
        requested_on=requested_on,
        purpose=text["purpose"],
        stated_needs=text["stated_needs"],
    )
    services.diagnosis_transition(
        actor=consultant, diagnosis=diagnosis, to_stage="pre_survey", on=requested_on
    )
    items = ChecklistItem.objects.filter(area__checklist=diagnosis.checklist).select_related("area")
    entries = []
    for item in items:
        base = levels[AREA_ORDER.index(item.area.code)] + (1 if improved else 0)
        score = max(1, min(5, base + rng.choice([-1, 0, 0, 0, 1])))
        entries.append({"item": item, "value": "na" if rng.random() < 0.03 else str(score), "evidence": ""})
    services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=entries)
    for index, year in enumerate(years):
        growth = Decimal("1") + Decimal(index) * Decimal("0.06")
        services.statement_save(actor=consultant, diagnosis=diagnosis, **_statement(year, sales, growth, rng))
    visit = requested_on + datetime.timedelta(days=21)
    services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="site_visit", on=visit)
    services.interviewees_set(
        actor=consultant, diagnosis=diagnosis, people=[("", position) for position in text["interviewees"]]
    )
    services.diagnosis_update(
        actor=consultant,
        diagnosis=diagnosis,
        methods=text["methods"],
        overview=text["overview"].format(
            company=company.display_name(language), employees=company.employees or "—"
        ),
        external_analysis=text["external_analysis"],
        conclusion=text["conclusion_improved" if improved else "conclusion"],
        follow_up_plan=text["follow_up_plan"],
    )
    for kind, area, finding in text["findings"][: 5 + rng.randint(0, 2)]:
        services.finding_add(
            actor=consultant,
            diagnosis=diagnosis,
            kind=kind,
            area=area,
            text=finding,
            severity=Severity.MEDIUM,
        )
    for area, recommendation in text["recommendations"]:
        services.recommendation_add(actor=consultant, diagnosis=diagnosis, area=area, text=recommendation)
    actions = []
    for offset, (area, what, owner, kpi) in enumerate(text["actions"]):
        due = visit + datetime.timedelta(days=90 + 30 * offset)
        actions.append(
            services.action_add(
                actor=consultant, diagnosis=diagnosis, area=area, what=what, owner=owner, due_on=due, kpi=kpi
            )
        )
    report_day = visit + datetime.timedelta(days=30)
    for stage in ("analysis", "reporting", "reported"):
        diagnosis = services.diagnosis_transition(
            actor=consultant, diagnosis=diagnosis, to_stage=stage, on=report_day
        )
    return diagnosis, actions


@transaction.atomic
def shindan_demo_seed() -> int:
    """Returns the number of diagnoses created."""
    consultants = {}
    for email, profile in CONSULTANTS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        services.consultant_profile_save(user=user, **profile)
        consultants[email] = user
    created = 0
    for external_id, (email, levels, sales) in COMPANIES.items():
        company = Company.objects.filter(external_id=external_id).first()
        consultant = consultants.get(email)
        if company is None or consultant is None or company.diagnoses.exists():
            continue
        rng = random.Random(external_id)  # noqa: S311 - demo data, reproducible
        Assignment.objects.get_or_create(
            consultant=consultant, company=company, defaults={"starts_on": datetime.date(2024, 1, 1)}
        )
        if external_id in FOLLOW_UP_COMPANIES:
            first, actions = _diagnose(
                company,
                consultant,
                levels,
                sales,
                requested_on=datetime.date(2024, 5, 6),
                years=(2021, 2022, 2023),
                rng=rng,
            )
            services.follow_up_record(
                actor=consultant,
                diagnosis=first,
                visited_on=datetime.date(2024, 11, 12),
                notes=TEXTS[WRITES_IN[email]]["follow_up_notes"],
                statuses={actions[0].pk: ActionStatus.DONE, actions[1].pk: ActionStatus.IN_PROGRESS},
            )
            services.diagnosis_transition(
                actor=consultant, diagnosis=first, to_stage="closed", on=datetime.date(2025, 6, 30)
            )
            second_on = datetime.date(2026, 5, 11)
            years = (2023, 2024, 2025)
            _diagnose(
                company,
                consultant,
                levels,
                sales,
                requested_on=second_on,
                years=years,
                rng=rng,
                improved=True,
            )
            created += 2
        else:
            _diagnose(
                company,
                consultant,
                levels,
                sales,
                requested_on=datetime.date(2026, 2, 2),
                years=(2023, 2024, 2025),
                rng=rng,
            )
            created += 1
    return created
