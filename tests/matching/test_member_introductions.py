"""Members see the introductions their companies asked for or are part of, with each one's stage, at the
same address as the coordinators' dashboard (/matching/introductions/)."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching import services
from matching.models import Introduction
from portal.accounts.models import Role
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/matching/introductions/"


@pytest.fixture
def world():
    thai = CompanyFactory(country="TH", name_en="Siam Mold")
    japanese = CompanyFactory(country="JP", name_en="Kato Medical")
    other_japanese = CompanyFactory(country="JP", name_en="Osaka Robotics")
    member = MembershipFactory(company=thai, user__language="th").user
    asked = services.introduction_request(
        company=thai, partner=japanese, actor=member, message="สนใจงานฉีดพลาสติก"
    )
    theirs = services.introduction_request(
        company=other_japanese, partner=thai, actor=MembershipFactory(company=other_japanese).user
    )
    services.introduction_set_stage(
        introduction=theirs, actor=UserFactory(role=Role.COORDINATOR), stage="introduced"
    )
    unrelated = Introduction.objects.create(
        thai_company=CompanyFactory(country="TH", name_en="Chiang Mai Parts"),
        japanese_company=japanese,
        requesting_company=japanese,
    )
    return {"member": member, "asked": asked, "theirs": theirs, "unrelated": unrelated}


def test_url_is_the_same_for_members_and_coordinators():
    assert reverse("matching:introductions") == URL


def test_member_sees_their_introductions_with_stages(client, world):
    client.force_login(world["member"])

    response = client.get(URL)

    assert response.status_code == 200
    assert [response.templates[0].name] == ["matching/my_introductions.html"]
    rows = response.context["introductions"]
    assert [(r.partner.name_en, r.mine.name_en, r.stage, r.asked_by_us) for r in rows] == [
        ("Osaka Robotics", "Siam Mold", "introduced", False),
        ("Kato Medical", "Siam Mold", "requested", True),
    ]
    html = response.content.decode()
    with translation.override("th"):
        assert translation.gettext("Introduced") in html
        assert translation.gettext("Requested") in html
        assert translation.gettext("you asked") in html
        assert translation.gettext("the partner asked") in html
    assert "Chiang Mai Parts" not in html


def test_coordinator_keeps_the_dashboard(client, world):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.get(URL)

    assert response.templates[0].name == "matching/introductions.html"
    assert len(response.context["introductions"]) == 3


@pytest.mark.parametrize("kind", ["anonymous", "consultant", "no_company", "other_company"])
def test_others_see_none_of_them(client, world, kind):
    users = {
        "consultant": UserFactory(role=Role.CONSULTANT),
        "no_company": UserFactory(),
        "other_company": MembershipFactory(company=CompanyFactory(country="TH")).user,
    }
    if kind in users:
        client.force_login(users[kind])
    before = list(Introduction.objects.order_by("pk").values_list("pk", "stage"))

    response = client.get(URL)

    if kind == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif kind == "other_company":
        assert response.status_code == 200
        assert list(response.context["introductions"]) == []
        assert "Siam Mold" not in response.content.decode()
    else:
        assert response.status_code == 404
    assert list(Introduction.objects.order_by("pk").values_list("pk", "stage")) == before


def test_member_list_query_count_does_not_grow(client, django_assert_num_queries):
    thai = CompanyFactory(country="TH")
    member = MembershipFactory(company=thai).user
    client.force_login(member)

    def add(n):
        for _ in range(n):
            services.introduction_request(company=thai, partner=CompanyFactory(country="JP"), actor=member)

    add(1)
    with django_assert_num_queries(9):
        assert len(client.get(URL).context["introductions"]) == 1
    add(2)
    with django_assert_num_queries(9):
        assert len(client.get(URL).context["introductions"]) == 3


def test_recommendations_open_on_a_verified_company_and_switch_between_the_members_companies(client):
    from portal.companies.models import VerificationStatus

    verified = CompanyFactory(name_en="Siam Verified")
    membership = MembershipFactory(company=verified)
    waiting = CompanyFactory(name_en="Siam Waiting", verification_status=VerificationStatus.PENDING)
    MembershipFactory(company=waiting, user=membership.user)
    client.force_login(membership.user)
    page = reverse("matching:recommendations")

    response = client.get(page)
    assert response.context["company"] == verified
    html = response.content.decode()
    assert '<strong aria-current="page">Siam Verified</strong>' in html
    assert f'<a href="?company={waiting.pk}">Siam Waiting</a>' in html

    assert client.get(page, {"company": waiting.pk}).context["company"] == waiting
    alone = MembershipFactory(company=CompanyFactory()).user
    client.force_login(alone)
    assert "aria-current" not in client.get(page).content.decode().split("<main")[1].split("how-scored")[0]


def test_the_coordinators_are_told_of_a_new_introduction_request_once():
    from portal.notifications.models import Notification

    coordinator = UserFactory(role=Role.COORDINATOR, language="en")
    thai, japanese = (
        CompanyFactory(country="TH", name_en="Siam Mold"),
        CompanyFactory(country="JP", name_en="Kato"),
    )
    member = MembershipFactory(company=thai).user

    introduction = services.introduction_request(company=thai, partner=japanese, actor=member)
    services.introduction_request(company=thai, partner=japanese, actor=member)  # asked again: no news

    told = Notification.objects.filter(kind="matching.introduction_requested")
    assert list(told.values_list("recipient", flat=True)) == [coordinator.pk]
    (notification,) = told
    assert notification.url == reverse("matching:introduction", kwargs={"pk": introduction.pk})
    with translation.override("en"):
        from portal.notifications.selectors import notification_render

        assert notification_render(notification)[0] == "Siam Mold asks to be introduced to Kato"
