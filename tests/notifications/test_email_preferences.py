"""E-mail per preference, once per event, with a signed one-click unsubscribe link per kind."""

import json

import pytest
from django.core import signing
from django.urls import reverse

from portal.notifications.models import Frequency, Notification, NotificationPreference
from portal.notifications.services import (
    notification_deliver_email,
    notification_preferences_set,
    notification_send,
)
from portal.notifications.unsubscribe import ALL, make_token
from tests.factories import UserFactory
from tests.notifications import unsubscribe_token

pytestmark = pytest.mark.django_db


def _send(user, key="1"):
    return notification_send(
        kind="deals.message",
        recipients=[user],
        url=reverse("deals:inbox"),
        context={"company": "Kato Medical"},
        dedupe_key=f"test:{key}",
    )


def test_immediate_mail_has_unsubscribe_link_and_headers(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="en", email="somchai@siam.example")
    with django_capture_on_commit_callbacks(execute=True):
        _send(user)
    (message,) = mailoutbox
    assert message.subject == "New message from Kato Medical"
    token = unsubscribe_token(message.body, user=user, kind="deals.message")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/notifications/unsubscribe/{token}/>")
    assert f"/notifications/unsubscribe/{token}/" in message.body


def test_thai_mail_in_thai(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="th")
    with django_capture_on_commit_callbacks(execute=True):
        _send(user)
    (message,) = mailoutbox
    assert "Kato Medical" in message.subject
    assert "New message" not in message.subject


def test_same_event_never_mails_twice(mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _send(user)
        assert _send(user) == []  # the same dedupe key: no second row
    assert len(mailoutbox) == 1
    assert notification_deliver_email(notification_ids=[row.pk]) == 0  # a retried task sends nothing
    assert len(mailoutbox) == 1


def test_template_mail_of_an_event_kind_once_under_retries(mailoutbox, django_capture_on_commit_callbacks):
    from portal.companies.services import join_request_create
    from tests.factories import CompanyFactory, MembershipFactory

    company = CompanyFactory(name_en="Siam Precision", country="TH")
    owner = MembershipFactory(company=company, user=UserFactory(language="en")).user
    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(user=UserFactory(), country="TH", registration_no=company.registration_no)
    assert len(mailoutbox) == 1
    row = Notification.objects.get(recipient=owner, kind="companies.join_requested")
    assert row.emailed_at is not None
    assert notification_deliver_email(notification_ids=[row.pk]) == 0
    assert len(mailoutbox) == 1
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers  # an account mail: no unsubscribe


@pytest.mark.parametrize("frequency", [Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF])
def test_no_immediate_mail_unless_chosen(mailoutbox, django_capture_on_commit_callbacks, frequency):
    user = UserFactory(language="en")
    notification_preferences_set(user=user, choices={"deals.message": frequency})
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _send(user)
    assert mailoutbox == []
    row.refresh_from_db()
    assert row.emailed_at is None  # waits for the digest (or for nothing, when off)


def test_mandatory_kinds_cannot_be_switched_off():
    from django.core.exceptions import ValidationError

    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(user=user, choices={"companies.verified": Frequency.OFF})
    assert error.value.code == "kind_not_switchable"
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(user=user, choices={"deals.message": "hourly"})
    assert error.value.code == "bad_frequency"
    assert NotificationPreference.objects.count() == 0


def test_preferences_page_saves_and_lists_no_account_mails(client):
    user = UserFactory(language="en")
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="deals.message"' in html
    assert 'name="companies.verified"' not in html
    data = dict.fromkeys(_switchable(), "immediately")
    data["events.schedule_published"] = "weekly"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert (
        NotificationPreference.objects.get(user=user, kind="events.schedule_published").frequency == "weekly"
    )
    data["deals.message"] = "hourly"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user, kind="deals.message").frequency == "immediately"


def _switchable():
    from portal.notifications.kinds import email_kinds

    return [kind.name for kind in email_kinds()]


def test_one_click_unsubscribe_per_kind(client):
    user = UserFactory(language="en")
    token = make_token(user=user, kind="deals.message")
    url = reverse("notifications:unsubscribe", args=[token])
    assert "Stop these e-mails" in client.get(url).content.decode()
    assert NotificationPreference.objects.count() == 0  # GET only asks
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert list(NotificationPreference.objects.values_list("user_id", "kind", "frequency")) == [
        (user.pk, "deals.message", "off")
    ]


def test_digest_link_turns_every_switchable_kind_off(client):
    user = UserFactory(language="en")
    client.post(reverse("notifications:unsubscribe", args=[make_token(user=user, kind=ALL)]))
    assert set(
        NotificationPreference.objects.filter(user=user, frequency="off").values_list("kind", flat=True)
    ) == set(_switchable())


@pytest.mark.parametrize("token", ["nonsense", "1:abc", "WzEsImRlYWxzLm1lc3NhZ2UiXQ:x"])
def test_bad_unsubscribe_links_are_refused(client, token):
    assert client.get(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert NotificationPreference.objects.count() == 0


def test_tampered_and_mandatory_links_are_refused(client):
    user, other = UserFactory(), UserFactory()
    good = make_token(user=user, kind="deals.message")
    # The other user's id in the payload, with the signature made for this user.
    payload = signing.b64_encode(json.dumps([other.pk, "deals.message"], separators=(",", ":")).encode())
    forged = ":".join([payload.decode(), *good.split(":")[1:]])
    assert forged != good
    for token in (forged, good[:-2] + "xx", make_token(user=user, kind="companies.verified")):
        assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    assert NotificationPreference.objects.count() == 0


STAFF_KINDS = {"deals.abuse_reported", "deals.help_requested", "deals.proposal_accepted_coordinators"}


@pytest.mark.parametrize(
    ("role", "listed", "not_listed"),
    [
        ("", {"deals.message", "events.schedule_published"}, STAFF_KINDS | {"shindan.action_overdue"}),
        ("coordinator", STAFF_KINDS, {"shindan.action_overdue"}),
        ("consultant", {"shindan.action_overdue"}, STAFF_KINDS),
    ],
)
def test_preferences_list_only_the_kinds_the_person_can_receive(client, role, listed, not_listed):
    """A member's page listed the coordinators' kinds ("Conversation reported", "Proposal accepted
    (coordinators)") among 25 settings; each person now sees only what can reach them."""
    user = UserFactory(language="en", **({"role": role} if role else {}))
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    for kind in listed:
        assert f'name="{kind}"' in html, kind
    for kind in not_listed:
        assert f'name="{kind}"' not in html, kind


MEMBER_KINDS = {"deals.message", "events.meeting_requested", "matching.strong_match", "shindan.report_issued"}


@pytest.mark.parametrize(
    ("role", "sees_member_kinds"),
    [("", True), ("coordinator", False), ("consultant", False), ("superuser", True)],
)
def test_a_companys_kinds_are_offered_to_members_not_to_coordinators_or_consultants(
    client, role, sees_member_kinds
):
    """A consultant was offered "Meeting request received" and "New strong match", which never reach them."""
    if role == "superuser":  # the admin may act for any company: offered everything
        user = UserFactory(language="en", is_superuser=True, is_staff=True)
    else:
        user = UserFactory(language="en", **({"role": role} if role else {}))
    client.force_login(user)

    html = client.get(reverse("notifications:preferences")).content.decode()

    for kind in MEMBER_KINDS:
        assert (f'name="{kind}"' in html) is sees_member_kinds, kind
