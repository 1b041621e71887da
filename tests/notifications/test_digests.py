"""Daily and weekly digests: exact content, never an empty mail, never twice (a retried task)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification
from portal.notifications.services import (
    notification_preferences_set,
    notification_send,
    notification_send_digests,
)
from portal.notifications.unsubscribe import ALL
from tests.factories import UserFactory
from tests.notifications import unsubscribe_token

pytestmark = pytest.mark.django_db


def _two(user):
    notification_send(
        kind="deals.message",
        recipients=[user],
        url=reverse("deals:inbox"),
        context={"company": "Kato Medical"},
        dedupe_key="d:1",
    )
    notification_send(
        kind="deals.proposal_shortlisted",
        recipients=[user],
        url=reverse("deals:inbox"),
        context={"company": "Kato Medical", "need": "Housings"},
        dedupe_key="d:2",
    )


def test_daily_digest_exact_content_then_never_again(mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://portal.example"
    user = UserFactory(language="en", email="somchai@siam.example")
    notification_preferences_set(
        user=user, choices={"deals.message": "daily", "deals.proposal_shortlisted": "daily"}
    )
    _two(user)
    assert mailoutbox == []  # nothing immediately
    assert notification_send_digests(frequency="daily") == 1
    (message,) = mailoutbox
    assert message.to == ["somchai@siam.example"]
    assert message.subject == "Your daily summary: 2 notifications"
    token = unsubscribe_token(message.body, user=user, kind=ALL)
    assert message.body == (
        "What happened on the portal for you:\n\n"
        "- New message from Kato Medical\n"
        "  https://portal.example/deals/\n"
        "- Your proposal was shortlisted\n"
        "  https://portal.example/deals/\n\n"
        "-- \n"
        "Change which notifications are e-mailed and how often: https://portal.example/notifications/preferences/\n"
        f"Stop all these e-mails: https://portal.example/notifications/unsubscribe/{token}/\n"
    )
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://portal.example/notifications/unsubscribe/{token}/>"
    )
    # A retried task, and the weekly one: nothing more.
    assert notification_send_digests(frequency="daily") == 0
    assert notification_send_digests(frequency="weekly") == 0
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(emailed_at=None).count() == 0


def test_no_empty_digest(mailoutbox):
    user = UserFactory(language="en")
    notification_preferences_set(user=user, choices={"deals.message": "daily"})
    assert notification_send_digests(frequency="daily") == 0
    # Notifications of kinds the person wants immediately or not at all are not digested either.
    notification_preferences_set(user=user, choices={"deals.message": "off"})
    _two(user)
    Notification.objects.filter(kind="deals.proposal_shortlisted").update(emailed_at=timezone.now())
    assert notification_send_digests(frequency="daily") == 0
    assert mailoutbox == []


def test_weekly_digest_only_the_weekly_kinds_and_in_thai(mailoutbox):
    user = UserFactory(language="th")
    notification_preferences_set(
        user=user, choices={"deals.message": "weekly", "deals.proposal_shortlisted": "off"}
    )
    _two(user)
    assert notification_send_digests(frequency="daily") == 0
    assert notification_send_digests(frequency="weekly") == 1
    (message,) = mailoutbox
    assert "Kato Medical" in message.body
    assert "Housings" not in message.body
    assert "weekly summary" not in message.subject  # Thai


def test_old_notifications_are_left_out(mailoutbox):
    user = UserFactory(language="en")
    notification_preferences_set(user=user, choices={"deals.message": "daily"})
    _two(user)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert notification_send_digests(frequency="daily") == 0
    assert mailoutbox == []
