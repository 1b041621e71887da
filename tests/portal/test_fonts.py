"""Web fonts: small slices by unicode-range (static/css/fonts.css, made by bin/subset_web_fonts.py from the
full fonts in static/fonts/), and the full fonts for the PDFs (see static/fonts/README.md)."""

import re
from pathlib import Path

import polib
import pytest
from fontTools.ttLib import TTFont

from portal.core.pdf import FONT_FILES

ROOT = Path(__file__).resolve().parent.parent.parent
FONTS_CSS = ROOT / "static" / "css" / "fonts.css"
FACE = re.compile(
    r'@font-face \{ font-family: "(?P<family>[^"]+)"; font-style: normal; font-weight: (?P<weight>\d+); '
    r"font-display: swap;\s+src: (?P<src>[^;]+);\s+unicode-range: (?P<range>[^;]+); \}"
)
THAI = re.compile(r"[\u0e00-\u0e7f]")
JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def _faces() -> list[dict]:
    return [match.groupdict() for match in FACE.finditer(FONTS_CSS.read_text(encoding="utf-8"))]


def _code_points(unicode_range: str) -> set[int]:
    points = set()
    for part in unicode_range.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def _url(src: str) -> str:
    return re.search(r'url\("\.\./(?P<path>[^"]+)"\)', src).group("path")


def test_every_face_holds_exactly_the_characters_of_its_unicode_range():
    faces = _faces()

    assert len(faces) == FONTS_CSS.read_text(encoding="utf-8").count("@font-face")
    for face in faces:
        path = ROOT / "static" / _url(face["src"])
        font = TTFont(path)
        assert path.read_bytes()[:4] == b"wOF2"
        assert set(font.getBestCmap()) == _code_points(face["range"]), path.name


def test_faces_come_from_the_system_first_and_never_overlap():
    for family in ("Noto Sans Thai", "Noto Sans JP"):
        for weight in ("400", "700"):
            faces = [f for f in _faces() if f["family"] == family and f["weight"] == weight]
            assert faces, (family, weight)
            seen: set[int] = set()
            for face in faces:
                assert face["src"].startswith('local("'), face["src"][:40]
                points = _code_points(face["range"])
                assert not points & seen
                seen |= points


@pytest.mark.parametrize(
    ("language", "script", "family"), [("th", THAI, "Noto Sans Thai"), ("ja", JAPANESE, "Noto Sans JP")]
)
def test_every_character_the_ui_shows_has_a_web_font_in_both_weights(language, script, family):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    text = "".join(entry.msgstr + "".join(entry.msgstr_plural.values()) for entry in catalogue)
    needed = {ord(char) for char in text if script.match(char)}

    for weight in ("400", "700"):
        covered = set().union(
            *(_code_points(f["range"]) for f in _faces() if f["family"] == family and f["weight"] == weight)
        )
        assert {chr(point) for point in needed - covered} == set()


def test_a_page_in_any_language_needs_only_the_small_shell_slice_for_the_language_switcher():
    """Every page names the languages in their own script (ไทย, 日本語): those characters sit in slices of a
    few kB, so an English page never downloads a Japanese slice with more."""
    shell = next(
        f for f in _faces() if f["family"] == "Noto Sans JP" and _url(f["src"]).endswith("400-shell.woff2")
    )

    assert _code_points(shell["range"]) == {ord(char) for char in "日本語"}
    assert (ROOT / "static" / _url(shell["src"])).stat().st_size < 4_000


def test_pdfs_embed_the_full_fonts():
    """WeasyPrint (Shindan report, agenda PDF) uses the full fonts, which hold every JIS X 0208 kanji, not
    the web slices."""
    for path in FONT_FILES.values():
        font = TTFont(ROOT / "static" / path)  # a relative path is under static/, an absolute one stays
        assert "web/" not in str(path)
        if "JP" in str(path):
            assert len([c for c in font.getBestCmap() if 0x4E00 <= c <= 0x9FFF]) > 6_000
            assert ord("﨑") in font.getBestCmap() or ord("髙") in font.getBestCmap()
        else:
            assert ord("ำ") in font.getBestCmap()


def test_pages_link_the_font_slices_and_no_full_font():
    css = (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")

    assert "css/fonts.css" in base
    assert "@font-face" not in css
    assert all("/web/" in _url(face["src"]) for face in _faces())
