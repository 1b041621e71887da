"""The proposer withdraws a proposal before an answer: only its own company, only while it is open; the
need's company is told and nothing waits for its answer; a new proposal may follow."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from deals import services
from deals.models import Proposal, ProposalStatus
from portal.notifications.kinds import get_kind
from portal.notifications.models import Notification
from tests.deals.helpers import need
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _propose(pair, posting, offer="射出成形で対応できます。"):
    return services.proposal_submit(
        posting=posting, company=pair["b"], actor=pair["owner_b"], offer=offer, lead_time_days=30
    )


def test_withdrawing_tells_the_need_and_settles_what_waited(pair):
    posting = need(pair["a"])
    proposal = _propose(pair, posting)
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="shortlisted")

    services.proposal_withdraw(proposal=proposal, actor=pair["owner_b"])

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    received = Notification.objects.get(kind="deals.proposal_received")
    shortlisted = Notification.objects.get(kind="deals.proposal_shortlisted")
    assert received.read_at is not None  # nothing waits for the need's company any more
    assert shortlisted.read_at is not None
    withdrawn = Notification.objects.get(kind="deals.proposal_withdrawn")
    assert withdrawn.recipient == pair["owner_a"]
    assert withdrawn.url == reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk})
    with translation.override("en"):
        subject, body = get_kind(withdrawn.kind).render(withdrawn.context)
    assert subject == "A proposal on your need “Injection molded housings” was withdrawn"
    assert body.startswith("Kato Medical withdrew its proposal")


@pytest.mark.parametrize("status", ["declined", "accepted"])
def test_an_answered_proposal_cannot_be_withdrawn(pair, status):
    proposal = _propose(pair, need(pair["a"]))
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status=status, reason="Too far away.")

    with pytest.raises(ValidationError) as error:
        services.proposal_withdraw(proposal=proposal, actor=pair["owner_b"])

    assert error.value.code == "invalid_transition"
    proposal.refresh_from_db()
    assert proposal.status == status
    assert not Notification.objects.filter(kind="deals.proposal_withdrawn").exists()


@pytest.mark.parametrize("who", ["poster", "outsider"])
def test_only_the_proposing_company_withdraws(pair, who):
    proposal = _propose(pair, need(pair["a"]))
    actor = pair["owner_a"] if who == "poster" else UserFactory()

    with pytest.raises(ValidationError) as error:
        services.proposal_withdraw(proposal=proposal, actor=actor)

    assert error.value.code == "not_member"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_withdrawn_proposal_cannot_be_decided_and_a_new_one_may_follow(pair):
    posting = need(pair["a"])
    first = _propose(pair, posting)
    services.proposal_withdraw(proposal=first, actor=pair["owner_b"])

    with pytest.raises(ValidationError):
        services.proposal_decide(proposal=first, actor=pair["owner_a"], status="accepted")
    second = _propose(pair, posting, offer="納期を短縮した新しい提案です。")
    with pytest.raises(ValidationError) as error:  # still one open proposal per company and need
        _propose(pair, posting)

    assert error.value.code == "duplicate"
    assert sorted(Proposal.objects.values_list("pk", "status")) == [
        (first.pk, ProposalStatus.WITHDRAWN),
        (second.pk, ProposalStatus.SUBMITTED),
    ]


def test_the_proposer_withdraws_from_the_proposals_page_and_is_led_to_the_need(client, pair):
    posting = need(pair["a"])
    proposal = _propose(pair, posting)
    url = reverse("deals:proposal", kwargs={"pk": proposal.pk})
    client.force_login(pair["owner_b"])
    assert 'value="withdrawn"' in client.get(url).content.decode()

    response = client.post(
        reverse("deals:proposal", kwargs={"pk": proposal.pk}), {"status": "withdrawn"}, follow=True
    )

    assert response.redirect_chain[-1][0] == url
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    html = response.content.decode()
    assert 'value="withdrawn"' not in html
    assert reverse("postings:detail", kwargs={"pk": posting.pk}) in html
    # The need's page offers a new proposal again.
    page = client.get(reverse("deals:propose", kwargs={"posting_pk": posting.pk})).content.decode()
    assert "one proposal per company" not in page


def test_the_poster_cannot_withdraw_and_sees_no_button(client, pair):
    proposal = _propose(pair, need(pair["a"]))
    client.force_login(pair["owner_a"])
    assert (
        'value="withdrawn"'
        not in client.get(reverse("deals:proposal", kwargs={"pk": proposal.pk})).content.decode()
    )

    response = client.post(reverse("deals:proposal", kwargs={"pk": proposal.pk}), {"status": "withdrawn"})

    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_withdrawn_proposals_come_last_in_the_needs_list(client, pair):
    posting = need(pair["a"])
    first = _propose(pair, posting)
    services.proposal_withdraw(proposal=first, actor=pair["owner_b"])
    second = _propose(pair, posting, offer="新しい提案です。")
    client.force_login(pair["owner_a"])

    rows = client.get(reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk})).context["rows"]

    assert [row.proposal.pk for row in rows] == [second.pk, first.pk]


def test_a_post_without_the_withdrawal_changes_nothing(client, pair):
    proposal = _propose(pair, need(pair["a"]))
    client.force_login(pair["owner_b"])

    response = client.post(reverse("deals:proposal", kwargs={"pk": proposal.pk}), {"status": "accepted"})

    assert response.status_code == 405
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_declined_proposal_leads_to_other_needs_not_back_to_its_own(client, pair):
    posting = need(pair["a"])
    proposal = _propose(pair, posting)
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="declined", reason="Too far.")
    client.force_login(pair["owner_b"])

    html = client.get(reverse("deals:proposal", kwargs={"pk": proposal.pk})).content.decode()

    assert f"{reverse('postings:list')}?type=supply-need&amp;country=TH" in html
    assert f'href="{reverse("postings:detail", kwargs={"pk": posting.pk})}" class' not in html
    assert f'class="button" href="{reverse("postings:detail", kwargs={"pk": posting.pk})}"' not in html
