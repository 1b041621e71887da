"""Writing an archive (``create_backup``), and reading and verifying one."""

import datetime
import hashlib
import io
import json
import os
import platform
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connection

from portal.core.backup.common import (
    CHUNK,
    DATABASE_MEMBERS,
    FILE_KINDS,
    FORMAT,
    MANIFEST,
    BackupError,
    _portal_version,
    _storage,
)
from portal.core.backup.snapshot import _snapshot_postgresql, _snapshot_sqlite
from portal.core.storage import walk

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
