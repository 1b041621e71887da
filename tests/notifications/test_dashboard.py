"""The dashboard as a to-do list per role, the profile completeness meter, and bounded queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from matching import services
from matching.models import MatchRun, RunStatus
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MeetingRequestFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thai_owner():
    company = CompanyFactory(
        name_en="Siam Precision", country="TH", description_en="Moulds", description_ja=""
    )
    return MembershipFactory(company=company, user=UserFactory(language="en")).user, company


def _requests(company, n):
    event = EventFactory()
    recipient = ParticipantFactory(event=event, company=company)
    for _ in range(n):
        MeetingRequestFactory(
            sender=ParticipantFactory(event=event, company=CompanyFactory(country="JP")), recipient=recipient
        )
    return event


def test_member_sees_requests_to_answer_and_profile_prompts(client, thai_owner):
    user, company = thai_owner
    event = _requests(company, 2)
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "2 meeting requests to answer" in html
    assert f'href="{reverse("events:mine", kwargs={"slug": event.slug})}"' in html
    assert "Add a Japanese description" in html
    assert f'href="{reverse("companies:edit", kwargs={"pk": company.pk, "step": "about"})}"' in html
    assert "Add your certificates with expiry dates" in html
    assert "Add an English description" not in html


def test_nothing_to_do_says_so(client):
    user = UserFactory(language="en", role="consultant")
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Your diagnoses" in html
    assert "Nothing waits for you here." in html
    assert "For your company" not in html


def test_a_person_without_a_role_is_told_nothing_waits_and_where_to_start(client):
    client.force_login(UserFactory(language="en", role=""))
    html = client.get(reverse("dashboard")).content.decode()
    todo = html.split('id="todo-heading"')[1].split("</section>")[0]
    assert "Nothing waits for you here." in todo
    assert reverse("companies:start") in html
    # the join form itself, folded (a link to its POST-only URL would answer 405)
    assert f'<form method="post" action="{reverse("companies:join")}" novalidate>' in html
    assert f'href="{reverse("companies:join")}"' not in html


def test_coordinator_sees_vetting_queue_and_expiring_requests(client, thai_owner):
    from portal.companies.models import VerificationStatus

    CompanyFactory(verification_status=VerificationStatus.PENDING)
    user = UserFactory(language="en", role="coordinator")
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "1 company waits for vetting" in html
    assert "For your company" not in html
    assert "System" not in html


def test_coordinator_sees_help_requests_open_and_those_they_took(client, thai_owner):
    """A request nobody took is for every coordinator; one a coordinator took stays on their list until it
    is marked done (another coordinator's is not on it)."""
    from deals import services
    from deals.models import CoordinatorInvite

    owner, company = thai_owner
    first, _second = (
        services.coordinator_invite(
            conversation=services.conversation_open(
                actor=owner, company=company, partner=CompanyFactory(country="JP")
            )[0],
            actor=owner,
            kind=kind,
        )
        for kind in ("interpret", "help")
    )
    me, colleague = UserFactory(language="en", role="coordinator"), UserFactory(role="coordinator")
    client.force_login(me)
    desk = reverse("deals:desk")

    html = client.get(reverse("dashboard")).content.decode()
    assert "2 conversations ask for a coordinator" in html
    assert "you took" not in html

    services.coordinator_invite_take(invite=first, actor=me)
    html = client.get(reverse("dashboard")).content.decode()
    assert "1 conversation asks for a coordinator" in html
    assert "1 request you took is not marked done" in html
    assert f'href="{desk}"' in html

    CoordinatorInvite.objects.filter(pk=first.pk).update(coordinator=colleague)
    html = client.get(reverse("dashboard")).content.decode()
    assert "you took" not in html


def test_admin_sees_system_items(client):
    user = UserFactory(language="en", is_staff=True, is_superuser=True)
    client.force_login(user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Last full matching run: never" in html
    assert "Coordination" in html


# Session, user, roles, companies; the to-do list: unread messages, proposals, meeting requests,
# invitations, meetings to report on, introductions; the profile completeness; the bell and menus cost
# none (polled).
MEMBER_QUERIES = 13
# Session, user, roles, companies; vetting, data requests, outbox, requests near expiry, delegations,
# introductions waiting, last matching run, conversations asking for help.
ADMIN_QUERIES = 13


@pytest.mark.parametrize("n", [1, 3])
def test_member_dashboard_queries_do_not_grow(client, thai_owner, django_assert_num_queries, n):
    user, company = thai_owner
    _requests(company, n)
    client.force_login(user)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(MEMBER_QUERIES):
        html = client.get(reverse("dashboard")).content.decode()
    assert f"{n} meeting request" in html


@pytest.mark.parametrize("n", [1, 3])
def test_coordinator_dashboard_queries_do_not_grow(client, django_assert_num_queries, n):
    from portal.companies.models import VerificationStatus

    for _ in range(n):
        CompanyFactory(verification_status=VerificationStatus.PENDING)
    user = UserFactory(language="en", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(ADMIN_QUERIES):
        html = client.get(reverse("dashboard")).content.decode()
    assert f"{n} compan" in html


def test_a_help_request_taken_by_one_coordinator_no_longer_waits_for_the_others(thai_owner):
    from deals import services
    from portal.notifications.models import Notification

    owner, company = thai_owner
    me, colleague = UserFactory(role="coordinator"), UserFactory(role="coordinator")
    conversation = services.conversation_open(
        actor=owner, company=company, partner=CompanyFactory(country="JP")
    )[0]
    invite = services.coordinator_invite(conversation=conversation, actor=owner, kind="help")
    waiting = Notification.objects.filter(kind="deals.help_requested", read_at=None)
    assert set(waiting.values_list("recipient", flat=True)) == {me.pk, colleague.pk}

    services.coordinator_invite_take(invite=invite, actor=me)

    assert not waiting.exists()


def test_the_last_matching_run_is_dated_in_the_readers_calendar_and_links_to_that_run(client):
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.FULL, status=RunStatus.FINISHED, weights=services.weights_current()
    )
    at = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC)
    MatchRun.objects.filter(pk=run.pk).update(started_at=at, finished_at=at)
    client.force_login(UserFactory(language="th", is_staff=True, is_superuser=True))

    html = client.get(reverse("dashboard")).content.decode()
    assert "2569" in html  # 2026 in the Buddhist Era
    assert "2026-12-06" not in html
    assert f'href="{reverse("admin:matching_matchrun_change", args=[run.pk])}"' in html
    with translation.override("th"):
        assert translation.gettext("Last full matching run: %(status)s, %(at)s").split(":")[0] in html


def test_your_companies_lead_to_what_each_role_may_do_there(client, thai_owner):
    """The owner goes from the dashboard to the profile, the postings and the products; a member to the
    products only (the postings and the profile are the owner's: ``companies.edit_company``)."""
    owner, company = thai_owner
    member = MembershipFactory(company=company, role="member", user=UserFactory(language="en")).user
    edit = reverse("companies:edit", args=[company.pk, "profile"])
    postings, products = (
        reverse("postings:company", args=[company.pk]),
        reverse("showcase:manage", args=[company.pk]),
    )

    client.force_login(owner)
    as_owner = client.get(reverse("dashboard")).content.decode()
    client.force_login(member)
    as_member = client.get(reverse("dashboard")).content.decode()

    assert all(f'href="{url}"' in as_owner for url in (edit, postings, products))
    assert f'href="{products}"' in as_member
    assert f'href="{edit}"' not in as_member
    assert f'href="{postings}"' not in as_member
    assert client.get(products).status_code == 200  # the member's link leads somewhere


@pytest.mark.parametrize("n", [1, 3])
def test_an_owner_is_told_who_waits_to_join_on_the_profiles_query(
    client, thai_owner, django_assert_num_queries, n
):
    from portal.companies.models import JoinRequest

    user, company = thai_owner
    for _ in range(n):
        JoinRequest.objects.create(user=UserFactory(), company=company)
    JoinRequest.objects.create(
        user=UserFactory(), company=company, status="declined"
    )  # answered: not waiting
    client.force_login(user)
    client.get(reverse("dashboard"))

    with django_assert_num_queries(MEMBER_QUERIES):
        html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    members = reverse("companies:members", kwargs={"pk": company.pk})
    text = "1 person asks to join Siam Precision" if n == 1 else f"{n} people ask to join Siam Precision"
    assert f'<li class="urgent"><a href="{members}">{text}</a></li>' in html
