"""E-mails name and link the portal where it really runs: the host the visitor used (allauth's e-mails) or
PORTAL_BASE_URL / the Site record (e-mails sent after a coordinator's decision)."""

import re

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from portal.accounts.models import Role
from portal.companies.models import VerificationStatus
from portal.core.links import absolute_url, base_url
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def test_signup_mail_names_the_host_the_visitor_used(client, settings, mailoutbox):
    settings.ALLOWED_HOSTS = ["portal.example.org"]

    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_account": "on",
            "consent_transfer_japan": "on",
        },
        HTTP_HOST="portal.example.org",
    )

    body = mailoutbox[0].body
    assert "127.0.0.1:8000" not in body
    assert "portal.example.org" in body.replace(LINK.findall(body)[0], "")
    assert LINK.findall(body)[0].startswith("http://portal.example.org/accounts/confirm-email/")


def test_base_url_prefers_the_request_then_the_setting_then_the_site(rf, settings):
    Site.objects.filter(pk=settings.SITE_ID).update(domain="site.example.org")
    Site.objects.clear_cache()
    settings.PORTAL_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["served.example.org"]

    assert base_url() == "http://site.example.org"
    settings.PORTAL_BASE_URL = "https://portal.example.org/"
    assert base_url() == "https://portal.example.org"
    assert absolute_url("/dashboard/") == "https://portal.example.org/dashboard/"
    assert base_url(rf.get("/", HTTP_HOST="served.example.org")) == "http://served.example.org"


@pytest.mark.parametrize(
    ("decision", "path_name"), [("verified", "dashboard"), ("rejected", "companies:edit")]
)
def test_vetting_mail_links_to_the_portal(
    client, settings, mailoutbox, django_capture_on_commit_callbacks, decision, path_name
):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    membership = MembershipFactory(
        user__language="ja", company__verification_status=VerificationStatus.PENDING
    )
    company = membership.company
    client.force_login(UserFactory(role=Role.COORDINATOR))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("companies:vetting_decide", args=[company.pk]),
            {"decision": decision, "reason": "登録番号が確認できません", "endorsed_by": "smrj"},
        )

    path = reverse(path_name, args=[company.pk, "profile"] if path_name == "companies:edit" else [])
    assert f"https://portal.example.org{path}" in LINK.findall(mailoutbox[0].body)
