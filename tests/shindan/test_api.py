"""The Shindan API is scoped exactly like the pages; denied requests change nothing."""

import pytest
from rest_framework.test import APIClient

from shindan.models import Action, Change, Diagnosis
from tests.shindan.helpers import items
from tests.shindan.test_pages import ROLES, _state

pytestmark = pytest.mark.django_db

READERS = {"assigned_consultant", "coordinator", "owner"}


def _api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_list_and_read_are_scoped(world, role):
    api = _api(world["users"][role])
    pk = world["diagnosis"].pk
    listed = api.get("/api/shindan/diagnoses/")
    if role == "anonymous":
        assert listed.status_code in (401, 403)
        return
    ids = (
        [row["id"] for row in listed.json()["results"]]
        if "results" in listed.json()
        else [row["id"] for row in listed.json()]
    )
    assert (pk in ids) == (role in READERS)
    for suffix in ("", "scores/", "statements/", "actions/"):
        response = api.get(f"/api/shindan/diagnoses/{pk}/{suffix}")
        assert response.status_code == (200 if role in READERS else 404), (suffix, role)
    assert api.get(f"/api/shindan/actions/{world['action'].pk}/").status_code == (
        200 if role in READERS else 404
    )


def test_read_values(world):
    api = _api(world["users"]["owner"])
    pk = world["diagnosis"].pk
    detail = api.get(f"/api/shindan/diagnoses/{pk}/").json()
    assert detail["stage"] == "reported"
    assert detail["overall_score"] == "50.00"
    assert detail["area_scores"]["PRODUCTION"] == "50.0"
    scores = api.get(f"/api/shindan/diagnoses/{pk}/scores/").json()
    assert len(scores) == 49
    assert {row["value"] for row in scores} == {"3"}
    statements = api.get(f"/api/shindan/diagnoses/{pk}/statements/").json()
    assert [row["fiscal_year"] for row in statements] == [2024, 2025]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "assigned_consultant"])
def test_writes_are_refused_and_change_nothing(world, role):
    api = _api(world["users"][role])
    diagnosis = world["diagnosis"]
    pk = diagnosis.pk
    item = items(diagnosis.checklist, "IT")[0]
    before = _state(diagnosis)
    count = Diagnosis.objects.count()
    requests = [
        ("post", f"/api/shindan/diagnoses/{pk}/transition/", {"to_stage": "follow_up"}),
        ("post", f"/api/shindan/diagnoses/{pk}/scores/", [{"item": item.code, "value": "5"}]),
        (
            "post",
            f"/api/shindan/diagnoses/{pk}/statements/",
            {"fiscal_year": 2023, "currency": "THB", "unit": 1},
        ),
        (
            "post",
            f"/api/shindan/diagnoses/{pk}/actions/",
            {"what": "x", "owner": "y", "due_on": "2026-12-01"},
        ),
        ("patch", f"/api/shindan/actions/{world['action'].pk}/", {"status": "done"}),
        ("post", "/api/shindan/diagnoses/", {"company": world["company"].pk}),
    ]
    for method, url, data in requests:
        response = getattr(api, method)(url, data, format="json")
        expected = (401, 403) if role == "anonymous" else (404,)
        assert response.status_code in expected, (url, role, response.status_code)
    assert _state(diagnosis) == before
    assert Diagnosis.objects.count() == count


def test_assigned_consultant_works_through_the_api(world):
    consultant = world["users"]["assigned_consultant"]
    api = _api(consultant)
    created = api.post(
        "/api/shindan/diagnoses/", {"company": world["company"].pk, "purpose": "Follow-up"}, format="json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    diagnosis = Diagnosis.objects.get(pk=pk)
    codes = [item.code for item in items(diagnosis.checklist, "PRODUCTION")]
    scored = api.post(
        f"/api/shindan/diagnoses/{pk}/scores/",
        [{"item": code, "value": "4"} for code in codes],
        format="json",
    )
    assert scored.status_code == 200
    assert scored.json()["area_scores"] == {"PRODUCTION": "75.0"}
    unknown = api.post(
        f"/api/shindan/diagnoses/{pk}/scores/", [{"item": "NOPE-01", "value": "4"}], format="json"
    )
    assert unknown.status_code == 400
    statement = api.post(
        f"/api/shindan/diagnoses/{pk}/statements/",
        {"fiscal_year": 2568, "currency": "THB", "unit": 1000, "sales": "1200.50"},
        format="json",
    )
    assert statement.status_code == 201
    assert statement.json()["fiscal_year"] == 2025
    wrong = api.post(f"/api/shindan/diagnoses/{pk}/transition/", {"to_stage": "reported"}, format="json")
    assert wrong.status_code == 400
    moved = api.post(f"/api/shindan/diagnoses/{pk}/transition/", {"to_stage": "pre_survey"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["stage"] == "pre_survey"
    action = api.post(
        f"/api/shindan/diagnoses/{pk}/actions/",
        {"what": "SMED workshop", "owner": "Line leader", "due_on": "2027-01-31"},
        format="json",
    )
    assert action.status_code == 201
    done = api.patch(f"/api/shindan/actions/{action.json()['id']}/", {"status": "done"}, format="json")
    assert done.json()["status"] == "done"
    assert done.json()["done_on"]
    assert Action.objects.get(pk=action.json()["id"]).updates.count() == 1
    assert Change.objects.filter(diagnosis_id=pk).count() >= 5


def test_schema_includes_the_shindan_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/shindan/diagnoses/",
        "/api/shindan/diagnoses/{id}/scores/",
        "/api/shindan/actions/{id}/",
    ):
        assert path in schema
