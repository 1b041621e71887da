"""The Celery beat schedule: the periodic jobs of every app, in one place (``portal/settings.py`` sets
``CELERY_BEAT_SCHEDULE`` from it; ``make beat`` runs them)."""

from celery.schedules import crontab


def beat_schedule(*, stalled_sweep_seconds: float) -> dict:
    """Every periodic job; the sweeps that re-queue a dead worker's work run every
    ``stalled_sweep_seconds`` (PORTAL_STALLED_SWEEP_SECONDS)."""
    return {
        # Housekeeping now; the matching issue adds the nightly full recompute here.
        "portal.clear_expired_sessions": {
            "task": "portal.clear_expired_sessions",
            "schedule": crontab(hour=3, minute=15),
        },
        "portal.flush_pending_tasks": {"task": "portal.flush_pending_tasks", "schedule": 60.0},
        # Work a dead worker left behind (portal/core/heartbeat.py): re-queued within about a minute.
        **{
            name: {"task": name, "schedule": float(stalled_sweep_seconds)}
            for name in (
                "matching.requeue_stalled",
                "events.requeue_stalled",
                "companies.requeue_stalled_imports",
            )
        },
        "postings.expire_due": {"task": "postings.expire_due", "schedule": crontab(hour=0, minute=5)},
        "matching.recompute_all": {"task": "matching.recompute_all", "schedule": crontab(hour=2, minute=0)},
        "events.expire_requests": {"task": "events.expire_requests", "schedule": crontab(minute="*/15")},
        "events.nudge_unanswered_requests": {
            "task": "events.nudge_unanswered_requests",
            "schedule": crontab(hour=9, minute=0),
        },
        # The day after a meeting, each side that has not reported on it (events/services/reports.py).
        "events.nudge_meeting_reports": {
            "task": "events.nudge_meeting_reports",
            "schedule": crontab(hour=9, minute=30),
        },
        "shindan.remind_overdue_actions": {
            "task": "shindan.remind_overdue_actions",
            "schedule": crontab(hour=8, minute=30, day_of_week="mon"),
        },
        "matching.remind_stale_introductions": {
            "task": "matching.remind_stale_introductions",
            "schedule": crontab(hour=9, minute=0, day_of_week="mon"),
        },
        # Notification digests (portal/notifications/services.py): never empty, never twice.
        "notifications.send_daily_digest": {
            "task": "notifications.send_daily_digest",
            "schedule": crontab(hour=7, minute=0),
        },
        "notifications.send_weekly_digest": {
            "task": "notifications.send_weekly_digest",
            "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
        },
        # Messages past their retention (DEALS_RETENTION_DAYS, deals/services).
        "deals.purge_expired_messages": {
            "task": "deals.purge_expired_messages",
            "schedule": crontab(hour=3, minute=45),
        },
    }
