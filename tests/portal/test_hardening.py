"""Security headers and the Content-Security-Policy: no inline script on any page, nothing from another
origin, and the policy itself never allows inline scripts."""

import re

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# Absolute URLs that load something (a canonical or hreflang link names the page itself: portal/core/seo.py).
EXTERNAL = re.compile(
    r"""<(?!link rel="(?:canonical|alternate)")[^>]*(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"""\son[a-z]+=["']""", re.IGNORECASE)

PUBLIC = ["home", "companies:directory", "events:list", "privacy_notice", "account_login", "account_signup",
          "account_reset_password", "api-docs", "api-redoc"]  # fmt: skip
MEMBER = [
    "dashboard",
    "account_preferences",
    "my_privacy",
    "matching:recommendations",
    "mfa_index",
    "shindan:home",
]
COORDINATOR = ["companies:vetting", "matching:introductions", "privacy_requests", "shindan:assignments"]


def _check(response, url):
    assert response.status_code == 200, url
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert not INLINE_SCRIPT.findall(body), url
    assert not INLINE_HANDLER.findall(body), url
    assert not EXTERNAL.findall(body), url


def test_public_pages(client):
    for name in PUBLIC:
        _check(client.get(reverse(name)), name)


def test_member_pages(client):
    client.force_login(MembershipFactory().user)
    for name in MEMBER:
        _check(client.get(reverse(name)), name)


def test_coordinator_pages(client):
    client.force_login(UserFactory(role="coordinator"))
    for name in COORDINATOR:
        _check(client.get(reverse(name)), name)


def test_swagger_script_is_served_as_a_file(client):
    html = client.get(reverse("api-docs")).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    own = [src for src in scripts if not src.startswith("/static/")]  # static files: whitenoise
    assert own, scripts
    for src in own:
        response = client.get(src)
        assert response.status_code == 200, src
        assert "javascript" in response["Content-Type"]
