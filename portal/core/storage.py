"""Where the portal keeps files: Django's ``STORAGES`` has ``default`` (public media: logos) and
``private`` (files only some users may see: evidence photos, import uploads, attachments).

One setting picks the backend of both (``PORTAL_STORAGE=filesystem|s3``, portal/settings.py): folders on
disk (``MEDIA_ROOT``, ``PRIVATE_MEDIA_ROOT``) or S3-compatible object storage through django-storages.
Every file goes through these storages, never through a path built by hand.

- Models point at them through the callables below (``FileField(storage=private_storage)``); a field
  without ``storage=`` uses ``default``. Both answer with a proxy that follows ``STORAGES`` when it is
  used, so a setting (or a test) switches the backend without a migration.
- Private files have no URL (``url()`` raises, on disk and on S3): they go out only through
  permission-checked views, streamed by ``private_file_response``.
- A file that is replaced or whose row is deleted is removed from its storage after the transaction
  commits (``delete_file_on_commit``): services call it for the file they replace; deleted rows (a
  service, a cascade, the admin, an eraser) lose their files through ``connect_file_cleanup``.
"""

import logging
import mimetypes
import os
from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import FileField, signals
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)

PRIVATE = "private"
PUBLIC = "default"


@deconstructible(path="portal.core.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (read when used, so tests can move it) with no URL: they go out
    only through permission-checked views."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class _StorageProxy(LazyObject):
    """``storages[alias]`` looked up when first used, and again after ``STORAGES`` changes (tests)."""

    def __init__(self, alias: str):
        self.__dict__["_alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]


_private = _StorageProxy(PRIVATE)


def private_storage() -> Storage:
    """The storage for private files (``STORAGES["private"]``)."""
    return _private


def public_storage() -> Storage:
    """The storage for public media (``STORAGES["default"]``)."""
    return default_storage


def storage_alias(storage) -> str:
    """``"private"`` or ``"default"`` for a field's storage; anything else is a file outside STORAGES."""
    if storage is _private:
        return PRIVATE
    if storage is default_storage:
        return PUBLIC
    raise ValueError(f"{storage!r} is not one of the portal's storages (portal/core/storage.py)")


def _reset(*, setting, **kwargs) -> None:
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
        _private._wrapped = empty


setting_changed.connect(_reset, dispatch_uid="portal.core.storage.reset")


# --- Deleting files after commit ---------------------------------------------------------------------


def _delete_now(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        # The row is gone or points elsewhere already; a file left behind is logged, never an error page.
        logger.exception("could not delete a stored file", extra={"file": name})


def _delete_after_commit(storage: Storage, name: str, *, using: str | None, keep=lambda: False) -> None:
    def delete() -> None:
        if not keep():
            _delete_now(storage, name)

    transaction.on_commit(delete, using=using)


def delete_file_on_commit(file: FieldFile | None, *, using: str | None = None) -> None:
    """Remove ``file`` from its storage once the current transaction commits (at once outside one);
    nothing happens if it rolls back, so the row and its file stay together.

    Call it with the file a service replaces or clears, *before* the field gets its new value::

        delete_file_on_commit(row.photo)
        row.photo = upload
        row.save()

    If the row ends up naming the same file again (a new upload given the name of an old file that had
    gone missing), the file is kept."""
    if not file or not file.name:
        return
    name, instance, attname = file.name, file.instance, file.field.attname

    def still_named() -> bool:
        current = getattr(instance, attname, None)
        return bool(current) and current.name == name

    _delete_after_commit(file.storage, name, using=using, keep=still_named)


def _delete_files_of_row(sender, instance, using, **kwargs) -> None:
    for field in sender._meta.concrete_fields:
        if isinstance(field, FileField):
            file = getattr(instance, field.attname)
            if file and file.name:
                _delete_after_commit(file.storage, file.name, using=using)


def connect_file_cleanup(models) -> list:
    """Delete the files of every deleted row of ``models`` that have a file field, after commit.

    Connected per model (not for every sender): a receiver on a model turns off Django's fast
    cascade delete for it, which the models without files (match proposals, …) keep."""
    connected = []
    for model in models:
        if any(isinstance(field, FileField) for field in model._meta.concrete_fields):
            signals.post_delete.connect(
                _delete_files_of_row, sender=model, dispatch_uid=f"portal.files.{model._meta.label}"
            )
            connected.append(model)
    return connected


# --- Reading --------------------------------------------------------------------------------------------


def walk(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``path``, depth first, sorted; an absent root is empty."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from walk(storage, f"{path}/{directory}" if path else directory)


def private_file_response(file: FieldFile, *, download_name: str | None = None) -> FileResponse:
    """Stream a private file to a user the caller has already checked (filesystem or S3 alike).

    The bytes go through our own origin, so the Content-Security-Policy stays ``'self'`` and no URL that
    works without a login ever exists (see README "Files")."""
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    try:
        stream = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        logger.warning("a stored file is missing", extra={"file": file.name})
        raise Http404 from None
    response = FileResponse(
        stream,
        content_type=content_type,
        as_attachment=download_name is not None,
        filename=download_name or "",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
