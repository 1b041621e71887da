"""Celery tasks of the Shindan app (thin: each calls one service)."""

from celery import shared_task

from shindan import services


@shared_task(name="shindan.remind_overdue_actions", acks_late=True)
def remind_overdue_actions() -> int:
    """Weekly: each consultant gets one e-mail listing the overdue actions of their diagnoses."""
    return services.overdue_actions_remind()
