"""Work the coordinators were told of stops waiting in their bell once it is done: a company vetted, an
introduction request decided, an abuse report resolved, a hidden product shown again, a help request whose
conversation was closed (``notifications_settle``: read for every recipient)."""

import pytest

from deals import services as deal_services
from deals.models import AbuseReport, CoordinatorInvite
from matching import services as matching_services
from portal.companies import services as company_services
from portal.companies.models import VerificationStatus
from portal.notifications.models import Notification
from portal.showcase.services import product_create, product_moderate, product_update
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinators():
    return [UserFactory(role="coordinator"), UserFactory(role="coordinator")]


def _waiting(kind: str) -> int:
    return Notification.objects.filter(kind=kind, read_at=None).count()


@pytest.fixture
def pair():
    thai, japanese = CompanyFactory(country="TH"), CompanyFactory(country="JP")
    return thai, japanese, MembershipFactory(company=thai).user, MembershipFactory(company=japanese).user


def test_a_vetted_company_no_longer_waits(coordinators):
    company = company_services.company_create(
        owner=UserFactory(), country="TH", registration_no="0105536112014", name_en="Chon Buri Mold"
    )
    assert _waiting("companies.awaiting_vetting") == 2

    company_services.company_set_verification(
        company=company, actor=coordinators[0], status=VerificationStatus.VERIFIED
    )

    assert _waiting("companies.awaiting_vetting") == 0  # for both coordinators, whoever decided


def test_a_decided_introduction_request_no_longer_waits_and_later_stages_tell_nobody_twice(
    coordinators, pair
):
    thai, japanese, thai_member, _japanese_member = pair
    introduction = matching_services.introduction_request(company=thai, partner=japanese, actor=thai_member)
    assert _waiting("matching.introduction_requested") == 2

    matching_services.introduction_set_stage(
        introduction=introduction, actor=coordinators[1], stage="introduced"
    )

    assert _waiting("matching.introduction_requested") == 0


def test_an_abuse_report_waits_until_every_report_of_the_conversation_is_resolved(coordinators, pair):
    thai, japanese, thai_member, japanese_member = pair
    conversation = deal_services.conversation_open(company=thai, partner=japanese, actor=thai_member)[0]
    deal_services.abuse_report(conversation=conversation, actor=thai_member, reason="Spam")
    deal_services.abuse_report(conversation=conversation, actor=japanese_member, reason="Rude")
    first, second = AbuseReport.objects.order_by("pk")

    deal_services.abuse_report_resolve(report=first, actor=coordinators[0])
    assert _waiting("deals.abuse_reported") == 4  # two reports, two coordinators: one is still open
    deal_services.abuse_report_resolve(report=second, actor=coordinators[0])
    assert _waiting("deals.abuse_reported") == 0


def test_closing_a_conversation_ends_its_help_request(coordinators, pair):
    thai, japanese, thai_member, _japanese_member = pair
    conversation = deal_services.conversation_open(company=thai, partner=japanese, actor=thai_member)[0]
    deal_services.coordinator_invite(conversation=conversation, actor=thai_member, kind="interpret")
    assert _waiting("deals.help_requested") == 2

    deal_services.conversation_close(conversation=conversation, actor=coordinators[0])

    assert CoordinatorInvite.objects.get().closed_at is not None
    assert _waiting("deals.help_requested") == 0


def test_a_hidden_product_shown_again_no_longer_waits(coordinators):
    product = product_create(company=CompanyFactory(), name_en="Aluminium gear")
    product_moderate(product=product, actor=coordinators[0], hidden=True, reason="Wrong photo")
    product.refresh_from_db()
    product_update(product=product, name_en="Aluminium gear, right photo")
    assert _waiting("showcase.hidden_product_changed") == 2

    product_moderate(product=product, actor=coordinators[1], hidden=False)

    assert _waiting("showcase.hidden_product_changed") == 0
