"""Roles and the permission layer: predicates, role-dependent navigation, 404 for what one may not see."""

import pytest
import rules
from django.urls import reverse

from portal.accounts.models import Role
from portal.accounts.selectors import user_roles
from portal.accounts.services import user_grant_role, user_revoke_role
from portal.companies.models import MembershipRole
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    company = CompanyFactory()
    owner = MembershipFactory(company=company, role=MembershipRole.OWNER).user
    member = MembershipFactory(company=company, role=MembershipRole.MEMBER).user
    other = MembershipFactory().user
    return {
        "company": company,
        "anonymous": None,
        "owner": owner,
        "member": member,
        "other_company": other,
        "consultant": UserFactory(role=Role.CONSULTANT),
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }


def _user(people, kind):
    from django.contrib.auth.models import AnonymousUser

    return people[kind] or AnonymousUser()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("anonymous", frozenset()),
        ("owner", frozenset({"member"})),
        ("other_company", frozenset({"member"})),
        ("consultant", frozenset({"consultant"})),
        ("coordinator", frozenset({"coordinator"})),
        ("admin", frozenset({"admin"})),
    ],
)
def test_user_roles(people, kind, expected):
    assert user_roles(user=_user(people, kind)) == expected


@pytest.mark.parametrize(
    ("kind", "view_private", "change", "coordinator_desk"),
    [
        ("anonymous", False, False, False),
        ("owner", True, True, False),
        ("member", True, False, False),
        ("other_company", False, False, False),
        ("consultant", False, False, False),
        ("coordinator", True, True, True),
        ("admin", True, True, True),
    ],
)
def test_company_permissions_per_role(people, kind, view_private, change, coordinator_desk):
    user, company = _user(people, kind), people["company"]

    assert rules.has_perm("companies.view_company_private", user, company) is view_private
    assert rules.has_perm("companies.edit_company", user, company) is change
    assert rules.has_perm("portal.access_coordinator_desk", user) is coordinator_desk


def test_granting_coordinator_makes_staff_and_revoking_removes_the_role():
    user = UserFactory()

    user_grant_role(user=user, role=Role.COORDINATOR)
    user.refresh_from_db()
    assert user.is_staff is True
    assert user_roles(user=user) == frozenset({"coordinator"})

    user_revoke_role(user=user, role=Role.COORDINATOR)
    fresh = type(user).objects.get(pk=user.pk)
    assert user_roles(user=fresh) == frozenset()


def test_coordinator_group_holds_the_admin_permissions():
    coordinator = UserFactory(role=Role.COORDINATOR)

    assert coordinator.has_perm("companies.change_company")
    assert coordinator.has_perm("companies.view_membership")
    assert not coordinator.has_perm("companies.delete_company")


@pytest.mark.parametrize(
    ("kind", "shows_admin_link"),
    [("owner", False), ("consultant", False), ("coordinator", True), ("admin", True)],
)
def test_navigation_changes_with_the_role(client, people, kind, shows_admin_link):
    client.force_login(people[kind])

    html = client.get(reverse("dashboard")).content.decode()

    assert (f'href="{reverse("admin:index")}"' in html) is shows_admin_link


def test_anonymous_navigation_offers_login_and_signup(client):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert f'href="{reverse("dashboard")}"' not in html


def test_the_home_page_leads_a_signed_in_person_to_their_dashboard(client, people):
    client.force_login(people["owner"])

    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert f'<a class="button" href="{reverse("dashboard")}">ダッシュボードを開く</a>' in html
    assert f'href="{reverse("account_signup")}"' not in html


def test_dashboard_lists_only_the_users_own_companies(client, people):
    client.force_login(people["owner"])

    html = client.get(reverse("dashboard")).content.decode()

    assert people["company"].name_en in html
    other_company = people["other_company"].memberships.get().company
    assert other_company.name_en not in html


def test_dashboard_query_count_does_not_grow_with_companies(client, django_assert_num_queries):
    user = UserFactory()
    MembershipFactory(user=user)
    client.force_login(user)
    client.get(reverse("dashboard"))  # warm up session/auth caches

    # 5, and the to-do list and profile completeness (tests/notifications/test_dashboard.py): 13 since the
    # meetings to report on (events/todos.py).
    with django_assert_num_queries(13):
        client.get(reverse("dashboard"))
    MembershipFactory(user=user)
    MembershipFactory(user=user)
    with django_assert_num_queries(13):
        client.get(reverse("dashboard"))


@pytest.mark.parametrize("kind", ["anonymous", "owner"])
def test_admin_is_closed_to_non_staff(client, people, kind):
    if people[kind]:
        client.force_login(people[kind])

    response = client.get(reverse("admin:index"), follow=True)

    if kind == "anonymous":
        # The admin's own login form is replaced by allauth's (rate limits, second factor).
        assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_admin_opens_for_coordinators(client, people):
    client.force_login(people["coordinator"])

    assert client.get(reverse("admin:companies_company_changelist")).status_code == 200


@pytest.mark.parametrize("kind", ["anonymous", "owner", "consultant", "coordinator", "admin"])
def test_every_header_leads_to_the_postings(client, people, kind):
    """Members and visitors have it in the bar; staff, whose bar is full, under "More"."""
    if people[kind]:
        client.force_login(people[kind])
    html = client.get(reverse("companies:directory")).content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    link = f'<a href="{reverse("postings:list")}">'
    assert link in header
    more = header.split("<details>")[1] if "<details>" in header else ""
    in_more = link in more.split("</details>")[0]
    assert in_more is (kind in ("coordinator", "admin"))
