from celery import shared_task

from portal.postings.services import posting_expire_due


@shared_task(name="postings.expire_due")
def expire_due_postings() -> int:
    return posting_expire_due()
