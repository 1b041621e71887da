"""The consultant's dashboard (shindan/todos.py): diagnoses by stage with what keeps each one from moving
forward, overdue actions and follow-up visits due, in a number of queries that does not grow with the
number of diagnoses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.core.dashboard import Todo
from portal.core.templatetags.portal import localdate
from shindan.models import Diagnosis, FollowUpVisit
from shindan.todos import shindan_todos
from tests.factories import CompanyFactory, DiagnosisFactory, UserFactory
from tests.shindan.helpers import reported_diagnosis

pytestmark = pytest.mark.django_db


def _at(diagnosis, stage: str, **fields) -> Diagnosis:
    """Put a diagnosis at ``stage`` directly (the arrangement of a test, not a transition under test)."""
    Diagnosis.objects.filter(pk=diagnosis.pk).update(stage=stage, **fields)
    return Diagnosis.objects.get(pk=diagnosis.pk)


def _texts(consultant) -> list[tuple[str, str, bool]]:
    return [
        (item.text, item.url, item.urgent)
        for item in shindan_todos(user=consultant, roles={"consultant"}, company_ids=[])
        if item.count
    ]


def test_each_diagnosis_says_what_keeps_it_from_moving_forward():
    consultant = UserFactory(role="consultant", language="en")
    requested = DiagnosisFactory(
        company=CompanyFactory(name_en="Alpha Mold"),
        consultant=consultant,
        requested_on=datetime.date(2026, 1, 5),
    )
    analysis = _at(
        DiagnosisFactory(
            company=CompanyFactory(name_en="Beta Parts"),
            consultant=consultant,
            requested_on=datetime.date(2026, 1, 6),
        ),
        "analysis",
        site_visit_on=datetime.date(2026, 1, 20),
    )
    reporting = _at(
        reported_diagnosis(
            CompanyFactory(name_en="Gamma Foods"), consultant, requested_on=datetime.date(2026, 1, 7)
        ),
        "reporting",
        reported_on=None,
    )
    # Gamma Foods is scored, has statements and an action plan: only the report is missing.

    assert _texts(consultant) == [
        ("Diagnoses at “Requested”: 1", reverse("shindan:home"), False),
        ("Diagnoses at “Analysis”: 1", reverse("shindan:home"), False),
        ("Diagnoses at “Reporting”: 1", reverse("shindan:home"), False),
        ("Alpha Mold: no site visit date yet", reverse("shindan:diagnosis", args=[requested.pk]), False),
        ("Beta Parts: no checklist scores yet", reverse("shindan:diagnosis", args=[analysis.pk]), False),
        (
            "Beta Parts: no financial ratios yet (no financial statement entered)",
            reverse("shindan:statements", args=[analysis.pk]),
            False,
        ),
        ("Beta Parts: no action plan yet", reverse("shindan:plan", args=[analysis.pk]), False),
        ("Gamma Foods: the report is not issued yet", reverse("shindan:report", args=[reporting.pk]), False),
    ]


def test_follow_up_visit_due_90_days_after_the_last_contact():
    today = timezone.localdate()
    consultant = UserFactory(role="consultant", language="en")
    due = _at(
        reported_diagnosis(
            CompanyFactory(name_en="Delta Steel"), consultant, requested_on=datetime.date(2026, 1, 5)
        ),
        "reported",
        reported_on=today - datetime.timedelta(days=91),
    )
    visited = _at(
        reported_diagnosis(
            CompanyFactory(name_en="Echo Plastics"), consultant, requested_on=datetime.date(2026, 1, 6)
        ),
        "follow_up",
        reported_on=today - datetime.timedelta(days=200),
    )
    FollowUpVisit.objects.create(
        diagnosis=visited, visited_on=today - datetime.timedelta(days=89), consultant=consultant
    )

    texts = _texts(consultant)

    with translation.override("en"):
        last = localdate(today - datetime.timedelta(days=91))
    assert (f"Delta Steel: a follow-up visit is due (last contact {last})",
            reverse("shindan:follow_ups", args=[due.pk]), True) in texts  # fmt: skip
    assert not [text for text, _url, _urgent in texts if text.startswith("Echo Plastics")]


def test_other_consultants_diagnoses_are_not_listed():
    mine, theirs = UserFactory(role="consultant"), UserFactory(role="consultant")
    DiagnosisFactory(company=CompanyFactory(name_en="Alpha Mold"), consultant=theirs)
    assert _texts(mine) == []
    assert shindan_todos(user=mine, roles={"member"}, company_ids=[]) == []


@pytest.mark.parametrize("n", [1, 4])
def test_consultant_todos_cost_two_queries_whatever_the_number(django_assert_num_queries, n):
    consultant = UserFactory(role="consultant")
    for i in range(n):
        diagnosis = DiagnosisFactory(company=CompanyFactory(name_en=f"Siam Parts {i}"), consultant=consultant)
        _at(
            diagnosis,
            ["requested", "analysis", "reporting", "reported"][i % 4],
            reported_on=datetime.date(2025, 1, 1),
        )

    with django_assert_num_queries(2):
        items = shindan_todos(user=consultant, roles={"consultant"}, company_ids=[])
    assert sum(item.count for item in items if item.text.startswith("Diagnoses at")) == n
    assert all(isinstance(item, Todo) for item in items)


@pytest.mark.parametrize("n", [1, 3])
def test_consultant_dashboard_page_queries_do_not_grow(client, django_assert_num_queries, n):
    consultant = UserFactory(role="consultant", language="en")
    for i in range(n):
        company = CompanyFactory(name_en=f"Siam Parts {i}")
        DiagnosisFactory(company=company, consultant=consultant)
    client.force_login(consultant)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(CONSULTANT_QUERIES):
        html = client.get(reverse("dashboard")).content.decode()
    assert f"Diagnoses at “Requested”: {n}" in html
    assert html.count(": no site visit date yet") == n


# Session, user, roles, companies and the other apps' sections (5); shindan's diagnoses and overdue
# actions (2).
CONSULTANT_QUERIES = 7
