"""Test files for the showcase: pictures, a picture with GPS EXIF, a decompression bomb, polyglots, PDFs."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg(
    name: str = "part.jpg", *, size=(800, 600), color=(200, 60, 40), gps: bool = False
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps_ifd = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 30.0, 0.0)}
        exif[0x8825] = gps_ifd
        kwargs["exif"] = exif.tobytes()
    image.save(out, format="JPEG", **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "part.png", *, size=(640, 480), extra: bytes = b"") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    data = out.getvalue()
    if extra:  # a tEXt chunk before IEND: still a valid PNG
        chunk = b"tEXt" + b"comment\x00" + extra
        data = (
            data[:-12]
            + struct.pack(">I", len(chunk) - 4)
            + chunk
            + struct.pack(">I", zlib.crc32(chunk))
            + data[-12:]
        )
    return SimpleUploadedFile(name, data, content_type="image/png")


def png_bomb(name: str = "bomb.png") -> SimpleUploadedFile:
    """A small file that declares 20000 × 20000 pixels (400 megapixels)."""
    width = height = 20000
    raw = zlib.compress(b"".join(b"\x00" + b"\x00" * (width // 8) for _ in range(height)), 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    data += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, data, content_type="image/png")


def svg(name: str = "logo.svg") -> SimpleUploadedFile:
    data = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return SimpleUploadedFile(name, data, content_type="image/svg+xml")


def pdf(name: str = "brochure.pdf", *, text: str = "Brochure") -> SimpleUploadedFile:
    """A one-page PDF drawn by Pillow (no other PDF writer needed)."""
    image = Image.new("RGB", (595, 842), "white")
    from PIL import ImageDraw

    ImageDraw.Draw(image).rectangle((50, 50, 545, 300), fill=(11, 79, 138))
    out = io.BytesIO()
    image.save(out, format="PDF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")
