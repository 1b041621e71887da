"""Postings: lifecycle with allowed transitions only, public visibility, moderation, expiry."""

import datetime
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.models import Role
from portal.core.service_calls import error_codes
from portal.postings.forms import PostingForm
from portal.postings.models import Posting, PostingStatus
from portal.postings.services import posting_create, posting_expire_due, posting_set_status
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _posting(company=None, **fields):
    company = company or CompanyFactory()
    return posting_create(
        company=company,
        type="supply-need",
        title_en="Need cleanroom molding",
        body_th="ต้องการผู้รับฉีดพลาสติก",
        **fields,
    )


def test_new_posting_is_a_draft_and_invisible_to_the_public(client):
    posting = _posting()

    assert posting.status == PostingStatus.DRAFT
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 404


def test_published_posting_is_public_and_searchable(client):
    posting = _posting()

    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)

    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 200
    names = [c.pk for c in client.get(reverse("companies:directory"), {"q": "ฉีดพลาสติก"}).context["page"]]
    assert names == [posting.company.pk]


@pytest.mark.parametrize(
    ("start", "target"),
    [("draft", "expired"), ("closed", "published"), ("closed", "draft")],
)
def test_refused_transitions_change_nothing(start, target):
    posting = _posting()
    Posting.objects.filter(pk=posting.pk).update(status=start)

    with pytest.raises(ValidationError) as refused:
        posting_set_status(posting=posting, status=target)
    assert refused.value.code == "invalid_transition"

    posting.refresh_from_db()
    assert posting.status == start


def test_expiry_task_expires_only_past_postings_and_is_idempotent():
    today = timezone.localdate()
    old = _posting(expires_on=today + datetime.timedelta(days=3))
    fresh = _posting(expires_on=today + datetime.timedelta(days=30))
    for posting in (old, fresh):
        posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
    Posting.objects.filter(pk=old.pk).update(expires_on=today - datetime.timedelta(days=1))

    assert posting_expire_due() == 1
    assert posting_expire_due() == 0
    assert dict(Posting.objects.values_list("pk", "status")) == {old.pk: "expired", fresh.pk: "published"}


def test_past_expiry_date_is_refused():
    with pytest.raises(ValidationError) as refused:
        _posting(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert error_codes(refused.value) == {"expired"}
    assert Posting.objects.count() == 0


def test_member_creates_and_publishes_through_the_pages(client):
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("postings:new", args=[membership.company.pk]),
        {
            "type": "technology-offer",
            "title_ja": "協働ロボットの導入支援",
            "capabilities": ["system-integration"],
        },
    )
    posting = Posting.objects.get()
    assert response["Location"] == reverse("postings:detail", args=[posting.pk])
    client.post(reverse("postings:status", args=[posting.pk]), {"status": "published"})

    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED
    assert list(posting.capabilities.values_list("slug", flat=True)) == ["system-integration"]


@pytest.mark.parametrize("kind", ["anonymous", "other_company", "consultant"])
def test_others_cannot_edit_or_publish(client, kind):
    posting = _posting()
    if kind == "other_company":
        client.force_login(MembershipFactory().user)
    elif kind == "consultant":
        client.force_login(UserFactory(role=Role.CONSULTANT))

    edit = client.post(
        reverse("postings:edit", args=[posting.pk]), {"type": "investment", "title_en": "Hacked"}
    )
    publish = client.post(reverse("postings:status", args=[posting.pk]), {"status": "published"})

    assert edit.status_code in (302, 404)
    assert publish.status_code in (302, 404)
    if kind != "anonymous":
        assert (edit.status_code, publish.status_code) == (404, 404)
    posting.refresh_from_db()
    assert (posting.title_en, posting.status) == ("Need cleanroom molding", "draft")


def test_coordinator_hides_a_posting(client):
    posting = _posting()
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
    client.force_login(UserFactory(role=Role.COORDINATOR))

    client.post(reverse("postings:moderation", args=[posting.pk]), {"hidden": "on", "note": "Duplicate"})

    posting.refresh_from_db()
    assert (posting.is_hidden, posting.moderation_note) == (True, "Duplicate")
    assert list(Posting.objects.live()) == []


def test_an_unknown_status_is_explained_and_changes_nothing(client):
    membership = MembershipFactory()
    posting = _posting(company=membership.company)
    client.force_login(membership.user)

    response = client.post(reverse("postings:status", args=[posting.pk]), {"status": "expired"}, follow=True)

    assert len(list(response.context["messages"])) == 1
    posting.refresh_from_db()
    assert posting.status == PostingStatus.DRAFT


def test_a_visitor_is_told_how_to_answer_a_posting_or_reach_its_company_and_a_member_is_not(client):
    posting = _posting()
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
    pages = {
        reverse("postings:detail", args=[posting.pk]): "Interested in this posting?",
        reverse("companies:detail", args=[posting.company.pk]): "Interested in working with",
    }
    for page, heading in pages.items():
        html = client.get(page).content.decode()
        assert heading in html
        assert f'href="{reverse("account_login")}?next={quote(page)}"' in html
        assert f'href="{reverse("account_signup")}?next={quote(page)}"' in html

    client.force_login(MembershipFactory().user)
    for page, heading in pages.items():
        assert heading not in client.get(page).content.decode()


def test_the_posting_form_asks_the_readers_language_first_and_can_be_left(client):
    with translation.override("ja"):
        titles = [name for name in PostingForm().fields if name.startswith("title_")]
    assert titles == ["title_ja", "title_en", "title_th"]

    member = MembershipFactory()
    client.force_login(member.user)
    html = client.get(reverse("postings:new", args=[member.company.pk])).content.decode()
    assert "One language is enough" in html
    assert f'href="{reverse("postings:company", args=[member.company.pk])}">Cancel</a>' in html


# --- Closing is final: the detail page asks first (?close=1, a card whose form POSTs status=closed to -----
# postings:status, unchanged); "Back to draft" for a while; a closed posting says so.

CLOSE_ROLES = ["anonymous", "other_company", "consultant", "member", "coordinator"]
EDITORS = {"member", "coordinator"}


def _viewer(client, posting, role):
    users = {
        "other_company": lambda: MembershipFactory().user,
        "consultant": lambda: UserFactory(role=Role.CONSULTANT),
        "member": lambda: MembershipFactory(company=posting.company).user,
        "coordinator": lambda: UserFactory(role=Role.COORDINATOR),
    }
    if role in users:
        client.force_login(users[role]())


def _published(**fields):
    posting = _posting(**fields)
    return posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)


def _card(html: str) -> str:
    """The closing confirmation of a page ("" without one)."""
    found = re.search(r'<section class="card confirm" id="close-confirm".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.mark.parametrize("role", CLOSE_ROLES)
def test_the_close_confirmation_is_shown_only_to_who_may_change_the_status(client, role):
    posting = _published()
    _viewer(client, posting, role)
    detail = reverse("postings:detail", args=[posting.pk])

    page = client.get(detail, {"close": "1"})

    assert page.status_code == 200  # a published posting is public; the parameter changes nothing else
    html = page.content.decode()
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED  # a GET changes nothing
    if role in EDITORS:
        card = _card(html)
        assert f'<form method="post" action="{reverse("postings:status", args=[posting.pk])}"' in card
        assert '<input type="hidden" name="status" value="closed">' in card
    else:
        assert _card(html) == ""
        assert 'name="status"' not in html

    answer = client.post(reverse("postings:status", args=[posting.pk]), {"status": "closed"})

    posting.refresh_from_db()
    if role in EDITORS:
        assert answer["Location"] == detail
        assert posting.status == PostingStatus.CLOSED
    else:
        assert answer.status_code == (302 if role == "anonymous" else 404)
        assert posting.status == PostingStatus.PUBLISHED


@pytest.mark.parametrize("role", CLOSE_ROLES)
def test_a_draft_with_the_close_parameter_is_still_hidden_from_others(client, role):
    posting = _posting()
    _viewer(client, posting, role)

    page = client.get(reverse("postings:detail", args=[posting.pk]), {"close": "1"})

    assert page.status_code == (200 if role in EDITORS else 404)
    assert bool(_card(page.content.decode())) == (role in EDITORS)


def test_the_confirmation_says_closing_is_final_what_partners_and_proposers_see_and_offers_draft(client):
    need = _published()  # a supply need
    client.force_login(MembershipFactory(company=need.company).user)
    detail = reverse("postings:detail", args=[need.pk])

    html = client.get(detail, {"close": "1"}).content.decode()

    card = _card(html)
    assert 'tabindex="-1" autofocus aria-labelledby="close-confirm-title"' in card
    assert html.count("autofocus") == 1
    assert html.index(card) < html.index(f'href="{reverse("postings:edit", args=[need.pk])}"')  # at the top
    assert "Close the posting “Need cleanroom molding”?" in card
    assert "Closing is final: a closed posting cannot be reopened (published or put back to draft)." in card
    assert "Partners no longer see it: it leaves the postings search and your company's page." in card
    assert "Companies can no longer send proposals on it." in card
    assert "The companies that sent a proposal are not told that the posting is closed." in card
    assert 'name="csrfmiddlewaretoken"' in card
    assert '<button type="submit" class="danger">Close the posting</button>' in card
    assert f'href="{detail}">Cancel</a>' in card
    # The way back that is not final: a plain form to the status view.
    assert 'name="status" value="draft"' in card


def test_the_confirmation_of_an_offer_or_a_draft_says_only_what_applies(client):
    offer = posting_create(company=CompanyFactory(), type="technology-offer", title_en="Robot integration")
    client.force_login(MembershipFactory(company=offer.company).user)

    with translation.override("th"):
        html = client.get(
            reverse("postings:detail", args=[offer.pk]), {"close": "1"}, HTTP_ACCEPT_LANGUAGE="th"
        ).content.decode()
        card = _card(html)
        assert translation.gettext("Partners do not see it now, and never will once it is closed.") in card
        assert translation.gettext("Close the posting") in card
    assert "proposal" not in card
    assert 'value="draft"' not in card  # a draft: nothing to put back


@pytest.mark.parametrize("value", ["", "0", "yes", "2"])
def test_only_close_1_asks(client, value):
    posting = _published()
    client.force_login(MembershipFactory(company=posting.company).user)

    html = client.get(reverse("postings:detail", args=[posting.pk]), {"close": value}).content.decode()

    assert _card(html) == ""
    assert 'value="closed"' not in html


def test_a_proposal_on_a_closed_need_can_still_be_answered(client):
    from deals import services as deal_services

    need = _published(company=CompanyFactory(country="TH"))
    poster = MembershipFactory(company=need.company).user
    proposer = MembershipFactory(company=CompanyFactory(country="JP")).user
    proposal = deal_services.proposal_submit(
        posting=need,
        company=proposer.memberships.get().company,
        actor=proposer,
        offer="We can",
        lead_time_days=9,
    )
    client.force_login(poster)

    client.post(reverse("postings:status", args=[need.pk]), {"status": "closed"})

    # What the confirmation promises: no new proposal, the received ones stay and can be answered.
    need.refresh_from_db()
    assert need.status == PostingStatus.CLOSED
    with pytest.raises(ValidationError):
        deal_services.proposal_submit(
            posting=need, company=CompanyFactory(country="JP"), actor=proposer, offer="More", lead_time_days=1
        )
    assert client.get(reverse("deals:need_proposals", args=[need.pk])).status_code == 200
    decided = deal_services.proposal_decide(
        proposal=proposal, actor=poster, status="declined", reason="Closed"
    )
    assert decided.status == "declined"


def test_the_page_offers_the_moves_the_lifecycle_allows_and_close_is_a_link_to_its_confirmation(client):
    posting = _posting()
    client.force_login(MembershipFactory(company=posting.company).user)
    detail = reverse("postings:detail", args=[posting.pk])
    close_link = f'<a class="button secondary" href="{detail}?close=1">Close the posting</a>'

    draft = client.get(detail).content.decode()
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
    published = client.get(detail).content.decode()

    assert 'value="published"' in draft
    assert 'value="draft"' not in draft
    assert 'value="published"' not in published
    assert "Back to draft</button>" in published
    for html in (draft, published):
        assert close_link in html
        assert 'value="closed"' not in html  # no one-click close
        assert _card(html) == ""


def test_back_to_draft_takes_a_published_posting_offline_and_it_can_be_published_again(client):
    posting = _published()
    client.force_login(MembershipFactory(company=posting.company).user)
    status = reverse("postings:status", args=[posting.pk])

    response = client.post(status, {"status": "draft"}, follow=True)

    posting.refresh_from_db()
    assert posting.status == PostingStatus.DRAFT
    assert "The posting is back to draft" in response.content.decode()
    client.post(status, {"status": "published"})
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED


def test_the_status_url_closes_on_post_as_before(client):
    posting = _published()
    client.force_login(MembershipFactory(company=posting.company).user)
    status = reverse("postings:status", args=[posting.pk])

    assert client.get(status).status_code == 405
    response = client.post(status, {"status": "closed"}, follow=True)

    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED
    assert response.redirect_chain == [(reverse("postings:detail", args=[posting.pk]), 302)]
    assert "The posting is closed: partners no longer see it." in response.content.decode()


def test_a_closed_posting_says_it_is_closed_for_good_and_where_to_go_on(client):
    posting = _published()
    client.force_login(MembershipFactory(company=posting.company).user)
    client.post(reverse("postings:status", args=[posting.pk]), {"status": "closed"})
    company = posting.company
    detail = reverse("postings:detail", args=[posting.pk])

    html = client.get(detail).content.decode()

    assert "This posting is closed for good: partners no longer see it, and it cannot be reopened." in html
    assert f'<a class="button" href="{reverse("postings:new", args=[company.pk])}">New posting</a>' in html
    assert f'href="{reverse("postings:company", args=[company.pk])}"' in html
    assert 'name="status"' not in html
    assert "?close=1" not in html
    assert reverse("postings:edit", args=[posting.pk]) not in html
    # Nothing to confirm any more; a second close is refused and changes nothing.
    assert _card(client.get(detail, {"close": "1"}).content.decode()) == ""
    again = client.post(reverse("postings:status", args=[posting.pk]), {"status": "closed"}, follow=True)
    assert len(list(again.context["messages"])) == 1
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED


def test_an_offer_lets_a_member_of_the_other_country_write_to_its_company(client):
    from deals.models import Conversation

    thai = CompanyFactory(country="TH")
    posting = posting_create(company=thai, type="cooperation", title_en="Joint venture in Chonburi")
    posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)
    page = reverse("postings:detail", args=[posting.pk])
    japanese = MembershipFactory(company=CompanyFactory(country="JP")).user

    client.force_login(japanese)
    html = client.get(page).content.decode()
    assert "Write to the company that posted it." in html
    assert f'action="{reverse("deals:open", args=[thai.pk])}"' in html
    assert '<input type="hidden" name="origin" value="posting">' in html
    client.post(
        reverse("deals:open", args=[thai.pk]),
        {"company": japanese.memberships.get().company_id, "origin": "posting"},
    )
    assert Conversation.objects.get().origin == "posting"

    client.force_login(MembershipFactory(company=CompanyFactory(country="TH")).user)  # same country: nothing
    assert "Write to the company that posted it." not in client.get(page).content.decode()


def test_the_posting_form_names_a_missing_title_and_a_past_expiry_at_once(client):
    membership = MembershipFactory(user__language="en")
    client.force_login(membership.user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        reverse("postings:new", args=[membership.company.pk]),
        {"type": "technology-offer", "expires_on": yesterday.isoformat()},
    )

    errors = response.context["form"].errors
    assert errors["expires_on"] == ["The expiry date is in the past."]
    assert errors["__all__"] == ["Give the posting a title in at least one language."]
    assert Posting.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ฉีดพลาสติก", ["Thai need", "JP need", "EN need"]),  # and 射出成形, "injection molding"
        ("射出成形", ["Thai need", "JP need", "EN need"]),
        ("injection molding", ["Thai need", "JP need", "EN need"]),  # a name of several words
        ("しゃしゅつせいけい", ["JP need"]),  # the kana reading of 射出成形
        ("ＣＬＥＡＮＲＯＯＭ", ["EN need"]),  # full-width letters, any case
        ("molding cleanroom", ["EN need"]),  # every word, anywhere
        ("stamping", []),
    ],
)
def test_the_postings_search_reads_as_the_directorys(client, query, found):
    for title, body in [
        ("Thai need", {"body_th": "ต้องการผู้รับฉีดพลาสติกชิ้นส่วน"}),
        ("JP need", {"body_ja": "医療部品の射出成形を委託したい"}),
        ("EN need", {"body_en": "Injection molding in a cleanroom."}),
        ("Other need", {"body_en": "Sheet metal."}),
    ]:
        posting = posting_create(company=CompanyFactory(), type="supply-need", title_en=title, **body)
        posting_set_status(posting=posting, status=PostingStatus.PUBLISHED)

    response = client.get(reverse("postings:list"), {"q": query})

    assert sorted(p.title_en for p in response.context["page"]) == sorted(found)


def test_a_posting_keeps_its_search_text_when_only_its_text_is_saved():
    posting = _posting()
    posting.body_ja = "チタン加工"
    posting.save(update_fields=["body_ja"])

    posting.refresh_from_db()
    assert "ちたん加工" in posting.search_text  # katakana folded, as the directory's
