"""Backup and restore of a whole installation (README "Operations"): ``manage.py backup DEST`` and
``manage.py restore ARCHIVE``.

One tar archive holds

- ``database/portal.pgdump`` (``pg_dump --format=custom`` on PostgreSQL) or ``database/portal.sqlite3``
  (SQLite's online backup API on the embedded default),
- ``files/public/<name>`` and ``files/private/<name>``: every file of the two storages, read through them
  (folders on disk or S3 alike),
- ``manifest.json`` (last): portal, Django and database versions, the migrations applied per app, the
  rows per table and the SHA-256 and size of the dump and of every file.

The dump, the row counts, the migration state and the list of files the rows refer to come from one
snapshot of the database (an exported snapshot that pg_dump shares on PostgreSQL, the backup copy itself
on SQLite). Files are read after it: a file a row names but which is gone by then (replaced meanwhile) is
listed under ``missing_files`` and reported.

A restore goes into an *empty installation*: a blank database (no tables: create it, do not migrate it)
and empty storages. It verifies every checksum before it writes anything, refuses an archive whose
migrations differ from this code's, writes the files, then the database in one transaction (on failure the
files it wrote are removed again), and checks the row counts against the manifest.
"""

import datetime
import hashlib
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.backends.sqlite3._functions import register as register_sqlite_functions
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField

from portal.core.storage import PRIVATE, PUBLIC, private_storage, public_storage, storage_alias, walk

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database/portal.pgdump", "sqlite": "database/portal.sqlite3"}
# Archive folder per storage alias.
FILE_KINDS = {PUBLIC: "public", PRIVATE: "private"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What went wrong, in words an operator can act on; nothing was changed."""


def _storage(kind: str):
    return public_storage() if kind == "public" else private_storage()


def _portal_version() -> str:
    try:
        return metadata.version("thai-japan-sme-portal")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "unknown"


# --- The database snapshot -----------------------------------------------------------------------------


@dataclass
class Snapshot:
    migrations: dict[str, list[str]]
    tables: dict[str, int]
    referenced: dict[str, set[str]] = field(default_factory=dict)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table_names(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _file_columns() -> list[tuple[str, str, str]]:
    """``(table, column, archive folder)`` of every file field of every model."""
    columns = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField):
                kind = FILE_KINDS[storage_alias(model_field.storage)]
                columns[(model._meta.db_table, model_field.column)] = kind
    return [(table, column, kind) for (table, column), kind in sorted(columns.items())]


def _read_snapshot(cursor, vendor: str) -> Snapshot:
    tables = _table_names(cursor, vendor)
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - a name from the catalogue
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    referenced: dict[str, set[str]] = {kind: set() for kind in FILE_KINDS.values()}
    for table, column, kind in _file_columns():
        if table not in counts:
            continue
        cursor.execute(
            f"SELECT {_quote(column)} FROM {_quote(table)} "  # noqa: S608 - names from the models
            f"WHERE {_quote(column)} IS NOT NULL AND {_quote(column)} <> ''"
        )
        referenced[kind].update(row[0] for row in cursor.fetchall())
    return Snapshot(migrations=migrations, tables=counts, referenced=referenced)


def _pg_env() -> dict[str, str]:
    """libpq's variables for the default database (the password never appears on a command line)."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    options = db.get("OPTIONS", {})
    if options.get("sslmode"):
        env["PGSSLMODE"] = options["sslmode"]
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools (postgresql-client) of the "
            "server's major version or newer."
        )
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    server_major = connection.pg_version // 10000
    if match and int(match.group(1)) < server_major:
        raise BackupError(
            f"{name} {match.group(1)} cannot work with a PostgreSQL {server_major} server: install "
            f"postgresql-client-{server_major} (or newer)."
        )
    return path


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")


def _snapshot_postgresql(dump: Path) -> Snapshot:
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the dump and for what the manifest says about it.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        _run(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
             f"--file={dump}"],
            env=_pg_env(),
            what="pg_dump",
        )  # fmt: skip
        return _read_snapshot(cursor, "postgresql")


def _snapshot_sqlite(dump: Path) -> Snapshot:
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)  # the online backup API: a consistent copy of a live database
        return _read_snapshot(copy.cursor(), "sqlite")
    finally:
        copy.close()


# --- Writing the archive ---------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Reads through ``stream`` while hashing what passes."""

    def __init__(self, stream):
        self.stream, self.sha256, self.size = stream, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        self.sha256.update(data)
        self.size += count
        return count


def _archive_mode(path: Path, writing: bool) -> str:
    compressed = path.name.endswith((".tar.gz", ".tgz"))
    if writing:
        return "w:gz" if compressed else "w"
    return "r:*"


def _add_stream(tar: tarfile.TarFile, member: str, stream, size: int) -> dict:
    info = tarfile.TarInfo(member)
    info.size = size
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    info.mode = 0o600
    hashing = _Hashing(stream)
    tar.addfile(info, hashing)
    if hashing.size != size:
        raise BackupError(f"{member} changed size while it was read ({size} → {hashing.size} bytes).")
    return {"sha256": hashing.sha256.hexdigest(), "size": size}


def default_archive_name() -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return f"portal-backup-{stamp}.tar"


def create_backup(destination: Path) -> dict:
    """Write the archive to ``destination`` (a new file, or a folder to put a dated one in); returns the
    manifest. Written under a temporary name and renamed at the end: no half archive is ever left."""
    if destination.is_dir():
        destination = destination / default_archive_name()
    if destination.exists():
        raise BackupError(f"{destination} exists already: choose a new name.")
    if not destination.parent.is_dir():
        raise BackupError(f"No such folder: {destination.parent}")
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        dump = Path(work) / "database"
        snapshot = _snapshot_postgresql(dump) if vendor == "postgresql" else _snapshot_sqlite(dump)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "portal_version": _portal_version(),
            "django_version": django.get_version(),
            "python_version": platform.python_version(),
            "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor]},
            "storage": settings.PORTAL_STORAGE,
            "migrations": snapshot.migrations,
            "tables": snapshot.tables,
            "files": {},
            "missing_files": {},
        }
        if vendor == "postgresql":
            manifest["database"]["server_version"] = connection.pg_version
        try:
            with tarfile.open(partial, _archive_mode(destination, writing=True)) as tar:
                with dump.open("rb") as stream:
                    manifest["database"].update(
                        _add_stream(tar, DATABASE_MEMBERS[vendor], stream, dump.stat().st_size)
                    )
                for kind in FILE_KINDS.values():
                    storage, files = _storage(kind), {}
                    for name in walk(storage):
                        with storage.open(name, "rb") as stream:
                            files[name] = _add_stream(tar, f"files/{kind}/{name}", stream, storage.size(name))
                    manifest["files"][kind] = files
                    manifest["missing_files"][kind] = sorted(snapshot.referenced[kind] - set(files))
                body = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
                tar.addfile(info, io.BytesIO(body))
            with partial.open("rb") as written:
                os.fsync(written.fileno())
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)
    manifest["path"] = str(destination)
    return manifest


# --- Reading and verifying an archive ------------------------------------------------------------------


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or name != str(path):
        raise BackupError(f"The archive names an unsafe file path: {name!r}")
    return name


def _open_archive(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"No such archive: {path}")
    try:
        return tarfile.open(path, _archive_mode(path, writing=False))
    except tarfile.TarError as error:
        raise BackupError(f"{path} is not a portal backup archive ({error}).") from None


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("The archive has no manifest.json: it is not a portal backup, or it is cut short.")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Archive format {manifest.get('format')!r} is not the supported {FORMAT}.")
    return manifest


def _expected_members(manifest: dict) -> dict[str, dict]:
    expected = {manifest["database"]["member"]: manifest["database"]}
    for kind, files in manifest["files"].items():
        if kind not in FILE_KINDS.values():
            raise BackupError(f"Unknown storage {kind!r} in the manifest.")
        for name, entry in files.items():
            expected[f"files/{kind}/{_safe_name(name)}"] = entry
    return expected


def verify_archive(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member the manifest lists is there with its size and SHA-256."""
    expected = _expected_members(manifest)
    seen = set()
    for member in tar:
        entry = expected.get(member.name)
        if entry is None:
            continue
        stream = tar.extractfile(member)
        digest = hashlib.sha256()
        for chunk in iter(lambda: stream.read(CHUNK), b""):  # noqa: B023 - used within the loop
            digest.update(chunk)
        if member.size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"{member.name} does not match its checksum: the archive is damaged.")
        seen.add(member.name)
    absent = sorted(set(expected) - seen)
    if absent:
        raise BackupError(f"The archive lacks {len(absent)} file(s) its manifest lists, e.g. {absent[0]}.")


# --- Restoring ------------------------------------------------------------------------------------------


def _code_migrations() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.graph.nodes), set(loader.disk_migrations)


def check_migrations(manifest: dict) -> None:
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    graph, on_disk = _code_migrations()
    unknown = sorted(archived - on_disk)
    missing = sorted(graph - archived)
    if not unknown and not missing:
        return
    lines = [
        f"The archive's migration state does not match this code (archive made by portal "
        f"{manifest.get('portal_version')}). Restore it with the version that made it, then upgrade "
        "with `manage.py migrate`."
    ]
    if unknown:
        lines.append(
            "Applied in the archive, unknown here: " + ", ".join(f"{a}.{n}" for a, n in unknown[:10])
        )
    if missing:
        lines.append("Here, not in the archive: " + ", ".join(f"{a}.{n}" for a, n in missing[:10]))
    raise BackupError("\n".join(lines))


def check_empty_installation() -> None:
    with connection.cursor() as cursor:
        tables = _table_names(cursor, connection.vendor)
    if tables:
        raise BackupError(
            f"The database is not blank: it has {len(tables)} table(s) (e.g. {tables[0]}). A restore needs "
            "a blank database: create a new one (createdb, or a new SQLITE_PATH) and do not run migrate "
            "before restoring."
        )
    for kind in FILE_KINDS.values():
        first = next(walk(_storage(kind)), None)
        if first is not None:
            raise BackupError(
                f"The {kind} file storage is not empty (it holds {first}). A restore needs empty storages: "
                "point MEDIA_ROOT / PRIVATE_MEDIA_ROOT (or the S3 buckets/prefixes) at empty ones."
            )


def _restore_files(tar: tarfile.TarFile, manifest: dict, written: list[tuple[str, str]]) -> None:
    for kind, files in manifest["files"].items():
        storage = _storage(kind)
        for name, entry in files.items():
            stream = tar.extractfile(f"files/{kind}/{_safe_name(name)}")
            hashing = _Hashing(stream)
            saved = storage.save(name, File(io.BufferedReader(hashing, CHUNK), name=name))
            written.append((kind, saved))
            if saved != name:
                raise BackupError(f"The {kind} storage stored {name} as {saved}: it was not empty.")
            if hashing.sha256.hexdigest() != entry["sha256"]:
                raise BackupError(
                    f"files/{kind}/{name} changed while it was restored: the archive is damaged."
                )


def _restore_postgresql(dump: Path, work: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    env = _pg_env()
    listing = subprocess.run(  # noqa: S603
        [pg_restore, "--list", str(dump)], env=env, capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"pg_restore could not read the dump: {listing.stderr.strip()}")
    # The comment on an extension may only be set by its owner (a superuser): leave it out.
    entries = [
        line for line in listing.stdout.splitlines() if not re.search(r"\bCOMMENT - EXTENSION\b", line)
    ]
    toc = work / "restore.list"
    toc.write_text("\n".join(entries) + "\n", encoding="utf-8")
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
         f"--use-list={toc}", f"--dbname={env['PGDATABASE']}", str(dump)],
        env=env,
        what="pg_restore",
    )  # fmt: skip


def _restore_sqlite(dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        register_sqlite_functions(source)  # CHECK constraints use Django's REGEXP
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The archive's SQLite database fails its integrity check.")
        connection.ensure_connection()
        source.backup(connection.connection)  # replaces the (blank) database in one step
    finally:
        source.close()


def _count_tables() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _read_snapshot(cursor, connection.vendor).tables


def restore_backup(archive: Path, *, check_only: bool = False) -> dict:
    """Restore ``archive`` into this (empty) installation; with ``check_only`` only verify the archive
    and whether it could be restored here. Returns the manifest."""
    with _open_archive(archive) as tar:
        manifest = read_manifest(tar)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"The archive holds a {vendor} database; this installation uses {connection.vendor}."
            )
        verify_archive(tar, manifest)
        check_migrations(manifest)
        if check_only:
            return manifest
        check_empty_installation()
        written: list[tuple[str, str]] = []
        try:
            _restore_files(tar, manifest, written)
            with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
                dump = Path(work) / "database"
                with dump.open("wb") as out:
                    shutil.copyfileobj(tar.extractfile(manifest["database"]["member"]), out, CHUNK)
                if vendor == "postgresql":
                    _restore_postgresql(dump, Path(work))
                else:
                    _restore_sqlite(dump)
        except BaseException:
            for kind, name in written:
                _storage(kind).delete(name)
            raise
    counts = _count_tables()
    if counts != manifest["tables"]:
        differ = sorted(
            t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(
            "The restored database does not hold the rows the manifest lists (tables: "
            + ", ".join(differ[:10])
            + "). Do not use it; restore into a new blank database."
        )
    return manifest
