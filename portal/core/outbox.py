"""Sending Celery tasks without letting a broker outage break the request that triggers them: when Redis
is unreachable the task is kept in the database (PendingTask) and sent when the broker is back."""

import logging

from celery import current_app
from django.conf import settings
from kombu.exceptions import OperationalError

from portal.core.models import PendingTask

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def send(task, *, kwargs: dict | None = None, countdown: float | None = None) -> bool:
    """Queue ``task``; True when the broker took it, False when it was kept for later."""
    kwargs = kwargs or {}
    if settings.CELERY_TASK_ALWAYS_EAGER:  # the embedded default: run now
        task.apply_async(kwargs=kwargs, countdown=countdown)
        return True
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown, retry=False)
    except BROKER_ERRORS as error:
        PendingTask.objects.create(name=task.name, kwargs=kwargs)
        logger.warning(
            "broker unavailable: task kept for later",
            extra={"task": task.name, "error": type(error).__name__},
        )
        return False
    return True


def flush(limit: int = 1000) -> int:
    """Send the kept tasks, oldest first; stops at the first failure (the broker is still down)."""
    sent = 0
    for row in PendingTask.objects.order_by("pk")[:limit]:
        try:
            current_app.send_task(row.name, kwargs=row.kwargs, retry=False)
        except BROKER_ERRORS:
            break
        row.delete()
        sent += 1
    if sent:
        logger.info("sent kept tasks", extra={"count": sent})
    return sent


def pending_count() -> int:
    return PendingTask.objects.count()
