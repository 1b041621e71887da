"""What a company is told when its partner at an event changes its mind: a delegate that no longer comes
tells the companies it had agreed to meet, and an exhibitor's application says its outcome in its title."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from events import services
from events.models import Participant, ParticipantKind, ParticipantStatus
from portal.notifications.kinds import get_kind
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_render
from tests.factories import CompanyFactory, MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _withdrawals(company):
    return Notification.objects.filter(
        kind="events.partner_withdrew", recipient__memberships__company=company
    )


def _confirmed_with_partners(expo):
    """jp[0] confirmed: a request th[0] accepted, one from th[1] it accepted, one pending with th[2]."""
    jp, th = expo["jp"], expo["th"]
    Participant.objects.filter(pk=jp[0].pk).update(status=ParticipantStatus.CONFIRMED)
    for company in (th[1].company, th[2].company):
        MembershipFactory(company=company)
    accepted = services.meeting_request_create(actor=None, sender=jp[0], recipient=th[0])
    services.meeting_request_respond(actor=None, meeting_request=accepted, accept=True)
    theirs = services.meeting_request_create(actor=None, sender=th[1], recipient=jp[0])
    services.meeting_request_respond(actor=None, meeting_request=theirs, accept=True)
    services.meeting_request_create(actor=None, sender=jp[0], recipient=th[2])
    return Participant.objects.get(pk=jp[0].pk)


def test_a_delegate_that_no_longer_comes_tells_the_companies_it_agreed_to_meet(expo):
    delegate = _confirmed_with_partners(expo)
    th = expo["th"]

    services.participant_respond(participant=delegate, accept=False, reason="Cannot travel")

    for partner in (th[0], th[1]):
        told = _withdrawals(partner.company).get()
        assert told.url == reverse("events:participants", args=[expo["event"].slug, partner.pk])
        assert told.target_id == delegate.pk
        with translation.override("en"):
            subject, body = notification_render(told)
        assert subject == "Nihon 0 no longer takes part in Industry Expo"
        assert body.startswith("Your accepted meeting with it will not take place.")
    # The pending request was cancelled: nothing had been agreed with that company.
    assert not _withdrawals(th[2].company).exists()


def test_coming_back_and_declining_again_tells_them_again(expo, monkeypatch):
    delegate = _confirmed_with_partners(expo)
    services.participant_respond(participant=delegate, accept=False)
    services.participant_respond(participant=delegate, accept=True)
    assert _withdrawals(expo["th"][0].company).count() == 1
    later = timezone.now() + datetime.timedelta(seconds=5)
    monkeypatch.setattr("events.services.participants.timezone.now", lambda: later)
    services.participant_respond(participant=delegate, accept=False)
    assert _withdrawals(expo["th"][0].company).count() == 2


def test_declining_an_invitation_never_accepted_tells_nobody(expo):
    jp, th = expo["jp"], expo["th"]
    Participant.objects.filter(pk=jp[1].pk).update(status=ParticipantStatus.INVITED)
    services.participant_respond(participant=Participant.objects.get(pk=jp[1].pk), accept=False)
    assert not Notification.objects.filter(kind="events.partner_withdrew").exists()
    # Accepting tells nobody either.
    services.participant_respond(participant=Participant.objects.get(pk=jp[1].pk), accept=True)
    assert not Notification.objects.filter(kind="events.partner_withdrew").exists()
    assert th  # the exhibitors are untouched


@pytest.mark.parametrize(
    ("approve", "language", "subject"),
    [
        (True, "en", "Your application to exhibit at Industry Expo: approved"),
        (False, "en", "Your application to exhibit at Industry Expo: declined"),
    ],
)
def test_the_exhibitor_is_told_the_decision_in_the_title(expo, approve, language, subject):
    company = CompanyFactory(country="TH")
    MembershipFactory(company=company)
    applied = ParticipantFactory(
        event=expo["event"], company=company, kind=ParticipantKind.EXHIBITOR, status=ParticipantStatus.APPLIED
    )
    services.participant_decide(actor=UserFactory(role="coordinator"), participant=applied, approve=approve)
    told = Notification.objects.get(kind="events.exhibitor_decided", recipient__memberships__company=company)
    with translation.override(language):
        assert notification_render(told)[0] == subject
    for other in ("th", "ja"):  # said in each reader's language, the decision included
        with translation.override(other):
            title = notification_render(told)[0]
        assert "Industry Expo" in title
        assert "approved" not in title
        assert "declined" not in title


def test_an_older_exhibitor_notification_still_reads_whole():
    kind = get_kind("events.exhibitor_decided")
    with translation.override("en"):
        assert (
            kind.render({"event": "Industry Expo"})[0]
            == "Your application to exhibit at Industry Expo: answered"
        )


def _must_meets(company):
    return Notification.objects.filter(kind="events.must_meet", recipient__memberships__company=company)


def test_both_companies_of_a_must_meet_are_told_once(expo):
    jp, th = expo["jp"], expo["th"]
    coordinator = expo["users"]["coordinator"]
    services.meeting_request_create(actor=coordinator, sender=jp[0], recipient=th[0], must_meet=True)
    services.meeting_request_create(actor=coordinator, sender=jp[0], recipient=th[0], must_meet=True)

    japanese, thai = _must_meets(jp[0].company).get(), _must_meets(th[0].company).get()
    with translation.override("en"):
        assert notification_render(japanese)[0] == (
            "The coordinators ask your company to meet Siam 0 at Industry Expo"
        )
        assert notification_render(thai)[0] == (
            "The coordinators ask your company to meet Nihon 0 at Industry Expo"
        )
    assert thai.url == reverse("events:mine", args=["expo"])


def test_a_pending_request_made_a_must_meet_tells_both(expo):
    jp, th = expo["jp"], expo["th"]
    pending = services.meeting_request_create(actor=None, sender=th[0], recipient=jp[0])
    made = services.meeting_request_create(
        actor=expo["users"]["coordinator"], sender=jp[0], recipient=th[0], must_meet=True
    )
    assert made.pk == pending.pk
    assert made.must_meet
    assert _must_meets(jp[0].company).count() == 1
    assert _must_meets(th[0].company).count() == 1


def test_the_manage_page_says_when_a_pair_is_already_a_must_meet(client, expo):
    jp, th = expo["jp"], expo["th"]
    client.force_login(expo["users"]["coordinator"])
    url = reverse("events:manage", args=["expo"])
    data = {"kind": "must_meet", "must-japanese": jp[0].pk, "must-thai": th[0].pk}
    first = client.post(url, data, follow=True)
    assert [str(m) for m in first.wsgi_request._messages] == ["Must-meet pair added."]
    again = client.post(url, data, follow=True)
    assert [str(m) for m in again.wsgi_request._messages] == [
        "These two companies are already a must-meet pair."
    ]
    assert _must_meets(th[0].company).count() == 1


def _application(expo):
    company = CompanyFactory(country="TH", name_en="Siam Applicant")
    MembershipFactory(company=company, user__language="en")
    return ParticipantFactory(
        event=expo["event"], company=company, kind=ParticipantKind.EXHIBITOR, status=ParticipantStatus.APPLIED
    )


def test_a_declined_application_says_the_coordinators_reason(
    client, expo, mailoutbox, django_capture_on_commit_callbacks
):
    applied = _application(expo)
    client.force_login(expo["users"]["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:decide", args=["expo", applied.pk]),
            {"action": "reject", "reason": "  The hall is full this year.  "},
        )
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.status == ParticipantStatus.DECLINED
    assert applied.decline_reason == "The hall is full this year."
    assert "Their reason: The hall is full this year." in mailoutbox[-1].body

    member = applied.company.memberships.get().user
    client.force_login(member)
    page = client.get(reverse("events:mine", args=["expo"])).content.decode()
    assert "Their reason: The hall is full this year." in page


def test_an_over_long_reason_declines_nothing(expo):
    applied = _application(expo)
    with pytest.raises(ValidationError) as refused:
        services.participant_decide(actor=None, participant=applied, approve=False, reason="x" * 301)
    assert refused.value.code == "reason_too_long"
    applied.refresh_from_db()
    assert applied.status == ParticipantStatus.APPLIED
    assert not Notification.objects.filter(kind="events.exhibitor_decided").exists()


def test_an_approval_keeps_no_reason(expo):
    applied = _application(expo)
    services.participant_decide(actor=None, participant=applied, approve=True, reason="ignored")
    applied.refresh_from_db()
    assert applied.status == ParticipantStatus.CONFIRMED
    assert applied.decline_reason == ""
