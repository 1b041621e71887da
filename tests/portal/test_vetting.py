"""Coordinator vetting: approve/reject with a reason, e-mailed to the owner in their language."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Role
from portal.companies.models import Company, VerificationStatus
from portal.companies.services import company_set_verification
from portal.core.service_calls import error_codes
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    membership = MembershipFactory(
        user__language="th",
        company__verification_status=VerificationStatus.PENDING,
        company__name_en="New Co",
    )
    return membership.company, membership.user


def _t(language, message):
    with translation.override(language):
        return translation.gettext(message)


def test_coordinator_verifies_and_the_owner_is_told_in_thai(
    client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    company, owner = pending
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    assert company in client.get(reverse("companies:vetting")).context["companies"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:vetting_decide", args=[company.pk]),
            {"decision": "verified", "endorsed_by": "dip"},
        )

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.verification_status, company.verified_by, company.endorsed_by) == (
        "verified",
        coordinator,
        "dip",
    )
    assert company.endorsed_on is not None
    assert [message.to for message in mailoutbox] == [[owner.email]]
    with translation.override("th"):
        assert mailoutbox[0].subject == translation.gettext("%(name)s is verified") % {"name": "New Co"}
    assert client.get(reverse("companies:directory")).context["page"].paginator.count == 1


def test_rejection_needs_a_reason_and_sends_it(
    client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    company, _owner = pending
    client.force_login(UserFactory(role=Role.COORDINATOR))

    client.post(
        reverse("companies:vetting_decide", args=[company.pk]), {"decision": "rejected", "reason": ""}
    )
    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("companies:vetting_decide", args=[company.pk]),
            {"decision": "rejected", "reason": "No such factory"},
        )
    company.refresh_from_db()
    assert (company.verification_status, company.rejection_reason) == ("rejected", "No such factory")
    assert "No such factory" in mailoutbox[0].body


def test_a_rejected_company_that_is_edited_goes_back_to_review(client, pending):
    company, owner = pending
    Company.objects.filter(pk=company.pk).update(
        verification_status="rejected", rejection_reason="Incomplete"
    )
    client.force_login(owner)

    client.post(
        reverse("companies:edit", args=[company.pk, "about"]),
        {"description_en": "We make molds.", "contact_name": "A. Person"},
    )

    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING


@pytest.mark.parametrize("kind", ["anonymous", "owner", "consultant", "other_company"])
def test_vetting_is_closed_to_everyone_but_coordinators(client, pending, kind):
    company, owner = pending
    users = {
        "owner": owner,
        "consultant": UserFactory(role=Role.CONSULTANT),
        "other_company": MembershipFactory().user,
    }
    if kind in users:
        client.force_login(users[kind])

    listing = client.get(reverse("companies:vetting"))
    decision = client.post(reverse("companies:vetting_decide", args=[company.pk]), {"decision": "verified"})

    expected = 302 if kind == "anonymous" else 404
    assert (listing.status_code, decision.status_code) == (expected, expected)
    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING


def test_vetting_queue_query_count_does_not_grow(client, django_assert_num_queries):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    MembershipFactory(company__verification_status="pending")
    client.get(reverse("companies:vetting"))
    with django_assert_num_queries(9):
        client.get(reverse("companies:vetting"))
    MembershipFactory(company__verification_status="pending")
    MembershipFactory(company__verification_status="pending")
    with django_assert_num_queries(9):
        response = client.get(reverse("companies:vetting"))
    assert len(response.context["companies"]) == 3


def test_verified_company_cannot_be_verified_twice(client):
    company = CompanyFactory()
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.post(reverse("companies:vetting_decide", args=[company.pk]), {"decision": "verified"})

    assert response.status_code == 404  # not in the queue


def test_verification_refusals_carry_codes(pending):
    company, _owner = pending
    coordinator = UserFactory(role=Role.COORDINATOR)

    with pytest.raises(ValidationError) as refused:
        company_set_verification(company=company, actor=coordinator, status="rejected", reason=" ")
    assert error_codes(refused.value) == {"reason_required"}
    with pytest.raises(ValidationError) as refused:
        company_set_verification(company=company, actor=coordinator, status="pending")
    assert refused.value.code == "invalid_transition"
    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING


def test_a_refused_decision_comes_back_on_its_card_with_what_was_entered(client, pending):
    company, _owner = pending
    coordinator = UserFactory(role=Role.COORDINATOR, language="ja")
    client.force_login(coordinator)
    url = reverse("companies:vetting_decide", args=[company.pk])

    undecided = client.post(url, {"reason": "Looks fine", "endorsed_by": ""}).content.decode()
    unexplained = client.post(url, {"decision": "rejected", "reason": " "}).content.decode()

    decision = _t("ja", "Decision") + ": " + _t("ja", "Choose Verify or Reject.")
    assert f'<a href="#verify-{company.pk}">{decision}</a>' in undecided
    assert ">Looks fine</textarea>" in undecided
    assert f'value="rejected" id="reject-{company.pk}" checked' in unexplained
    assert f'<a href="#reason-{company.pk}">' in unexplained
    assert _t("ja", "Say why the company is rejected; the owner will read it.") in unexplained
    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING


def test_a_coordinator_does_not_decide_on_a_company_they_belong_to(client, pending):
    company, _owner = pending
    coordinator = UserFactory(role=Role.COORDINATOR)
    MembershipFactory(company=company, user=coordinator)
    client.force_login(coordinator)

    queue = client.get(reverse("companies:vetting")).content.decode()
    client.post(reverse("companies:vetting_decide", args=[company.pk]), {"decision": "verified"})

    assert "another coordinator decides on it" in queue
    assert f'action="{reverse("companies:vetting_decide", args=[company.pk])}"' not in queue
    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING
    with pytest.raises(ValidationError) as refused:
        company_set_verification(company=company, actor=coordinator, status=VerificationStatus.VERIFIED)
    assert error_codes(refused.value) == {"own_company"}
    company_set_verification(company=company, actor=UserFactory(role=Role.COORDINATOR), status="verified")
