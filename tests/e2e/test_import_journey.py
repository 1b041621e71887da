"""A coordinator imports a file from the import page and follows the job: its page updates itself while the
worker runs it (static/js/import_job.js polls the job's status) and shows the result when it is done."""

import re

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.companies.models import ImportJob, ImportJobStatus
from tests.e2e.helpers import label, log_in, t
from tests.factories import UserFactory
from tests.portal.test_importer import GOOD, _csv


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded default: the job runs within the upload


def test_coordinator_uploads_a_file_and_sees_the_result(live_server, new_page, tmp_path):
    UserFactory(email="ploy@dip.example", role=Role.COORDINATOR, language="th")
    upload = tmp_path / "companies.csv"
    upload.write_bytes(_csv(GOOD))
    page = new_page(locale="th-TH")
    log_in(page, live_server, email="ploy@dip.example", language="th")

    navigation = page.get_by_role("navigation", name=t("th", "Main"))
    with translation.override("th"):
        more = pgettext("navigation menu", "More")
    navigation.locator("summary", has_text=more).click()  # Import sits in the header's "More" menu
    navigation.get_by_role("link", name=t("th", "Import")).click()
    page.get_by_label(label(t("th", "CSV (UTF-8) or XLSX file"))).set_input_files(str(upload))
    page.get_by_role("button", name=t("th", "Import"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("th", "Import of %(name)s") % {"name": "companies.csv"}
    )
    expect(page.get_by_text(t("th", "Imported: %(created)s created, %(updated)s updated.") % {
        "created": 1, "updated": 0
    })).to_be_visible()  # fmt: skip
    page.get_by_role("link", name=t("th", "Import another file")).click()
    expect(page.get_by_role("link", name="companies.csv")).to_be_visible()


def test_the_job_page_follows_a_running_job_and_shows_its_errors(live_server, new_page):
    coordinator = UserFactory(email="kenji@smrj.example", role=Role.COORDINATOR, language="ja")
    job = ImportJob.objects.create(
        created_by=coordinator, filename="delegation.xlsx", status=ImportJobStatus.CHECKING, rows_total=6000
    )
    page = new_page(locale="ja-JP")
    log_in(page, live_server, email="kenji@smrj.example", language="ja")
    page.goto(f"{live_server.url}/coordinator/import/{job.pk}/")
    status = page.get_by_role("status")
    expect(status).to_have_text(
        t("ja", "Checking rows: %(done)s of %(total)s") % {"done": 0, "total": "6,000"}
    )

    # The worker moves on: the page follows without a reload.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.WRITING, rows_done=3000)
    expect(status).to_have_text(
        t("ja", "Writing companies: %(done)s of %(total)s") % {"done": "3,000", "total": "6,000"}
    )
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "70")

    # It fails: the page shows the errors and the way on.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.FAILED,
        error_count=1,
        errors=[{"line": 7, "column": "country", "message": t("ja", "Use TH or JP.")}],
    )
    expect(page.get_by_role("alert")).to_contain_text(t("ja", "Use TH or JP."))
    expect(page.get_by_role("cell", name="7", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=t("ja", "Upload a corrected file"))).to_have_attribute(
        "href", re.compile(r"/coordinator/import/$")
    )
