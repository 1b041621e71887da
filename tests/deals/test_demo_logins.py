"""The demo's other members (the partners of the demo conversations) sign in with the demo password
(README: "Demo logins"; seed_demo prints them from ``deals.demo.OTHER_MEMBERS``)."""

import pytest
from django.test import Client

from deals.demo import OTHER_MEMBERS, _member
from portal.core.demo import DEMO_PASSWORD
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_a_demo_member_signs_in_with_the_demo_password():
    company = CompanyFactory(external_id="JP-DEMO-002", country="JP")
    email = OTHER_MEMBERS[0][0]

    _company, user = _member("JP-DEMO-002", email, "Kenji", "Kato", "ja")
    response = Client().post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    assert _company == company
    assert user.memberships.get().company == company
    assert response.status_code == 302
    assert "/accounts/login/" not in response["Location"]
