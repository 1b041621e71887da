"""No dead ends in a new member's first hour: signed in after confirming the e-mail and sent to register a
company, told what happens after registering, greeted by name on the dashboard."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.forms import PreferencesForm
from portal.accounts.models import Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def _signup(client, email="new@example.com"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_account": "on",
            "consent_transfer_japan": "on",
        },
    )


def test_confirming_the_email_signs_in_and_leads_to_registering_a_company(client, mailoutbox):
    _signup(client)
    assert client.session.get("_auth_user_id") is None

    response = client.post(LINK.search(mailoutbox[0].body).group(0))

    assert response.status_code == 302
    assert response["Location"] == reverse("companies:start")
    assert client.session.get("_auth_user_id") is not None
    assert client.get(reverse("companies:start")).status_code == 200


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("none", "companies:start"), ("member", "dashboard"), ("coordinator", "dashboard")],
)
def test_login_sends_a_user_without_a_company_to_register_one(client, kind, expected):
    if kind == "member":
        user = MembershipFactory().user
    elif kind == "coordinator":
        user = UserFactory(role=Role.COORDINATOR)
    else:
        user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response["Location"] == reverse(expected)


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)


def test_dashboard_greets_by_name_then_by_company_never_by_email(client):
    named = UserFactory(first_name="Somchai", last_name="Jaidee", email="somchai.jaidee.long@example.co.th")
    nameless = MembershipFactory(user__first_name="", user__last_name="", company__name_en="Siam Mold").user
    nobody = UserFactory(first_name="", last_name="")

    headings = []
    for user in (named, nameless, nobody):
        client.force_login(user)
        headings.append(_h1(client.get(reverse("dashboard")).content.decode()))

    assert headings == ["Welcome, Somchai Jaidee", "Welcome, Siam Mold", "Welcome"]


@pytest.mark.parametrize(
    ("country", "registration_no", "agency"),
    [("TH", "0105536112014", "DIP (Department of Industrial Promotion)"),
     ("JP", "4011001098993", "SMRJ (Organization for SME and Regional Innovation)")],
)  # fmt: skip
def test_after_registering_the_company_page_and_dashboard_say_what_happens_next(
    client, settings, country, registration_no, agency
):
    settings.PORTAL_VETTING_DAYS = 5
    user = UserFactory(language="ja")
    client.force_login(user)
    client.post(
        reverse("companies:start"),
        {"country": country, "registration_no": registration_no, "name_en": "New Co", "name_ja": "新会社"},
    )
    company = user.memberships.get().company

    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    with translation.override("ja"):
        expected = translation.ngettext(
            "Coordinators of %(agency)s check the registration number and the profile, usually within "
            "%(days)s working day. You get an e-mail as soon as the company is verified: it then appears in "
            "the directory and gets partner recommendations.",
            "Coordinators of %(agency)s check the registration number and the profile, usually within "
            "%(days)s working days. You get an e-mail as soon as the company is verified: it then appears in "
            "the directory and gets partner recommendations.",
            5,
        ) % {"agency": translation.gettext(agency), "days": 5}
    for html in (page, dashboard):
        assert expected in html
        assert reverse("companies:edit", args=[company.pk, "profile"]) in html
        assert reverse("postings:company", args=[company.pk]) in html
        assert reverse("companies:members", args=[company.pk]) in html


def test_verified_companies_get_no_waiting_notice(client):
    user = MembershipFactory().user
    client.force_login(user)

    html = client.get(reverse("dashboard")).content.decode()

    assert 'class="card next-steps"' not in html


def test_a_coordinator_vetting_a_pending_company_sees_no_waiting_notice(client):
    company = MembershipFactory(company__verification_status="pending").company
    client.force_login(UserFactory(role=Role.COORDINATOR))

    html = client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert 'class="card next-steps"' not in html


@pytest.mark.parametrize(
    ("verification", "expected"),
    [
        (
            "verified",
            "The posting is published: partners find it on your company's page and in the directory.",
        ),
        (
            "pending",
            "The posting is published. It is shown to partners once a coordinator has verified the company.",
        ),
    ],
)
def test_publishing_a_posting_says_so(client, verification, expected):
    from portal.postings.models import Posting

    membership = MembershipFactory(user__language="th", company__verification_status=verification)
    posting = Posting.objects.create(company=membership.company, type="supply-offer", title_th="รับฉีดพลาสติก")
    client.force_login(membership.user)

    response = client.post(
        reverse("postings:status", args=[posting.pk]), {"status": "published"}, follow=True
    )

    with translation.override("th"):
        assert [str(m) for m in response.context["messages"]] == [translation.gettext(expected)]
    posting.refresh_from_db()
    assert posting.status == "published"


def test_a_name_written_in_japanese_puts_the_family_name_first_in_every_language(client):
    tanaka = UserFactory(first_name="博", last_name="田中", language="ja")
    assert tanaka.get_full_name() == "田中 博"
    assert str(UserFactory(first_name="ひろし", last_name="")) == "ひろし"
    assert UserFactory(first_name="Hiroshi", last_name="Tanaka").get_full_name() == "Hiroshi Tanaka"

    client.force_login(tanaka)
    with translation.override("ja"):
        greeting = _h1(client.get(reverse("dashboard")).content.decode())
    assert "田中 博" in greeting
    assert "博 田中" not in greeting


def test_the_preferences_form_asks_the_family_name_first_in_japanese():
    with translation.override("ja"):
        assert list(PreferencesForm().fields)[:2] == ["last_name", "first_name"]
    with translation.override("th"):
        assert list(PreferencesForm().fields)[:2] == ["first_name", "last_name"]
