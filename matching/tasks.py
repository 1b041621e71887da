"""Celery tasks of the matching engine (thin: each calls one service)."""

import logging

from celery import shared_task
from celery.signals import worker_init

from matching import services
from portal.core import outbox

logger = logging.getLogger(__name__)


@worker_init.connect
def _share_the_cores(sender=None, **_kwargs) -> None:
    """A worker of N processes: each scores a shard with its share of the machine's cores."""
    services.runs.worker_processes_set(getattr(sender, "concurrency", 1))


# Edits within this many seconds of each other cause one rescoring (the last task wins).
DEBOUNCE_SECONDS = 3


# A rescoring or a shard that meets a transient database error (a deadlock, a lost connection) has written
# nothing: it is tried again up to three times, after random pauses of at most 5, 10 and 20 s, before the
# stalled work's sweep (``requeue_stalled``) takes over. Acks-late: a dead worker's task is delivered again.
RETRIED_ON_TRANSIENT_ERRORS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": services.runs.TRANSIENT_ERRORS,
    "max_retries": 3,
    "retry_backoff": 5,
    "retry_jitter": True,
}


def queue_company_rescoring(company_id: int) -> None:
    """Called after commit when a company changed: record the request in the database (so a worker that
    dies with the task cannot lose it: matching.requeue_stalled queues it again) and rescore after a
    short pause."""
    stamp = services.rescoring_request(company_id=company_id)
    if stamp is None:
        return
    outbox.send(score_company, kwargs={"company_id": company_id, "stamp": stamp}, countdown=DEBOUNCE_SECONDS)


@shared_task(name="matching.score_company", **RETRIED_ON_TRANSIENT_ERRORS)
def score_company(*, company_id: int, stamp: int | None = None) -> int | None:
    """One company's rescoring (``services.rescoring_run``), retried as ``RETRIED_ON_TRANSIENT_ERRORS`` says
    (a deadlock with a shard's swap or another rescoring); the request stays recorded meanwhile, so the
    stalled rescorings' sweep takes over if every try fails."""
    run = services.rescoring_run(company_id=company_id, stamp=stamp)
    return run.pk if run else None


@shared_task(name="matching.recompute_shard", **RETRIED_ON_TRANSIENT_ERRORS)
def recompute_shard(*, shard_id: int) -> int:
    """One shard of a full recompute (``services.run_shard``), retried as ``RETRIED_ON_TRANSIENT_ERRORS``
    says; then the stalled shards' sweep takes over (``services.runs_requeue_stalled``)."""
    return services.run_shard(shard_id=shard_id)


@shared_task(name="matching.notify_strong_matches", acks_late=True, reject_on_worker_lost=True)
def notify_strong_matches(*, pairs: list[list]) -> int:
    """Announce the pairs a swap raised to a strong score (once per member and pair, also when retried)."""
    from matching.services.strong import strong_matches_notify

    return strong_matches_notify(pairs=pairs)


@shared_task(name="matching.vacuum_proposals")
def vacuum_proposals() -> bool:
    """After a full recompute: the proposals' pages marked all-visible again (matching/services/writes.py)."""
    from matching.services.writes import proposals_vacuum

    return proposals_vacuum()


@shared_task(name="matching.recompute_all")
def recompute_all() -> int:
    """Start a full recompute: one task per shard, which any number of workers share."""
    run = services.run_start_full()
    for shard_id in run.shards.values_list("pk", flat=True):
        recompute_shard.delay(shard_id=shard_id)
    return run.pk


@shared_task(name="matching.remind_stale_introductions")
def remind_stale_introductions() -> int:
    return services.introduction_remind_stale()


@shared_task(name="matching.requeue_stalled")
def requeue_stalled() -> int:
    """Beat, every PORTAL_STALLED_SWEEP_SECONDS: work a dead worker left behind runs again."""
    return services.runs_requeue_stalled() + services.rescorings_requeue_stalled()
