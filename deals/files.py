"""Attachments checked by their content, not their name: a PDF must start like a PDF, an image like that
image, an Office document like a ZIP or OLE container; drawings (CAD) are kept as plain files. Anything
that looks like HTML, SVG or script is refused whatever its name, and so are other types and files over
the size limit (``DEALS_ATTACHMENT_MAX_BYTES``)."""

import os
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension → (kind, the magic numbers its content must start with; None: a plain-text or binary drawing)
_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
TYPES = {
    "pdf": ("pdf", _PDF),
    "png": ("image", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image", (b"\xff\xd8\xff",)),
    "jpeg": ("image", (b"\xff\xd8\xff",)),
    "gif": ("image", (b"GIF87a", b"GIF89a")),
    "webp": ("image", (b"RIFF",)),
    "docx": ("office", _ZIP),
    "xlsx": ("office", _ZIP),
    "pptx": ("office", _ZIP),
    "doc": ("office", _OLE),
    "xls": ("office", _OLE),
    "ppt": ("office", _OLE),
    "dwg": ("cad", (b"AC10",)),
    "dxf": ("cad", None),
    "step": ("cad", None),
    "stp": ("cad", None),
    "iges": ("cad", None),
    "igs": ("cad", None),
    "stl": ("cad", None),
}
# Markup a browser (or a viewer) could run: refused in any file, whatever its extension.
_MARKUP = (b"<html", b"<!doctype", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe", b"<head")


def allowed_extensions() -> str:
    return ", ".join(sorted(TYPES))


def check_upload(upload) -> tuple[str, str]:
    """(safe display name, stored name) for an upload, or ValidationError with what is wrong."""
    name = os.path.basename(upload.name or "file").strip()[:150] or "file"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = settings.DEALS_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.") % {"name": name, "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    if extension not in TYPES:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept (%(types)s).")
            % {"name": name, "types": allowed_extensions()},
            code="wrong_type",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(marker in lowered for marker in _MARKUP):
        raise ValidationError(
            _("“%(name)s” contains web page or SVG content, which we do not accept.") % {"name": name},
            code="markup",
        )
    kind, magic = TYPES[extension]
    if magic is not None and not head.startswith(magic):
        raise ValidationError(
            _("“%(name)s” is not really a .%(extension)s file.") % {"name": name, "extension": extension},
            code="wrong_content",
        )
    if extension == "webp" and head[8:12] != b"WEBP":
        raise ValidationError(
            _("“%(name)s” is not really a .%(extension)s file.") % {"name": name, "extension": extension},
            code="wrong_content",
        )
    if magic is _ZIP and not _is_office_zip(upload):
        raise ValidationError(
            _("“%(name)s” is not really a .%(extension)s file.") % {"name": name, "extension": extension},
            code="wrong_content",
        )
    return name, f"{uuid.uuid4().hex}.{extension}"


def _is_office_zip(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names


def content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {
        "pdf": "application/pdf",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
    }.get(extension, "application/octet-stream")
