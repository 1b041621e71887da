"""Events list pages and endpoints make the same number of queries for one item and for three."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    CompanyFactory,
    EventFactory,
    MeetingRequestFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _same_count(client, django_assert_num_queries, url, add_item, expected, *, length):
    add_item()
    client.get(url)  # warm the caches (site settings, sessions) so both counts start alike
    with django_assert_num_queries(expected):
        first = client.get(url)
    add_item()
    add_item()
    with django_assert_num_queries(expected):
        third = client.get(url)
    assert (length(first), length(third)) == (1, 3)


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 1), ("coordinator", 6)])
def test_event_list_page(client, django_assert_num_queries, role, expected):
    if role == "coordinator":
        client.force_login(UserFactory(role="coordinator"))
    _same_count(
        client, django_assert_num_queries, reverse("events:list"), EventFactory, expected,
        length=lambda response: len(response.context["events"]),
    )  # fmt: skip


def test_api_participations(django_assert_num_queries):
    member = MembershipFactory(company=CompanyFactory(country="JP"))
    api = APIClient()
    api.force_authenticate(member.user)
    _same_count(
        api, django_assert_num_queries, "/api/participants/",
        lambda: ParticipantFactory(company=member.company), 2,
        length=lambda response: len(response.json()["results"]),
    )  # fmt: skip


def test_api_meeting_requests(django_assert_num_queries):
    member = MembershipFactory(company=CompanyFactory(country="JP"))
    event = EventFactory()
    sender = ParticipantFactory(event=event, company=member.company)
    api = APIClient()
    api.force_authenticate(member.user)
    _same_count(
        api, django_assert_num_queries, "/api/meeting-requests/",
        lambda: MeetingRequestFactory(sender=sender, recipient__event=event), 2,
        length=lambda response: len(response.json()["results"]),
    )  # fmt: skip


def test_partners_page(client, django_assert_num_queries):
    member = MembershipFactory(company=CompanyFactory(country="JP"))
    event = EventFactory()
    mine = ParticipantFactory(event=event, company=member.company)
    client.force_login(member.user)
    _same_count(
        client, django_assert_num_queries, reverse("events:participants", args=[event.slug, mine.pk]),
        lambda: ParticipantFactory(event=event, company=CompanyFactory(country="TH")), 16,
        length=lambda response: len(response.context["rows"]),
    )  # fmt: skip


def test_my_participation_page_requests(client, django_assert_num_queries):
    member = MembershipFactory(company=CompanyFactory(country="JP"))
    event = EventFactory()
    mine = ParticipantFactory(event=event, company=member.company)
    client.force_login(member.user)
    _same_count(
        client, django_assert_num_queries, reverse("events:mine", args=[event.slug]),
        lambda: MeetingRequestFactory(sender=mine, recipient__event=event), 13,
        length=lambda response: len(response.context["rows"][0][1]["sent"]),
    )  # fmt: skip
