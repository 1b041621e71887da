"""A valid 6,000-row import through the coordinators' page: the upload request, then the import job a worker
runs, against the baseline measured in the same run — the same import done inside the request, as the page
did before import jobs (issue 12: 11 s in production, a third of gunicorn's 30 s timeout).

The job is run in this process by the same service the Celery task calls; the broker is an in-memory one, so
the upload request only queues it, as with a real worker."""

import csv
import io

from bench._env import bench_database, timed

ROWS_PER_COUNTRY = 3_000


def _csv(rows) -> bytes:
    from portal.companies.importer import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(cells for _line, cells in rows)
    return buffer.getvalue().encode("utf-8")


def _inline_import(data: bytes):
    """The old page: the whole import inside the request (undone afterwards, so the job starts empty)."""
    from django.db import transaction

    from portal.companies.importer import import_companies

    with transaction.atomic():
        result = import_companies(data=data, filename="bench.csv")
        transaction.set_rollback(True)
    return result


def main() -> None:
    with bench_database() as vendor:
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client
        from django.urls import reverse

        from portal.accounts.models import Role, User
        from portal.accounts.services import user_grant_role
        from portal.celery import app
        from portal.companies.models import ImportJob
        from portal.companies.services import import_job_run
        from portal.core.synthetic import synthetic_rows

        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.task_always_eager, app.conf.broker_url = False, "memory://"
        settings.PRIVATE_MEDIA_ROOT = settings.BASE_DIR / "var" / "bench_private"
        coordinator = User.objects.create_user("bench-coordinator@example.com", "x" * 12)
        user_grant_role(user=coordinator, role=Role.COORDINATOR)
        client = Client()
        client.force_login(coordinator)

        data = _csv(synthetic_rows(ROWS_PER_COUNTRY))
        baseline, baseline_seconds, _peak = timed(_inline_import, data)
        response, request_seconds, _peak = timed(
            client.post, reverse("companies:import"), {"file": SimpleUploadedFile("bench.csv", data)}
        )
        if response.status_code != 302:
            raise RuntimeError(f"the upload answered {response.status_code}")
        job = ImportJob.objects.get()
        job, job_seconds, peak = timed(import_job_run, job_id=job.pk, token="bench-task")  # noqa: S106 - a task id
        if job.status != "succeeded" or job.companies_created != baseline.created:
            raise RuntimeError(f"the job ended {job.status} with {job.errors[:3]}")

    rows = baseline.created
    print(f"import of {rows:,} valid rows ({len(data) / 2**20:.1f} MiB CSV) on {vendor}")
    print(f"{'variant':<52}{'seconds':>10}{'rows/s':>10}")
    baseline_name = "baseline: import inside the upload request"
    print(f"{baseline_name:<52}{baseline_seconds:>10.2f}{rows / baseline_seconds:>10.0f}")
    print(f"{'upload request (checks, stores, queues the job)':<52}{request_seconds:>10.2f}{'':>10}")
    print(f"{'import job (on a worker)':<52}{job_seconds:>10.2f}{rows / job_seconds:>10.0f}")
    print(f"the request is {baseline_seconds / request_seconds:.0f}x shorter; peak memory {peak:.0f} MiB")
