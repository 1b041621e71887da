"""Celery tasks of the events app (thin: each calls one service)."""

from celery import shared_task

from events import services

SOLVE_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 540,
    "time_limit": 600,
}


@shared_task(name="events.schedule_run_solve", **SOLVE_OPTIONS)
def schedule_run_solve(self, *, run_id: int) -> int:
    """Solve one scheduler run; a redelivered task after a killed worker solves it again (same draft)."""
    return services.schedule_run_solve(run_id=run_id, token=self.request.id).placed


@shared_task(name="events.run_scheduler", **SOLVE_OPTIONS)
def schedule_run_solve_under_old_name(self, *, run_id: int) -> int:
    """The task's name before it was renamed: messages queued (or kept in the outbox) under it still run."""
    return services.schedule_run_solve(run_id=run_id, token=self.request.id).placed


@shared_task(name="events.expire_requests")
def expire_requests() -> int:
    return services.meeting_requests_expire()


@shared_task(name="events.nudge_unanswered_requests")
def nudge_unanswered_requests() -> int:
    return services.meeting_request_nudges()


@shared_task(name="events.nudge_meeting_reports")
def nudge_meeting_reports() -> int:
    """Beat, daily: each side of yesterday's meetings that has not reported is reminded once."""
    return services.meeting_report_nudges()


@shared_task(name="events.requeue_stalled")
def requeue_stalled() -> int:
    """Beat, every PORTAL_STALLED_SWEEP_SECONDS: scheduler runs a dead worker left behind run again."""
    return services.schedule_runs_requeue_stalled()
