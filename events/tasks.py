"""Celery tasks of the events app (thin: each calls one service)."""

from celery import shared_task

from events import services


@shared_task(
    name="events.run_scheduler",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=540,
    time_limit=600,
)
def run_scheduler(*, run_id: int) -> int:
    """Solve one scheduler run; a redelivered task after a killed worker solves it again (same draft)."""
    return services.schedule_run(run_id=run_id).placed


@shared_task(name="events.expire_requests")
def expire_requests() -> int:
    return services.meeting_requests_expire()


@shared_task(name="events.nudge_unanswered_requests")
def nudge_unanswered_requests() -> int:
    return services.meeting_request_nudges()
