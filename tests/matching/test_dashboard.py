"""The coordinators' matching dashboard: industries and countries by name in the viewer's language, and each
proposed pair once with the rank each company gives the other; the same queries for 1 or 3 pairs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import services
from matching.models import MatchProposal
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
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


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
