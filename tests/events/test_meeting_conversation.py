""" "Message this company" from an Expo meeting: on the agenda and on accepted meeting requests, for the
members of both sides only; it opens (or reuses) the pair's conversation in the deals app, recorded as
opened from a meeting, and an accepted meeting lets a pair talk without counting toward the daily cap."""

import pytest
from django.urls import reverse

from deals.models import Conversation, Origin
from events import services
from events.models import ScheduleRun
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BUTTON = "Message this company"


@pytest.fixture
def scheduled(expo):
    """Nihon 0 (delegate) meets Siam 1 (exhibitor); Siam 1 gets a member of its own."""
    jp, th = expo["jp"], expo["th"]
    request = services.meeting_request_create(
        actor=None, sender=jp[0], recipient=th[1], message="Let us meet"
    )
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    run = services.schedule_run_solve(run_id=ScheduleRun.objects.create(event=expo["event"]).pk)
    services.schedule_run_publish(actor=None, run=run)
    th1_member = MembershipFactory(company=th[1].company, user__language="en").user
    return {**expo, "users": {**expo["users"], "th1_member": th1_member}}


def _fields(company) -> str:
    return (
        f'<input type="hidden" name="company" value="{company.pk}">'
        '<input type="hidden" name="origin" value="meeting">'
    )


@pytest.mark.parametrize(
    ("role", "mine", "theirs"), [("jp_member", ("jp", 0), ("th", 1)), ("th1_member", ("th", 1), ("jp", 0))]
)
def test_agenda_offers_message_to_both_sides(client, scheduled, role, mine, theirs):
    own = scheduled[mine[0]][mine[1]]
    other = scheduled[theirs[0]][theirs[1]]
    client.force_login(scheduled["users"][role])

    html = client.get(reverse("events:agenda", args=["expo", own.pk])).content.decode()

    assert html.count(BUTTON) == 1
    assert f'action="{reverse("deals:open", args=[other.company.pk])}"' in html
    assert _fields(own.company) in html


def test_agenda_has_no_message_button_for_a_coordinator_or_in_the_pdf(client, scheduled):
    client.force_login(scheduled["users"]["coordinator"])

    html = client.get(reverse("events:agenda", args=["expo", scheduled["jp"][0].pk])).content.decode()

    assert "Nihon 0" in html
    assert BUTTON not in html


@pytest.mark.parametrize(
    ("role", "theirs"), [("jp_member", ("th", 1)), ("th1_member", ("jp", 0))]
)  # fmt: skip
def test_accepted_request_offers_message_on_my_participation(client, scheduled, role, theirs):
    other = scheduled[theirs[0]][theirs[1]]
    client.force_login(scheduled["users"][role])

    html = client.get(reverse("events:mine", args=["expo"])).content.decode()

    assert html.count(BUTTON) == 1
    assert f'action="{reverse("deals:open", args=[other.company.pk])}"' in html


@pytest.mark.parametrize("role", ["th_member", "outsider", "coordinator", "consultant"])
def test_unrelated_users_get_no_message_button(client, scheduled, role):
    client.force_login(scheduled["users"][role])

    html = client.get(reverse("events:mine", args=["expo"])).content.decode()

    assert BUTTON not in html


def test_pending_request_has_no_message_button(client, expo):
    services.meeting_request_create(actor=None, sender=expo["jp"][0], recipient=expo["th"][0], message="Hi")
    client.force_login(expo["users"]["th_member"])

    html = client.get(reverse("events:mine", args=["expo"])).content.decode()

    assert BUTTON not in html


def test_both_sides_open_the_same_conversation_from_the_meeting(client, scheduled):
    jp0, th1 = scheduled["jp"][0].company, scheduled["th"][1].company
    client.force_login(scheduled["users"]["th1_member"])

    first = client.post(reverse("deals:open", args=[jp0.pk]), {"company": th1.pk, "origin": "meeting"})

    conversation = Conversation.objects.get()
    assert first.status_code == 302
    assert first.url == reverse("deals:conversation", args=[conversation.pk])
    assert (conversation.thai_company_id, conversation.japanese_company_id) == (th1.pk, jp0.pk)
    assert conversation.origin == Origin.MEETING
    assert conversation.opened_by == scheduled["users"]["th1_member"]

    client.force_login(scheduled["users"]["jp_member"])
    second = client.post(reverse("deals:open", args=[th1.pk]), {"company": jp0.pk, "origin": "meeting"})

    assert second.url == reverse("deals:conversation", args=[conversation.pk])
    assert Conversation.objects.count() == 1


def test_unrelated_member_cannot_open_for_the_meeting_company(client, scheduled):
    jp0, th1 = scheduled["jp"][0].company, scheduled["th"][1].company
    client.force_login(scheduled["users"]["outsider"])

    response = client.post(reverse("deals:open", args=[jp0.pk]), {"company": th1.pk, "origin": "meeting"})

    assert response.status_code == 404
    assert Conversation.objects.count() == 0


def test_accepted_meeting_does_not_count_toward_the_daily_cap(client, expo, settings):
    """Nihon 2 and Siam 2 have no match: only their accepted meeting request lets them talk at cap 0."""
    settings.DEALS_DAILY_OPEN_CAP = 0
    jp2, th2 = expo["jp"][2], expo["th"][2]
    user = MembershipFactory(company=th2.company).user
    client.force_login(user)
    url = reverse("deals:open", args=[jp2.company.pk])

    refused = client.post(url, {"company": th2.company.pk, "origin": "meeting"})
    assert refused.url == reverse("companies:detail", args=[jp2.company.pk])
    assert Conversation.objects.count() == 0

    request = services.meeting_request_create(actor=None, sender=jp2, recipient=th2, message="")
    services.meeting_request_respond(actor=None, meeting_request=request, accept=True)
    opened = client.post(url, {"company": th2.company.pk, "origin": "meeting"})

    conversation = Conversation.objects.get()
    assert opened.url == reverse("deals:conversation", args=[conversation.pk])
    assert conversation.counts_toward_cap is False
