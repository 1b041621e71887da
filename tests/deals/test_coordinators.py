"""Coordinators read a conversation only when invited, on a report or for their delegation; every read is
recorded and shown to both companies. Translations, the glossary aid, the MT slot, the pipeline."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from deals import services
from deals.glossary import glossary_terms
from deals.machine import machine_translate
from deals.models import AbuseReport, CoordinatorRead, Message, MessageTranslation
from events.models import Delegation, Event, Participant
from matching.models import Introduction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(pair):
    conversation = services.conversation_open(company=pair["a"], partner=pair["b"], actor=pair["owner_a"])[0]
    services.message_send(
        conversation=conversation, actor=pair["owner_b"], text="射出成形の見積もりをお願いします"
    )
    return conversation


def _page(client, user, conversation):
    client.force_login(user)
    return client.get(reverse("deals:conversation", kwargs={"pk": conversation.pk}))


def test_coordinator_without_a_reason_gets_404_and_nothing_is_recorded(client, coordinator, conversation):
    assert _page(client, coordinator, conversation).status_code == 404
    assert CoordinatorRead.objects.count() == 0


@pytest.mark.parametrize("reason", ["invited", "report", "delegation"])
def test_coordinator_reads_with_a_reason_and_the_read_is_shown(
    client, pair, coordinator, conversation, reason
):
    if reason == "invited":
        services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    elif reason == "report":
        services.abuse_report(conversation=conversation, actor=pair["owner_a"], reason="Spam")
    else:
        event = Event.objects.create(
            slug="expo", name_en="Expo", venue_en="BITEC", organiser_en="DIP",
            starts_on="2027-07-25", ends_on="2027-07-30",
        )  # fmt: skip
        delegation = Delegation.objects.create(event=event, name_en="SMRJ", coordinator=coordinator)
        Participant.objects.create(event=event, company=pair["b"], delegation=delegation, kind="delegate")

    response = _page(client, coordinator, conversation)

    assert response.status_code == 200
    read = CoordinatorRead.objects.get()
    assert (read.coordinator, read.reason) == (coordinator, reason)
    member_page = _page(client, pair["owner_a"], conversation).content.decode()
    assert "Yuki Coordinator" in member_page


def test_resolved_report_ends_the_access(client, pair, coordinator, conversation):
    services.abuse_report(conversation=conversation, actor=pair["owner_a"], reason="Spam")
    services.abuse_report_resolve(report=AbuseReport.objects.get(), actor=coordinator, close=True)

    assert _page(client, coordinator, conversation).status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    with pytest.raises(ValidationError) as error:
        services.message_send(conversation=conversation, actor=pair["owner_a"], text="x")
    assert error.value.code == "closed_by_coordinator"


def test_translation_shown_beside_the_original(client, pair, coordinator, conversation):
    services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    message = Message.objects.get()
    client.force_login(coordinator)

    response = client.post(
        reverse("deals:translate", kwargs={"pk": message.pk}),
        {"language": "th", "text": "กรุณาเสนอราคางานฉีดพลาสติก"},
    )

    assert response.status_code == 302
    assert MessageTranslation.objects.get().author == coordinator
    page = _page(client, pair["owner_a"], conversation).content.decode()
    assert "射出成形の見積もりをお願いします" in page
    assert "กรุณาเสนอราคางานฉีดพลาสติก" in page


def test_member_cannot_translate(client, pair, conversation):
    client.force_login(pair["owner_a"])

    response = client.post(
        reverse("deals:translate", kwargs={"pk": Message.objects.get().pk}), {"language": "th", "text": "x"}
    )

    assert response.status_code == 404
    assert MessageTranslation.objects.count() == 0


def test_glossary_aid_in_the_readers_language():
    assert glossary_terms("ฉีดพลาสติก 5000 ชิ้น", language="ja") == [
        {"term": "ฉีดพลาสติก", "translation": "射出成形"}
    ]
    assert glossary_terms("射出成形の見積もり", language="th") == [
        {"term": "射出成形", "translation": "ฉีดพลาสติก"}
    ]
    assert glossary_terms("射出成形の見積もり", language="ja") == []


def test_glossary_aid_on_the_page_is_marked(client, pair, conversation):
    page = _page(client, pair["owner_a"], conversation).content.decode()

    assert "<li><span>射出成形</span> → <span>ฉีดพลาสติก</span></li>" in page
    assert "glossary-aid" in page


def test_machine_translation_slot_is_empty_by_default(settings):
    settings.DEALS_MACHINE_TRANSLATION = ""

    assert machine_translate("สวัสดี", source="th", target="ja") == ""


def fake_backend(text, source, target):
    return f"[{source}->{target}] {text}"


def test_machine_translation_slot_uses_the_configured_backend(settings):
    settings.DEALS_MACHINE_TRANSLATION = "tests.deals.test_coordinators.fake_backend"

    assert machine_translate("สวัสดี", source="th", target="ja") == "[th->ja] สวัสดี"


def test_pipeline_step_moves_the_introduction(pair, conversation):
    introduction = services.conversation_mark_step(
        conversation=conversation, actor=pair["owner_a"], step="samples"
    )

    assert introduction.stage == "samples"
    assert Introduction.objects.get().stage == "samples"
    assert Message.objects.filter(kind="event").get().step == "samples"


def test_a_first_step_in_a_conversation_says_who_started_it_and_no_coordinator_introduced_them(
    pair, conversation
):
    from portal.notifications.models import Notification

    introduction = services.conversation_mark_step(
        conversation=conversation, actor=pair["owner_a"], step="nda"
    )

    assert introduction.requesting_company == pair["a"]  # the Thai owner marked it, not the Japanese side
    assert introduction.requested_by == pair["owner_a"]
    assert introduction.introduced_at is not None  # contacts open to both, as after any introduction
    assert not Notification.objects.filter(kind="matching.introduced").exists()
    told = Notification.objects.filter(kind="matching.introduction_stage")
    assert set(told.values_list("recipient", flat=True)) == {pair["owner_b"].pk}  # the actor is not told


def test_a_step_the_deal_cannot_take_names_the_ones_it_can_and_changes_nothing(pair, conversation):
    services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="samples")

    with pytest.raises(ValidationError) as error:
        services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="nda")

    assert error.value.code == "invalid_transition"
    assert error.value.messages == [
        "The deal is at “Samples / RFQ”: from there it can go on to “Order”, “Joint venture”, “No deal”."
    ]
    assert Introduction.objects.get().stage == "samples"
    assert Message.objects.filter(kind="event").count() == 1


def test_no_deal_needs_a_reason(pair, conversation):
    with pytest.raises(ValidationError) as error:
        services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="no_deal")

    assert error.value.code == "reason_required"
    assert Introduction.objects.count() == 0


def test_help_request_appears_on_the_desk(client, pair, coordinator, conversation):
    services.coordinator_invite(
        conversation=conversation, actor=pair["owner_a"], kind="interpret", note="Please"
    )
    client.force_login(coordinator)

    page = client.get(reverse("deals:desk")).content.decode()

    assert "Please" in page
    assert "Siam Precision" in page


def test_desk_says_whose_request_it_is(client, pair, coordinator, conversation):
    """Untaken: take it. Taken by this coordinator: open the conversation, nothing to take. Taken by another
    coordinator: take it over (it moves to this one)."""
    invite = services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    client.force_login(coordinator)
    desk = reverse("deals:desk")
    conversation_url = reverse("deals:conversation", kwargs={"pk": conversation.pk})

    page = client.get(desk).content.decode()
    assert "Take it and open the conversation" in page
    assert f'href="{conversation_url}"' not in page

    response = client.post(reverse("deals:desk_invite", kwargs={"pk": invite.pk}), {"action": "take"})
    assert response.url == conversation_url
    page = client.get(desk).content.decode()
    assert f'<a class="button" href="{conversation_url}">Open the conversation</a>' in page
    assert "Take it" not in page

    other = UserFactory(role="coordinator")
    client.force_login(other)
    page = client.get(desk).content.decode()
    assert "Take it over and open the conversation" in page
    client.post(reverse("deals:desk_invite", kwargs={"pk": invite.pk}), {"action": "take"})
    invite.refresh_from_db()
    assert invite.coordinator == other


def test_glossary_aid_shows_a_term_as_the_message_writes_it():
    """A Thai message with ำ (which normalising makes two characters) keeps its terms' own spelling."""
    text = "ขอบคุณสำหรับข้อเสนอ ต้องการงานฉีดพลาสติกตัวเครื่อง ABS/PC ปีละ 5,000 ชิ้น"

    terms = glossary_terms(text, language="ja")

    assert {"term": "ABS", "translation": "ABS樹脂"} in terms
    assert all(term["term"] in text for term in terms)


def test_the_conversation_says_the_last_step_marked_in_it(client, pair, conversation):
    client.force_login(pair["owner_b"])
    page = reverse("deals:conversation", args=[conversation.pk])
    assert "Last step marked here" not in client.get(page).content.decode()

    services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="samples")
    pair["owner_b"].language = "en"
    pair["owner_b"].save(update_fields=["language"])
    html = client.get(page).content.decode()
    assert "Last step marked here: “Samples / RFQ sent”" in html


def test_a_refused_step_quotes_the_steps_as_the_reader_does(pair, conversation):
    services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="order")
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        services.conversation_mark_step(conversation=conversation, actor=pair["owner_a"], step="nda")
    (message,) = error.value.messages
    assert "“" not in message
    assert "「" in message


def test_a_coordinators_reads_on_one_day_are_shown_as_one_visit(client, pair, coordinator, conversation):
    services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    for _ in range(3):
        _page(client, coordinator, conversation)
    assert CoordinatorRead.objects.count() == 3  # every read is kept

    pair["owner_a"].language = "en"
    pair["owner_a"].save(update_fields=["language"])
    member_page = _page(client, pair["owner_a"], conversation).content.decode()
    assert "Read by a coordinator (1)" in member_page
    assert member_page.count("Yuki Coordinator ·") == 1
    assert "(3 times, from " in member_page


def test_a_translation_is_offered_into_the_other_sides_language_first(
    client, pair, coordinator, conversation
):
    message = services.message_send(
        conversation=conversation, actor=pair["owner_a"], text="Please send the drawing.", language="en"
    )
    services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")

    html = _page(client, coordinator, conversation).content.decode()

    assert f'<select id="tl-{message.pk}" name="language">' in html
    assert '<option value="ja" selected>' in html  # the Thai company wrote: the Japanese side reads it


def test_the_desk_asks_twice_before_a_report_closes_a_conversation(client, pair, coordinator, conversation):
    services.abuse_report(conversation=conversation, actor=pair["owner_a"], reason="Spam")
    client.force_login(coordinator)

    page = client.get(reverse("deals:desk")).content.decode()

    keep = page.index('name="close" value="0"')
    details = page.index("<details><summary>Resolve and close the conversation…</summary>")
    close = page.index('name="close" value="1" class="danger"')
    assert keep < details < close  # keeping it open comes first; closing sits behind its summary
    assert "Both companies can no longer write in it" in page


def test_reopening_brings_back_the_requests_for_help_the_closing_ended(pair, coordinator, conversation):
    taken = services.coordinator_invite(conversation=conversation, actor=pair["owner_a"], kind="interpret")
    services.coordinator_invite_take(invite=taken, actor=coordinator)

    services.conversation_close(conversation=conversation, actor=coordinator)
    taken.refresh_from_db()
    assert taken.closed_at is not None  # the desk no longer lists it

    services.conversation_reopen(conversation=conversation, actor=coordinator)
    taken.refresh_from_db()
    assert taken.closed_at is None
    assert taken.coordinator == coordinator  # still the one who took it

    # A request a coordinator closed stays closed through a closing and a reopening.
    services.coordinator_invite_close(invite=taken, actor=coordinator)
    services.conversation_close(conversation=conversation, actor=coordinator)
    services.conversation_reopen(conversation=conversation, actor=coordinator)
    taken.refresh_from_db()
    assert taken.closed_at is not None
    assert not conversation.invites.filter(closed_at=None).exists()
