"""The apps' services notify through portal/notifications: an in-app row per member, the app's own
e-mail template once per event (a repeated call or a retried task sends nothing more), each linking to
where the person acts."""

import pytest
from django.core import mail
from django.urls import reverse

from events import services as event_services
from matching.models import Introduction, IntroductionStage
from matching.services.introductions import interest_set, introduction_set_stage
from portal.notifications.models import Notification
from portal.notifications.services import notification_deliver_email
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    siam = CompanyFactory(name_en="Siam Precision", country="TH")
    kato = CompanyFactory(name_en="Kato Medical", country="JP")
    return {
        "siam": siam,
        "kato": kato,
        "somchai": MembershipFactory(company=siam, user=UserFactory(language="th")).user,
        "kato_owner": MembershipFactory(company=kato, user=UserFactory(language="ja")).user,
    }


def test_meeting_request_received_then_accepted(two, django_capture_on_commit_callbacks):
    event = EventFactory()
    siam = ParticipantFactory(event=event, company=two["siam"])
    kato = ParticipantFactory(event=event, company=two["kato"])
    with django_capture_on_commit_callbacks(execute=True):
        request = event_services.meeting_request_create(actor=two["kato_owner"], sender=kato, recipient=siam)
    row = Notification.objects.get(recipient=two["somchai"])
    assert (row.kind, row.url) == (
        "events.meeting_requested",
        reverse("events:mine", kwargs={"slug": event.slug}),
    )
    assert row.context["company"] == {"en": "Kato Medical", "th": "Kato Medical", "ja": "Kato Medical"}
    assert row.context["event"]["en"] == event.name("en")
    assert row.emailed_at is not None
    (message,) = mail.outbox
    assert message.to == [two["somchai"].email]
    assert "List-Unsubscribe" in message.extra_headers
    assert notification_deliver_email(notification_ids=[row.pk]) == 0  # a retried task
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        event_services.meeting_request_respond(actor=two["somchai"], meeting_request=request, accept=True)
    answer = Notification.objects.get(recipient=two["kato_owner"])
    assert answer.kind == "events.meeting_accepted"
    assert len(mail.outbox) == 2


def test_interest_then_mutual_interest(two):
    interest_set(company=two["siam"], partner=two["kato"], actor=two["somchai"], interested=True)
    assert list(Notification.objects.values_list("recipient_id", "kind")) == [
        (two["kato_owner"].pk, "matching.interest_received")
    ]
    # Saying it again adds nothing.
    interest_set(company=two["siam"], partner=two["kato"], actor=two["somchai"], interested=True)
    interest_set(company=two["kato"], partner=two["siam"], actor=two["kato_owner"], interested=True)
    mutual = Notification.objects.filter(kind="matching.mutual_interest")
    assert sorted(mutual.values_list("recipient_id", flat=True)) == sorted(
        [two["somchai"].pk, two["kato_owner"].pk]
    )
    assert Notification.objects.count() == 3
    # Each side is told who: the partner's name, in the reader's language.
    from django.utils import translation

    from portal.notifications.kinds import get_kind

    to_kato = mutual.get(recipient=two["kato_owner"])
    with translation.override("en"):
        _subject, body = get_kind(to_kato.kind).render(to_kato.context)
    assert body.startswith(f"{two['siam'].name_en} and your company marked each other as interesting.")


def test_introduction_stage_changes(two, django_capture_on_commit_callbacks):
    coordinator = UserFactory(role="coordinator")
    introduction = Introduction.objects.create(
        thai_company=two["siam"], japanese_company=two["kato"], requesting_company=two["kato"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        introduction_set_stage(
            introduction=introduction, actor=coordinator, stage=IntroductionStage.INTRODUCED
        )
    assert Notification.objects.filter(kind="matching.introduced").count() == 2
    assert len(mail.outbox) == 2  # the "introduced" template with the contacts, once per side
    # Each ends with the link to the partner's page, as the plain notification e-mails do.
    to_somchai = next(message for message in mail.outbox if message.to == [two["somchai"].email])
    partner_page = reverse("companies:detail", kwargs={"pk": two["kato"].pk})
    from portal.core.links import absolute_url

    assert f"\n{absolute_url(partner_page)}\n" in to_somchai.body
    with django_capture_on_commit_callbacks(execute=True):
        introduction_set_stage(introduction=introduction, actor=coordinator, stage=IntroductionStage.TALKING)
    talking = Notification.objects.get(kind="matching.introduction_stage", recipient=two["somchai"])
    assert talking.url == reverse("companies:detail", kwargs={"pk": two["kato"].pk})
    assert talking.context["company"]["en"] == "Kato Medical"
    stage = {"en": "Talking", "th": _in("th", "Talking"), "ja": _in("ja", "Talking")}
    assert talking.context["stage"] == stage
    assert len(mail.outbox) == 4


def _in(language, text):
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)
