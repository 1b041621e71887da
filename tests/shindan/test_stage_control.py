"""The stage control: the step forward is the obvious action and says what happened; only the lifecycle's
moves are offered; the report is issued only when every item is answered and its sections are written,
with the list of what is missing (page and API); one diagnosis in progress per company."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from shindan import services
from shindan.models import ChecklistItem, Diagnosis, Stage
from tests.factories import CompanyFactory, DiagnosisFactory
from tests.shindan.helpers import assigned_consultant, score_all, write_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory(name_en="Siam Gear")


@pytest.fixture
def consultant(company):
    return assigned_consultant(company, language="en")


@pytest.fixture
def diagnosis(company, consultant):
    return DiagnosisFactory(company=company, consultant=consultant, requested_on=datetime.date(2026, 1, 5))


def _to(diagnosis, consultant, *stages):
    for stage in stages:
        diagnosis = services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage=stage)
    return diagnosis


def _items_per_area(diagnosis) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in ChecklistItem.objects.filter(area__checklist=diagnosis.checklist).values_list(
        "area__code", flat=True
    ):
        counts[code] = counts.get(code, 0) + 1
    return counts


AREA_LABELS = {
    "STRATEGY": "Strategy",
    "ORG_HR": "Organisation and people",
    "MARKETING": "Marketing and sales",
    "PRODUCTION": "Production",
    "FINANCE": "Finance",
    "IT": "IT and data",
    "LEGAL": "Legal and compliance",
}
SECTIONS = [
    "Write the section “Purpose and scope”.",
    "Write the section “Methods”.",
    "Write the section “Company overview”.",
    "Write the section “External analysis”.",
    "Write the section “Overall conclusion”.",
    "Write the section “Follow-up plan”.",
    "Add at least one SWOT finding.",
    "Add at least one recommendation.",
    "Add at least one action to the action plan.",
]


def _expected_missing(diagnosis, scored: set[str]) -> list[str]:
    lines = []
    for code, total in _items_per_area(diagnosis).items():
        if code not in scored:
            lines.append(
                f"{AREA_LABELS[code]}: {total} of {total} items are not scored yet (a score or N/A)."
            )
    return lines


def test_reporting_with_one_area_scored_is_refused_with_everything_that_is_missing(diagnosis, consultant):
    score_all(diagnosis, consultant, "4", area="STRATEGY")
    diagnosis = _to(diagnosis, consultant, "pre_survey", "site_visit", "analysis", "reporting")

    with pytest.raises(services.ReportIncomplete) as refused:
        services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="reported")

    assert refused.value.missing == _expected_missing(diagnosis, {"STRATEGY"}) + SECTIONS
    diagnosis.refresh_from_db()
    assert (diagnosis.stage, diagnosis.reported_on) == (Stage.REPORTING, None)


def test_not_applicable_counts_as_answered_and_a_complete_report_is_issued(diagnosis, consultant):
    score_all(diagnosis, consultant, "3")
    score_all(diagnosis, consultant, "na", area="LEGAL")
    write_report(diagnosis, consultant)
    diagnosis = _to(diagnosis, consultant, "pre_survey", "site_visit", "analysis", "reporting")

    diagnosis = services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="reported")

    assert diagnosis.stage == Stage.REPORTED
    assert "LEGAL" not in diagnosis.area_scores  # all N/A: no score, but answered


def test_a_request_cannot_be_closed(diagnosis, consultant):
    with pytest.raises(ValidationError, match="cannot move"):
        services.diagnosis_transition(actor=consultant, diagnosis=diagnosis, to_stage="closed")
    assert Diagnosis.objects.get(pk=diagnosis.pk).stage == Stage.REQUESTED


def test_api_transition_answers_the_same_list(diagnosis, consultant):
    score_all(diagnosis, consultant, "4", area="STRATEGY")
    diagnosis = _to(diagnosis, consultant, "pre_survey", "site_visit", "analysis", "reporting")
    api = APIClient()
    api.force_authenticate(consultant)

    response = api.post(f"/api/shindan/diagnoses/{diagnosis.pk}/transition/", {"to_stage": "reported"})

    assert response.status_code == 400
    assert response.json() == {
        "stage": ["The report cannot be issued yet."],
        "missing": _expected_missing(diagnosis, {"STRATEGY"}) + SECTIONS,
    }
    assert Diagnosis.objects.get(pk=diagnosis.pk).stage == Stage.REPORTING


def _buttons(html: str) -> list[tuple[str, str, str]]:
    """(value, class, text) of the stage form's buttons."""
    form = html[html.index('class="stage-moves"') :]
    form = form[: form.index("</form>")]
    return [
        (value, css, " ".join(text.split()))
        for value, css, text in re.findall(
            r'<button type="submit" name="to_stage" value="([^"]+)"(?: class="([^"]*)")?>(.*?)</button>', form
        )
    ]


def test_the_step_forward_is_the_primary_button_and_the_message_says_what_happened(
    client, diagnosis, consultant
):
    client.force_login(consultant)
    url = reverse("shindan:diagnosis", args=[diagnosis.pk])

    assert _buttons(client.get(url).content.decode()) == [("pre_survey", "", "Move on to “Pre-survey”")]

    response = client.post(
        reverse("shindan:transition", args=[diagnosis.pk]),
        {"to_stage": "pre_survey", "on": "2026-01-06"},
        follow=True,
    )
    html = response.content.decode()
    assert "The diagnosis moved on to “Pre-survey”." in html
    assert _buttons(html) == [
        ("site_visit", "", "Move on to “Site visit”"),
        ("requested", "secondary", "Back to “Requested”"),
    ]

    response = client.post(
        reverse("shindan:transition", args=[diagnosis.pk]),
        {"to_stage": "requested", "on": "2026-01-07"},
        follow=True,
    )
    assert "The diagnosis went back to “Requested”." in response.content.decode()
    assert Diagnosis.objects.get(pk=diagnosis.pk).stage == Stage.REQUESTED


def test_the_page_lists_what_is_missing_and_offers_no_report_button(client, diagnosis, consultant):
    score_all(diagnosis, consultant, "4", area="STRATEGY")
    diagnosis = _to(diagnosis, consultant, "pre_survey", "site_visit", "analysis", "reporting")
    client.force_login(consultant)

    html = client.get(reverse("shindan:diagnosis", args=[diagnosis.pk])).content.decode()

    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html[html.index('id="report-missing"') :])
    expected = _expected_missing(diagnosis, {"STRATEGY"}) + SECTIONS
    assert [text for _href, text in listed] == expected
    assert listed[0][0] == reverse("shindan:area", args=[diagnosis.pk, "ORG_HR"])  # where to do it
    assert listed[-1][0] == reverse("shindan:plan", args=[diagnosis.pk])
    assert _buttons(html) == [("analysis", "secondary", "Back to “Analysis”")]
    response = client.post(
        reverse("shindan:transition", args=[diagnosis.pk]),
        {"to_stage": "reported", "on": "2026-02-01"},
        follow=True,
    )
    assert "The report cannot be issued yet" in response.content.decode()
    assert Diagnosis.objects.get(pk=diagnosis.pk).stage == Stage.REPORTING


def test_a_complete_report_is_issued_from_the_page(client, diagnosis, consultant):
    score_all(diagnosis, consultant, "3")
    write_report(diagnosis, consultant)
    diagnosis = _to(diagnosis, consultant, "pre_survey", "site_visit", "analysis", "reporting")
    client.force_login(consultant)

    assert _buttons(client.get(reverse("shindan:diagnosis", args=[diagnosis.pk])).content.decode()) == [
        ("reported", "", "Issue the report"),
        ("analysis", "secondary", "Back to “Analysis”"),
    ]
    response = client.post(
        reverse("shindan:transition", args=[diagnosis.pk]),
        {"to_stage": "reported", "on": "2026-02-01"},
        follow=True,
    )
    html = response.content.decode()
    assert "The report is issued: the company&#x27;s members can read it now." in html
    assert _buttons(html) == [
        ("follow_up", "", "Move on to “Follow-up”"),
        ("closed", "secondary", "Close the diagnosis"),
    ]
    # The overview, where the revision is opened, says "below"; another tab links to the overview.
    assert "open a revision below" in html
    plan = client.get(reverse("shindan:plan", args=[diagnosis.pk])).content.decode()
    assert "open a revision on the overview to change it." in plan
    assert f'to change it. <a href="{reverse("shindan:diagnosis", args=[diagnosis.pk])}">Overview</a>' in plan


def test_no_second_diagnosis_while_one_is_in_progress(client, company, diagnosis, consultant):
    with pytest.raises(ValidationError, match="already has a diagnosis in progress"):
        services.diagnosis_create(actor=consultant, company=company)
    client.force_login(consultant)
    workspace = client.get(reverse("shindan:home")).content.decode()
    assert reverse("shindan:create", args=[company.pk]) not in workspace
    assert reverse("shindan:diagnosis", args=[diagnosis.pk]) in workspace
    assert "Open the diagnosis in progress" in workspace

    response = client.get(reverse("shindan:create", args=[company.pk]))
    assert response["Location"] == reverse("shindan:diagnosis", args=[diagnosis.pk])
    client.post(reverse("shindan:create", args=[company.pk]), {"requested_on": "2026-02-01", "purpose": "x"})
    assert Diagnosis.objects.filter(company=company).count() == 1


def test_a_new_diagnosis_once_the_last_one_is_reported(company, diagnosis, consultant):
    score_all(diagnosis, consultant, "3")
    write_report(diagnosis, consultant)
    _to(diagnosis, consultant, "pre_survey", "site_visit", "analysis", "reporting", "reported")

    second = services.diagnosis_create(actor=consultant, company=company)

    assert second.stage == Stage.REQUESTED


def test_after_the_report_the_follow_up_tab_has_no_lock_notice_and_the_plan_says_what_stays_open(
    client, world
):
    diagnosis = world["diagnosis"]  # reported
    client.force_login(world["users"]["assigned_consultant"])

    follow_ups = client.get(reverse("shindan:follow_ups", args=[diagnosis.pk])).content.decode()
    assert "open a revision" not in follow_ups
    plan = client.get(reverse("shindan:plan", args=[diagnosis.pk])).content.decode()
    assert "open a revision on the overview to change it." in plan
    assert "Each action's status can still be updated." in plan
