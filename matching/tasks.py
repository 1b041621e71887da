"""Celery tasks of the matching engine (thin: each calls one service)."""

import logging
import time

from celery import shared_task
from django.core.cache import cache

from matching import services
from portal.core import outbox

logger = logging.getLogger(__name__)

# Edits within this many seconds of each other cause one rescoring (the last task wins).
DEBOUNCE_SECONDS = 3


def _stamp_key(company_id: int) -> str:
    return f"matching:changed:{company_id}"


def queue_company_rescoring(company_id: int) -> None:
    """Called after commit when a company changed: remember when, and rescore after a short pause."""
    stamp = time.time()
    cache.set(_stamp_key(company_id), stamp, timeout=3600)
    outbox.send(score_company, kwargs={"company_id": company_id, "stamp": stamp}, countdown=DEBOUNCE_SECONDS)


@shared_task(name="matching.score_company", acks_late=True, reject_on_worker_lost=True)
def score_company(*, company_id: int, stamp: float | None = None) -> int | None:
    latest = cache.get(_stamp_key(company_id))
    if stamp is not None and latest is not None and latest > stamp:
        logger.info("superseded by a newer change", extra={"company_id": company_id})
        return None
    return services.match_company(company_id=company_id).pk


@shared_task(name="matching.recompute_shard", acks_late=True, reject_on_worker_lost=True)
def recompute_shard(*, shard_id: int) -> int:
    return services.run_shard(shard_id=shard_id)


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
