"""The database snapshot: the dump, the row counts, the migrations and the files the rows refer to,
from one snapshot of the database."""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import FileField

from portal.core.backup.common import FILE_KINDS, BackupError
from portal.core.storage import storage_alias

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
