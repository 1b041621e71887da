"""Shindan's list pages and list endpoint read the same number of queries for one diagnosis as for three
(no query per row); the numbers are exact so a new per-row query shows up here."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import CompanyFactory, DiagnosisFactory, MembershipFactory, UserFactory
from tests.shindan.helpers import assigned_consultant

pytestmark = pytest.mark.django_db

# Per page: queries for a coordinator, a consultant or a member, whatever the number of diagnoses.
OVERVIEW_QUERIES = 10
WORKSPACE_QUERIES = 10
MY_REPORTS_QUERIES = 7
ASSIGNMENTS_QUERIES = 8
API_LIST_QUERIES = 3


def _diagnoses(count: int, *, reported: bool = False, company=None):
    """``count`` diagnoses by one consultant, each of its own company (or all of ``company``)."""
    consultant = UserFactory(role="consultant")
    made = []
    for n in range(count):
        owner = company or CompanyFactory(name_en=f"Siam Parts {n}")
        assigned_consultant_for(owner, consultant)
        made.append(
            DiagnosisFactory(
                company=owner,
                consultant=consultant,
                reported=reported,
                requested_on=datetime.date(2025, 1, 10) + datetime.timedelta(days=40 * n),
            )
        )
    return consultant, made


def assigned_consultant_for(company, consultant):
    from shindan.models import Assignment

    if not Assignment.objects.filter(company=company, consultant=consultant).exists():
        Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))


@pytest.mark.parametrize("count", [1, 3])
def test_coordinator_overview(client, django_assert_num_queries, count):
    _diagnoses(count)
    client.force_login(UserFactory(role="coordinator"))
    url = reverse("shindan:home")
    client.get(url)  # warm the per-process caches (checklist, session)

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["diagnoses"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_consultant_workspace(client, django_assert_num_queries, count):
    consultant, _made = _diagnoses(count)
    client.force_login(consultant)
    url = reverse("shindan:home")
    client.get(url)

    with django_assert_num_queries(WORKSPACE_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert sum(len(rows) for _code, _label, rows in response.context["by_stage"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_member_reports(client, django_assert_num_queries, count):
    company = CompanyFactory(name_en="Siam Parts")
    _diagnoses(count, reported=True, company=company)
    client.force_login(MembershipFactory(company=company).user)
    url = reverse("shindan:home")
    client.get(url)

    with django_assert_num_queries(MY_REPORTS_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["diagnoses"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_assignments_page(client, django_assert_num_queries, count):
    for n in range(count):
        assigned_consultant(CompanyFactory(name_en=f"Siam Parts {n}"))
    client.force_login(UserFactory(role="coordinator"))
    url = reverse("shindan:assignments")
    client.get(url)

    with django_assert_num_queries(ASSIGNMENTS_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["assignments"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_api_diagnosis_list(django_assert_num_queries, count):
    _diagnoses(count)
    api = APIClient()
    api.force_authenticate(UserFactory(role="coordinator"))
    api.get("/api/shindan/diagnoses/")

    with django_assert_num_queries(API_LIST_QUERIES):
        response = api.get("/api/shindan/diagnoses/")

    assert response.status_code == 200
    assert response.json()["count"] == count
