"""Work that outlives a dead worker: heartbeats, claims and the sweep that re-queues stalled work.

A Celery worker killed whole (main process and pool, e.g. by the OOM killer or a lost machine) leaves its
messages unacknowledged in Redis until the visibility timeout (``CELERY_BROKER_TRANSPORT_OPTIONS``, ten
minutes and more) — too long for a matching run, a scheduler run or an import a coordinator waits for. So
the work that matters is tracked in the database, not only in the broker:

* the row of a unit of work (a matching shard, a pending rescoring, a scheduler run, an import job) has a
  ``heartbeat_at``, stamped when a worker takes it and every ``PORTAL_HEARTBEAT_SECONDS`` while it runs —
  by a thread with its own database connection, so it keeps beating while the work holds a long
  transaction, and stops the moment the process dies;
* a beat job every ``PORTAL_STALLED_SWEEP_SECONDS`` re-queues the units that are not done and whose
  heartbeat (or, never started, whose queueing) is older than ``PORTAL_STALLED_AFTER_SECONDS``; every task
  is idempotent, so the late redelivery of the original message changes nothing;
* a task that must not run twice at once (an import, a scheduler run) *claims* its row first: it may take
  it when nobody has, when the holder's heartbeat is stale, or when the holder is the same message
  delivered again (its pool process died and Celery re-queued it).

On SQLite (the embedded default, tasks inline) there is no worker to die and one writer at a time, so no
thread: the heartbeat is stamped when work starts and ends.
"""

import datetime
import logging
import threading
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def stalled_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Heartbeats older than this belong to work nobody is doing any more."""
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.PORTAL_STALLED_AFTER_SECONDS)


def claim(queryset: QuerySet, *, token: str) -> bool:
    """Take the one row of ``queryset`` for the task ``token`` (its Celery task id): when it is free, its
    holder's heartbeat is stale, or the holder is this same message delivered again. True when taken."""
    now = timezone.now()
    free = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stalled_before(now)) | Q(claimed_by=token)
    taken = queryset.filter(free).update(heartbeat_at=now, claimed_by=token, attempts=F("attempts") + 1)
    return taken == 1


def requeue_stalled(
    unfinished: QuerySet, task, *, argument: str, log: logging.Logger, message: str, key: str
) -> int:
    """Queue again the rows of ``unfinished`` (work not done) nobody is doing: held by a worker that died
    (stale heartbeat), or queued (``created_at``) long ago and never started (the message was lost). Each
    row is leased to the new message of ``task`` (``claimed_by`` = its task id, given ``{argument: pk}``),
    so a late copy of an older message finds it held and does nothing; a row another sweep leased first is
    left. Each one queued is logged on ``log`` as ``message`` with ``{key: pk}``. Returns how many."""
    stale = stalled_before()
    stalled = unfinished.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale)
    )
    queued = 0
    for row in stalled.only("pk", "heartbeat_at", "claimed_by"):
        token = uuid.uuid4().hex
        same = unfinished.model.objects.filter(
            pk=row.pk, heartbeat_at=row.heartbeat_at, claimed_by=row.claimed_by
        )
        if same.update(claimed_by=token, heartbeat_at=timezone.now()):
            task.apply_async(kwargs={argument: row.pk}, task_id=token)
            log.warning(message, extra={key: row.pk})
            queued += 1
    return queued


def _threaded() -> bool:
    return connection.vendor != "sqlite"


class Heartbeat:
    """``with Heartbeat(Model.objects.filter(pk=..., claimed_by=token), values=progress):`` stamps
    ``heartbeat_at`` (and whatever ``values()`` returns, e.g. rows done) on the rows every
    ``PORTAL_HEARTBEAT_SECONDS`` until the block ends. ``push()`` writes at once (the block's progress at a
    phase boundary)."""

    def __init__(
        self,
        queryset: QuerySet,
        *,
        values: Callable[[], dict] | None = None,
        interval: float | None = None,
    ) -> None:
        self.queryset = queryset
        self.values = values or dict
        self.interval = settings.PORTAL_HEARTBEAT_SECONDS if interval is None else interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Heartbeat":
        self.push()
        if _threaded():
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 10)

    def push(self) -> None:
        self.queryset.update(heartbeat_at=timezone.now(), **self.values())

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.push()
                except Exception:  # a heartbeat must never take the work down with it
                    logger.exception("heartbeat failed")
        finally:
            connection.close()  # this thread's own connection
