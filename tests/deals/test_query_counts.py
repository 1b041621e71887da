"""The inbox, a conversation and a need's proposals cost the same number of queries for 1 and 3 items."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deals import services
from tests.deals.helpers import match, need
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUERIES_API_CONVERSATIONS = 3  # the user's companies, the count, the page


def _conversations(pair, n):
    for _ in range(n):
        partner = CompanyFactory(country="JP")
        user = MembershipFactory(company=partner).user
        conversation = services.conversation_open(company=partner, partner=pair["a"], actor=user)[0]
        services.message_send(conversation=conversation, actor=user, text="射出成形")


@pytest.mark.parametrize("n", [1, 3])
def test_inbox_queries(client, pair, n, django_assert_num_queries):
    _conversations(pair, n)
    client.force_login(pair["owner_a"])

    with django_assert_num_queries(7):  # 6 + the paginator's count
        response = client.get(reverse("deals:inbox"))

    assert response.content.decode().count('class="tag unread"') == n


@pytest.mark.parametrize("n", [1, 3])
def test_conversation_queries(client, pair, n, django_assert_num_queries):
    conversation = services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]
    for index in range(n):
        services.message_send(conversation=conversation, actor=pair["owner_b"], text=f"射出成形 {index}")
    client.force_login(pair["owner_a"])
    client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk}))  # glossary built once

    with django_assert_num_queries(14):
        response = client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk}))

    assert response.content.decode().count('class="message"') == n


def _rich_messages(pair, conversation, coordinator, n):
    """n messages from B, each with a PDF and a coordinator's Thai translation."""
    for index in range(n):
        message = services.message_send(
            conversation=conversation, actor=pair["owner_b"], text=f"射出成形 {index}",
            files=[SimpleUploadedFile(f"{index}.pdf", b"%PDF-1.7\n%%EOF\n")],
        )  # fmt: skip
        services.translation_add(message=message, actor=coordinator, language="th", text=f"ฉีดพลาสติก {index}")


@pytest.mark.parametrize("n", [1, 3])
def test_conversation_with_files_and_translations_queries(
    client, pair, coordinator, n, django_assert_num_queries
):
    """Attachments and translations come in one query each, whatever the number of messages; the two
    companies are the conversation's (no query per message)."""
    conversation = services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]
    services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    _rich_messages(pair, conversation, coordinator, n)
    client.force_login(pair["owner_a"])
    client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk}))  # glossary and forms cached

    with django_assert_num_queries(14):
        response = client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk}))

    html = response.content.decode()
    assert html.count('class="message"') == n
    assert html.count(".pdf</a>") == n
    assert html.count('class="translation" lang="th"') == n


@pytest.mark.parametrize("n", [1, 3])
def test_poll_queries(client, pair, coordinator, n, django_assert_num_queries):
    conversation = services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]
    services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    _rich_messages(pair, conversation, coordinator, n)
    client.force_login(pair["owner_a"])
    client.get(reverse("deals:poll", kwargs={"pk": conversation.pk}), {"after": 0})  # glossary built once

    with django_assert_num_queries(8):  # the same for 1 and 3 messages
        response = client.get(reverse("deals:poll", kwargs={"pk": conversation.pk}), {"after": 0})

    html = response.json()["html"]
    assert html.count('class="message"') == n
    assert html.count(".pdf</a>") == n


@pytest.mark.parametrize("n", [1, 3])
def test_need_proposals_queries(client, pair, n, django_assert_num_queries):
    posting = need(pair["a"])
    for _ in range(n):
        company = CompanyFactory(country="JP")
        match(pair["a"], company, 50.0, rank=_ + 1)
        services.proposal_submit(
            posting=posting, company=company, actor=MembershipFactory(company=company).user, offer="x",
            lead_time_days=5,
        )  # fmt: skip
    client.force_login(pair["owner_a"])

    with django_assert_num_queries(13):
        response = client.get(reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk}))

    assert response.content.decode().count('class="card proposal"') == n


def _help_requests(pair, n):
    for _ in range(n):
        partner = CompanyFactory(country="JP")
        user = MembershipFactory(company=partner).user
        conversation = services.conversation_open(company=partner, partner=pair["a"], actor=user)[0]
        services.coordinator_invite(conversation=conversation, actor=user, kind="interpret", note="Please")


@pytest.mark.parametrize("n", [1, 3])
def test_desk_queries_and_how_many_wait(client, pair, coordinator, n, django_assert_num_queries, monkeypatch):
    """Each queue of the desk is one query, its total counted in it; a queue cut at its first rows says how
    many of how many are shown."""
    monkeypatch.setattr("deals.selectors.DESK_QUEUE_ROWS", 2)
    monkeypatch.setattr("deals.selectors.DESK_NEEDS_ROWS", 2)
    _help_requests(pair, n)
    for index in range(n):  # n needs, the index-th with index + 1 open proposals
        posting = need(pair["a"], title=f"Need {index}")
        for _ in range(index + 1):
            company = CompanyFactory(country="JP")
            services.proposal_submit(
                posting=posting, company=company, actor=MembershipFactory(company=company).user, offer="x",
                lead_time_days=5,
            )  # fmt: skip
    client.force_login(coordinator)

    with django_assert_num_queries(10):  # session, user, roles twice, membership: 5; the desk: 5
        response = client.get(reverse("deals:desk"))

    html = response.content.decode()
    assert html.count("Take it and open the conversation") == min(n, 2)
    assert f'Help and interpretation requests <span class="count">{n}</span>' in html
    assert ("The first 2 of 3 are shown" in html) is (n == 3)
    assert response.context["invites"].total == n
    needs = response.context["needs"]
    assert [(row.title_en, row.open_proposals) for row in needs] == [
        (f"Need {index}", index + 1) for index in reversed(range(n))
    ][:2]
    assert needs.total == n
    assert f'Open proposals per need <span class="count">{n}</span>' in html


def test_api_lists_reach_every_row_a_page_at_a_time(pair, monkeypatch):
    """The API's conversation and proposal lists stay plain arrays (the first page is what they answered
    before they had pages) and reach every row: ?page=n, X-Total-Count, a Link to next and prev; past the
    end, 404."""
    from rest_framework.test import APIClient

    monkeypatch.setattr("portal.core.api.LinkHeaderPagination.page_size", 2)
    _conversations(pair, 5)
    posting = need(pair["a"])
    for _ in range(3):
        company = CompanyFactory(country="JP")
        services.proposal_submit(
            posting=posting, company=company, actor=MembershipFactory(company=company).user, offer="x",
            lead_time_days=5,
        )  # fmt: skip
    api = APIClient()
    api.force_authenticate(pair["owner_a"])

    pages = [api.get("/api/deals/conversations/", {"page": page} if page > 1 else {}) for page in (1, 2, 3)]
    assert [len(response.json()) for response in pages] == [2, 2, 1]
    assert {response["X-Total-Count"] for response in pages} == {"5"}
    assert pages[0]["Link"] == '<http://testserver/api/deals/conversations/?page=2>; rel="next"'
    assert pages[1]["Link"] == (
        '<http://testserver/api/deals/conversations/?page=3>; rel="next", '
        '<http://testserver/api/deals/conversations/>; rel="prev"'
    )
    assert "next" not in pages[2]["Link"]
    ids = [row["id"] for response in pages for row in response.json()]
    assert ids == sorted(ids, reverse=True)  # latest activity first: the last opened first here
    assert len(set(ids)) == 5
    assert api.get("/api/deals/conversations/", {"page": 4}).status_code == 404

    proposals = api.get("/api/deals/proposals/")
    assert len(proposals.json()) == 2
    assert proposals["X-Total-Count"] == "3"
    assert len(api.get("/api/deals/proposals/", {"page": 2}).json()) == 1


@pytest.mark.parametrize("n", [1, 3])
def test_api_conversation_list_queries(pair, n, django_assert_num_queries):
    """The API's conversation list costs the same queries for 1 or 3 conversations: the page's rows (with
    their unread counts) and the paginator's count."""
    from rest_framework.test import APIClient

    _conversations(pair, n)
    api = APIClient()
    api.force_authenticate(pair["owner_a"])

    with django_assert_num_queries(QUERIES_API_CONVERSATIONS):
        response = api.get("/api/deals/conversations/")

    assert len(response.json()) == n
    assert response["X-Total-Count"] == str(n)
