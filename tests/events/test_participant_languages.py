"""What the scheduler takes a participant to speak (events.services.participant_languages): its
representatives' languages, else its company's, else its country's; English is never assumed."""

import datetime

import pytest
from django.utils import timezone

from events import services
from events.models import Event, Participant, ParticipantKind, ParticipantStatus, Representative
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _participant(event, **company):
    return Participant.objects.create(
        event=event,
        company=CompanyFactory(**company),
        kind=ParticipantKind.EXHIBITOR,
        status=ParticipantStatus.CONFIRMED,
    )


@pytest.fixture
def event():
    start = timezone.localdate() + datetime.timedelta(days=10)
    return Event.objects.create(
        slug="expo", name_en="Expo", venue_en="BITEC", organiser_en="DIP", starts_on=start, ends_on=start
    )


def test_representatives_then_company_then_country(event):
    spoken = _participant(event, country="TH", languages="th,en")
    Representative.objects.create(participant=spoken, name="Napat", role="", languages="th,ja")
    assert services.participant_languages(spoken) == {"th", "ja"}
    assert services.participant_languages(_participant(event, country="TH", languages="th,en")) == {
        "th",
        "en",
    }
    assert services.participant_languages(_participant(event, country="TH", languages="")) == {"th"}
    assert services.participant_languages(_participant(event, country="JP", languages="")) == {"ja"}
