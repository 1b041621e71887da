"""Housekeeping tasks (thin: each calls one function)."""

import logging

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="portal.ping")
def ping() -> str:
    """Round trip through the broker and a worker; used by health checks and CI."""
    return "pong"


@shared_task(name="portal.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired sessions (nightly, from the beat schedule). Idempotent."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("cleared expired sessions", extra={"deleted": deleted})
    return deleted


@shared_task(name="portal.flush_pending_tasks")
def flush_pending_tasks() -> int:
    """Send the tasks kept while the broker was down (every minute from beat)."""
    from portal.core.outbox import flush

    return flush()
