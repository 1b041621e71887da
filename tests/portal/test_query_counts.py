"""List pages and endpoints make the same number of queries for one item and for three."""

import pytest
from django.urls import reverse

from matching import services as matching
from portal.companies.models import MembershipRole
from portal.postings.services import posting_create
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, link_terms

pytestmark = pytest.mark.django_db


def _same_count(client, django_assert_num_queries, url, add_item, expected, *, length):
    add_item()
    client.get(url)
    with django_assert_num_queries(expected):
        first = client.get(url)
    add_item()
    add_item()
    with django_assert_num_queries(expected):
        third = client.get(url)
    assert (length(first), length(third)) == (1, 3)


def test_company_postings_page(client, django_assert_num_queries):
    owner = MembershipFactory()
    client.force_login(owner.user)

    _same_count(
        client, django_assert_num_queries, reverse("postings:company", args=[owner.company.pk]),
        lambda: posting_create(company=owner.company, type="supply-offer", title_en="Molding"), 10,
        length=lambda response: len(response.context["postings"]),
    )  # fmt: skip


def test_members_page(client, django_assert_num_queries):
    owner = MembershipFactory()
    client.force_login(owner.user)
    members = []

    def add():
        members.append(MembershipFactory(company=owner.company, role=MembershipRole.MEMBER))

    _same_count(
        client, django_assert_num_queries, reverse("companies:members", args=[owner.company.pk]), add, 8,
        length=lambda response: len(response.context["memberships"]) - 1,
    )  # fmt: skip


def test_introductions_endpoint(client, django_assert_num_queries):
    buyer = CompanyFactory(country="JP")
    member = MembershipFactory(company=buyer).user
    client.force_login(member)

    def add():
        matching.introduction_request(company=buyer, partner=CompanyFactory(), actor=member)

    _same_count(
        client, django_assert_num_queries, "/api/introductions/", add, 5,
        length=lambda response: response.json()["count"],
    )  # fmt: skip


def test_proposals_endpoint(client, django_assert_num_queries):
    buyer = CompanyFactory(country="JP")
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"])
    member = MembershipFactory(company=buyer).user
    client.force_login(member)

    def add():
        partner = CompanyFactory()
        link_terms(partner, industries=["medical-devices"], capabilities=["injection-molding"])
        matching.run_full_inline()

    _same_count(
        client, django_assert_num_queries, f"/api/companies/{buyer.pk}/proposals/", add, 10,
        length=lambda response: len(response.json()),
    )  # fmt: skip


def test_plain_user_sees_no_foreign_introductions(client):
    client.force_login(UserFactory())

    assert client.get("/api/introductions/").json()["count"] == 0
