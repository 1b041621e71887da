"""Fonts for the PDFs WeasyPrint renders (Shindan reports, event agendas): files on disk, nothing from the
internet and no system fonts needed, so Thai and Japanese render the same on any server.

Thai comes from ``portal/core/pdf_fonts/``: the web font with extra glyphs used only inside SARA AM, so that
the PDF's text layer gives back "จำกัด" and not "จากัด" (``bin/build_pdf_fonts.py`` says why and builds it).
Japanese is the web font from ``static/fonts``. ``render_pdf`` turns a template into a PDF with them."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language

PDF_FONT_DIR = Path(__file__).resolve().parent / "pdf_fonts"
FONT_FILES = {
    ("Noto Sans Thai", 400): PDF_FONT_DIR / "NotoSansThai-Regular.woff2",
    ("Noto Sans Thai", 700): PDF_FONT_DIR / "NotoSansThai-Bold.woff2",
    ("Noto Sans JP", 400): "fonts/NotoSansJP-Regular.woff2",
    ("Noto Sans JP", 700): "fonts/NotoSansJP-Bold.woff2",
}


def font_faces() -> str:
    """@font-face rules pointing at the font files on disk (for WeasyPrint)."""
    rules = []
    for (family, weight), path in FONT_FILES.items():
        found = path if isinstance(path, Path) else finders.find(path)
        if found and Path(found).exists():
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("file://{found}") format("woff2"); '
                f"font-weight: {weight}; }}"
            )
    return "\n".join(rules)


def render_pdf(template: str, context: dict, *, request=None, base_url: str | None = None) -> bytes:
    """A PDF from a template: the context gets ``font_faces`` (for the template's ``<style>``) and
    ``language`` (for ``<html lang>``), and WeasyPrint renders it with nothing from the internet."""
    from weasyprint import HTML  # WeasyPrint takes ~0.5 s to import: only when a PDF is made

    html = render_to_string(
        template, {"font_faces": font_faces(), "language": get_language(), **context}, request=request
    )
    return HTML(string=html, base_url=base_url).write_pdf()
