"""One company's rescoring moves its row in the partners' lists in place (matching/services/runs.py,
``_ListEdits``): after any sequence of edits every list must be exactly what rewriting it whole would give
(ranked by ``tie_key``, ranks 1..n, the other rows untouched), and agree with a full recompute."""

import random

import pytest

from matching import services
from matching.models import Interest, MatchProposal
from matching.services.runs import _ListEdits, _place
from matching.understanding.ranking import tie_key
from portal.companies.importer import import_rows
from portal.companies.models import Company
from portal.companies.services import company_update_profile
from portal.core.synthetic import synthetic_rows
from portal.taxonomy.models import Capability, Industry

pytestmark = pytest.mark.django_db


def _lists() -> dict[int, list[tuple]]:
    lists = {}
    for row in MatchProposal.objects.order_by("company_id", "rank").values_list(
        "company_id", "rank", "partner_id", "score", "components", "reasons", "computed_at"
    ):
        lists.setdefault(row[0], []).append(row[1:])
    return lists


def _assert_well_formed(lists: dict) -> None:
    for company_id, rows in lists.items():
        assert [row[0] for row in rows] == list(range(1, len(rows) + 1)), company_id
        keys = [
            tie_key(score, partner, components, reasons) for _, partner, score, components, reasons, _ in rows
        ]
        assert keys == sorted(keys), company_id


def test_random_edits_keep_every_list_ranked_and_touch_only_the_edited_companys_rows():
    import_rows(rows=synthetic_rows(40))
    services.run_full_inline()
    chance = random.Random(20261205)
    capabilities, industries = list(Capability.objects.all()), list(Industry.objects.all())
    companies = list(Company.objects.order_by("pk"))
    moved = entered = left = 0
    for turn in range(16):
        company = chance.choice(companies)
        company_update_profile(
            company=company,
            capabilities=chance.sample(capabilities, 3),
            seeking=chance.sample(capabilities, 2),
            industries=chance.sample(industries, 2),
        )
        if turn % 4 == 3:  # a partner whose list holds it says "not interested": it leaves that list
            holder = MatchProposal.objects.filter(partner=company).order_by("rank").first()
            Interest.objects.create(company_id=holder.company_id, partner=company, interested=False)
        before = _lists()
        services.match_company(company_id=company.pk)  # the refills it queues run after commit: not here
        after = _lists()
        _assert_well_formed(after)
        for owner, rows in after.items():
            if owner == company.pk:
                continue
            old = [row for row in before.get(owner, []) if row[1] != company.pk]
            new = [row for row in rows if row[1] != company.pk]
            # The other rows keep their order, data and time; only the last may fall off the list.
            assert [row[1:] for row in new] == [row[1:] for row in old[: len(new)]], owner
            assert len(old) - len(new) in (0, 1), owner
            had = [row[0] for row in before.get(owner, []) if row[1] == company.pk]
            has = [row[0] for row in rows if row[1] == company.pk]
            moved += bool(had and has and had != has)
            entered += bool(has and not had)
            left += bool(had and not has)
    assert moved
    assert entered
    assert left


def test_the_edits_move_only_the_rows_between_the_old_and_new_place():
    edits = _ListEdits()
    # C was 5th and becomes 2nd: ranks 2, 3, 4 move down one; C's new row is inserted by the swap.
    edits.reorder(7, [1, None, 2, 3, 4, 6, 7], 7)
    # C enters a full list at 3rd: 3..4 move down, the old 5th leaves the list.
    edits.reorder(8, [1, 2, None, 3, 4, 5], 5)
    # C leaves: everything below its old place (3) moves up one.
    edits.reorder(9, [1, 2, 4, 5], 5)

    assert dict(edits.moves) == {(2, 4, 1): [7], (3, 4, 1): [8], (4, 5, -1): [9]}
    assert dict(edits.dropped) == {5: [8]}


def test_equal_score_and_text_are_ordered_by_readiness_then_id():
    c_key = tie_key(60.0, 50, {"text": 0.25}, [{"code": "partner_readiness", "value": 70.0}])
    kept = [
        (1, 10, 61.0, 0.0),
        (2, 11, 60.0, 0.25),
        (3, 12, 60.0, 0.25),
        (4, 60, 60.0, 0.25),
        (5, 13, 59.0, 0.9),
    ]
    readiness = {
        (1, 11): [{"code": "partner_readiness", "value": 80.0}],  # readier: before C
        (1, 12): [],  # no readiness: after C
        (1, 60): [{"code": "partner_readiness", "value": 70.0}],  # as ready, higher id: after C
    }
    assert _place(c_key, kept, 1, readiness) == 2
