"""The notification center: the list with its filters, mark read / all read, the bell's count, the
one-click open, and that nobody reaches another person's notifications."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.notifications.models import Notification
from portal.notifications.services import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {"somchai": UserFactory(language="en"), "kato": UserFactory(language="ja")}


def _message(user, n=1, **extra):
    rows = []
    for i in range(n):
        rows += notification_send(
            kind="deals.message",
            recipients=[user],
            url=reverse("deals:inbox"),
            context={"company": f"Kato Medical {i}"},
            dedupe_key=f"test:{user.pk}:{i}:{extra.get('key', '')}",
        )
    return rows


def test_bell_count_list_and_open_marks_read_and_redirects(client, people):
    somchai = people["somchai"]
    first, second = _message(somchai, 2)
    client.force_login(somchai)
    assert client.get(reverse("notifications:unread")).json() == {"unread": 2}
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "New message from Kato Medical 0" in html
    assert "New message from Kato Medical 1" in html
    assert html.count('class="tag unread"') == 2
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("deals:inbox")
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}


def test_mark_one_and_all_read(client, people):
    somchai = people["somchai"]
    first, second, third = _message(somchai, 3)
    client.force_login(somchai)
    client.post(reverse("notifications:read"), {"notification": second.pk})
    assert set(Notification.objects.filter(read_at=None).values_list("pk", flat=True)) == {first.pk, third.pk}
    assert "Mark all as read</button>" in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read"))
    assert Notification.objects.filter(read_at=None).count() == 0
    # nothing left to mark: the button that would do nothing is gone, the list stays
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Mark all as read</button>" not in html
    assert "New message from Kato Medical 2" in html


def test_bad_mark_read_input_changes_nothing(client, people):
    somchai = people["somchai"]
    _message(somchai, 2)
    client.force_login(somchai)
    response = client.post(reverse("notifications:read"), {"notification": "x"}, follow=True)
    assert "could not be marked read" in response.content.decode()
    assert Notification.objects.filter(read_at=None).count() == 2


def test_someone_elses_notification_is_missing(client, people):
    (row,) = _message(people["somchai"])
    client.force_login(people["kato"])
    assert client.get(reverse("notifications:open", args=[row.pk])).status_code == 404
    response = client.post(reverse("notifications:read"), {"notification": row.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]  # not "Marked as read."
    row.refresh_from_db()
    assert row.read_at is None
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert "Kato Medical" not in client.get(reverse("notifications:list")).content.decode()


def test_filters_by_kind_and_unread(client, people):
    somchai = people["somchai"]
    first, second = _message(somchai, 2)
    notification_send(
        kind="deals.proposal_shortlisted",
        recipients=[somchai],
        context={"company": "Kato Medical", "need": "Housings"},
    )
    client.force_login(somchai)
    client.post(reverse("notifications:read"), {"notification": first.pk})
    html = client.get(
        reverse("notifications:list"), {"kind": "deals.message", "unread": "on"}
    ).content.decode()
    assert "Kato Medical 1" in html
    assert "Kato Medical 0" not in html
    assert "Your proposal was shortlisted</a>" not in html
    html = client.get(reverse("notifications:list"), {"kind": "deals.proposal_shortlisted"}).content.decode()
    assert "Your proposal was shortlisted" in html
    assert "Kato Medical 1" not in html


def test_unknown_kind_filter_is_refused_with_a_message(client, people):
    _message(people["somchai"], 1)
    client.force_login(people["somchai"])
    html = client.get(reverse("notifications:list"), {"kind": "nope"}).content.decode()
    assert "That filter is not available" in html
    assert "Kato Medical 0" in html


def test_list_in_thai_and_japanese(client, people):
    _message(people["somchai"], 1)
    client.force_login(people["somchai"])
    for language in ("th", "ja"):
        client.cookies["django_language"] = language
        html = client.get(reverse("notifications:list")).content.decode()
        assert f'lang="{language}"' in html


def test_a_checkbox_label_follows_its_box_without_a_colon(client, people):
    """A label after its checkbox reads "Unread only", not "Unread only:" (the colon ends labels that
    precede their field), in every language."""
    client.force_login(people["kato"])
    html = client.get(reverse("notifications:list")).content.decode()
    box = '<input type="checkbox" name="unread" id="id_unread">'
    assert f'{box} <label for="id_unread">未読のみ</label>' in html
    assert "未読のみ:" not in html


QUERIES = 6  # session, user, roles (base page), the kinds for the filter, the rows, the messages


@pytest.mark.parametrize("n", [1, 3])
def test_list_query_count_is_bounded(client, people, django_assert_num_queries, n):
    somchai = people["somchai"]
    _message(somchai, n)
    client.force_login(somchai)
    client.get(reverse("notifications:list"))  # warm the session and the site caches
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count('class="tag unread"') == n


def test_page_render_costs_no_bell_query(client, people):
    """The bell's count is polled; a page shows the bell without counting (the badge starts hidden)."""
    _message(people["somchai"], 2)
    client.force_login(people["somchai"])
    html = client.get(reverse("dashboard")).content.decode()
    assert f'data-unread-url="{reverse("notifications:unread")}"' in html


def test_e_mail_still_sent_once(people):
    mail.outbox.clear()
    _message(people["somchai"], 1)
    assert len(mail.outbox) == 0  # after commit only: the test transaction has not committed


@pytest.mark.parametrize("page", ["dashboard", "events:list", "companies:directory", "notifications:list"])
def test_bell_is_in_the_header_of_every_page_for_a_signed_in_person(client, people, page):
    client.force_login(people["kato"])
    html = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    assert header.count('class="bell"') == 1
    assert (
        f'href="{reverse("notifications:list")}" data-unread-url="{reverse("notifications:unread")}"'
        in header
    )
    # named in the reader's language; the script puts the count in place of __COUNT__
    assert 'aria-label="通知"' in header
    assert 'data-label-unread="通知、未読 __COUNT__ 件"' in header
    # the bell is outside the menu that folds on a phone
    assert header.index('class="bell"') < header.index('id="site-menu"')


def test_anonymous_visitors_have_no_bell(client):
    html = client.get(reverse("companies:directory")).content.decode()
    assert 'class="bell"' not in html
    assert reverse("notifications:unread") not in html


@pytest.mark.parametrize(
    ("kind", "context", "waiting", "after"),
    [
        (
            "events.meeting_requested",
            {"company": "Kato Medical", "event": "Expo"},
            "Accept or decline it before it expires.",
            "Open it to see the request and its answer.",
        ),
        (
            "events.delegation_invitation",
            {"event": "Expo", "delegation": "SMRJ"},
            "Accept or decline the invitation of the delegation SMRJ.",
            "Open it to see the invitation of the delegation SMRJ and its answer.",
        ),
        (
            "deals.proposal_received",
            {"company": "Kato", "need": "Titanium"},
            "Kato sent a proposal on your need “Titanium”. Open it to shortlist, decline or accept.",
            "Kato sent a proposal on your need “Titanium”. Open it to see the proposal and its answer.",
        ),
    ],
)
def test_a_read_request_no_longer_asks_for_an_answer_by_its_deadline(
    client, people, kind, context, waiting, after
):
    """A request answered (by anyone), expired or cancelled is settled: read for every recipient. Its
    deadline then speaks to nobody, so the list says where to see the request instead; the e-mail and an
    unread row keep the call to act."""
    somchai = people["somchai"]
    (row,) = notification_send(kind=kind, recipients=[somchai], url="/", context=context, dedupe_key="t:1")
    client.force_login(somchai)

    unread = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    Notification.objects.filter(pk=row.pk).update(read_at=row.created_at)
    read = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert waiting in unread
    assert after not in unread
    assert after in read
    assert waiting not in read


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("加藤メディカル株式会社", "加藤メディカル株式会社から新しいメッセージ"),
        ("Kato Medical", "Kato Medical から新しいメッセージ"),
    ],
)
def test_a_japanese_name_meets_its_particle_without_a_space(name, subject):
    from django.utils import translation

    from portal.notifications.kinds import get_kind

    with translation.override("ja"):
        assert get_kind("deals.message").render({"company": name})[0] == subject
