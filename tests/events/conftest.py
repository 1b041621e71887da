"""An event with meeting days, a Japanese delegation, Thai exhibitors and an interpreter."""

import datetime

import pytest

from events import services
from events.models import Delegation, Event, Interpreter, Participant, ParticipantKind, ParticipantStatus
from tests.factories import CompanyFactory, MatchProposalFactory, MembershipFactory, UserFactory


def _participant(event, company, kind, status=ParticipantStatus.CONFIRMED, delegation=None):
    return Participant.objects.create(
        event=event, company=company, kind=kind, status=status, delegation=delegation
    )


@pytest.fixture
def expo(db):
    today = datetime.datetime.now(datetime.UTC).date()
    event = Event.objects.create(
        slug="expo",
        name_en="Industry Expo",
        venue_en="BITEC",
        organiser_en="DIP",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=32),
        max_requests_per_company=3,
        max_meetings_per_company=2,
        min_meetings_per_company=1,
        scheduler_seconds=5,
    )
    services.meeting_day_save(
        event=event,
        date=event.starts_on,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(11, 0),
        slot_minutes=30,
        breaks=[["10:00", "10:30"]],
        tables=2,
    )
    delegation = Delegation.objects.create(event=event, name_en="SMRJ delegation", country="JP")
    jp = [CompanyFactory(country="JP", name_en=f"Nihon {i}", languages="ja") for i in range(3)]
    th = [
        CompanyFactory(country="TH", name_en=f"Siam {i}", languages="th" if i else "th,ja") for i in range(3)
    ]
    jp_p = [_participant(event, c, ParticipantKind.DELEGATE, delegation=delegation) for c in jp]
    th_p = [_participant(event, c, ParticipantKind.EXHIBITOR) for c in th]
    interpreter = Interpreter.objects.create(event=event, name="Ploy", language_pairs="th-ja")
    for score, (a, b) in zip((90, 80, 70), ((jp[0], th[0]), (jp[0], th[1]), (jp[1], th[1])), strict=True):
        MatchProposalFactory(
            company=a,
            partner=b,
            score=score,
            reasons=[{"code": "shared_industries", "slugs": ["medical-devices"], "inferred": []}],
        )
    users = {
        "anonymous": None,
        "jp_member": MembershipFactory(company=jp[0], user__language="en").user,
        "th_member": MembershipFactory(company=th[0], user__language="en").user,
        "outsider": MembershipFactory(company=CompanyFactory(country="TH")).user,
        "coordinator": UserFactory(role="coordinator"),
        "consultant": UserFactory(role="consultant"),
    }
    return {
        "event": event,
        "delegation": delegation,
        "jp": jp_p,
        "th": th_p,
        "interpreter": interpreter,
        "users": users,
    }
