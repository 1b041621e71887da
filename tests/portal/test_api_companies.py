"""REST API: companies, postings and taxonomy; the same permissions as the pages."""

import pytest
from rest_framework.test import APIClient

from portal.accounts.models import Role
from portal.accounts.services import api_token_create
from portal.companies.models import CompanyContact, MembershipRole
from portal.postings.models import Posting
from tests.factories import (
    PASSWORD,
    CompanyFactory,
    MembershipFactory,
    UserFactory,
    add_certificate,
    link_terms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _company(n):
    company = CompanyFactory(name_en=f"Company {n}")
    link_terms(
        company, industries=["medical-devices"], capabilities=["cnc-machining"], looking_for=["customer"]
    )
    add_certificate(company, "iso-9001")
    CompanyContact.objects.create(company=company, name="Hidden", email=f"hidden{n}@example.com")
    return company


def test_company_list_query_count_is_the_same_for_one_and_three(api, django_assert_num_queries):
    _company(1)
    with django_assert_num_queries(6):
        assert api.get("/api/companies/").json()["count"] == 1
    _company(2)
    _company(3)
    with django_assert_num_queries(6):
        body = api.get("/api/companies/").json()
    assert body["count"] == 3
    assert "contacts" not in body["results"][0]
    assert body["results"][0]["industries"] == ["medical-devices"]
    assert body["results"][0]["certifications"][0]["certification"] == "iso-9001"


def test_company_list_filters_and_searches_like_the_directory(api):
    _company(1)
    machinist = CompanyFactory(country="JP", name_en="Kato", description_ja="航空機部品の精密加工")
    link_terms(machinist, industries=["aerospace-parts"])
    CompanyFactory(name_en="Pending", verification_status="pending")

    assert [c["name_en"] for c in api.get("/api/companies/", {"q": "精密加工"}).json()["results"]] == ["Kato"]
    assert [c["name_en"] for c in api.get("/api/companies/", {"country": "TH"}).json()["results"]] == [
        "Company 1"
    ]
    assert api.get("/api/companies/").json()["count"] == 2


def test_owner_updates_own_company_through_the_api_with_a_token(api):
    owner = MembershipFactory(company__employees=10).user
    company = owner.memberships.get().company
    _token, secret = api_token_create(user=owner, name="ERP")
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    response = api.patch(
        f"/api/companies/{company.pk}/", {"employees": 250, "capabilities": ["sheet-metal"]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["employees"] == 250
    assert response.json()["contacts"] == []
    company.refresh_from_db()
    assert company.size_class == "large"
    assert list(company.capabilities.values_list("slug", flat=True)) == ["sheet-metal"]


@pytest.mark.parametrize("kind", ["anonymous", "member", "other_company", "consultant"])
def test_others_cannot_update_a_company(api, kind):
    company = CompanyFactory(employees=10)
    users = {
        "member": MembershipFactory(company=company, role=MembershipRole.MEMBER).user,
        "other_company": MembershipFactory().user,
        "consultant": UserFactory(role=Role.CONSULTANT),
    }
    if kind in users:
        api.force_authenticate(users[kind])

    response = api.patch(f"/api/companies/{company.pk}/", {"employees": 999}, format="json")

    assert response.status_code in ((401, 403) if kind == "anonymous" else (404,))
    company.refresh_from_db()
    assert company.employees == 10


def test_bad_input_is_a_clear_400_and_changes_nothing(api):
    owner = MembershipFactory(company__employees=10).user
    company = owner.memberships.get().company
    api.force_authenticate(owner)

    response = api.patch(
        f"/api/companies/{company.pk}/",
        {"employees": -1, "capabilities": ["telepathy"], "region": "JP-13"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"employees", "capabilities", "region"}
    company.refresh_from_db()
    assert company.employees == 10


def test_token_endpoint_and_mine(api):
    owner = MembershipFactory().user

    token = api.post("/api/auth/token/", {"username": owner.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    mine = api.get("/api/companies/mine/").json()

    assert [company["id"] for company in mine] == [owner.memberships.get().company_id]
    assert "contacts" in mine[0]


def test_member_creates_and_publishes_a_posting_via_the_api(api):
    owner = MembershipFactory().user
    api.force_authenticate(owner)

    response = api.post(
        "/api/postings/",
        {
            "company": owner.memberships.get().company_id,
            "type": "supply-offer",
            "title_th": "รับฉีดพลาสติก",
            "capabilities": ["injection-molding"],
            "status": "published",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "published"
    assert api.get("/api/postings/").json()["count"] == 1


def test_posting_for_someone_elses_company_is_refused(api):
    api.force_authenticate(MembershipFactory().user)

    response = api.post(
        "/api/postings/",
        {"company": CompanyFactory().pk, "type": "investment", "title_en": "X"},
        format="json",
    )

    assert response.status_code == 404
    assert Posting.objects.count() == 0


def test_posting_for_a_hidden_company_answers_like_for_a_missing_one(api):
    """Issue 12 item 8: the API told a pending company ("choose a company you are a member of") from a
    missing one ("invalid pk"); both are "not found", as on the pages."""
    api.force_authenticate(MembershipFactory().user)
    pending = CompanyFactory(verification_status="pending")
    missing_pk = pending.pk + 1000

    answers = [
        api.post("/api/postings/", {"company": pk, "type": "investment", "title_en": "X"}, format="json")
        for pk in (pending.pk, missing_pk)
    ]

    assert [answer.status_code for answer in answers] == [404, 404]
    assert answers[0].json() == answers[1].json() == {"detail": "Not found."}
    assert Posting.objects.count() == 0


def test_posting_without_a_company_or_type_is_a_400(api):
    api.force_authenticate(MembershipFactory().user)

    response = api.post("/api/postings/", {"title_en": "X"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"company": ["This field is required."], "type": ["This field is required."]}


def test_posting_list_query_count_is_the_same_for_one_and_three(api, django_assert_num_queries):
    from portal.postings.services import posting_create, posting_set_status

    def make():
        posting = posting_create(company=CompanyFactory(), type="supply-offer", title_en="Molding")
        posting_set_status(posting=posting, status="published")

    make()
    with django_assert_num_queries(5):
        api.get("/api/postings/")
    make()
    make()
    with django_assert_num_queries(5):
        assert api.get("/api/postings/").json()["count"] == 3


def test_taxonomy_endpoints_list_the_fixed_slugs(api):
    industries = api.get("/api/taxonomy/industries/").json()
    certifications = {c["slug"]: c for c in api.get("/api/taxonomy/certifications/").json()}
    eec = [r["code"] for r in api.get("/api/taxonomy/regions/").json() if r["in_eec"]]

    assert [i["slug"] for i in industries if i["is_focus"]] == [
        "medical-devices",
        "robotics-automation",
        "aerospace-parts",
    ]
    assert certifications["jis-q-9100"]["equivalent_to"] == "as9100"
    assert sorted(eec) == ["TH-20", "TH-21", "TH-24"]
