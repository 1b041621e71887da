"""The Shindan demo data, the desks (workspace, overview, reports, checklists) and readiness."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.accounts.models import User
from portal.core.demo import demo_companies_seed, demo_users_seed
from shindan import scoring, selectors
from shindan.demo import shindan_demo_seed
from shindan.models import Action, ConsultantProfile, Diagnosis, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_companies_seed()
    demo_users_seed()
    assert shindan_demo_seed() == 12
    return {user.email: user for user in User.objects.all()}


def test_demo_has_two_consultants_ten_companies_and_two_follow_ups(demo):
    assert ConsultantProfile.objects.count() == 2
    assert Diagnosis.objects.values("company").distinct().count() == 10
    assert Diagnosis.objects.reported().count() == 12
    for external_id in ("TH-DEMO-001", "TH-DEMO-002"):
        first, second = Diagnosis.objects.filter(company__external_id=external_id).order_by("requested_on")
        assert first.stage == Stage.CLOSED
        assert second.stage == Stage.REPORTED
        assert second.overall_score > first.overall_score
        assert first.follow_ups.count() == 1
        assert selectors.previous_reported(second) == first
    assert Action.objects.overdue().exists()
    every = Diagnosis.objects.all()
    assert all(d.statements.count() == 3 and d.findings.exists() and d.actions.count() == 4 for d in every)
    assert shindan_demo_seed() == 0  # idempotent


def test_each_demo_consultant_writes_in_their_working_language(demo):
    """The DIP consultant writes in Thai, the SMRJ Shindanshi in English: a Thai owner's report is not in
    English just because it is demo data."""
    thai = re.compile("[\u0e00-\u0e7f]")
    written = {"consultant@demo.example": [], "consultant2@demo.example": []}
    for diagnosis in Diagnosis.objects.select_related("created_by").prefetch_related("findings", "actions"):
        texts = [diagnosis.purpose, diagnosis.conclusion, *(f.text for f in diagnosis.findings.all())]
        texts += [action.what for action in diagnosis.actions.all()]
        written[diagnosis.created_by.email] += texts
    assert written["consultant@demo.example"]
    assert all(map(thai.search, written["consultant@demo.example"]))
    assert written["consultant2@demo.example"]
    assert not any(map(thai.search, written["consultant2@demo.example"]))
    first = Diagnosis.objects.filter(company__external_id="TH-DEMO-001").order_by("requested_on").first()
    assert first.follow_ups.get().notes == "จัดเวิร์กช็อป SMED แล้ว และเริ่มทำใบต้นทุนของชิ้นงานหลักแล้ว"
    assert list(first.actions.order_by("pk").values_list("what", flat=True))[0] == (
        "เวิร์กช็อป SMED ที่เครื่องปั๊มหมายเลข 3 และ 4"
    )


def test_readiness_formula(demo):
    diagnosis = Diagnosis.objects.filter(company__external_id="TH-DEMO-005").get()
    readiness = selectors.readiness_for_companies([diagnosis.company_id])[diagnosis.company_id]
    statement = selectors.to_ratio_statement(diagnosis.statements.order_by("-fiscal_year").first())
    finance = scoring.finance_score(statement)
    assert readiness.area_score == diagnosis.overall_score
    expected = diagnosis.overall_score * Decimal("0.7") + finance * Decimal("0.3")
    assert readiness.score == round(expected, 1)
    assert 0 <= readiness.score <= 100
    # The latest reported diagnosis counts.
    company = Diagnosis.objects.filter(company__external_id="TH-DEMO-001").first().company
    latest = company.diagnoses.order_by("-requested_on").first()
    assert selectors.readiness_for_companies([company.pk])[company.pk].diagnosis_id == latest.pk


def test_finance_score_scales_and_clamps():
    from shindan.ratios import Statement

    strong = Statement(
        fiscal_year=2025, equity=Decimal(50), total_assets=Decimal(100), current_assets=Decimal(200),
        current_liabilities=Decimal(100), ordinary_profit=Decimal(10), sales=Decimal(100),
        operating_profit=Decimal(10), interest_paid=Decimal(1), interest_and_dividends_received=Decimal(0),
    )  # fmt: skip
    assert scoring.finance_score(strong) == Decimal(100)
    middling = Statement(fiscal_year=2025, equity=Decimal(20), total_assets=Decimal(100))
    assert scoring.finance_score(middling) == Decimal(50)  # only the equity ratio is known: 20 % → 50
    assert scoring.finance_score(Statement(fiscal_year=2025)) is None


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("consultant@demo.example", ["Consultant workspace", "Overdue actions", "Siam Precision Mold"]),
        (
            "coordinator@demo.example",
            ["Shindan overview", "Average area scores by industry", "<svg", "Readiness"],
        ),
        ("owner.th@demo.example", ["Siam Precision Mold"]),
        ("owner.jp@demo.example", []),
    ],
)
def test_desks_render_for_each_role(client, demo, email, expected):
    user = demo[email]
    user.language = "en"
    user.save()
    client.force_login(user)
    response = client.get(reverse("shindan:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html
    if email == "owner.jp@demo.example":
        assert "Siam Precision Mold" not in html


def test_every_page_of_a_demo_diagnosis_renders(client, demo):
    consultant = demo["consultant@demo.example"]
    consultant.language = "en"
    consultant.save()
    client.force_login(consultant)
    diagnosis = Diagnosis.objects.filter(company__external_id="TH-DEMO-001").order_by("-requested_on").first()
    urls = [
        reverse("shindan:diagnosis", args=[diagnosis.pk]),
        reverse("shindan:statements", args=[diagnosis.pk]),
        reverse("shindan:statement", args=[diagnosis.pk, diagnosis.statements.first().pk]),
        reverse("shindan:plan", args=[diagnosis.pk]),
        reverse("shindan:follow_ups", args=[diagnosis.pk]),
        reverse("shindan:history", args=[diagnosis.pk]),
        reverse("shindan:report", args=[diagnosis.pk]),
        reverse("shindan:profile"),
        reverse("shindan:checklist", args=[diagnosis.checklist_id]),
    ] + [reverse("shindan:area", args=[diagnosis.pk, code]) for code in diagnosis.area_scores]
    for url in urls:
        assert client.get(url).status_code == 200, url
    report = client.get(reverse("shindan:report", args=[diagnosis.pk])).content.decode()
    assert "Previous (" in report  # compared with the first diagnosis on the radar chart


def test_coordinator_pages_render(client, demo):
    client.force_login(demo["coordinator@demo.example"])
    for name in ("shindan:assignments", "shindan:checklists"):
        assert client.get(reverse(name)).status_code == 200
