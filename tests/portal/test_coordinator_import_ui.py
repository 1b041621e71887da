"""The coordinator's import and export pages: only coordinators and admins; an upload becomes an import job
(inline on the embedded default) with a progress page and a result; bad files change nothing."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.models import Role
from portal.companies import services
from portal.companies.importer import COLUMNS, export_csv
from portal.companies.models import Company, ImportJob, ImportJobStatus
from tests.factories import MembershipFactory, UserFactory
from tests.portal.test_import_limits import dimension_bomb, within, zip_bomb  # noqa: F401 - a fixture
from tests.portal.test_importer import GOOD, JAPANESE, _csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_and_private_files(settings, tmp_path):
    """The embedded default (tasks inline), with private files in a folder of the test's own."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _stored_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _user(kind):
    return {
        "owner": lambda: MembershipFactory().user,
        "consultant": lambda: UserFactory(role=Role.CONSULTANT),
        "coordinator": lambda: UserFactory(role=Role.COORDINATOR),
        "admin": lambda: UserFactory(is_staff=True, is_superuser=True),
        "anonymous": lambda: None,
    }[kind]()


def _upload(client, data: bytes, name: str = "c.csv", callbacks=None):
    with callbacks(execute=True):
        return client.post(reverse("companies:import"), {"file": SimpleUploadedFile(name, data)})


ROLES = [("anonymous", 302), ("owner", 404), ("consultant", 404), ("coordinator", 200), ("admin", 200)]


@pytest.mark.parametrize(("kind", "status"), ROLES)
def test_import_and_export_per_role(client, kind, status, django_capture_on_commit_callbacks, settings):
    user = _user(kind)
    if user:
        client.force_login(user)
    before = Company.objects.count()

    page = client.get(reverse("companies:import"))
    upload = _upload(client, _csv(GOOD), callbacks=django_capture_on_commit_callbacks)
    export = client.get(reverse("companies:export", args=["csv"]))

    assert page.status_code == status
    assert export.status_code == status
    if status == 200:
        job = ImportJob.objects.get()
        assert upload.status_code == 302
        assert upload["Location"] == reverse("companies:import_job", args=[job.pk])
        assert (job.status, job.companies_created, job.companies_updated, job.created_by) == (
            "succeeded", 1, 0, user,
        )  # fmt: skip
        assert Company.objects.count() == before + 1
        assert export["Content-Disposition"].startswith('attachment; filename="companies-')
    else:
        assert upload.status_code == status
        assert Company.objects.count() == before
        assert ImportJob.objects.count() == 0
        assert _stored_files(settings) == []


@pytest.mark.parametrize(("kind", "status"), ROLES)
def test_job_page_and_status_per_role(client, kind, status):
    job = ImportJob.objects.create(filename="c.csv", size=10)
    user = _user(kind)
    if user:
        client.force_login(user)

    page = client.get(reverse("companies:import_job", args=[job.pk]))
    state = client.get(reverse("companies:import_job_status", args=[job.pk]))
    missing = client.get(reverse("companies:import_job_status", args=[job.pk + 1]))

    assert (page.status_code, state.status_code) == (status, status)
    assert missing.status_code == (302 if kind == "anonymous" else 404)


def test_the_result_page_shows_what_was_imported_and_the_file_is_deleted(
    client, django_capture_on_commit_callbacks, settings
):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = _upload(client, _csv(GOOD, JAPANESE), callbacks=django_capture_on_commit_callbacks)
    page = client.get(response["Location"])

    job = ImportJob.objects.get()
    assert (job.status, job.rows_total, job.rows_done, job.percent) == ("succeeded", 2, 2, 100)
    assert (job.companies_created, job.error_count, job.file.name) == (2, 0, "")
    assert job.finished_at is not None
    assert "Imported: 2 created, 0 updated." in page.content.decode()
    assert _stored_files(settings) == []  # deleted after commit


def test_a_file_with_errors_lists_them_on_the_job_page_and_imports_nothing(
    client, django_capture_on_commit_callbacks, settings
):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    bad = {**GOOD, "registration_no": "0105536112015", "capabilities": "telepathy"}

    response = _upload(client, _csv(bad), callbacks=django_capture_on_commit_callbacks)
    page = client.get(response["Location"])

    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert [(e["line"], e["column"]) for e in job.errors] == [(2, "registration_no"), (2, "capabilities")]
    assert job.error_count == 2
    assert page.status_code == 200
    assert "2 errors: nothing was imported" in page.content.decode()
    assert Company.objects.count() == 0
    assert _stored_files(settings) == []


def test_an_upload_past_the_size_limit_is_refused_before_it_is_stored(
    client, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(UserFactory(role=Role.COORDINATOR))
    data = _csv(GOOD) + b"x" * (2 * 1024 * 1024)

    with translation.override("en"):
        response = _upload(client, data, callbacks=django_capture_on_commit_callbacks)

    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0].startswith("The file is 2.0\xa0MB; it may be at most 1.0\xa0MB.")
    assert ImportJob.objects.count() == Company.objects.count() == 0
    assert _stored_files(settings) == []


def test_an_xlsx_zip_bomb_is_refused_at_once_by_the_upload_page(
    client,
    django_capture_on_commit_callbacks,
    settings,
    zip_bomb,  # noqa: F811
):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    with within(20):
        response = _upload(client, zip_bomb, "bomb.xlsx", callbacks=django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The workbook unzips to more than 256.0\xa0MB; it may be at most 256.0\xa0MB unzipped."
    ]
    assert ImportJob.objects.count() == Company.objects.count() == 0
    assert _stored_files(settings) == []


def test_a_csv_with_a_wrong_header_is_refused_at_once(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = _upload(client, b"name,phone\nx,y\n", callbacks=django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert "line 1, column external_id: This column is missing." in response.context["form"].errors["file"]
    assert ImportJob.objects.count() == 0


def test_the_dimension_bomb_fails_its_job_quickly_and_writes_nothing(
    client, django_capture_on_commit_callbacks, settings
):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    with within(20):
        response = _upload(
            client, dimension_bomb(), "bomb.xlsx", callbacks=django_capture_on_commit_callbacks
        )

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("companies:import_job", args=[job.pk])
    assert job.status == "failed"
    assert job.errors == [
        {
            "line": 20_002,
            "column": "-",
            "message": "The file has more than 20,000 rows; import at most 20,000 rows at a time.",
        }
    ]
    assert Company.objects.count() == 0
    assert _stored_files(settings) == []


def test_the_job_keeps_the_uploaders_language_for_its_messages(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=Role.COORDINATOR, language="ja"))
    bad = {**GOOD, "country": "XX"}

    with translation.override("ja"):
        response = _upload(client, _csv(bad), callbacks=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    job = ImportJob.objects.get()
    with translation.override("ja"):
        expected = translation.gettext("Use TH or JP.")
    assert job.language == "ja"
    assert expected != "Use TH or JP."
    assert {"line": 2, "column": "country", "message": expected} in job.errors


def test_status_json_reports_progress(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    job = ImportJob.objects.create(
        filename="c.csv", status=ImportJobStatus.WRITING, rows_total=6000, rows_done=3000
    )

    with translation.override("en"):
        response = client.get(reverse("companies:import_job_status", args=[job.pk]))

    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "status": "writing",
        "finished": False,
        "percent": 70,
        "rows_done": 3000,
        "rows_total": 6000,
        "label": "Writing companies: 3,000 of 6,000",
    }


def test_a_running_job_page_loads_its_script_and_no_inline_script(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    job = ImportJob.objects.create(filename="c.csv", status=ImportJobStatus.CHECKING, rows_total=10)

    page = client.get(reverse("companies:import_job", args=[job.pk])).content.decode()

    assert '<script src="/static/js/import_job.js" defer></script>' in page
    assert f'data-import-job="{reverse("companies:import_job_status", args=[job.pk])}"' in page
    assert page.count("<script") == 2  # portal.js and import_job.js, both files


def test_recent_imports_list_makes_the_same_queries_for_one_and_three(client, django_assert_num_queries):
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    client.get(reverse("companies:import"))  # session and language set up

    def jobs(count):
        ImportJob.objects.all().delete()
        for number in range(count):
            ImportJob.objects.create(filename=f"{number}.csv", created_by=UserFactory(role=Role.COORDINATOR))

    jobs(1)
    with django_assert_num_queries(6) as one:
        client.get(reverse("companies:import"))
    jobs(3)
    with django_assert_num_queries(6) as three:
        response = client.get(reverse("companies:import"))
    assert len(one.captured_queries) == len(three.captured_queries)
    assert [job.filename for job in response.context["jobs"]] == ["2.csv", "1.csv", "0.csv"]


# ------------------------------------------------------------------------------------------------
# A worker that dies in the middle: nothing written, the job runs again (or fails after three tries)
# ------------------------------------------------------------------------------------------------
def _job_left_by_a_dead_worker(attempts: int) -> ImportJob:
    """What a worker killed while writing leaves: its transaction rolled back (no company), the job
    marked as writing by the dead task, its heartbeat a minute old."""
    job = ImportJob.objects.create(
        filename="c.csv",
        status=ImportJobStatus.WRITING,
        claimed_by="dead-task",
        attempts=attempts,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=61),
        rows_total=2,
        rows_done=1,
    )
    job.file.save("c.csv", ContentFile(_csv(GOOD, JAPANESE)))
    return job


def test_a_job_whose_worker_died_is_requeued_and_imports_once(django_capture_on_commit_callbacks, settings):
    job = _job_left_by_a_dead_worker(attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.import_jobs_requeue_stalled()

    job.refresh_from_db()
    assert requeued == 1
    assert (job.status, job.companies_created, job.attempts) == ("succeeded", 2, 2)
    assert Company.objects.count() == 2
    assert _stored_files(settings) == []
    # The dead worker's message, delivered again when Redis' visibility timeout expires: nothing happens.
    assert services.import_job_run(job_id=job.pk, token="dead-task").status == "succeeded"
    assert Company.objects.count() == 2
    assert services.import_jobs_requeue_stalled() == 0


def test_a_job_that_kills_its_worker_every_time_fails_after_three_attempts(
    django_capture_on_commit_callbacks,
):
    job = _job_left_by_a_dead_worker(attempts=3)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.import_jobs_requeue_stalled()

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors == [
        {
            "line": 1,
            "column": "-",
            "message": "The import stopped 3 times before it finished; nothing was written. "
            "Try again, or split the file.",
        }
    ]
    assert Company.objects.count() == 0


def test_a_job_held_by_a_live_task_is_left_to_it():
    job = _job_left_by_a_dead_worker(attempts=1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), claimed_by="live-task")

    assert services.import_jobs_requeue_stalled() == 0
    services.import_job_run(job_id=job.pk, token="another-task")

    job.refresh_from_db()
    assert (job.status, job.claimed_by, job.attempts) == ("writing", "live-task", 1)
    assert Company.objects.count() == 0


def test_unknown_export_format_is_404(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    assert client.get(reverse("companies:export", args=["pdf"])).status_code == 404


def test_xlsx_export_downloads(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = client.get(reverse("companies:export", args=["xlsx"]))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_import_page_says_what_the_file_holds_in_the_exports_columns(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    html = client.get(reverse("companies:import")).content.decode()
    assert f'<code class="import-header">{",".join(COLUMNS)}</code>' in html
    assert export_csv(Company.objects.none()).decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)


def test_a_refused_files_problems_are_listed_once(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    response = _upload(client, b"name,phone\nx,y\n", callbacks=django_capture_on_commit_callbacks)

    html = response.content.decode()
    assert html.count("line 1, column external_id: This column is missing.") == 1  # under the field only
    summary = html[
        html.index('class="error-summary"') : html.index("</section>", html.index('class="error-summary"'))
    ]
    assert 'href="#id_file"' in summary
    assert "This column is missing." not in summary
