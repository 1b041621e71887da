"""A partner's company page offers the viewer's match with it (score, reasons) and the actions on it —
interest, not interested, an introduction, a meeting at an upcoming event — wherever the viewer has a
proposal for that company; nobody else sees them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, MeetingRequest, Participant, ParticipantKind, ParticipantStatus
from matching import services
from matching.models import Interest, Introduction
from matching.reasons_text import render_proposal_reasons
from portal.accounts.models import Role
from tests.factories import (
    CompanyFactory,
    MatchProposalFactory,
    MembershipFactory,
    UserFactory,
    add_certificate,
    link_terms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """A Japanese buyer whose best proposal is a certified Thai molder (computed by the real engine)."""
    buyer = CompanyFactory(country="JP", name_en="Kato Medical", languages="ja,en", currency="JPY")
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"], requires=["iso-13485"])
    molder = CompanyFactory(name_en="Certified Molder", languages="th,en")
    link_terms(molder, industries=["medical-devices"], capabilities=["injection-molding"])
    add_certificate(molder, "iso-13485", expires_on=timezone.localdate() + datetime.timedelta(days=300))
    services.run_full_inline()
    member = MembershipFactory(company=buyer, user__language="ja").user
    return {"buyer": buyer, "molder": molder, "member": member}


def _page(client, company):
    return client.get(reverse("companies:detail", args=[company.pk]))


def test_partner_page_shows_the_match_and_the_actions_to_the_member(client, pair):
    client.force_login(pair["member"])

    html = _page(client, pair["molder"]).content.decode()

    proposal = pair["buyer"].proposals.get(partner=pair["molder"])
    with translation.override("ja"):
        heading = translation.gettext("Your match with this company")
        expected_score = f'<span class="value">{proposal.score:.0f}</span>'
        assert heading in html
        assert expected_score in html
        assert "射出成形" in html  # the reason "they offer what you seek", in the member's language
        for label in ("Interested", "Not interested", "Request an introduction"):
            assert translation.gettext(label) in html
    interest_url = reverse("matching:interest", args=[pair["buyer"].pk, pair["molder"].pk])
    assert f'action="{interest_url}"' in html


def test_acting_from_the_partner_page_comes_back_to_it(client, pair):
    client.force_login(pair["member"])
    page = reverse("companies:detail", args=[pair["molder"].pk])

    interest = client.post(
        reverse("matching:interest", args=[pair["buyer"].pk, pair["molder"].pk]),
        {"interested": "1", "next": page},
    )
    introduction = client.post(
        reverse("matching:request", args=[pair["buyer"].pk, pair["molder"].pk]), {"next": page}
    )

    assert (interest["Location"], introduction["Location"]) == (page, page)
    assert Interest.objects.get().interested is True
    assert Introduction.objects.get().stage == "requested"
    html = _page(client, pair["molder"]).content.decode()
    with translation.override("ja"):
        assert translation.gettext("You are interested") in html
        assert translation.gettext("Request an introduction") not in html


def test_next_pointing_elsewhere_is_ignored(client, pair):
    client.force_login(pair["member"])

    response = client.post(
        reverse("matching:interest", args=[pair["buyer"].pk, pair["molder"].pk]),
        {"interested": "1", "next": "https://evil.example/"},
    )

    assert response["Location"] == f"{reverse('matching:recommendations')}?company={pair['buyer'].pk}"


@pytest.mark.parametrize(
    "kind", ["anonymous", "other_company", "consultant", "coordinator", "partner_member"]
)
def test_nobody_else_gets_the_panel(client, pair, kind):
    users = {
        "other_company": MembershipFactory(company=CompanyFactory(country="JP")).user,
        "consultant": UserFactory(role=Role.CONSULTANT),
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "partner_member": MembershipFactory(company=pair["molder"]).user,
    }
    if kind in users:
        client.force_login(users[kind])

    response = _page(client, pair["molder"])

    assert response.status_code == 200
    assert 'id="match-heading"' not in response.content.decode()
    assert "matching/companies/" not in response.content.decode()


def _upcoming_event(buyer, molder, *, days_from_now=20):
    today = timezone.localdate()
    event = Event.objects.create(
        slug="expo",
        name_en="Industry Expo",
        venue_en="BITEC",
        organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=days_from_now),
        ends_on=today + datetime.timedelta(days=days_from_now + 2),
    )
    mine = Participant.objects.create(
        event=event, company=buyer, kind=ParticipantKind.DELEGATE, status=ParticipantStatus.CONFIRMED
    )
    theirs = Participant.objects.create(
        event=event, company=molder, kind=ParticipantKind.EXHIBITOR, status=ParticipantStatus.CONFIRMED
    )
    return event, mine, theirs


def test_partner_page_offers_a_meeting_when_both_take_part_in_an_upcoming_event(client, pair):
    event, mine, theirs = _upcoming_event(pair["buyer"], pair["molder"])
    client.force_login(pair["member"])
    page = reverse("companies:detail", args=[pair["molder"].pk])
    request_url = reverse("events:request", args=[event.slug, mine.pk, theirs.pk])
    assert f'action="{request_url}"' in _page(client, pair["molder"]).content.decode()

    response = client.post(request_url, {"message": "よろしくお願いします", "next": page})

    assert response["Location"] == page
    meeting_request = MeetingRequest.objects.get()
    assert (meeting_request.sender, meeting_request.recipient) == (mine, theirs)
    html = _page(client, pair["molder"]).content.decode()
    assert f'action="{request_url}"' not in html
    with translation.override("ja"):
        assert meeting_request.get_status_display() in html


def test_no_meeting_action_for_an_event_that_is_over(client, pair):
    event, mine, theirs = _upcoming_event(pair["buyer"], pair["molder"], days_from_now=-10)
    client.force_login(pair["member"])

    html = _page(client, pair["molder"]).content.decode()

    assert reverse("events:request", args=[event.slug, mine.pk, theirs.pk]) not in html
    assert 'id="meet-heading"' not in html


def test_acting_on_a_recommendation_comes_back_to_its_card(client, pair):
    """A member working down the list is not sent back to its top after each answer."""
    client.force_login(pair["member"])
    page = f"{reverse('matching:recommendations')}?company={pair['buyer'].pk}"
    card = f"partner-{pair['buyer'].pk}-{pair['molder'].pk}"

    html = client.get(page).content.decode()

    assert f'id="{card}"' in html
    assert f'name="next" value="{page}#{card}"' in html
    response = client.post(
        reverse("matching:interest", args=[pair["buyer"].pk, pair["molder"].pk]),
        {"interested": "1", "next": f"{page}#{card}"},
    )
    assert response["Location"] == f"{page}#{card}"


def test_not_interested_says_where_to_undo_it_and_the_partner_page_undoes_it(
    client, pair, django_capture_on_commit_callbacks, inline_tasks
):
    client.force_login(pair["member"])
    url = reverse("matching:interest", args=[pair["buyer"].pk, pair["molder"].pk])
    page = reverse("companies:detail", args=[pair["molder"].pk])

    hidden = client.post(url, {"interested": "0"}, follow=True)

    with translation.override("ja"):
        said = translation.gettext(
            "%(partner)s is hidden from your recommendations. To undo it, open its company page."
        ) % {"partner": "Certified Molder"}
        assert said in hidden.content.decode()
        html = _page(client, pair["molder"]).content.decode()
        assert translation.gettext("Show it again") in html
        assert translation.gettext("Interested") not in html  # no proposal: only the undo
    assert not pair["buyer"].proposals.filter(partner=pair["molder"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        undone = client.post(url, {"undo": "1", "next": page})

    assert undone["Location"] == page
    assert not Interest.objects.exists()
    # rescored (tasks run inline here): the pair is proposed again, both ways
    assert pair["buyer"].proposals.filter(partner=pair["molder"]).exists()
    assert pair["molder"].proposals.filter(partner=pair["buyer"]).exists()
    assert "Show it again" not in _page(client, pair["molder"]).content.decode()
    again = client.post(url, {"undo": "1"}, follow=True)  # nothing left to undo: nothing changes
    assert pair["buyer"].proposals.filter(partner=pair["molder"]).count() == 1
    assert again.status_code == 200


def test_only_the_members_of_the_company_that_hid_a_partner_see_the_undo(client, pair):
    services.interest_set(
        company=pair["buyer"], partner=pair["molder"], actor=pair["member"], interested=False
    )
    stranger = MembershipFactory(company=CompanyFactory(country="JP", name_en="Other Buyer")).user
    for user in (stranger, UserFactory(role=Role.COORDINATOR)):
        client.force_login(user)
        assert "undo" not in _page(client, pair["molder"]).content.decode()
    client.force_login(stranger)
    client.post(reverse("matching:interest", args=[pair["buyer"].pk, pair["molder"].pk]), {"undo": "1"})
    assert Interest.objects.filter(interested=False).count() == 1  # not theirs to undo


def test_the_coordinators_introduction_page_shows_the_match_and_each_sides_interest(client, pair):
    introduction = services.introduction_request(
        company=pair["buyer"], partner=pair["molder"], actor=pair["member"]
    )
    client.force_login(UserFactory(role=Role.COORDINATOR, language="en"))

    response = client.get(reverse("matching:introduction", args=[introduction.pk]))

    html = response.content.decode()
    proposal = pair["molder"].proposals.get(partner=pair["buyer"])  # the Thai side's
    assert f"Match score {proposal.score:.0f} out of 100" in html
    assert "The reasons as Certified Molder reads them:" in html
    expected = render_proposal_reasons(proposal, viewer_id=pair["molder"].pk)
    assert expected and response.context["reasons"] == expected  # noqa: PT018
    facts = response.context["match_interests"]
    assert facts == [("Certified Molder", None), ("Kato Medical", True)]  # the request is an interest
    assert "Has said nothing yet" in html


def test_the_viewers_own_readiness_is_said_once_above_the_cards_not_on_each(client):
    company = CompanyFactory(country="JP")
    member = MembershipFactory(company=company, user__language="en").user
    for score in (80.0, 70.0, 60.0):
        MatchProposalFactory(
            company=company,
            score=score,
            reasons=[
                {"code": "partner_readiness", "value": score - 10},
                {"code": "your_readiness", "value": 61.0},
            ],
        )
    client.force_login(member)

    html = client.get(reverse("matching:recommendations")).content.decode()

    assert html.count("Your Shindan readiness: 61/100") == 1
    assert html.count("Diagnosed by a Shindan consultant: readiness") == 3
    assert html.index("Your Shindan readiness") < html.index('class="card proposal')
