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

from portal.core.backup.archive import create_backup, default_archive_name, read_manifest, verify_archive
from portal.core.backup.common import FORMAT, MANIFEST, BackupError
from portal.core.backup.restore import check_empty_installation, check_migrations, restore_backup

__all__ = [
    "FORMAT",
    "MANIFEST",
    "BackupError",
    "check_empty_installation",
    "check_migrations",
    "create_backup",
    "default_archive_name",
    "read_manifest",
    "restore_backup",
    "verify_archive",
]
