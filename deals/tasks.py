from celery import shared_task

from deals import services


@shared_task(name="deals.purge_expired_messages", acks_late=True, reject_on_worker_lost=True)
def purge_expired_messages() -> int:
    return services.messages_purge_expired()
