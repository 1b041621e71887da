"""The public directory: verified only, filters, Thai/Japanese/English search, contact visibility."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.companies.models import CompanyContact, MembershipRole, VerificationStatus
from portal.companies.services import company_refresh_derived
from portal.taxonomy.models import Region
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, add_certificate, link_terms

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [company.name_en for company in response.context["page"].object_list]


@pytest.fixture
def companies():
    molder = CompanyFactory(
        name_en="Rayong Molding",
        description_th="รับฉีดพลาสติกชิ้นส่วนเครื่องมือแพทย์",
        region=Region.objects.get(code="TH-21"),
        employees=40,
        annual_revenue=90_000_000,
    )
    link_terms(
        molder, industries=["medical-devices"], capabilities=["injection-molding"], looking_for=["customer"]
    )
    add_certificate(molder, "iso-13485")
    machinist = CompanyFactory(
        country="JP",
        name_en="Kato Seimitsu",
        name_ja="加藤精密",
        description_ja="航空機部品の精密加工を行っています。",
        region=Region.objects.get(code="JP-23"),
        currency="JPY",
        employees=120,
        capital=50_000_000,
    )
    link_terms(
        machinist, industries=["aerospace-parts"], capabilities=["cnc-machining"], looking_for=["supplier"]
    )
    add_certificate(machinist, "jis-q-9100")
    bangkok = CompanyFactory(
        name_en="Bangkok Robotics",
        description_en="System integration and machining cells.",
        region=Region.objects.get(code="TH-10"),
    )
    link_terms(bangkok, industries=["robotics-automation"], capabilities=["system-integration"])
    add_certificate(bangkok, "iso-13485", expires_on=timezone.localdate() - datetime.timedelta(days=1))
    pending = CompanyFactory(name_en="Pending Plastics", verification_status=VerificationStatus.PENDING)
    link_terms(pending, capabilities=["injection-molding"])
    rejected = CompanyFactory(
        name_en="Rejected Molds", verification_status=VerificationStatus.REJECTED, rejection_reason="Unknown"
    )
    return {
        "molder": molder,
        "machinist": machinist,
        "bangkok": bangkok,
        "pending": pending,
        "rejected": rejected,
    }


def test_directory_lists_only_verified_companies(client, companies):
    response = client.get(reverse("companies:directory"))

    assert _names(response) == ["Bangkok Robotics", "Kato Seimitsu", "Rayong Molding"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ฉีดพลาสติก", ["Rayong Molding"]),
        ("精密加工", ["Kato Seimitsu"]),
        ("machining", ["Bangkok Robotics", "Kato Seimitsu"]),  # free text, and the capability's English name
        ("MACHINING cells", ["Bangkok Robotics"]),  # case-insensitive; every term must match
        ("射出成形", ["Rayong Molding"]),  # Japanese name of the Thai company's capability
        ("ＣＮＣ", ["Kato Seimitsu"]),  # full-width letters are normalised
        ("plastics", []),  # the pending company is not found
        ("しゃしゅつせいけい", ["Rayong Molding"]),  # a kana reading finds 射出成形
        ("セイミツ かこう", ["Kato Seimitsu"]),  # katakana and hiragana readings of 精密加工
        ("ｺｳｸｳｷ", ["Kato Seimitsu"]),  # half-width katakana: 航空機
        ("เครื่องมือแพทย", ["Rayong Molding"]),  # Thai without its tone marks
        ("ชิ้นส่วน 射出成形", ["Rayong Molding"]),  # Thai and Japanese in one query
    ],
)
def test_search_in_three_languages(client, companies, query, expected):
    assert _names(client.get(reverse("companies:directory"), {"q": query})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "JP"}, ["Kato Seimitsu"]),
        ({"industry": "medical-devices"}, ["Rayong Molding"]),
        ({"capability": "cnc-machining"}, ["Kato Seimitsu"]),
        ({"region": "TH-10"}, ["Bangkok Robotics"]),
        ({"eec": "1"}, ["Rayong Molding"]),
        ({"size_class": "small"}, ["Rayong Molding"]),
        ({"looking_for": "supplier"}, ["Kato Seimitsu"]),
        ({"certification": "iso-13485"}, ["Rayong Molding"]),  # Bangkok's certificate expired yesterday
        ({"certification": "as9100"}, ["Kato Seimitsu"]),  # JIS Q 9100 is AS9100
        ({"country": "TH", "industry": "aerospace-parts"}, []),
        (
            {"country": "XX"},
            ["Bangkok Robotics", "Kato Seimitsu", "Rayong Molding"],
        ),  # unknown values ignored
    ],
)
def test_directory_filters(client, companies, params, expected):
    assert _names(client.get(reverse("companies:directory"), params)) == expected


def test_directory_query_count_is_the_same_for_one_and_three_companies(client, django_assert_num_queries):
    def make(n):
        company = CompanyFactory(name_en=f"Company {n}")
        link_terms(company, industries=["medical-devices"], capabilities=["cnc-machining"])
        add_certificate(company, "iso-9001")

    make(1)
    client.get(reverse("companies:directory"))  # taxonomy choices are cached after the first request
    # The count, the page, then industries, capabilities, looking for, certificates.
    with django_assert_num_queries(6):
        client.get(reverse("companies:directory"))
    make(2)
    make(3)
    with django_assert_num_queries(6):
        response = client.get(reverse("companies:directory"))
    assert len(response.context["page"].object_list) == 3


@pytest.mark.parametrize("params", [{"industry": "medical-devices"}, {"capability": "cnc-machining"}])
def test_directory_taxonomy_filter_query_count_is_the_same_for_one_and_three(
    client, django_assert_num_queries, params
):
    def make(n):
        company = CompanyFactory(name_en=f"Company {n}")
        link_terms(company, industries=["medical-devices"], capabilities=["cnc-machining"])

    make(1)
    client.get(reverse("companies:directory"), params)
    # One more than without a filter: the term's id, read first (see company_directory_list).
    with django_assert_num_queries(7):
        client.get(reverse("companies:directory"), params)
    make(2)
    make(3)
    with django_assert_num_queries(7):
        response = client.get(reverse("companies:directory"), params)
    assert _names(response) == ["Company 1", "Company 2", "Company 3"]


def test_directory_unknown_term_finds_nothing_without_querying_companies(client, django_assert_num_queries):
    CompanyFactory(name_en="Company 1")
    client.get(reverse("companies:directory"))
    with django_assert_num_queries(1):  # the term's id, which does not exist
        response = client.get(reverse("companies:directory"), {"industry": "no-such-industry"})
    assert _names(response) == []
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize(("defer_from", "queries"), [(0, 7), (200, 6)])
def test_directory_pages_keep_the_order_and_the_count(
    client, django_assert_num_queries, monkeypatch, defer_from, queries
):
    """Deep pages read their keys first, then their companies (one query more): the same order and count
    on every page as the first pages' single query."""
    monkeypatch.setattr("portal.companies.views.directory.PAGE_SIZE", 2)
    monkeypatch.setattr("portal.companies.views.directory.DEFER_FROM", defer_from)
    for name in ["Delta", "Alpha", "Echo", "Charlie", "Bravo"]:
        CompanyFactory(name_en=name)
    client.get(reverse("companies:directory"))
    pages = []
    for number in (1, 2, 3):
        with django_assert_num_queries(queries):
            response = client.get(reverse("companies:directory"), {"page": number})
        pages.append(_names(response))
        assert response.context["page"].paginator.count == 5
    assert pages == [["Alpha", "Bravo"], ["Charlie", "Delta"], ["Echo"]]
    assert _names(client.get(reverse("companies:directory"), {"page": 99})) == ["Echo"]  # past the end: last


def test_company_page_in_the_viewers_language_falls_back_to_what_exists(client, companies):
    thai_only = companies["molder"]

    html = client.get(
        reverse("companies:detail", args=[thai_only.pk]), HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()

    assert 'lang="th">รับฉีดพลาสติก' in html
    assert "射出成形" in html  # taxonomy in the viewer's language


def _contact_viewer(kind, company):
    if kind == "anonymous":
        return None
    if kind == "owner":
        return MembershipFactory(company=company, role=MembershipRole.OWNER).user
    if kind == "member":
        return MembershipFactory(company=company, role=MembershipRole.MEMBER).user
    if kind == "other_company":
        return MembershipFactory().user
    if kind == "admin":
        return UserFactory(is_staff=True, is_superuser=True)
    return UserFactory(role=kind)


@pytest.mark.parametrize(
    ("kind", "sees_contacts"),
    [
        ("anonymous", False),
        ("other_company", False),
        ("consultant", False),
        ("member", True),
        ("owner", True),
        (Role.COORDINATOR, True),
        ("admin", True),
    ],
)
def test_contact_data_visibility_per_role(client, kind, sees_contacts):
    company = CompanyFactory()
    CompanyContact.objects.create(
        company=company, name="Private Person", email="private@example.co.th", phone="+6621234567"
    )
    company_refresh_derived(company=company)
    viewer = _contact_viewer(kind, company)
    if viewer:
        client.force_login(viewer)

    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    listing = client.get(reverse("companies:directory"), {"q": "private"}).content.decode()
    api = client.get(f"/api/companies/{company.pk}/").content.decode()

    assert ("private@example.co.th" in page) is sees_contacts
    assert ("private@example.co.th" in api) is sees_contacts
    assert "private@example.co.th" not in listing
    assert "Private Person" not in listing


@pytest.mark.parametrize(
    ("kind", "status"), [("anonymous", 404), ("other_company", 404), ("owner", 200), (Role.COORDINATOR, 200)]
)
def test_unverified_company_page_is_404_except_for_its_members_and_coordinators(client, kind, status):
    company = CompanyFactory(verification_status=VerificationStatus.PENDING)
    viewer = _contact_viewer(kind, company)
    if viewer:
        client.force_login(viewer)

    assert client.get(reverse("companies:detail", args=[company.pk])).status_code == status
    assert client.get(f"/api/companies/{company.pk}/").status_code == status


def test_unknown_company_is_404(client):
    assert client.get(reverse("companies:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("language", "shown"),
    [("ja", "<dd>180名</dd>"), ("th", "<dd>180 คน</dd>"), ("en", "<dd>180 people</dd>")],
)
def test_the_employee_count_says_people(client, language, shown):
    company = CompanyFactory(employees=180)
    page = client.get(reverse("companies:detail", args=[company.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert shown in page.content.decode()


def test_the_link_to_the_postings_keeps_the_search(client):
    html = client.get(reverse("companies:directory"), {"q": "ฉีดพลาสติก"}).content.decode()
    assert f'href="{reverse("postings:list")}?q={quote("ฉีดพลาสติก")}"' in html
