"""Writing proposals: COPY through a staging table on PostgreSQL, batched INSERTs elsewhere; either way a
company's list is replaced whole or not at all, and a shard delivered twice writes once."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from matching import services
from matching.models import MatchProposal
from matching.services import writes
from portal.companies.importer import import_rows
from portal.companies.models import Company
from portal.core.synthetic import synthetic_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    import_rows(rows=synthetic_rows(30))
    return Company.objects.order_by("pk")


def _rows() -> list[tuple]:
    return list(
        MatchProposal.objects.order_by("company_id", "rank").values_list(
            "company_id", "partner_id", "rank", "score", "components", "reasons", "weights_id"
        )
    )


def test_copy_and_batched_writes_give_the_same_rows(population, settings):
    settings.MATCHING_COPY_WRITES = True
    services.run_full_inline()
    copied = _rows()
    settings.MATCHING_COPY_WRITES = False
    services.run_full_inline()

    assert len(copied) == 60 * 20
    assert _rows() == copied
    assert copied[0][4].keys() == {"industry", "complementarity", "certification", "text", "practical"}


def test_a_swap_that_fails_leaves_every_list_as_it_was(population):
    services.run_full_inline()
    before = _rows()
    first, second = population[0], population[1]
    weights = before[0][6]
    now = timezone.now()
    rows = [
        (first.pk, population[40].pk, 1, 50.0, {"text": 0.5}, [], weights, now),
        (second.pk, population[41].pk, 1, 40.0, {}, [], weights, now),
        (second.pk, population[42].pk, 1, 30.0, {}, [], weights, now),  # rank 1 twice: refused
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        writes.proposals_swap([first.pk, second.pk], writes.proposals_stage(rows))

    assert _rows() == before


@pytest.mark.django_db(transaction=True)
def test_staging_outside_the_swapping_transaction_is_refused():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        writes.proposals_stage([])


def test_a_shard_commits_without_waiting_for_the_disk_on_postgresql_only(population):
    """A full recompute's shard commits asynchronously (writes.commit_asynchronously): only its own
    transaction, never a rescoring's or a request's."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as full:
        services.run_full_inline()
    asynchronous = [q for q in full.captured_queries if "synchronous_commit" in q["sql"]]
    expected = 2 if connection.vendor == "postgresql" else 0  # one per shard: one shard per country here
    assert len(asynchronous) == expected

    with CaptureQueriesContext(connection) as single:
        services.match_company(company_id=population.first().pk)
    assert not [q for q in single.captured_queries if "synchronous_commit" in q["sql"]]


def test_json_with_backslashes_tabs_and_line_breaks_is_written_as_it_was(population):
    """COPY's text format escapes a backslash; JSON escapes tabs and line breaks: what goes in comes out."""
    services.run_full_inline()
    first = population[0]
    weights = _rows()[0][6]
    reasons = [{"code": "x", "slugs": ["a\\b", "tab\there", "line\nbreak", "ไทย日本"]}]
    components = {"industry": 1.0, "text": 0.123456}
    rows = [(first.pk, population[40].pk, 1, 12.5, components, reasons, weights, timezone.now())]
    with transaction.atomic():
        writes.proposals_swap([first.pk], writes.proposals_stage(rows))

    stored = MatchProposal.objects.get(company=first)
    assert (stored.components, stored.reasons, stored.score) == (components, reasons, 12.5)


def test_shards_and_rescorings_build_their_proposals_with_the_collector_paused(population, monkeypatch):
    """Building 40,000 proposals with the collector walking them cost three times as much
    (portal/core/collector.py); each run restores the collector as it found it."""
    import gc

    from matching.services import runs

    seen = []
    real = runs._proposals

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "_proposals", watched)
    assert gc.isenabled()
    services.run_full_inline()
    services.match_company(company_id=population[0].pk)

    assert seen
    assert not any(seen)
    assert gc.isenabled()


def test_the_collector_pause_restores_the_state_it_found_even_after_an_error():
    import gc

    from portal.core.collector import collector_paused

    inside = []

    def failing() -> None:
        with collector_paused():
            inside.append(gc.isenabled())
            raise LookupError("inside the pause")

    with pytest.raises(LookupError, match="inside the pause"):
        failing()
    assert inside == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_full_recompute_vacuums_the_proposals_after_commit(population, django_capture_on_commit_callbacks):
    """The rescoring's list ends come from the index only on all-visible pages (writes.proposals_vacuum)."""
    with django_capture_on_commit_callbacks() as callbacks:
        services.run_full_inline()
    assert [callback.__name__ for callback in callbacks].count("_vacuum_later") == 1
    assert writes.proposals_vacuum() is False  # inside a transaction (this test's) VACUUM cannot run


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_vacuum_runs_outside_a_transaction_on_postgresql():
    assert writes.proposals_vacuum() is True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vacuum_count + autovacuum_count FROM pg_stat_user_tables WHERE relname = %s",
            [MatchProposal._meta.db_table],
        )
        assert cursor.fetchone()[0] >= 1


def test_weights_cited_by_a_proposal_cannot_be_deleted(population):
    """The weights' foreign key is checked by Django, not the database (matching 0008): still protected."""
    from django.db.models import ProtectedError

    services.run_full_inline()
    weights = MatchProposal.objects.first().weights
    with pytest.raises(ProtectedError):
        weights.delete()
    assert MatchProposal.objects.filter(weights=weights).exists()


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "batched"])
def test_a_company_deleted_while_a_run_scores_is_left_out_and_the_run_finishes(
    population, monkeypatch, settings, copy
):
    """An administrator deletes a company while a full recompute runs: the shards scored with it write
    every other proposal, none of it, and the run finishes (it failed on the foreign key before)."""
    from matching.models import MatchRun, RunStatus

    settings.MATCHING_COPY_WRITES = copy
    services.run_full_inline()
    first = population[0]
    gone = MatchProposal.objects.get(company=first, rank=1).partner_id
    original, deleted = writes.proposals_stage, []

    def stage_after_a_deletion(rows):
        if not deleted:
            deleted.append(Company.objects.filter(pk=gone).delete())
        return original(rows)

    monkeypatch.setattr(writes, "proposals_stage", stage_after_a_deletion)
    services.run_full_inline()

    assert deleted
    assert MatchRun.objects.order_by("-pk").first().status == RunStatus.FINISHED
    assert not MatchProposal.objects.filter(partner_id=gone).exists()
    assert not MatchProposal.objects.filter(company_id=gone).exists()
    listed = list(MatchProposal.objects.filter(company=first).order_by("rank").values_list("rank", flat=True))
    assert len(listed) == 19  # scored with the deleted company first: the rest of its list, as ranked
    assert listed[0] == 2
