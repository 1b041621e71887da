"""``manage.py backup`` and ``manage.py restore`` as an operator runs them, in their own processes: the demo
data (plus a logo and an evidence photo) is backed up, restored into a fresh database and fresh storage,
and the two installations are compared — rows per table, the SHA-256 of every file, and pages rendered
(the directory, a company page with its logo, a Shindan report as the company's owner, the photo as the
consultant). On SQLite always (also through S3 and back), on PostgreSQL with the ``postgres`` marker.

Seeding the demo takes a while (migrate + seed_demo), so each database seeds once per module."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings

from tests import s3

ROOT = settings.BASE_DIR

SETUP = r"""
import io, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from portal.companies.models import Company
from portal.companies.services import company_update_profile
from shindan import services
from shindan.models import ChecklistItem

def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(f"{colour}.png", buffer.getvalue(), content_type="image/png")

company = Company.objects.get(external_id="TH-DEMO-001")
company_update_profile(company=company, logo=png("red"))
diagnosis = company.diagnoses.filter(stage="reported").latest("pk")
consultant = diagnosis.consultants.get()
services.revision_open(actor=consultant, diagnosis=diagnosis, reason="Photos of the press line")
items = ChecklistItem.objects.filter(area__checklist=diagnosis.checklist)
items = items.order_by("area__position", "position")
entries = [
    {"item": item, "value": "4", "evidence": "Press line", "photo": png(colour)}
    for item, colour in zip(items[:2], ("green", "blue"))
]
services.item_scores_save(actor=consultant, diagnosis=diagnosis, entries=entries)
services.revision_issue(actor=consultant, diagnosis=diagnosis)
"""

PROBE = r"""
import hashlib, json, re, urllib.request, django
django.setup()
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from portal.accounts.models import User
from portal.companies.models import Company
from portal.core.storage import private_storage, public_storage, walk
from shindan.models import ItemScore

setup_test_environment()
digest = lambda data: hashlib.sha256(data).hexdigest()
with connection.cursor() as cursor:
    counts = {}
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
files = {
    kind: {name: digest(storage.open(name, "rb").read()) for name in walk(storage)}
    for kind, storage in (("public", public_storage()), ("private", private_storage()))
}

def page(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)
    return {"status": response.status_code, "sha256": digest(body), "bytes": len(body)}

company = Company.objects.get(external_id="TH-DEMO-001")
row = ItemScore.objects.exclude(photo="").order_by("pk").first()
pages = {}
with transaction.atomic():  # logging in writes sessions: leave no trace
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    pages["directory"] = page(anonymous, reverse("companies:directory"))
    pages["company"] = page(anonymous, reverse("companies:detail", args=[company.pk]))
    if settings.PORTAL_STORAGE == "filesystem":
        pages["logo"] = page(anonymous, company.logo.url)
    owner = Client()
    owner.force_login(User.objects.get(email="owner.th@demo.example"))
    pages["report"] = page(owner, reverse("shindan:report", args=[row.diagnosis_id]))
    consultant = Client()
    consultant.force_login(row.diagnosis.consultants.get())
    pages["photo"] = page(consultant, reverse("shindan:evidence_photo", args=[row.diagnosis_id, row.pk]))
    transaction.set_rollback(True)
print(json.dumps({"tables": counts, "files": files, "pages": pages, "logo": company.logo.name}))
"""


def _environment(**variables: str) -> dict[str, str]:
    """The embedded default (no broker: tasks inline) plus the given database and storage variables."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    return {**env, "DJANGO_SETTINGS_MODULE": "portal.settings", **variables}


def _sqlite(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    return _environment(
        SQLITE_PATH=str(folder / "portal.sqlite3"),
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_MEDIA_ROOT=str(folder / "private"),
    )


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    if ok:
        assert result.returncode == 0, f"{args}: {result.stderr[-3000:]}"
    return result


def _manage(env, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    return _run(env, "manage.py", *args, ok=ok)


def _probe(env) -> dict:
    return json.loads(_run(env, "-c", PROBE).stdout.strip().splitlines()[-1])


def _seed(env) -> dict:
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed_demo")
    _run(env, "-c", SETUP)
    return _probe(env)


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def _file_digests(manifest: dict) -> dict:
    return {
        kind: {name: e["sha256"] for name, e in files.items()} for kind, files in manifest["files"].items()
    }


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory):
    """The demo on SQLite and folders, with a logo and two evidence photos, and its archive."""
    folder = tmp_path_factory.mktemp("backup-sqlite")
    env = _sqlite(folder / "source")
    before = _seed(env)
    archive = folder / "portal.tar"
    result = _manage(env, "backup", str(archive))
    assert "Backed up" in result.stdout
    return {"env": env, "before": before, "archive": archive, "folder": folder}


def test_backup_and_restore_on_sqlite_gives_the_same_portal(sqlite_source, tmp_path):
    before, archive = sqlite_source["before"], sqlite_source["archive"]
    target = _sqlite(tmp_path / "target")

    result = _manage(target, "restore", str(archive))

    assert "Restored" in result.stdout
    after = _probe(target)
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"]
    assert after["pages"] == before["pages"]
    assert after == before
    assert {page["status"] for page in after["pages"].values()} == {200}
    manifest = _manifest(archive)
    assert manifest["tables"] == before["tables"]
    assert _file_digests(manifest) == before["files"]
    # Every demo company's logo (one of them replaced by the red one); the two evidence photos and each
    # demo product photo's two sizes (portal/showcase/demo.py).
    assert len(before["files"]["public"]) == before["tables"]["companies_company"] == 70
    assert len(before["files"]["private"]) == 2 + 2 * before["tables"]["showcase_productphoto"]
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["portal_version"] == "0.1.0"
    assert manifest["django_version"].startswith("5.2")
    assert "0001_initial" in manifest["migrations"]["shindan"]
    assert manifest["missing_files"] == {"public": [], "private": []}
    assert before["tables"]["companies_company"] == 70


def test_restore_refuses_an_installation_that_is_not_empty(sqlite_source, tmp_path):
    archive = sqlite_source["archive"]
    migrated = _sqlite(tmp_path / "migrated")
    _manage(migrated, "migrate", "--noinput", "-v", "0")

    refused = _manage(migrated, "restore", str(archive), ok=False)

    assert refused.returncode == 1
    assert "The database is not blank" in refused.stderr
    assert not (tmp_path / "migrated" / "private").exists()
    with_files = _sqlite(tmp_path / "files")
    (tmp_path / "files" / "media" / "logos").mkdir(parents=True)
    (tmp_path / "files" / "media" / "logos" / "old.png").write_bytes(b"an old logo")
    refused = _manage(with_files, "restore", str(archive), ok=False)
    assert "The public file storage is not empty (it holds logos/old.png)" in refused.stderr
    assert (tmp_path / "files" / "portal.sqlite3").stat().st_size == 0  # nothing restored


def _rewrite(archive: Path, target: Path, *, manifest=None, member=None, data=None) -> Path:
    """A copy of ``archive`` with another manifest, or another content for one member."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for info in source.getmembers():
            body = source.extractfile(info).read()
            if info.name == "manifest.json" and manifest is not None:
                body = json.dumps(manifest(json.loads(body))).encode()
            if info.name == member:
                body = data
            info.size = len(body)
            copy.addfile(info, io.BytesIO(body))
    return target


def test_restore_refuses_a_damaged_archive_or_another_migration_state(sqlite_source, tmp_path):
    archive, manifest = sqlite_source["archive"], _manifest(sqlite_source["archive"])
    photo = next(iter(manifest["files"]["private"]))
    damaged = _rewrite(
        archive, tmp_path / "damaged.tar", member=f"files/private/{photo}", data=b"not the photo"
    )

    def newer(m):
        m["migrations"]["shindan"].append("0099_from_the_future")
        return m

    def older(m):
        m["migrations"]["shindan"].remove(manifest["migrations"]["shindan"][-1])
        return m

    cases = [
        (damaged, f"files/private/{photo} does not match its checksum"),
        (
            _rewrite(archive, tmp_path / "newer.tar", manifest=newer),
            "Applied in the archive, unknown here: shindan.",
        ),
        (_rewrite(archive, tmp_path / "older.tar", manifest=older), "Here, not in the archive: shindan."),
        (tmp_path / "absent.tar", "No such archive"),
    ]
    for case, (path, message) in enumerate(cases):
        target = _sqlite(tmp_path / f"target-{case}")
        refused = _manage(target, "restore", str(path), ok=False)
        assert refused.returncode == 1, path
        assert message in refused.stderr, refused.stderr
        assert not (tmp_path / f"target-{case}" / "private").exists()
        assert (
            not (tmp_path / f"target-{case}" / "portal.sqlite3").exists()
            or (tmp_path / f"target-{case}" / "portal.sqlite3").stat().st_size == 0
        )

    check = _manage(_sqlite(tmp_path / "check"), "restore", "--check", str(archive))
    assert "The archive is intact and fits this code" in check.stdout


@pytest.mark.s3
def test_backup_and_restore_through_s3_storage(sqlite_source, tmp_path, s3_endpoint):
    """Restore into S3 buckets, back up from them, and restore that onto folders: the same portal."""
    before = sqlite_source["before"]
    buckets = s3.create_buckets(s3_endpoint)
    try:
        on_s3 = {**_sqlite(tmp_path / "s3"), **s3.environment(s3_endpoint, buckets)}
        _manage(on_s3, "restore", str(sqlite_source["archive"]))
        keys = s3.client(s3_endpoint).list_objects_v2(Bucket=buckets["private"])["Contents"]
        assert sorted(entry["Key"] for entry in keys) == sorted(
            f"private/{n}" for n in before["files"]["private"]
        )
        probe = _probe(on_s3)
        assert probe["files"] == before["files"]
        assert probe["tables"] == before["tables"]
        assert probe["pages"]["report"] == before["pages"]["report"]
        assert probe["pages"]["photo"] == before["pages"]["photo"]

        second = tmp_path / "from-s3.tar.gz"
        _manage(on_s3, "backup", str(second))
    finally:
        s3.drop_buckets(s3_endpoint, buckets)
    assert _manifest(second)["storage"] == "s3"
    back = _sqlite(tmp_path / "back")
    _manage(back, "restore", str(second))

    assert _probe(back) == before


def _pg_dsn(name: str) -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "postgres") + (
        f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    )
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _pg_admin(statement: str) -> None:
    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


@pytest.mark.postgres
def test_backup_and_restore_on_postgresql_gives_the_same_portal(tmp_path):
    base = settings.DATABASES["default"]["NAME"]
    source, target = f"{base}_backup_source", f"{base}_backup_target"
    for name in (source, target):
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        source_env = _environment(
            DATABASE_URL=_pg_dsn(source),
            MEDIA_ROOT=str(tmp_path / "source" / "media"),
            PRIVATE_MEDIA_ROOT=str(tmp_path / "source" / "private"),
        )
        before = _seed(source_env)
        archive = tmp_path / "portal.tar.gz"
        _manage(source_env, "backup", str(archive))
        target_env = _environment(
            DATABASE_URL=_pg_dsn(target),
            MEDIA_ROOT=str(tmp_path / "target" / "media"),
            PRIVATE_MEDIA_ROOT=str(tmp_path / "target" / "private"),
        )

        _manage(target_env, "restore", str(archive))

        after = _probe(target_env)
        assert after == before
        manifest = _manifest(archive)
        assert manifest["database"]["vendor"] == "postgresql"
        assert manifest["tables"] == before["tables"]
        assert _file_digests(manifest) == before["files"]
        assert {page["status"] for page in after["pages"].values()} == {200}
        again = _manage(target_env, "restore", str(archive), ok=False)
        assert "The database is not blank" in again.stderr
    finally:
        for name in (source, target):
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_lists_a_file_a_row_names_that_the_storage_lacks(tmp_path, settings):
    """In process, on the suite's own database (SQLite here, PostgreSQL in CI)."""
    from django.core.files.base import ContentFile
    from django.core.management import CommandError, call_command
    from django.db import connection

    from portal.core.storage import public_storage
    from tests.factories import CompanyFactory

    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    kept, lost = CompanyFactory(), CompanyFactory()
    kept.logo.save("kept.png", ContentFile(b"kept logo"))
    lost.logo.save("lost.png", ContentFile(b"lost logo"))
    public_storage().delete(lost.logo.name)
    archive, errors = tmp_path / "portal.tar", io.StringIO()

    call_command("backup", str(archive), stdout=io.StringIO(), stderr=errors)

    manifest = _manifest(archive)
    assert manifest["missing_files"] == {"public": [lost.logo.name], "private": []}
    assert list(manifest["files"]["public"]) == [kept.logo.name]
    assert f"Missing from the public storage: {lost.logo.name}" in errors.getvalue()
    assert manifest["tables"]["companies_company"] == 2
    assert manifest["database"]["vendor"] == connection.vendor
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive))
    assert not list(tmp_path.glob("*.partial"))
