"""Personal data: consent at sign-up, withdrawal, "download my data", "delete my account", erasure of a
person without an account, the coordinators' request desk, and contacts kept out of public views."""

import json
import logging

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from portal.companies.models import CompanyContact
from portal.privacy import services
from portal.privacy.models import Consent, DataRequest, Purpose, RequestKind, RequestStatus
from portal.privacy.notice import CURRENT_VERSION
from shindan.models import Interviewee
from tests.factories import PASSWORD, CompanyFactory, MembershipFactory, UserFactory
from tests.shindan.helpers import reported_diagnosis

pytestmark = pytest.mark.django_db

QUERIES_REQUEST_DESK = 8  # session, user, roles twice, membership; closed: count and page; open requests
SIGNUP = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}


def test_signup_requires_the_required_consents_and_records_them(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "consent_account": "on"})
    assert response.status_code == 200
    assert not EmailAddress.objects.filter(email="new@example.com").exists()
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "consent_account": "on", "consent_transfer_japan": "on"}
    )
    assert response.status_code == 302
    consents = Consent.objects.filter(user__email="new@example.com")
    assert sorted(consents.values_list("purpose", flat=True)) == ["account", "transfer_japan"]
    assert set(consents.values_list("notice_version", flat=True)) == {CURRENT_VERSION}


def test_notice_is_public_in_three_languages(client):
    for language in ("en", "th", "ja"):
        response = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
    assert client.get(reverse("privacy_notice") + "?version=1999").status_code == 404


def test_member_withdraws_optional_consent_but_not_required_ones(client):
    user = UserFactory()
    services.consents_record(user=user, purposes=[Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN, Purpose.NEWS])
    client.force_login(user)
    client.post(reverse("privacy_consent"), {"purpose": "news"})
    assert services.active_purposes(user) == {"account", "transfer_japan"}
    assert DataRequest.objects.get(user=user).kind == RequestKind.WITHDRAWAL
    client.post(reverse("privacy_consent"), {"purpose": "account"})
    assert "account" in services.active_purposes(user)
    client.post(reverse("privacy_consent"), {"purpose": "news", "give": "1"})
    assert "news" in services.active_purposes(user)


def test_member_without_current_consent_is_asked_again(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("my_privacy")).content.decode()
    assert "The privacy notice has changed" in page
    client.post(reverse("my_privacy"), {"consent_account": "on", "consent_transfer_japan": "on"})
    assert not services.needs_consent(user)


def test_download_my_data_has_the_persons_data_and_company_contacts(client):
    membership = MembershipFactory(user__first_name="Napat", user__last_name="Chaiyaporn")
    CompanyContact.objects.create(company=membership.company, name="Somchai", email="somchai@example.com")
    services.consents_record(user=membership.user, purposes=[Purpose.ACCOUNT])
    client.force_login(membership.user)
    response = client.get(reverse("privacy_download"))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["account"]["email"] == membership.user.email
    assert data["account"]["first_name"] == "Napat"
    assert data["company_contacts"][0]["email"] == "somchai@example.com"
    assert data["consents"][0]["purpose"] == "account"
    assert "event_representatives" in data  # registered by the events app
    csv_text = client.get(reverse("privacy_download") + "?format=csv").content.decode("utf-8-sig")
    assert "account,1,first_name,Napat" in csv_text
    assert DataRequest.objects.filter(user=membership.user, kind=RequestKind.ACCESS).count() == 2


def test_delete_my_account_erases_the_person_and_keeps_the_records(client):
    diagnosis = reported_diagnosis()
    consultant = diagnosis.consultants.get()
    owner = MembershipFactory(company=diagnosis.company, user__first_name="Napat").user
    client.force_login(owner)
    wrong = client.post(reverse("privacy_delete"), {"password": "nope"})
    assert wrong.status_code == 302
    page = client.get(wrong.url).content.decode()
    assert '<ul class="errorlist" id="id_password_error"><li>The password is not correct.</li></ul>' in page
    assert page.count("The password is not correct.") == 2  # at the field and in the error summary, no banner
    assert "id_password_error" not in client.get(wrong.url).content.decode()  # once, not for ever
    owner.refresh_from_db()
    assert owner.is_active

    client.force_login(consultant)
    client.post(reverse("privacy_delete"), {"password": PASSWORD})
    consultant.refresh_from_db()
    assert not consultant.is_active
    assert consultant.email == f"erased-{consultant.pk}@erased.invalid"
    assert consultant.first_name == "" and not consultant.has_usable_password()  # noqa: PT018
    assert not EmailAddress.objects.filter(user=consultant).exists()
    assert not consultant.groups.exists()
    diagnosis.refresh_from_db()
    assert diagnosis.overall_score is not None  # the diagnosis keeps its scores and history
    assert diagnosis.changes.filter(actor=consultant).exists()
    assert client.get(reverse("dashboard")).status_code == 302  # signed out


def test_coordinator_erases_a_person_without_an_account(client):
    diagnosis = reported_diagnosis()
    Interviewee.objects.create(diagnosis=diagnosis, name="Malee Srisuk", position="QC manager")
    company = CompanyFactory()
    CompanyContact.objects.create(
        company=company, name="Malee Srisuk", email="malee@example.com", phone="+66812345678"
    )
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)
    client.post(
        reverse("privacy_requests"),
        {
            "kind": "erasure",
            "name": "Malee Srisuk",
            "email": "malee@example.com",
            "received_on": "2026-11-20",
        },
    )
    request = DataRequest.objects.get()
    assert request.due_on.isoformat() == "2026-12-20"
    page = client.get(reverse("privacy_requests")).content.decode()
    assert "Malee Srisuk" in page
    client.post(reverse("privacy_request", args=[request.pk]), {"action": "erase"})
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert json.loads(request.outcome) == {
        "contacts": 1,
        "interviewees": 1,
        "event_representatives": 0,
        "interpreters": 0,
    }
    interviewee = Interviewee.objects.get()
    assert (interviewee.name, interviewee.position) == ("", "QC manager")
    contact = CompanyContact.objects.get()
    assert (contact.email, contact.phone) == ("", "")


@pytest.mark.parametrize("role", ["anonymous", "member", "consultant"])
def test_request_desk_is_for_coordinators(client, role):
    if role != "anonymous":
        client.force_login(UserFactory(role=role) if role == "consultant" else MembershipFactory().user)
    response = client.get(reverse("privacy_requests"))
    assert response.status_code == (302 if role == "anonymous" else 404)


def test_contacts_stay_out_of_public_pages_the_api_and_logs(client, caplog):
    company = CompanyFactory()
    CompanyContact.objects.create(
        company=company, name="Secret Person", email="secret@example.com", phone="+66899999999"
    )
    with caplog.at_level(logging.DEBUG):
        page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
        api = APIClient().get(f"/api/companies/{company.pk}/").content.decode()
    for text in (page, api, caplog.text):
        assert "secret@example.com" not in text
        assert "+66899999999" not in text


def test_error_reports_mask_personal_fields(rf):
    from django.views.debug import ExceptionReporter

    data = {"contact_email": "secret@example.com", "contact_phone": "+66899999999", "description_en": "Molds"}
    request = rf.post("/companies/1/edit/about/", data)
    request.user = UserFactory()
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        report = ExceptionReporter(request, type(error), error, error.__traceback__).get_traceback_text()
    assert "secret@example.com" not in report
    assert "+66899999999" not in report
    assert "Molds" in report


def test_closed_requests_are_reached_a_page_at_a_time_the_last_handled_first(client):
    """The desk's history of closed requests is paged (25 a page) instead of stopping at the last 100."""
    import datetime

    from django.utils import timezone

    now = timezone.now()
    DataRequest.objects.bulk_create(
        DataRequest(
            name=f"Person {index}", kind=RequestKind.ACCESS, status=RequestStatus.DONE,
            outcome=f"done-{index}", due_on=now.date(), handled_at=now - datetime.timedelta(hours=index),
        )
        for index in range(30)
    )  # fmt: skip
    client.force_login(UserFactory(role="coordinator"))

    first = client.get(reverse("privacy_requests"))
    second = client.get(reverse("privacy_requests"), {"page": 2})

    assert [r.outcome for r in first.context["closed"]] == [f"done-{index}" for index in range(25)]
    assert [r.outcome for r in second.context["closed"]] == [f"done-{index}" for index in range(25, 30)]
    html = first.content.decode()
    assert 'Closed <span class="count">30</span>' in html
    assert 'href="?page=2#closed"' in html
    assert client.get(reverse("privacy_requests"), {"page": 99}).context["closed"].number == 2


@pytest.mark.parametrize("closed", [2, 30])
def test_request_desk_queries_do_not_grow_with_the_closed_requests(client, closed, django_assert_num_queries):
    """The desk's page of closed requests costs the same queries for 2 or 30 of them (the page's rows and
    the paginator's count)."""
    from django.utils import timezone

    DataRequest.objects.bulk_create(
        DataRequest(
            name=f"Person {index}", kind=RequestKind.ACCESS, status=RequestStatus.DONE,
            due_on=timezone.localdate(), handled_at=timezone.now(),
        )
        for index in range(closed)
    )  # fmt: skip
    client.force_login(UserFactory(role="coordinator"))
    client.get(reverse("privacy_requests"))  # warm the session

    with django_assert_num_queries(QUERIES_REQUEST_DESK):
        response = client.get(reverse("privacy_requests"))

    assert len(response.context["closed"]) == min(closed, 25)


def test_required_consents_offer_no_withdraw_button_but_the_way_out_and_optional_ones_do(client):
    user = UserFactory()
    services.consents_record(user=user, purposes=[Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN, Purpose.NEWS])
    client.force_login(user)

    with translation.override("th"):
        html = client.get(reverse("my_privacy"), HTTP_ACCEPT_LANGUAGE="th").content.decode()
        note = translation.gettext("Required to use the portal. To withdraw it, delete your account:")
        withdraw = translation.gettext("Withdraw")
        delete = translation.gettext("Delete my account")

    # Only the optional purpose has a form (its Withdraw button); the required ones name the way out instead.
    assert 'name="purpose" value="news"' in html
    assert 'name="purpose" value="account"' not in html
    assert 'name="purpose" value="transfer_japan"' not in html
    assert html.count(f">{withdraw}</button>") == 1
    assert html.count(note) == 2
    assert html.count(f'<a href="#delete-account">{delete}</a>') == 2
    assert f'<h2 id="delete-account">{delete}</h2>' in html
    assert services.active_purposes(user) == {"account", "transfer_japan", "news"}  # the GET changed nothing


def test_a_required_consent_not_given_can_still_be_given_from_the_table(client):
    user = UserFactory()
    services.consents_record(user=user, purposes=[Purpose.ACCOUNT])
    client.force_login(user)

    html = client.get(reverse("my_privacy")).content.decode()

    assert 'name="purpose" value="transfer_japan"' in html  # not given: its Give button stays
    client.post(reverse("privacy_consent"), {"purpose": "transfer_japan", "give": "1"})
    assert services.active_purposes(user) == {"account", "transfer_japan"}


def test_current_notice_tells_japanese_members_of_the_transfer_to_thailand_and_keeps_the_older_one(client):
    current = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert CURRENT_VERSION == "2026-12"
    assert "Transfer to Thailand" in current
    assert "Personal Data Protection Committee" in current
    assert "Transfer to Japan" in current
    older = client.get(reverse("privacy_notice"), {"version": "2026-11"}, HTTP_ACCEPT_LANGUAGE="en")
    older = older.content.decode()
    assert "Transfer to Japan" in older
    assert "Transfer to Thailand" not in older
    assert "See the current version" in older
    with translation.override("ja"):
        heading = translation.gettext("Transfer to Thailand")
    japanese = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert heading != "Transfer to Thailand"
    assert heading in japanese


def _log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)


def test_member_who_agreed_to_an_earlier_notice_is_told_at_log_in_and_asked_on_my_data(client):
    user = UserFactory()
    services.consents_record(user=user, purposes=[Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN], version="2026-11")
    page = _log_in(client, user).content.decode()
    assert "The privacy notice has changed. Please read it and confirm your consent" in page
    assert f'href="{reverse("my_privacy")}"' in page
    asked = client.get(reverse("my_privacy")).content.decode()
    assert "The privacy notice has changed" in asked
    assert (
        asked.count("given under version November 2026") == 2
    )  # the required purposes, not yet under 2026-12
    client.post(reverse("my_privacy"), {"consent_account": "on", "consent_transfer_japan": "on"})
    assert not services.needs_consent(user)
    assert set(user.consents.filter(notice_version=CURRENT_VERSION).values_list("purpose", flat=True)) == {
        "account",
        "transfer_japan",
    }
    assert "given under version" not in client.get(reverse("my_privacy")).content.decode()
    client.logout()
    assert "The privacy notice has changed" not in _log_in(client, user).content.decode()


def test_member_who_never_agreed_is_not_told_the_notice_changed(client):
    user = UserFactory()
    assert services.needs_consent(user)
    assert not services.notice_changed_for(user)
    assert "The privacy notice has changed" not in _log_in(client, user).content.decode()


def test_a_log_in_without_the_messages_middleware_still_works_for_a_member_asked_again(client):
    user = UserFactory()
    services.consents_record(user=user, purposes=[Purpose.ACCOUNT, Purpose.TRANSFER_JAPAN], version="2026-11")
    client.force_login(user)  # fires user_logged_in with a bare request
    assert client.get(reverse("my_privacy")).status_code == 200


def test_a_notice_version_reads_as_its_month_in_each_language(client):
    for language, shown in (
        ("en", "Version December 2026"),
        ("th", "ฉบับเดือนธันวาคม 2569"),
        ("ja", "2026年12月版"),
    ):
        html = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert shown in html


def test_the_only_owner_is_warned_before_deleting_and_the_coordinators_are_told_after(client):
    from portal.notifications.models import Notification

    coordinator = UserFactory(role="coordinator")
    alone = MembershipFactory(role="owner", user__language="en")
    owner = alone.user
    shared = MembershipFactory(user=owner, role="owner").company
    MembershipFactory(company=shared, role="owner")  # another owner stays
    client.force_login(owner)

    page = client.get(reverse("my_privacy")).content.decode()
    assert "You are the only owner of this company." in page
    assert f'href="{reverse("companies:members", args=[alone.company.pk])}"' in page
    assert reverse("companies:members", args=[shared.pk]) not in page  # it keeps an owner

    client.post(reverse("privacy_delete"), {"password": PASSWORD})

    told = Notification.objects.filter(kind="companies.owner_left")
    assert [(n.recipient, n.target_id, n.url) for n in told] == [
        (coordinator, alone.company.pk, reverse("companies:members", args=[alone.company.pk]))
    ]
    assert not alone.company.memberships.exists()
    assert shared.memberships.count() == 1
    client.force_login(coordinator)  # where the notification leads: how someone takes the company over
    members = client.get(told.get().url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No member is left." in members


def test_a_member_who_owns_nothing_alone_gets_no_warning(client):
    company = MembershipFactory(role="owner").company
    member = MembershipFactory(company=company, role="member", user__language="en").user
    client.force_login(member)
    assert "You are the only owner" not in client.get(reverse("my_privacy")).content.decode()


def test_an_erasure_that_finds_nobody_says_so_and_the_button_asks_first(client):
    from django.contrib.messages import get_messages

    client.force_login(UserFactory(role="coordinator"))
    request = services.request_log(
        actor=None, kind=RequestKind.ERASURE, name="Nobody Here", email="nobody@example.com"
    )
    page = client.get(reverse("privacy_requests")).content.decode()
    assert "This cannot be undone" in page

    response = client.post(reverse("privacy_request", args=[request.pk]), {"action": "erase"})

    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        "Nothing was found under this name or e-mail, so nothing was erased. The request is closed: "
        "tell the person that the portal holds no data about them."
    ]
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE


def test_a_closed_request_says_whose_it_was(client):
    """Five rows reading "the member downloaded their data" said nothing of who: each names its person."""
    member = UserFactory(email="somchai@example.co.th")
    DataRequest.objects.create(
        user=member, kind=RequestKind.ACCESS, status=RequestStatus.DONE, due_on="2026-12-31",
        handled_at="2026-12-01T10:00:00+07:00",
    )  # fmt: skip
    client.force_login(UserFactory(role="coordinator", language="en"))

    html = client.get(reverse("privacy_requests")).content.decode()

    closed = html[html.index('id="closed"') :]
    assert '<td data-label="Person">  (somchai@example.co.th)</td>' in closed
