"""Uploaded pictures and PDFs checked by their content and re-encoded before anything is stored.

- ``web_image_variants``: a PNG/JPEG/WebP upload (never SVG, never a file that also reads as HTML) is
  decoded with a pixel limit (no decompression bombs), turned upright by its EXIF orientation and re-encoded
  as WebP at web sizes. Nothing of the original file survives: no EXIF, no GPS, no extra chunks.
- ``pdf_first_page``: a PDF is checked (``%PDF-`` header, opens, not encrypted, has a page) and its first
  page is rendered by PDFium (pypdfium2, offline) as a WebP preview.
- Stored names are the SHA-256 of the bytes, so a name is never reused and the files can be cached for a
  year (``immutable``).

Refusals raise ``ValidationError`` with a translated message and a ``code``.
"""

import contextlib
import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
# A decoded picture may have at most this many pixels (a 6000 × 6000 photo); more is refused before decoding.
MAX_PIXELS = 36_000_000
# Markup that makes a file readable as a web page or an SVG: an upload carrying it is refused, whatever else
# it is (a "polyglot" PNG with an HTML payload in a chunk).
_MARKUP = re.compile(rb"<\s*(?:svg|html|script|body|iframe|object|embed|!doctype)\b", re.IGNORECASE)
# A stored name: the content's hash, the variant, and the suffix a storage adds when the same content is
# stored twice (the content behind such a name never changes either).
HASHED_NAME = re.compile(r"(?:^|/)[0-9a-f]{32}(?:-[a-z0-9]+)?(?:_[A-Za-z0-9]{7})?\.(?:webp|pdf)$")


@dataclass(frozen=True)
class Variant:
    name: str  # "web", "thumb", …
    content: ContentFile  # its .name is the hashed file name
    width: int
    height: int


def hashed_name(data: bytes, suffix: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:32]}{suffix}"


def _read(upload, *, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is too big: at most %(size)s MB.") % {"size": max_bytes // (1024 * 1024)},
            code="file_too_big",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is too big: at most %(size)s MB.") % {"size": max_bytes // (1024 * 1024)},
            code="file_too_big",
        )
    return data


def _refuse_markup(data: bytes) -> None:
    if _MARKUP.search(data):
        raise ValidationError(
            _("The file contains web-page or SVG markup; upload a plain PNG, JPEG or WebP picture."),
            code="image_markup",
        )


def open_image(upload, *, max_bytes: int) -> Image.Image:
    """The decoded, upright picture of ``upload``; refuses what is not a safe PNG/JPEG/WebP picture."""
    data = _read(upload, max_bytes=max_bytes)
    _refuse_markup(data)
    not_a_picture = ValidationError(_("Upload a PNG, JPEG or WebP picture."), code="image_format")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The picture has too many pixels: at most %(megapixels)s megapixels.")
                    % {"megapixels": MAX_PIXELS // 1_000_000},
                    code="image_too_large",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The picture has too many pixels: at most %(megapixels)s megapixels.")
            % {"megapixels": MAX_PIXELS // 1_000_000},
            code="image_too_large",
        ) from None
    except Exception:  # Pillow raises many kinds for broken or unknown files
        raise not_a_picture from None
    if image.format not in ACCEPTED_FORMATS:
        raise not_a_picture
    with contextlib.suppress(Exception):  # a broken EXIF block: keep the picture as stored
        image = ImageOps.exif_transpose(image)
    return image


def _encode(image: Image.Image, *, box: int, name: str, quality: int) -> Variant:
    picture = image.copy()
    picture.thumbnail((box, box), Image.Resampling.LANCZOS)
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert(
            "RGBA" if "A" in picture.getbands() or "transparency" in picture.info else "RGB"
        )
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries the pixels only.
    picture.save(out, format="WEBP", quality=quality, method=4)
    data = out.getvalue()
    return Variant(name, ContentFile(data, name=hashed_name(data, f"-{name}.webp")), *picture.size)


def web_image_variants(upload, *, max_bytes: int, sizes: dict[str, int], quality: int = 80) -> list[Variant]:
    """The upload re-encoded as WebP once per ``sizes`` entry (name → longest side in pixels)."""
    image = open_image(upload, max_bytes=max_bytes)
    return [_encode(image, box=box, name=name, quality=quality) for name, box in sizes.items()]


def pdf_first_page(upload, *, max_bytes: int, max_pages: int = 500, box: int = 800) -> tuple[bytes, Variant]:
    """(the PDF's bytes, a WebP preview of its first page); refuses what is not a readable PDF."""
    import pypdfium2

    data = _read(upload, max_bytes=max_bytes)
    not_a_pdf = ValidationError(_("Upload a PDF file."), code="pdf_format")
    if not data.lstrip()[:5] == b"%PDF-":
        raise not_a_pdf
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise ValidationError(
                _("The PDF is protected by a password; upload it without one."), code="pdf_encrypted"
            ) from None
        raise not_a_pdf from None
    try:
        if len(document) == 0:
            raise not_a_pdf
        if len(document) > max_pages:
            raise ValidationError(
                _("The PDF has too many pages: at most %(pages)s.") % {"pages": max_pages}, code="pdf_pages"
            )
        page = document[0]
        width, height = page.get_size()  # in points
        if width <= 0 or height <= 0:
            raise not_a_pdf
        scale = min(box / max(width, height), 4.0)
        image = page.render(scale=scale).to_pil()
        page.close()
    except ValidationError:
        raise
    except Exception:
        raise not_a_pdf from None
    finally:
        document.close()
    return data, _encode(image, box=box, name="preview", quality=75)
