"""An event with meeting days, a Japanese delegation, Thai exhibitors and an interpreter."""

import pytest

from events.models import Interpreter
from tests.factories import (
    CompanyFactory,
    DelegationFactory,
    EventFactory,
    MatchProposalFactory,
    MeetingDayFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
)


@pytest.fixture
def expo(db):
    event = EventFactory(
        slug="expo",
        name_en="Industry Expo",
        max_requests_per_company=3,
        max_meetings_per_company=2,
        min_meetings_per_company=1,
    )
    MeetingDayFactory(event=event, breaks=[["10:00", "10:30"]])
    delegation = DelegationFactory(event=event)
    jp = [CompanyFactory(country="JP", name_en=f"Nihon {i}", languages="ja") for i in range(3)]
    th = [
        CompanyFactory(country="TH", name_en=f"Siam {i}", languages="th" if i else "th,ja") for i in range(3)
    ]
    jp_p = [ParticipantFactory(event=event, company=c, delegation=delegation) for c in jp]
    th_p = [ParticipantFactory(event=event, company=c) for c in th]
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
