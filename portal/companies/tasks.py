"""Celery tasks of the companies app (thin: each calls one service)."""

import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal.companies import services


@shared_task(
    name="companies.run_import_job",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.PORTAL_IMPORT_TIME_LIMIT,
    time_limit=settings.PORTAL_IMPORT_TIME_LIMIT + 30,
)
def run_import_job(self, *, job_id: int) -> str | None:
    token = self.request.id or uuid.uuid4().hex
    try:
        job = services.import_job_run(job_id=job_id, token=token)
    except SoftTimeLimitExceeded:
        job = services.import_job_fail(job_id=job_id, token=token, message=_timeout_message(job_id))
    return job.status if job else None


def _timeout_message(job_id: int) -> str:
    from portal.companies.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).only("language").first()
    with translation.override(job.language if job and job.language else settings.LANGUAGE_CODE):
        return _("The import took longer than %(minutes)s minutes and was stopped; nothing was written.") % {
            "minutes": settings.PORTAL_IMPORT_TIME_LIMIT // 60
        }


@shared_task(name="companies.requeue_stalled_imports")
def requeue_stalled_imports() -> int:
    return services.import_jobs_requeue_stalled()
