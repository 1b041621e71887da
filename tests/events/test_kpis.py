"""The KPI page's figures by country and industry against a hand count of the demo's raw rows."""

import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse

from events import selectors
from events.models import Event, Meeting, MeetingRequest, Participant
from portal.companies.models import Company
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_event(settings):
    settings.DEBUG = True  # seed_demo is for the embedded default
    call_command("seed_demo", stdout=io.StringIO())
    return Event.objects.get(slug="thailand-industry-expo-2017")


def _hand_count(event):
    """Per country and per industry of either company (a meeting counts once per country and industry)."""
    country_of, industries_of = {}, {}
    for company in Company.objects.prefetch_related("industries"):
        country_of[company.pk] = str(company.get_country_display())
        industries_of[company.pk] = {industry.name() for industry in company.industries.all()}
    company_of = dict(Participant.objects.filter(event=event).values_list("pk", "company_id"))
    sides = {
        pk: (company_of[sender], company_of[recipient])
        for pk, sender, recipient in MeetingRequest.objects.filter(event=event).values_list(
            "pk", "sender_id", "recipient_id"
        )
    }
    by_country, by_industry = defaultdict(Counter), defaultdict(Counter)

    def add(request_id, key):
        sender, recipient = sides[request_id]
        for name in {country_of[sender], country_of[recipient]}:
            by_country[name][key] += 1
        for name in industries_of[sender] | industries_of[recipient]:
            by_industry[name][key] += 1

    for request_id in sides:
        add(request_id, "requests")
    for meeting in Meeting.objects.filter(event=event):
        add(meeting.request_id, "meetings")
        add(meeting.request_id, meeting.attendance)
        if meeting.outcome:
            add(meeting.request_id, meeting.outcome)
    return by_country, by_industry


def test_kpis_by_country_and_industry_equal_a_hand_count_of_the_demo(client, demo_event):
    expected_country, expected_industry = _hand_count(demo_event)

    figures = selectors.kpis(demo_event)

    by_country = dict(figures["by_country"])
    assert by_country == expected_country
    assert dict(figures["by_industry"]) == expected_industry
    for outcome in ("follow_up", "nda", "samples", "order"):  # every meeting is Thai–Japanese
        assert (
            by_country["Thailand"][outcome]
            == by_country["Japan"][outcome]
            == figures["outcomes"][outcome]
            > 0
        )
    assert by_country["Thailand"]["meetings"] == figures["meetings"] > 0

    client.force_login(UserFactory(role="coordinator", language="en"))
    html = client.get(reverse("events:kpis", args=[demo_event.slug])).content.decode()
    country_table = html[html.index("By country") :]
    japan_row = re.search(r'<th scope="row">Japan</th>(.*?)</tr>', country_table, re.S).group(1)
    cells = [int(value) for value in re.findall(r'<td class="num">(\d+)</td>', japan_row)]
    assert cells == [
        expected_country["Japan"][key]
        for key in ("requests", "meetings", "held", "no_show", "no_interest", "follow_up", "nda", "samples")
        + ("order", "joint_venture")
    ]
