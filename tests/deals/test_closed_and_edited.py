"""A conversation a coordinator closed is read only (no edit, no pipeline step) and both companies are told;
an edited message loses the translation of its earlier text; the page offers only what can still be done."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from deals import services
from deals.models import Message, MessageTranslation
from matching.models import Introduction
from portal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator", first_name="Yuki")


@pytest.fixture
def conversation(pair):
    return services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]


def test_a_closed_conversation_refuses_edits_and_steps_and_changes_nothing(pair, coordinator, conversation):
    message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="Price 200 yen")
    services.conversation_close(conversation=conversation, actor=coordinator)
    conversation.refresh_from_db()

    with pytest.raises(ValidationError) as edit:
        services.message_edit(message=message, actor=pair["owner_a"], text="Price 350 yen")
    with pytest.raises(ValidationError) as step:
        services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="nda")

    assert (edit.value.code, step.value.code) == ("closed_by_coordinator", "closed_by_coordinator")
    message.refresh_from_db()
    assert (message.text, message.edited_at) == ("Price 200 yen", None)
    assert not Introduction.objects.exists()
    assert not Message.objects.filter(kind="event").exists()


def test_closing_tells_both_companies_once_each_with_the_other_ones_name(pair, coordinator, conversation):
    services.conversation_close(conversation=conversation, actor=coordinator)
    services.conversation_close(conversation=conversation, actor=coordinator)  # again: nobody told twice

    told = Notification.objects.filter(kind="deals.conversation_closed")
    assert sorted(n.recipient_id for n in told) == sorted([pair["owner_a"].pk, pair["owner_b"].pk])
    url = reverse("deals:conversation", args=[conversation.pk])
    assert {n.url for n in told} == {url}
    thai_side = told.get(recipient=pair["owner_a"])
    assert thai_side.context["company"]["en"] == "Kato Medical"


def test_the_closed_page_offers_no_edit_and_no_step(client, pair, coordinator, conversation):
    message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="Hello")
    client.force_login(pair["owner_a"])
    url = reverse("deals:conversation", args=[conversation.pk])
    page = client.get(url).content.decode()
    assert reverse("deals:step", args=[conversation.pk]) in page
    assert reverse("deals:message_edit", args=[message.pk]) in page

    services.conversation_close(conversation=conversation, actor=coordinator)
    page = client.get(url).content.decode()

    assert reverse("deals:step", args=[conversation.pk]) not in page
    assert reverse("deals:message_edit", args=[message.pk]) not in page
    assert reverse("deals:message_delete", args=[message.pk]) in page  # one's words can still be taken back


def test_past_the_edit_window_the_page_offers_delete_only(client, pair, conversation, settings):
    settings.DEALS_EDIT_WINDOW_MINUTES = 15
    message = services.message_send(conversation=conversation, actor=pair["owner_a"], text="Hello")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    client.force_login(pair["owner_a"])

    page = client.get(reverse("deals:conversation", args=[conversation.pk])).content.decode()

    assert reverse("deals:message_edit", args=[message.pk]) not in page
    assert reverse("deals:message_delete", args=[message.pk]) in page


def test_an_edit_drops_the_translation_of_the_earlier_text(pair, coordinator, conversation):
    message = services.message_send(
        conversation=conversation, actor=pair["owner_a"], text="ราคาชิ้นละ 200 เยน ส่งมอบ 8 สัปดาห์"
    )
    services.translation_add(message=message, actor=coordinator, language="ja", text="単価200円、納期8週間")

    services.message_edit(message=message, actor=pair["owner_a"], text="ราคาชิ้นละ 200 เยน ส่งมอบ 8 สัปดาห์")
    assert MessageTranslation.objects.filter(message=message).exists()  # the same text: nothing changed
    message.refresh_from_db()
    assert message.edited_at is None

    services.message_edit(message=message, actor=pair["owner_a"], text="ราคาชิ้นละ 350 เยน ส่งมอบ 12 สัปดาห์")

    assert not MessageTranslation.objects.filter(message=message).exists()
    message.refresh_from_db()
    assert message.edited_at is not None


def test_the_blocker_sees_that_it_blocked_and_no_message_form_the_blocked_side_sees_nothing(
    client, pair, conversation
):
    services.company_block_set(conversation=conversation, actor=pair["owner_b"], kind="block")
    url = reverse("deals:conversation", args=[conversation.pk])

    client.force_login(pair["owner_b"])
    page = client.get(url).content.decode()
    assert 'id="send"' not in page
    assert 'href="#id_block-kind"' in page

    client.force_login(pair["owner_a"])  # not told (deals.services.helpers._refuse_if_blocked)
    page = client.get(url).content.decode()
    assert 'id="send"' in page
    assert 'href="#id_block-kind"' not in page


def test_an_open_help_request_is_said_instead_of_the_form_to_ask_again(
    client, pair, coordinator, conversation
):
    url = reverse("deals:conversation", args=[conversation.pk])
    help_form = f'action="{reverse("deals:help", args=[conversation.pk])}"'
    client.force_login(pair["owner_b"])
    assert help_form in client.get(url).content.decode()

    invite = services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    page = client.get(url).content.decode()  # the other side sees it too: one request per conversation

    assert help_form not in page
    assert 'aria-labelledby="help-heading"' in page  # "a coordinator was asked to join on …"
    services.coordinator_invite_close(invite=invite, actor=coordinator)
    assert help_form in client.get(url).content.decode()


def test_a_partner_without_members_is_said_to_read_nothing(client, pair, conversation):
    client.force_login(pair["owner_a"])
    url = reverse("deals:conversation", args=[conversation.pk])
    with translation.override("th"):  # owner A reads Thai
        notice = translation.gettext(
            "Nobody at %(company)s can read messages at the moment: the company has no member on the portal. "
            "Ask a coordinator for help."
        ) % {"company": "Kato Medical"}
    assert notice not in client.get(url).content.decode()

    pair["b"].memberships.all().delete()  # its last member left the portal

    assert notice in client.get(url).content.decode()


def test_closing_from_the_page_comes_back_to_it_where_it_can_be_reopened(
    client, pair, coordinator, conversation
):
    invite = services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="help")
    services.coordinator_invite_take(invite=invite, actor=coordinator)  # they read it for as long as it lasts
    client.force_login(coordinator)
    url = reverse("deals:conversation", args=[conversation.pk])
    assert f'name="next" value="{url}"' in client.get(url).content.decode()

    response = client.post(reverse("deals:close", args=[conversation.pk]), {"next": url})

    assert response.url == url
    assert 'value="reopen"' in client.get(url).content.decode()
    # Without a page to come back to (or with one elsewhere), the desk.
    services.conversation_reopen(conversation=conversation, actor=coordinator)
    response = client.post(reverse("deals:close", args=[conversation.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("deals:desk")


def test_a_coordinator_who_may_no_longer_read_it_goes_to_the_desk(client, pair, coordinator, conversation):
    services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="help")  # not taken
    client.force_login(coordinator)
    url = reverse("deals:conversation", args=[conversation.pk])

    response = client.post(reverse("deals:close", args=[conversation.pk]), {"next": url})

    assert response.url == reverse("deals:desk")  # closing ended the request that let them read it
