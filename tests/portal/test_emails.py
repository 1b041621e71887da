"""E-mails are plain text: what people typed arrives as typed (issue 12 item 9).

Text bodies and subjects were rendered with HTML autoescaping, so a company called ``Kato & Sons`` reached
its owner as ``Kato &amp; Sons``. ``portal.core.notify`` renders every e-mail without it.
"""

import pytest
from django.urls import reverse

from portal.accounts.models import Role
from portal.companies.models import VerificationStatus
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Kato & Sons <K.K.> 'Mold' \"Works\""
ESCAPES = ("&amp;", "&lt;", "&gt;", "&#x27;", "&#39;", "&quot;")


@pytest.fixture
def pending():
    membership = MembershipFactory(
        user__language="ja",
        user__first_name="O'Brien",
        user__last_name="& Co",
        company__verification_status=VerificationStatus.PENDING,
        company__name_en=NAME,
    )
    return membership.company


@pytest.fixture
def coordinator(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    return client


def test_verification_mail_shows_the_company_name_as_typed(
    coordinator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("companies:vetting_decide", args=[pending.pk]), {"decision": "verified"})

    (message,) = mailoutbox
    assert NAME in message.subject
    assert NAME in message.body
    assert "O'Brien & Co" in message.body
    assert not [escape for escape in ESCAPES if escape in message.subject + message.body]
    assert message.alternatives == []  # plain text only: no HTML part to escape


def test_a_rejection_reason_is_sent_as_typed(
    coordinator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    reason = "Registration <0105536112014> doesn't match the DBD record & address."

    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("companies:vetting_decide", args=[pending.pk]), {"decision": "rejected", "reason": reason}
        )

    (message,) = mailoutbox
    assert reason in message.body
    assert not [escape for escape in ESCAPES if escape in message.subject + message.body]
