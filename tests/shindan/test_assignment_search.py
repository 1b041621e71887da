"""Assigning a consultant by a company's name, not only by a number typed by hand: the company field's
suggestions, the form taking a unique name, and the company page's Shindan panel that leads there."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from shindan.models import Assignment, Diagnosis, Stage
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _suggest(client, query):
    response = client.get(reverse("shindan:assignment_companies"), {"q": query})
    assert response.status_code == 200
    return response.json()["suggestions"]


def test_suggestions_find_a_company_by_any_of_its_names_or_its_number(client, world):
    company = world["company"]
    other = CompanyFactory(
        country="JP",
        name_en="Siam Kato Trading",
        name_ja="加藤商事株式会社",
        external_id="JGT-77",
    )
    client.force_login(world["users"]["coordinator"])
    by_english = _suggest(client, "siam")
    assert [s["value"] for s in by_english] == [other.registration_no, company.registration_no]  # by name
    assert by_english[1]["label"] == "Siam Precision Co., Ltd."
    assert by_english[1]["kind_label"] == f"{company.registration_no_display} · Thailand"
    assert by_english[0]["kind_label"] == f"{other.registration_no_display} · Japan"
    assert [s["value"] for s in _suggest(client, "สยาม")] == [company.registration_no]
    assert [s["value"] for s in _suggest(client, "加藤")] == [other.registration_no]
    by_number = _suggest(client, company.registration_no_display)
    assert [s["value"] for s in by_number] == [company.registration_no]
    assert [s["value"] for s in _suggest(client, "jgt-7")] == [other.registration_no]
    assert _suggest(client, "") == []
    assert _suggest(client, "nothing like it") == []
    with translation.override("ja"):
        response = client.get(
            reverse("shindan:assignment_companies"), {"q": "加藤"}, HTTP_ACCEPT_LANGUAGE="ja"
        )
    assert response.json()["suggestions"][0]["label"] == "加藤商事株式会社"


@pytest.mark.parametrize("role", ["other_company", "owner", "assigned_consultant", "unassigned_consultant"])
def test_suggestions_are_for_coordinators_only(client, world, role):
    client.force_login(world["users"][role])
    assert client.get(reverse("shindan:assignment_companies"), {"q": "siam"}).status_code == 404


def _assign(client, world, company_value):
    return client.post(
        reverse("shindan:assignments"),
        {
            "consultant": world["users"]["unassigned_consultant"].pk,
            "company": company_value,
            "starts_on": "2026-11-01",
        },
    )


def test_the_form_takes_a_unique_name_and_refuses_an_ambiguous_one(client, world):
    client.force_login(world["users"]["coordinator"])
    consultant = world["users"]["unassigned_consultant"]
    assert _assign(client, world, "siam precision co., ltd.").status_code == 302
    assert Assignment.objects.filter(consultant=consultant, company=world["company"]).count() == 1
    CompanyFactory(name_en="Twin Works")
    CompanyFactory(name_en="Twin Works", country="JP")
    before = Assignment.objects.count()
    response = _assign(client, world, "Twin Works")
    assert response.status_code == 200
    assert "Several companies have that name: choose one from the suggestions." in response.content.decode()
    with translation.override("ja"):
        response = client.post(
            reverse("shindan:assignments"),
            {"consultant": consultant.pk, "company": "nope", "starts_on": "2026-11-01"},
            HTTP_ACCEPT_LANGUAGE="ja",
        )
    assert "該当する登録番号、外部IDまたは企業名の企業がありません。" in response.content.decode()
    assert Assignment.objects.count() == before


def test_a_registration_number_with_dashes_is_understood(client, world):
    client.force_login(world["users"]["coordinator"])
    assert _assign(client, world, world["company"].registration_no_display).status_code == 302


def test_the_assignment_page_fills_in_the_company_from_its_page(client, world):
    client.force_login(world["users"]["coordinator"])
    company = world["company"]
    page = client.get(reverse("shindan:assignments"), {"company": company.registration_no}).content.decode()
    assert f'value="{company.registration_no}"' in page
    assert 'data-suggest-url="/shindan/assignments/companies.json"' in page
    assert 'data-suggest-submit="false"' in page
    assert "js/directory_suggest.js" in page


def _panel(client, user, company):
    client.force_login(user)
    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    if 'id="shindan-panel-h"' not in page:
        return None
    return page[
        page.index('id="shindan-panel-h"') : page.index("</section>", page.index('id="shindan-panel-h"'))
    ]


def test_the_company_page_shows_coordinators_its_shindan_state_and_the_way_to_assign(client, world):
    company, diagnosis = world["company"], world["diagnosis"]
    panel = _panel(client, world["users"]["coordinator"], company)
    consultant = world["users"]["assigned_consultant"]
    assert (consultant.get_full_name() or consultant.email) in panel
    assert reverse("shindan:diagnosis", args=[diagnosis.pk]) in panel
    assert f"{reverse('shindan:assignments')}?company={company.registration_no}#id_company" in panel
    assert reverse("shindan:create", args=[company.pk]) not in panel  # coordinators do not diagnose


def test_the_assigned_consultant_is_offered_a_new_diagnosis_others_see_nothing(client, world):
    company = world["company"]
    panel = _panel(client, world["users"]["assigned_consultant"], company)
    assert reverse("shindan:create", args=[company.pk]) in panel  # the last one is reported
    assert "?company=" not in panel
    for role in ("owner", "other_company", "unassigned_consultant"):
        assert _panel(client, world["users"][role], company) is None, role


def test_an_unassigned_company_says_so(client, world):
    company = CompanyFactory(name_en="Fresh Co")
    panel = _panel(client, world["users"]["coordinator"], company)
    assert "No consultant is assigned to this company." in panel
    assert "This company has not been diagnosed yet." in panel


def test_the_panel_costs_a_fixed_number_of_queries(client, world):
    client.force_login(world["users"]["coordinator"])
    url = reverse("companies:detail", args=[world["company"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year in range(2019, 2025):  # six earlier diagnoses, closed (copies of the reported one)
        earlier = Diagnosis.objects.get(pk=world["diagnosis"].pk)
        earlier.pk, earlier.stage, earlier.requested_on = None, Stage.CLOSED, datetime.date(year, 5, 1)
        earlier.save()
    with CaptureQueriesContext(connection) as seven:
        page = client.get(url).content.decode()
    assert len(seven) == len(one)
    assert "7 diagnoses in all." in page


@pytest.mark.parametrize(
    ("country", "says", "link"),
    [
        ("TH", "A Shindan diagnosis is DIP's enterprise diagnosis for Thai SMEs", False),
        ("JP", "Shindan diagnoses are DIP's service for Thai SMEs.", True),
    ],
)
def test_a_member_without_a_report_is_told_what_a_shindan_is_for_their_country(client, country, says, link):
    from tests.factories import MembershipFactory

    member = MembershipFactory(company=CompanyFactory(country=country)).user
    client.force_login(member)
    page = client.get(reverse("shindan:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No report yet." in page
    assert says in page
    assert (reverse("matching:recommendations") in page.split("<main")[-1]) is link
