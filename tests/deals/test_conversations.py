"""Conversations: one per pair, who may open and write, blocks, the daily cap, edits, deletes, read state,
and contacts that never show."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from deals import selectors, services
from deals.models import Conversation, Message
from deals.text import detect_language, linkify
from portal.notifications.models import Notification
from tests.deals.conftest import OWNER_A_EMAIL, SECRET_EMAIL, SECRET_PHONE
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _open(pair, **kwargs):
    return services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"], **kwargs)[
        0
    ]


def test_conversation_open_once_per_pair(pair):
    first, created = services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])
    again, created_again = services.conversation_open(
        company=pair["b"], partner=pair["a"], actor=pair["owner_b"]
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Conversation.objects.count() == 1
    assert (first.thai_company, first.japanese_company) == (pair["a"], pair["b"])


def test_conversation_open_same_country_refused(pair):
    other_thai = CompanyFactory(country="TH")

    with pytest.raises(ValidationError) as error:
        services.conversation_open(company=pair["a"], partner=other_thai, actor=pair["owner_a"])

    assert error.value.code == "same_country"
    assert Conversation.objects.count() == 0


def test_conversation_open_unverified_refused(pair):
    pair["b"].verification_status = "pending"
    pair["b"].save()

    with pytest.raises(ValidationError) as error:
        _open(pair)

    assert error.value.code == "not_verified"


def test_conversation_open_by_non_member_refused(pair):
    with pytest.raises(ValidationError) as error:
        services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_b"])

    assert error.value.code == "not_member"


def test_daily_cap_for_companies_outside_the_recommendations(pair, settings):
    settings.DEALS_DAILY_OPEN_CAP = 2
    partners = [CompanyFactory(country="JP") for _ in range(3)]
    for partner in partners[:2]:
        services.conversation_open(company=pair["a"], partner=partner, actor=pair["owner_a"])

    with pytest.raises(ValidationError) as error:
        services.conversation_open(company=pair["a"], partner=partners[2], actor=pair["owner_a"])

    assert error.value.code == "daily_cap"
    assert Conversation.objects.filter(opened_by_company=pair["a"]).count() == 2


def test_daily_cap_does_not_count_recommended_partners(pair, settings):
    from matching.models import MatchProposal
    from matching.services import weights_current

    settings.DEALS_DAILY_OPEN_CAP = 0
    MatchProposal.objects.create(
        company=pair["a"],
        partner=pair["b"],
        rank=1,
        score=80.0,
        weights=weights_current(),
        computed_at=timezone.now(),
    )

    conversation = _open(pair)

    assert conversation.counts_toward_cap is False


def test_blocked_company_cannot_open_or_write(pair):
    conversation = _open(pair)
    services.company_block_set(conversation=conversation, actor=pair["owner_b"], kind="block")

    with pytest.raises(ValidationError) as write_error:
        services.message_send(conversation=conversation, actor=pair["owner_a"], text="Hello again")
    Conversation.objects.all().delete()
    with pytest.raises(ValidationError) as open_error:
        _open(pair)

    assert write_error.value.code == "closed"
    assert open_error.value.code == "closed"
    # The blocked side is not told that it was blocked, nor by whom.
    assert "block" not in " ".join(write_error.value.messages).lower()
    assert Message.objects.count() == 0


def test_blocker_is_told_to_unblock(pair):
    conversation = _open(pair)
    services.company_block_set(conversation=conversation, actor=pair["owner_b"], kind="block")

    with pytest.raises(ValidationError) as error:
        services.message_send(conversation=conversation, actor=pair["owner_b"], text="x")

    assert error.value.code == "you_blocked"


def test_mute_stops_notifications_only(pair, django_capture_on_commit_callbacks):
    conversation = _open(pair)
    services.company_block_set(conversation=conversation, actor=pair["owner_b"], kind="mute")

    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, actor=pair["owner_a"], text="สวัสดีครับ")

    assert Message.objects.count() == 1
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_message_notifies_the_other_side_in_its_language(pair, django_capture_on_commit_callbacks):
    conversation = _open(pair)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="สวัสดีครับ")

    assert message.language == "th"
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (pair["owner_b"], "deals.message")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pair["owner_b"].email]
    assert mail.outbox[0].subject == "Siam Precision から新しいメッセージ"
    assert f"/deals/c/{conversation.pk}/" in mail.outbox[0].body


def test_a_reply_reads_the_repliers_message_notifications(pair, django_capture_on_commit_callbacks):
    """Whoever answers has read the conversation: its "new message" notification stops waiting in their bell,
    as the inbox stops counting it (a reply through the API never opens the page)."""
    conversation = _open(pair)
    third = CompanyFactory(name_en="Chon Buri Parts", country="TH")
    owner_c = MembershipFactory(company=third, user=UserFactory(language="th")).user
    other = services.conversation_open(company=third, partner=pair["b"], actor=owner_c)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, actor=pair["owner_a"], text="สวัสดีครับ")
        services.message_send(conversation=other, actor=owner_c, text="อีกเรื่องหนึ่ง")
    assert Notification.objects.filter(recipient=pair["owner_b"], read_at=None).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, actor=pair["owner_b"], text="こんにちは")

    waiting = Notification.objects.filter(recipient=pair["owner_b"], read_at=None)
    assert [n.target_id for n in waiting] == [other.pk]  # the other conversation still waits
    assert Notification.objects.filter(recipient=pair["owner_a"], read_at=None).count() == 1


def test_notification_email_is_not_sent_twice(pair, django_capture_on_commit_callbacks):
    from portal.notifications.services import notification_deliver_email

    conversation = _open(pair)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, actor=pair["owner_a"], text="Hello")

    again = notification_deliver_email(
        notification_ids=list(Notification.objects.values_list("pk", flat=True))
    )

    assert again == 0
    assert len(mail.outbox) == 1


def test_edit_within_the_window_only(pair, settings):
    settings.DEALS_EDIT_WINDOW_MINUTES = 15
    conversation = _open(pair)
    message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="Helo")

    services.message_edit(message=message, actor=pair["owner_a"], text="Hello")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    message.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.message_edit(message=message, actor=pair["owner_a"], text="Hello!")

    message.refresh_from_db()
    assert error.value.code == "edit_window"
    assert message.text == "Hello"
    assert message.edited_at is not None


def test_only_the_author_edits_or_deletes(pair):
    conversation = _open(pair)
    message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="Hello")

    with pytest.raises(ValidationError) as error:
        services.message_delete(message=message, actor=pair["owner_b"])

    assert error.value.code == "not_author"


def test_delete_leaves_a_marker(pair, client):
    conversation = _open(pair)
    message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="Secret price 100")

    services.message_delete(message=message, actor=pair["owner_a"])
    client.force_login(pair["owner_b"])
    page = client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk})).content.decode()

    message.refresh_from_db()
    assert (message.text, message.deleted_at is not None) == ("", True)
    assert "Secret price" not in page
    assert "ข้อความนี้ถูกลบแล้ว" not in page  # owner_b reads Japanese
    assert "このメッセージは削除されました。" in page


def test_unread_counts_and_read_state_per_member(pair):
    second_b = MembershipFactory(company=pair["b"], role="member").user
    conversation = _open(pair)
    for text in ("one", "two", "three"):
        services.message_send(conversation=conversation, actor=pair["owner_a"], text=text)

    services.conversation_mark_read(conversation=conversation, user=pair["owner_b"])

    assert selectors.unread_count_for_user(user=pair["owner_b"]) == 0
    assert selectors.unread_count_for_user(user=second_b) == 3
    assert selectors.unread_count_for_user(user=pair["owner_a"]) == 0
    inbox = list(selectors.conversation_list_for_user(user=second_b))
    assert [c.unread for c in inbox] == [3]


def test_poll_returns_new_messages_only(pair, client):
    conversation = _open(pair)
    first = services.message_send(conversation=conversation, actor=pair["owner_a"], text="first")
    services.message_send(
        conversation=conversation, actor=pair["owner_a"], text="second https://example.com/a?b=1"
    )
    client.force_login(pair["owner_b"])

    data = client.get(reverse("deals:poll", kwargs={"pk": conversation.pk}), {"after": first.pk}).json()

    assert "second" in data["html"]
    assert ">first<" not in data["html"]
    assert 'href="https://example.com/a?b=1" rel="nofollow noopener noreferrer"' in data["html"]
    assert data["last_id"] == first.pk + 1
    assert client.get(reverse("deals:unread")).json() == {"unread": 0}


def test_contacts_never_revealed(pair, client, django_capture_on_commit_callbacks):
    """Neither the page, the poll, the notifications, the e-mails nor the API show an e-mail or phone."""
    conversation = _open(pair)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(conversation=conversation, actor=pair["owner_a"], text="สวัสดีครับ")
    client.force_login(pair["owner_b"])
    api = APIClient()
    api.force_authenticate(pair["owner_b"])

    texts = [
        client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk})).content.decode(),
        client.get(reverse("deals:inbox")).content.decode(),
        client.get(reverse("deals:poll", kwargs={"pk": conversation.pk}), {"after": 0}).content.decode(),
        api.get(f"/api/deals/conversations/{conversation.pk}/").content.decode(),
        api.get(f"/api/deals/conversations/{conversation.pk}/messages/").content.decode(),
        api.get("/api/deals/conversations/").content.decode(),
        *[str(n.context) + n.url for n in Notification.objects.all()],
        *[m.subject + m.body for m in mail.outbox],
    ]

    for text in texts:
        for secret in (SECRET_EMAIL, SECRET_PHONE, OWNER_A_EMAIL, "+66812345678"):
            assert secret not in text
    assert len(mail.outbox) == 1


def test_linkify_escapes_everything_and_links_http_only():
    html = linkify('<script>alert(1)</script> see https://a.example/x?q="1". javascript:alert(1)\nnext')

    assert html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; see "
        '<a href="https://a.example/x?q=" rel="nofollow noopener noreferrer">https://a.example/x?q=</a>'
        "&quot;1&quot;. javascript:alert(1)<br>next"
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ฉีดพลาสติก 5000 ชิ้น", "th"),
        ("射出成形の部品をお願いします", "ja"),
        ("Injection molding", "en"),
        ("12345", "ja"),
    ],
)
def test_language_from_the_script(text, language):
    assert detect_language(text, default="ja") == language


def test_language_can_be_overridden(pair):
    conversation = _open(pair)

    message = services.message_send(
        conversation=conversation, actor=pair["owner_a"], text="OK", language="th"
    )

    assert message.language == "th"


def test_retention_blanks_old_messages_only(pair, settings):
    settings.DEALS_RETENTION_DAYS = 30
    conversation = _open(pair)
    old = services.message_send(conversation=conversation, actor=pair["owner_a"], text="old")
    new = services.message_send(conversation=conversation, actor=pair["owner_a"], text="new")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))

    purged = services.messages_purge_expired()

    old.refresh_from_db()
    new.refresh_from_db()
    assert purged == 1
    assert (old.text, old.is_deleted, new.text, new.is_deleted) == ("", True, "new", False)


def test_retention_off_by_default(pair, settings):
    settings.DEALS_RETENTION_DAYS = 0
    services.message_send(conversation=_open(pair), actor=pair["owner_a"], text="kept")

    assert services.messages_purge_expired() == 0
    assert Message.objects.get().text == "kept"
