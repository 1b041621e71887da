"""The coordinators' matching dashboard: industries and countries by name in the viewer's language, each
proposed pair once with the rank each company gives the other, every introduction a page at a time; the
same queries for 1 or 3 pairs and for 2 or 30 introductions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import services
from matching.models import MatchProposal
from portal.companies.models import Company
from tests.factories import CompanyFactory, UserFactory, link_terms

pytestmark = pytest.mark.django_db


def _market(thai_count: int):
    buyer = CompanyFactory(country="JP", name_en="Kato Medical", languages="ja,en")
    link_terms(buyer, industries=["medical-devices"], seeking=["injection-molding"])
    for index in range(thai_count):
        molder = CompanyFactory(name_en=f"Siam Molder {index}", languages="th,en")
        link_terms(molder, industries=["medical-devices"], capabilities=["injection-molding"])
    services.run_full_inline()
    return buyer


def _pair_rows(html: str) -> list[list[str]]:
    table = html[html.index('<table class="pairs stack"') :]
    body = table[table.index("<tbody>") : table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    # A company's cell is a link to its page: the cell's text, the link's target kept apart.
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def test_dashboard_names_industries_in_thai_and_lists_each_pair_once(client):
    buyer = _market(3)
    assert MatchProposal.objects.count() == 6  # each pair in both companies' lists
    coordinator = UserFactory(role="coordinator", language="th")
    client.force_login(coordinator)

    html = client.get(reverse("matching:introductions"), HTTP_ACCEPT_LANGUAGE="th").content.decode()

    assert "เครื่องมือแพทย์: 6" in html  # the focus industry by name, in Thai
    assert "medical-devices" not in html.split("<h2>", 3)[1]  # no raw slug in the figures
    assert "ไทย: 3" in html
    assert "ญี่ปุ่น: 3" in html
    rows = _pair_rows(html)
    assert len(rows) == 3
    assert {row[0] for row in rows} == {"Siam Molder 0", "Siam Molder 1", "Siam Molder 2"}
    for company in Company.objects.filter(name_en__startswith="Siam Molder"):  # each name leads to its page
        assert f'<a href="{reverse("companies:detail", args=[company.pk])}">{company.name_en}</a>' in html
    for row in rows:
        thai = MatchProposal.objects.get(company__name_en=row[0], partner=buyer)
        japanese = MatchProposal.objects.get(company=buyer, partner__name_en=row[0])
        assert row[1] == "Kato Medical"
        assert row[3:] == [str(thai.rank), str(japanese.rank)]


@pytest.mark.parametrize("thai_count", [1, 3])
def test_dashboard_queries_do_not_grow_with_the_pairs(client, thai_count):
    _market(thai_count)
    client.force_login(UserFactory(role="coordinator", language="en"))
    client.get(reverse("matching:introductions"))  # warm the session and caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("matching:introductions"))

    assert response.status_code == 200
    assert len(_pair_rows(response.content.decode())) == thai_count
    assert len(queries) == 14


def _introductions(count: int, *, stage: str = "requested") -> list:
    """``count`` introductions of distinct pairs, the last one created the newest."""
    from matching.models import Introduction

    japanese = CompanyFactory(country="JP", name_en="Kato Medical")
    made = []
    for index in range(count):
        thai = CompanyFactory(name_en=f"Siam Parts {index:02d}")
        made.append(
            Introduction.objects.create(
                thai_company=thai, japanese_company=japanese, requesting_company=thai, stage=stage
            )
        )
    return made


def _introduction_rows(html: str) -> list[str]:
    table = html[html.index('<table class="stack" aria-label="Introductions"') :]
    body = table[table.index("<tbody>") : table.index("</table>")]
    return re.findall(r'<td data-label="Thai company"><a href="/directory/\d+/">([^<]*)</a>', body)


def test_every_introduction_is_reached_a_page_at_a_time_newest_first(client):
    _introductions(27)
    client.force_login(UserFactory(role="coordinator", language="en"))

    first = client.get(reverse("matching:introductions")).content.decode()
    second = client.get(reverse("matching:introductions"), {"page": 2}).content.decode()
    beyond = client.get(reverse("matching:introductions"), {"page": 99}).content.decode()

    assert _introduction_rows(first) == [f"Siam Parts {index:02d}" for index in range(26, 1, -1)]
    assert _introduction_rows(second) == ["Siam Parts 01", "Siam Parts 00"]
    assert _introduction_rows(beyond) == _introduction_rows(second)  # past the end: the last page
    assert "27 introductions, the newest first." in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2#introductions">Next</a>' in first
    assert "Previous" not in first.split('id="introductions"')[1]


def test_a_stage_filter_counts_its_introductions_and_keeps_to_its_pages(client):
    _introductions(3)
    _introductions(26, stage="introduced")
    client.force_login(UserFactory(role="coordinator", language="en"))
    url = reverse("matching:introductions")

    requested = client.get(url, {"stage": "requested"}).content.decode()
    introduced = client.get(url, {"stage": "introduced", "page": 2}).content.decode()
    unknown = client.get(url, {"stage": "nonsense"}).content.decode()

    assert len(_introduction_rows(requested)) == 3
    assert "3 introductions at the stage “Requested”." in requested
    assert f'<a href="{url}#introductions">Show every stage</a>' in requested
    assert 'href="?stage=requested#introductions" aria-current="true"' in requested
    assert _introduction_rows(introduced) == ["Siam Parts 00"]
    assert 'href="?stage=introduced&amp;page=1#introductions">Previous</a>' in introduced
    assert '<input type="hidden" name="stage" value="introduced">' in introduced  # the pairs' filters keep it
    assert "29 introductions, the newest first." in unknown  # an unknown stage filters nothing


@pytest.mark.parametrize("count", [2, 30])
def test_dashboard_queries_do_not_grow_with_the_introductions(client, count):
    _introductions(count)
    client.force_login(UserFactory(role="coordinator", language="en"))
    client.get(reverse("matching:introductions"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("matching:introductions"))

    assert len(_introduction_rows(response.content.decode())) == min(count, 25)
    assert len(queries) == 16  # the same for 2 or 30: three of them are the count, the page and its reports


def test_mutual_interests_say_how_many_there_are_when_cut(client, monkeypatch):
    """The dashboard lists the newest mutual interests and, past its limit, how many there are in all."""
    from matching.models import Interest

    monkeypatch.setattr("matching.selectors.MUTUAL_SHOWN", 2)
    japanese = CompanyFactory(country="JP", name_en="Kato Medical")
    for index in range(3):
        thai = CompanyFactory(name_en=f"Siam Parts {index}")
        Interest.objects.create(company=thai, partner=japanese, interested=True)
        Interest.objects.create(company=japanese, partner=thai, interested=True)
    Interest.objects.create(company=CompanyFactory(name_en="One Sided"), partner=japanese, interested=True)
    client.force_login(UserFactory(role="coordinator", language="en"))

    response = client.get(reverse("matching:introductions"))

    mutual = response.context["figures"]["mutual"]
    assert [interest.company.name_en for interest in mutual] == ["Siam Parts 2", "Siam Parts 1"]
    assert mutual.total == 3
    html = response.content.decode()
    assert 'Mutual interest <span class="count">3</span>' in html
    assert "The 2 newest of 3 are shown." in html


def test_dashboard_groups_the_thousands_of_its_counts(client):
    """A directory of tens of thousands proposes hundreds of thousands of pairs: 1,400 reads at a glance,
    1400 does not (the numbers of a selector, grouped in the template: ``intcomma``)."""
    from matching.models import MatchingWeights, MatchRun, RunStatus

    weights = MatchingWeights.objects.first()
    MatchRun.objects.create(
        kind="full", weights=weights, status=RunStatus.FINISHED, companies=40_070, proposals=801_400
    )
    client.force_login(UserFactory(role="coordinator", language="ja"))

    html = client.get(reverse("matching:introductions"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert ">40,070</td>" in html
    assert ">801,400</td>" in html
