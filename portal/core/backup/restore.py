"""Restoring an archive into an empty installation (``restore_backup``)."""

import io
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import connection
from django.db.backends.sqlite3._functions import register as register_sqlite_functions
from django.db.migrations.loader import MigrationLoader

from portal.core.backup.archive import _Hashing, _open_archive, _safe_name, read_manifest, verify_archive
from portal.core.backup.common import CHUNK, FILE_KINDS, BackupError, _storage
from portal.core.backup.snapshot import _pg_env, _pg_tool, _read_snapshot, _run, _table_names
from portal.core.storage import walk

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
