"""A mutual interest on the coordinators' dashboard is taken up: "Prepare the introduction" opens the pair's
introduction (requested, by whoever said "interested" first) and leads to its page, where the coordinator
decides it; a pair that is no longer mutual, a company out of the directory or a member's post changes
nothing. The dashboard shows each pair's introduction, if any, on the same query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Interest, Introduction
from portal.companies.models import VerificationStatus
from portal.notifications.models import Notification
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("matching:introductions")


def _mutual(index: int = 0):
    thai = CompanyFactory(name_en=f"Siam Parts {index}")
    japanese = CompanyFactory(country="JP", name_en=f"Kato Medical {index}")
    thai_member = MembershipFactory(company=thai).user
    japanese_member = MembershipFactory(company=japanese).user
    Interest.objects.create(company=japanese, partner=thai, interested=True, actor=japanese_member)
    Interest.objects.create(company=thai, partner=japanese, interested=True, actor=thai_member)
    return thai, japanese, japanese_member


@pytest.fixture
def coordinator(client):
    user = UserFactory(role="coordinator", language="en")
    client.force_login(user)
    return user


def test_the_members_read_that_a_coordinator_prepared_it_not_that_they_asked(client):
    """Saying "interested" is not asking for an introduction: the companies' list says who prepared it."""
    thai, japanese, japanese_member = _mutual()
    client.force_login(UserFactory(role="coordinator", language="en"))
    client.post(URL, {"thai": thai.pk, "japanese": japanese.pk})
    client.force_login(japanese_member)

    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "prepared by a coordinator" in html
    assert "you asked" not in html


def test_taking_up_a_mutual_interest_opens_its_introduction_and_leads_to_it(client, coordinator):
    thai, japanese, first_member = _mutual()
    UserFactory(role="coordinator")  # another coordinator: not notified of the coordinator's own step

    before = client.get(URL).content.decode()
    response = client.post(URL, {"thai": thai.pk, "japanese": japanese.pk})

    assert f'name="thai" value="{thai.pk}"' in before
    assert "Prepare the introduction</button>" in before
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:introduction", args=[introduction.pk])
    assert (introduction.thai_company, introduction.japanese_company) == (thai, japanese)
    assert introduction.stage == "requested"
    # prepared by the coordinator; the side that said "interested" first stands as the requesting company
    assert (introduction.requesting_company, introduction.requested_by) == (japanese, coordinator)
    assert not Notification.objects.filter(kind="matching.introduction_requested").exists()

    after = client.get(URL).content.decode()
    link = reverse("matching:introduction", args=[introduction.pk])
    assert f'<a href="{link}">Introduction: Requested</a>' in after
    assert f'name="thai" value="{thai.pk}"' not in after


def test_taking_up_twice_leads_to_the_same_introduction(client, coordinator):
    thai, japanese, _member = _mutual()
    first = client.post(URL, {"thai": thai.pk, "japanese": japanese.pk})
    again = client.post(URL, {"thai": thai.pk, "japanese": japanese.pk})

    assert Introduction.objects.count() == 1
    assert first["Location"] == again["Location"]


def test_an_introduction_further_on_is_shown_and_kept(client, coordinator):
    thai, japanese, member = _mutual()
    introduction = Introduction.objects.create(
        thai_company=thai, japanese_company=japanese, requesting_company=japanese, stage="talking"
    )

    response = client.post(URL, {"thai": thai.pk, "japanese": japanese.pk})

    assert response["Location"] == reverse("matching:introduction", args=[introduction.pk])
    introduction.refresh_from_db()
    assert introduction.stage == "talking"
    assert "Introduction: Talking</a>" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "change",
    ["one_sided", "not_interested", "unverified", "swapped", "unknown", "empty"],
)
def test_a_pair_that_cannot_be_taken_up_is_refused_and_nothing_changes(client, coordinator, change):
    thai, japanese, _member = _mutual()
    data = {"thai": thai.pk, "japanese": japanese.pk}
    if change == "one_sided":
        Interest.objects.filter(company=thai).delete()
    elif change == "not_interested":
        Interest.objects.filter(company=thai).update(interested=False)
    elif change == "unverified":
        japanese.verification_status = VerificationStatus.PENDING
        japanese.save()
    elif change == "swapped":
        data = {"thai": japanese.pk, "japanese": thai.pk}
    elif change == "unknown":
        data = {"thai": 999_999, "japanese": japanese.pk}
    else:
        data = {}

    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200  # the dashboard again, with the reason
    assert not Introduction.objects.exists()
    expected = {
        "unverified": "This company is not in the directory.",
        "empty": "Choose a pair of companies.",
    }.get(change, "These two companies are no longer both interested in each other.")
    assert expected in response.content.decode()


def test_the_refusal_is_translated(client):
    thai, japanese, _member = _mutual()
    Interest.objects.filter(company=thai).delete()
    client.force_login(UserFactory(role="coordinator", language="ja"))

    html = client.post(URL, {"thai": thai.pk, "japanese": japanese.pk}, HTTP_ACCEPT_LANGUAGE="ja").content

    assert "These two companies" not in html.decode()
    assert "この2社は、もう互いに関心を示していません。" in html.decode()


def test_a_member_cannot_take_up_a_pair(client):
    thai, japanese, member = _mutual()
    client.force_login(member)

    response = client.post(URL, {"thai": thai.pk, "japanese": japanese.pk})

    assert response.status_code == 200  # their own introductions, unchanged
    assert not Introduction.objects.exists()


@pytest.mark.parametrize("pairs", [2, 6])
def test_the_pairs_introductions_ride_on_the_dashboards_queries(client, coordinator, pairs):
    for index in range(pairs):
        thai, japanese, _member = _mutual(index)
        if index % 2:
            Introduction.objects.create(thai_company=thai, japanese_company=japanese, requesting_company=thai)
    client.get(URL)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()

    assert html.count("Prepare the introduction</button>") == (pairs + 1) // 2
    assert html.count("Introduction: Requested</a>") == pairs // 2
    assert len(queries) == 16  # as with no mutual interest (test_dashboard.py)
