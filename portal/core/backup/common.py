"""What the archive holds and the helpers both ways share."""

from importlib import metadata

from portal.core.storage import PRIVATE, PUBLIC, private_storage, public_storage

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
