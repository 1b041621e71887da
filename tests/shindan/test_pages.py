"""Every Shindan page and endpoint against every role, with no side effect on denial; query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from shindan import selectors
from shindan.models import Action, Assignment, Change, Diagnosis
from tests.factories import CompanyFactory, DiagnosisFactory, MembershipFactory
from tests.shindan.helpers import assigned_consultant, items, reported_diagnosis

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "other_company",
    "partner_company",
    "unassigned_consultant",
    "assigned_consultant",
    "coordinator",
    "owner",
]


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


WORK_PAGES = [
    "shindan:diagnosis",
    "shindan:statements",
    "shindan:plan",
    "shindan:follow_ups",
    "shindan:history",
]
WORKERS = {"assigned_consultant", "coordinator"}
READERS = {"assigned_consultant", "coordinator", "owner"}


@pytest.mark.parametrize("role", ROLES)
def test_work_pages_only_for_the_consultant_on_the_diagnosis_and_coordinators(client, world, role):
    c = _client(client, world["users"][role])
    pk = world["diagnosis"].pk
    urls = [reverse(name, args=[pk]) for name in WORK_PAGES] + [
        reverse("shindan:area", args=[pk, "PRODUCTION"])
    ]
    for url in urls:
        response = c.get(url)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == (200 if role in WORKERS else 404), (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_report_only_for_the_company_dip_and_the_consultant(client, world, role):
    c = _client(client, world["users"][role])
    pk = world["diagnosis"].pk
    for url in (reverse("shindan:report", args=[pk]), reverse("shindan:report_pdf", args=[pk])):
        response = c.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role in READERS else 404), (url, role)


def test_owner_does_not_see_the_report_before_it_is_reported(client):
    company = CompanyFactory()
    consultant = assigned_consultant(company)
    diagnosis = DiagnosisFactory(company=company, consultant=consultant)
    owner = MembershipFactory(company=company).user
    client.force_login(owner)
    assert client.get(reverse("shindan:report", args=[diagnosis.pk])).status_code == 404
    assert client.get(reverse("shindan:home")).status_code == 200
    assert diagnosis.company.display_name() not in client.get(reverse("shindan:home")).content.decode()


def _posts(world):
    diagnosis, action = world["diagnosis"], world["action"]
    pk = diagnosis.pk
    item = items(diagnosis.checklist, "PRODUCTION")[0]
    return [
        (reverse("shindan:revision", args=[pk]), {"reason": "try"}),
        (reverse("shindan:transition", args=[pk]), {"to_stage": "follow_up", "on": "2026-02-01"}),
        (reverse("shindan:area", args=[pk, "PRODUCTION"]), {f"score_{item.pk}": "5"}),
        (reverse("shindan:statements", args=[pk]), {"fiscal_year": "2023", "currency": "THB", "unit": "1"}),
        (
            reverse("shindan:plan", args=[pk]),
            {"kind": "finding", "finding-kind": "strength", "finding-severity": "low", "finding-text": "x"},
        ),
        (reverse("shindan:action_status", args=[pk, action.pk]), {"status": "done"}),
        (reverse("shindan:plan_delete", args=[pk, "action", action.pk]), {}),
        (
            reverse("shindan:follow_ups", args=[pk]),
            {"visited_on": "2026-02-01", f"action_{action.pk}": "done"},
        ),
        (
            reverse("shindan:diagnosis", args=[pk]),
            {"conclusion": "rewritten", "people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0"},
        ),
    ]


def _state(diagnosis):
    fresh = Diagnosis.objects.get(pk=diagnosis.pk)
    return (
        fresh.stage, fresh.revision, fresh.revision_open, fresh.conclusion,
        Change.objects.filter(diagnosis=diagnosis).count(),
        list(Action.objects.filter(diagnosis=diagnosis).values_list("status", flat=True)),
        fresh.statements.count(), fresh.findings.count(), fresh.follow_ups.count(),
    )  # fmt: skip


@pytest.mark.parametrize("role", [r for r in ROLES if r != "assigned_consultant"])
def test_writes_are_refused_for_everybody_else_and_change_nothing(client, world, role):
    c = _client(client, world["users"][role])
    before = _state(world["diagnosis"])
    for url, data in _posts(world):
        response = c.post(url, data)
        assert response.status_code in (302, 404), (url, role)
        if role != "anonymous":
            assert response.status_code == 404, (url, role)
    assert _state(world["diagnosis"]) == before


def test_the_assigned_consultant_can_write(client, world):
    client.force_login(world["users"]["assigned_consultant"])
    before = _state(world["diagnosis"])
    url = reverse("shindan:action_status", args=[world["diagnosis"].pk, world["action"].pk])
    assert client.post(url, {"status": "in_progress"}).status_code == 302
    assert _state(world["diagnosis"]) != before


def test_an_ended_assignment_keeps_read_access_but_not_write(client, world):
    consultant = world["users"]["assigned_consultant"]
    Assignment.objects.filter(consultant=consultant).update(ends_on=datetime.date(2025, 1, 1))
    client.force_login(consultant)
    pk = world["diagnosis"].pk
    assert client.get(reverse("shindan:diagnosis", args=[pk])).status_code == 200
    assert client.get(reverse("shindan:report", args=[pk])).status_code == 200
    before = _state(world["diagnosis"])
    assert (
        client.post(
            reverse("shindan:action_status", args=[pk, world["action"].pk]), {"status": "done"}
        ).status_code
        == 404
    )
    assert _state(world["diagnosis"]) == before
    assert client.get(reverse("shindan:create", args=[world["company"].pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_diagnosis_needs_an_active_assignment(client, world, role):
    c = _client(client, world["users"][role])
    url = reverse("shindan:create", args=[world["company"].pk])
    count = Diagnosis.objects.count()
    response = c.post(url, {"requested_on": "2026-11-01", "purpose": "Export readiness"})
    if role == "assigned_consultant":
        assert response.status_code == 302
        assert Diagnosis.objects.count() == count + 1
    else:
        assert response.status_code in (302, 404)
        assert Diagnosis.objects.count() == count
        if role != "anonymous":
            assert response.status_code == 404


@pytest.mark.parametrize(
    "role", ["anonymous", "other_company", "unassigned_consultant", "assigned_consultant", "owner"]
)
def test_assignments_and_checklists_are_for_coordinators(client, world, role):
    c = _client(client, world["users"][role])
    for name in ("shindan:assignments", "shindan:checklists"):
        response = c.get(reverse(name))
        assert response.status_code in ((302,) if role == "anonymous" else (404,))


def test_coordinator_assigns_a_consultant(client, world):
    coordinator = world["users"]["coordinator"]
    consultant = world["users"]["unassigned_consultant"]
    client.force_login(coordinator)
    response = client.post(
        reverse("shindan:assignments"),
        {"consultant": consultant.pk, "company": world["company"].registration_no, "starts_on": "2026-11-01"},
    )
    assert response.status_code == 302
    assert Assignment.objects.active().filter(consultant=consultant, company=world["company"]).exists()
    bad = client.post(
        reverse("shindan:assignments"),
        {"consultant": consultant.pk, "company": "nope", "starts_on": "2026-11-01"},
    )
    assert bad.status_code == 200
    assert "No company has that registration number" in bad.content.decode()


def test_item_scores_autosave_answers_json(client, world):
    company = world["company"]
    consultant = world["users"]["assigned_consultant"]
    diagnosis = DiagnosisFactory(company=company, consultant=consultant)
    item = items(diagnosis.checklist, "IT")[0]
    client.force_login(consultant)
    response = client.post(
        reverse("shindan:area", args=[diagnosis.pk, "IT"]),
        {f"score_{item.pk}": "5", f"evidence_{item.pk}": "Cloud ERP since 2022"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"ok": True, "changed": 1, "area_score": "100.0", "overall_score": "100.00"}
    bad = client.post(
        reverse("shindan:area", args=[diagnosis.pk, "IT"]),
        {f"score_{item.pk}": "9"},
        HTTP_ACCEPT="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["ok"] is False


def test_statement_form_accepts_buddhist_era_years(client, world):
    company = world["company"]
    consultant = world["users"]["assigned_consultant"]
    diagnosis = DiagnosisFactory(company=company, consultant=consultant)
    client.force_login(consultant)
    response = client.post(
        reverse("shindan:statements", args=[diagnosis.pk]),
        {"fiscal_year": "2567", "currency": "THB", "unit": "1000", "sales": "52000", "equity": "-100"},
    )
    assert response.status_code == 302
    statement = diagnosis.statements.get()
    assert statement.fiscal_year == 2024
    assert statement.unit == 1000


def test_list_pages_have_a_fixed_number_of_queries(client, world):
    coordinator = world["users"]["coordinator"]
    client.force_login(coordinator)
    url = reverse("shindan:home")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(4):
        reported_diagnosis()
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(first)

    consultant = world["users"]["assigned_consultant"]
    client.force_login(consultant)
    with CaptureQueriesContext(connection) as workspace_before:
        client.get(url)
    for _ in range(3):
        reported_diagnosis(world["company"], consultant)
    with CaptureQueriesContext(connection) as workspace_after:
        client.get(url)
    assert len(workspace_after) == len(workspace_before)


def test_report_page_in_thai_shows_buddhist_era_dates(client, world):
    owner = world["users"]["owner"]
    owner.language = "th"
    owner.save()
    client.force_login(owner)
    html = client.get(reverse("shindan:report", args=[world["diagnosis"].pk]) + "?lang=th").content.decode()
    assert "2569" in html  # reported 10 Jan 2026 → B.E. 2569
    assert "บริษัท สยามพรีซิชั่น จำกัด" in html
    assert "<svg" in html
    assert "radar" in html


def test_pdf_contains_thai_and_japanese_text(client, world):
    client.force_login(world["users"]["coordinator"])
    pk = world["diagnosis"].pk
    for language, expected in (("th", "สยามพรีซิชั่น"), ("ja", "経営戦略")):
        response = client.get(reverse("shindan:report_pdf", args=[pk]) + f"?lang={language}")
        assert response["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert expected in text, language
        if language == "th":
            assert "2569" in text  # B.E. date


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_evidence_photos_are_private_and_checked_by_content(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    consultant = world["users"]["assigned_consultant"]
    diagnosis = DiagnosisFactory(company=world["company"], consultant=consultant)
    item = items(diagnosis.checklist, "PRODUCTION")[0]
    client.force_login(consultant)
    url = reverse("shindan:area", args=[diagnosis.pk, "PRODUCTION"])
    fake = SimpleUploadedFile("floor.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(url, {f"score_{item.pk}": "2", f"photo_{item.pk}": fake})
    assert response.status_code == 200  # refused: not an image
    assert not diagnosis.item_scores.exists()
    photo = SimpleUploadedFile("floor.png", _png(), content_type="image/png")
    assert client.post(url, {f"score_{item.pk}": "2", f"photo_{item.pk}": photo}).status_code == 302
    row = diagnosis.item_scores.get()
    assert (tmp_path / "private" / row.photo.name).exists()
    assert not (tmp_path / "media").exists()
    photo_url = reverse("shindan:evidence_photo", args=[diagnosis.pk, row.pk])
    expectations = {"assigned_consultant": 200, "coordinator": 200, "owner": 404, "other_company": 404}
    for role, expected in [*expectations.items(), ("unassigned_consultant", 404)]:
        client.force_login(world["users"][role])
        response = client.get(photo_url)
        assert response.status_code == expected, role
        if expected == 200:
            assert response["Content-Type"] == "image/png"
            assert b"".join(response.streaming_content) == _png()


def test_workspace_leads_with_the_companies_and_ends_with_the_overdue_actions(client, world):
    """The title is the page's name; a link at the top jumps to the overdue actions, listed once, last."""
    consultant = world["users"]["assigned_consultant"]
    Action.objects.filter(diagnosis=world["diagnosis"]).update(due_on=datetime.date(2020, 1, 1))
    client.force_login(consultant)

    html = client.get(reverse("shindan:home")).content.decode()

    assert "<title>Consultant workspace · DIP × SMRJ</title>" in html
    assert html.count('id="overdue-h"') == 1
    overdue = Action.objects.filter(
        diagnosis__consultants=consultant, due_on__lt=timezone.localdate()
    ).count()
    assert overdue == 2
    assert f'<a href="#overdue-h">{overdue} actions of plans are overdue</a>' in html
    assert html.index('id="companies-h"') < html.index('id="stages-h"') < html.index('id="overdue-h"')


def test_the_coordinators_overdue_count_is_the_consultants_own(world):
    consultant = world["users"]["assigned_consultant"]
    closed = reported_diagnosis(CompanyFactory(), consultant)
    Action.objects.create(diagnosis=closed, what="Kaizen log", owner="QA", due_on=datetime.date(2026, 1, 5))
    Diagnosis.objects.filter(pk=closed.pk).update(stage="closed")  # its actions are no one's to chase

    load = {
        row.pk: row.overdue_actions for row in selectors.overview(user=world["users"]["coordinator"])["load"]
    }
    own = selectors.overdue_actions_for_consultant(user=consultant)
    assert load[consultant.pk] == own.count() == 1  # the open diagnosis's "5S audits" only


def test_the_checklist_is_named_by_its_title_and_version_not_its_code(client, world):
    client.force_login(world["users"]["assigned_consultant"])
    diagnosis = world["diagnosis"]
    label = f"{diagnosis.checklist.title_in('en')}, version {diagnosis.checklist.version}"
    for page in ("shindan:diagnosis", "shindan:report"):
        html = client.get(reverse(page, args=[diagnosis.pk])).content.decode()
        assert label in html
        assert f"{diagnosis.checklist.code} v" not in html


def test_an_empty_list_of_other_consultants_says_why(client):
    company = CompanyFactory()
    consultant = assigned_consultant(company)  # the only one
    client.force_login(consultant)

    html = client.get(reverse("shindan:create", args=[company.pk])).content.decode()
    assert "No other consultant is assigned to this company" in html
