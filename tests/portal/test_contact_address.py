"""The coordinators' address (CONTACT_EMAIL): the footer and the privacy notice name it, and every e-mail
the portal sends (allauth's, the notifications', their digests, the templated ones) answers to it, since
the sender is a no-reply address. Without it, none of them names an address."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.models import Role
from portal.companies.models import VerificationStatus
from portal.notifications.services import (
    notification_preferences_set,
    notification_send,
    notification_send_digests,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "coordinators@dip.example"


@pytest.fixture
def contact(settings):
    settings.CONTACT_EMAIL = ADDRESS
    return ADDRESS


@pytest.mark.parametrize("name", ["home", "privacy_notice"])
def test_the_footer_and_the_notice_link_the_address(client, contact, name):
    html = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="th").content.decode()

    assert f'<a class="nowrap" href="mailto:{ADDRESS}">{ADDRESS}</a>' in html
    if name == "privacy_notice":
        assert html.count(f'href="mailto:{ADDRESS}"') == 2  # the footer's and the "Your rights" one


def test_without_an_address_nothing_is_named(client, settings):
    settings.CONTACT_EMAIL = ""

    html = client.get(reverse("privacy_notice")).content.decode()

    assert "mailto:" not in html


def test_allauth_mail_answers_to_the_coordinators(client, contact, mailoutbox):
    UserFactory(email="somchai@siam.example")

    client.post(reverse("account_reset_password"), {"email": "somchai@siam.example"})

    (message,) = mailoutbox
    assert message.reply_to == [ADDRESS]
    assert "noreply" in message.from_email


def test_templated_mail_answers_to_the_coordinators(client, contact, django_capture_on_commit_callbacks):
    company = MembershipFactory(company__verification_status=VerificationStatus.PENDING).company
    client.force_login(UserFactory(role=Role.COORDINATOR))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("companies:vetting_decide", args=[company.pk]), {"decision": "verified"})

    assert [message.reply_to for message in mail.outbox] == [[ADDRESS]]


def test_notifications_and_digests_answer_to_the_coordinators(
    contact, mailoutbox, inline_tasks, django_capture_on_commit_callbacks
):
    now, later = UserFactory(), UserFactory()
    notification_preferences_set(user=later, choices={"deals.message": "daily"})

    with django_capture_on_commit_callbacks(execute=True):
        for user in (now, later):
            notification_send(
                kind="deals.message",
                recipients=[user],
                url=reverse("deals:inbox"),
                context={"company": "Kato Medical"},
                dedupe_key=f"m:{user.pk}",
            )
    notification_send_digests(frequency="daily")

    assert [(message.to, message.reply_to) for message in mailoutbox] == [
        ([now.email], [ADDRESS]),
        ([later.email], [ADDRESS]),
    ]


def test_without_an_address_mail_has_no_reply_to(
    settings, mailoutbox, inline_tasks, django_capture_on_commit_callbacks
):
    settings.CONTACT_EMAIL = ""
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            kind="deals.message", recipients=[user], url="/", context={"company": "K"}, dedupe_key="m"
        )

    (message,) = mailoutbox
    assert message.reply_to == []
