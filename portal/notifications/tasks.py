from celery import shared_task

from portal.notifications import services


@shared_task(name="notifications.deliver_email", acks_late=True, reject_on_worker_lost=True)
def deliver_email(*, notification_ids: list[int]) -> int:
    return services.notification_deliver_email(notification_ids=notification_ids)


@shared_task(name="notifications.send_daily_digest", acks_late=True, reject_on_worker_lost=True)
def send_daily_digest() -> int:
    # Saved-search alerts first: their notifications go into today's digest for those who chose one.
    services.saved_search_alerts(frequency="daily")
    return services.notification_send_digests(frequency="daily")


@shared_task(name="notifications.send_weekly_digest", acks_late=True, reject_on_worker_lost=True)
def send_weekly_digest() -> int:
    services.saved_search_alerts(frequency="weekly")
    return services.notification_send_digests(frequency="weekly")


@shared_task(name="notifications.deliver_webhook", acks_late=True, reject_on_worker_lost=True)
def deliver_webhook(*, delivery_id: int) -> str:
    from portal.notifications import channels

    delay = channels.webhook_deliver(delivery_id=delivery_id)
    if delay is not None:
        channels._queue([delivery_id], countdown=delay)
        return f"retry in {delay}s"
    return "done"
