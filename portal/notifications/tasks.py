from celery import shared_task

from portal.notifications import services


@shared_task(name="notifications.deliver_email", acks_late=True, reject_on_worker_lost=True)
def deliver_email(*, notification_ids: list[int]) -> int:
    return services.notification_deliver_email(notification_ids=notification_ids)
