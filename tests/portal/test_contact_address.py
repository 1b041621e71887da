"""The coordinators' address (CONTACT_EMAIL): the footer and the privacy notice name it, and every e-mail
the portal sends (allauth's, the notifications', their digests, the templated ones) answers to it, since
the sender is a no-reply address. Without it, none of them names an address."""

from email.header import decode_header, make_header

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
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

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


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("th", "พอร์ทัลจับคู่ธุรกิจ SME ไทย–ญี่ปุ่น"),
        ("ja", "日タイ中小企業マッチングポータル"),
        ("en", "Thai–Japan SME Matching Portal"),
    ],
)
def test_the_sender_is_the_portal_in_the_recipients_language(settings, language, name):
    from portal.core.notify import render_to_users

    settings.DEFAULT_FROM_EMAIL = "Thai–Japan SME Portal <noreply@portal.example>"
    user = UserFactory(language=language)
    message = render_to_users(
        users=[user], template="company_verified", context={"company": CompanyFactory()}
    )[0]

    assert str(make_header(decode_header(message.from_email))) == f"{name} <noreply@portal.example>"
    message.message()  # encodes (RFC 2047) without complaint


def test_a_sender_name_the_operator_chose_is_kept(settings):
    from portal.core.notify import sender

    settings.DEFAULT_FROM_EMAIL = "DIP Matching <matching@dip.example>"
    assert sender() == "DIP Matching <matching@dip.example>"
