"""Meeting briefs read from the reader's side: the agenda of each side (page, .ics, PDF, API) and the
meeting-request e-mail say what the *partner* offers that the *reader* seeks, even when the only proposal
of the pair is the partner's (the pair is in the partner's top-k, not in the reader's)."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader
from rest_framework.test import APIClient

from events import services
from events.models import Delegation, Event, Participant, ParticipantKind, ParticipantStatus, ScheduleRun
from matching.models import MatchingWeights, MatchProposal
from matching.services import run_full_inline
from tests.factories import CompanyFactory, MembershipFactory, link_terms

pytestmark = pytest.mark.django_db

# What the Japanese company reads about its Thai partner, and what the Thai company reads about it.
JAPANESE_READS = [
    "Offers what you look for: CNC machining",
    "Looks for what you offer: Surface treatment and plating",
]
THAI_READS = [
    "Offers what you look for: Surface treatment and plating",
    "Looks for what you offer: CNC machining",
]


@pytest.fixture
def pair():
    """Kato Seiki (JP) seeks CNC machining and offers plating; Siam Lathe (TH) the reverse. Proposals keep
    one partner each, and Kato's best partner is another Thai firm: the pair's only proposal is Siam's."""
    MatchingWeights.objects.create(top_k=1, note="one partner each")
    kato = CompanyFactory(country="JP", name_en="Kato Seiki", languages="ja,en")
    link_terms(
        kato,
        industries=["robotics-automation"],
        capabilities=["surface-treatment"],
        seeking=["cnc-machining"],
    )
    best = CompanyFactory(name_en="Siam Robot Works", languages="ja,th")
    link_terms(
        best,
        industries=["robotics-automation"],
        capabilities=["cnc-machining"],
        seeking=["surface-treatment"],
    )
    siam = CompanyFactory(name_en="Siam Lathe", languages="th,en")
    link_terms(siam, capabilities=["cnc-machining"], seeking=["surface-treatment"])
    run_full_inline()
    assert not MatchProposal.objects.filter(company=kato, partner=siam).exists()
    assert MatchProposal.objects.filter(company=siam, partner=kato).exists()

    today = datetime.datetime.now(datetime.UTC).date()
    event = Event.objects.create(
        slug="expo",
        name_en="Industry Expo",
        venue_en="BITEC",
        organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=31),
        scheduler_seconds=5,
    )
    services.meeting_day_save(
        event=event,
        date=event.starts_on,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(10, 0),
        slot_minutes=30,
        breaks=[],
        tables=2,
    )
    delegation = Delegation.objects.create(event=event, name_en="SMRJ delegation", country="JP")
    kato_p = Participant.objects.create(
        event=event,
        company=kato,
        kind=ParticipantKind.DELEGATE,
        delegation=delegation,
        status=ParticipantStatus.CONFIRMED,
    )
    siam_p = Participant.objects.create(
        event=event, company=siam, kind=ParticipantKind.EXHIBITOR, status=ParticipantStatus.CONFIRMED
    )
    return {
        "event": event,
        "kato": kato_p,
        "siam": siam_p,
        "kato_owner": MembershipFactory(company=kato, user__language="en").user,
        "siam_owner": MembershipFactory(company=siam, user__language="en").user,
    }


@pytest.fixture
def scheduled(pair):
    request = services.meeting_request_create(actor=None, sender=pair["siam"], recipient=pair["kato"])
    services.meeting_request_respond(actor=None, request=request, accept=True)
    run = services.schedule_run(run_id=ScheduleRun.objects.create(event=pair["event"]).pk)
    services.schedule_publish(actor=None, run=run)
    return pair


def _agenda_texts(client, user, participant) -> dict[str, str]:
    client.force_login(user)
    args = ["expo", participant.pk]
    page = client.get(reverse("events:agenda", args=args)).content.decode()
    ics = Calendar.from_ical(client.get(reverse("events:agenda_ics", args=args)).content)
    description = "\n".join(str(item["description"]) for item in ics.walk("VEVENT"))
    pdf = PdfReader(io.BytesIO(client.get(reverse("events:agenda_pdf", args=args)).content))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    return {"page": page, "ics": description, "pdf": pdf_text}


def test_japanese_agenda_says_what_the_thai_partner_offers_that_the_japanese_company_seeks(client, scheduled):
    texts = _agenda_texts(client, scheduled["kato_owner"], scheduled["kato"])

    for where, text in texts.items():
        for line in JAPANESE_READS:
            assert line in text, (where, line)
        for line in THAI_READS:
            assert line not in text, (where, line)


def test_thai_agenda_says_what_the_japanese_partner_offers_that_the_thai_company_seeks(client, scheduled):
    texts = _agenda_texts(client, scheduled["siam_owner"], scheduled["siam"])

    for where, text in texts.items():
        for line in THAI_READS:
            assert line in text, (where, line)
        for line in JAPANESE_READS:
            assert line not in text, (where, line)


def test_japanese_agenda_in_japanese(client, scheduled):
    scheduled["kato_owner"].language = "ja"
    scheduled["kato_owner"].save()
    client.force_login(scheduled["kato_owner"])

    page = client.get(
        reverse("events:agenda", args=["expo", scheduled["kato"].pk]), HTTP_ACCEPT_LANGUAGE="ja"
    )

    html = page.content.decode()
    assert "貴社が求めるものを提供できます：CNC切削加工" in html
    assert "貴社が提供できるものを求めています：表面処理・めっき" in html


def test_api_agenda_and_partner_list_read_from_each_side(client, scheduled):
    for owner, participant, expected in (
        ("kato_owner", "kato", JAPANESE_READS),
        ("siam_owner", "siam", THAI_READS),
    ):
        api = APIClient()
        api.force_authenticate(scheduled[owner])
        agenda = api.get(f"/api/participants/{scheduled[participant].pk}/agenda/").json()
        assert agenda[0]["reasons"][:2] == expected
        client.force_login(scheduled[owner])
        page = client.get(reverse("events:participants", args=["expo", scheduled[participant].pk]))
        for line in expected:
            assert line in page.content.decode()


def test_meeting_request_email_gives_the_recipients_reasons(pair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_create(actor=None, sender=pair["siam"], recipient=pair["kato"])

    (message,) = mail.outbox
    assert message.to == [pair["kato_owner"].email]
    for line in JAPANESE_READS:
        assert f"- {line}\n" in message.body
