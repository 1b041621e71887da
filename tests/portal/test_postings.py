"""Postings: lifecycle with allowed transitions only, public visibility, moderation, expiry."""

import datetime
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
