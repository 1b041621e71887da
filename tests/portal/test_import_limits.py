"""Import bombs (issue 12, item 4): files refused by what they really are — bytes, rows, columns, cell length,
an XLSX's real unzipped size and compression ratio — quickly, with a translated message naming the limit,
and with nothing written. The same limits hold for the ``import_companies`` command."""

import contextlib
import io
import re
import signal
import struct
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from portal.companies.importer import COLUMNS, ImportFailed, Limits, import_companies, read_table
from portal.companies.models import Company
from tests.portal.test_importer import GOOD, _csv

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def within(seconds: int):
    """Fail instead of hanging: the bombs held a web worker for 31 s before this issue's fix."""

    def expired(signum, frame):
        raise TimeoutError(f"still reading the file after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _refused(data: bytes, filename: str, language: str = "en") -> list:
    with translation.override(language), within(20), pytest.raises(ImportFailed) as failure:
        import_companies(data=data, filename=filename)
    assert Company.objects.count() == 0
    return failure.value.errors


def _workbook(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, rewrite) -> bytes:
    """The same workbook with its first sheet's XML passed through ``rewrite``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = rewrite(content.decode()).encode()
            target.writestr(item.filename, content)
    return buffer.getvalue()


def _declare_whole_sheet(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


def dimension_bomb() -> bytes:
    """A few KB that declare A1:XFD1048576 and hold one cell there (openpyxl padded every row to 16,384
    cells and yielded a million rows)."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return _rewrite_sheet(_workbook(GOOD), lambda xml: _declare_whole_sheet(xml).replace("</sheetData>", far))


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """About 2.8 MB that unzip to 620 MiB: one sheet of spaces, compressed as it is written (the test never
    holds more than 4 MiB of it)."""
    buffer = io.BytesIO()
    chunk = b" " * (4 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(155):
                sheet.write(chunk)
    return buffer.getvalue()


def lying_zip() -> bytes:
    """A sheet that really unzips to 8 MiB while its headers declare 100 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (8 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    struct.pack_into("<I", data, info.header_offset + 22, 100_000)  # local header: uncompressed size
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100_000)  # central directory: uncompressed size
    return bytes(data)


def test_a_declared_dimension_is_not_trusted_only_real_cells_are_read():
    data = _rewrite_sheet(_workbook(GOOD), _declare_whole_sheet)
    assert b'ref="A1:XFD1048576"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

    with within(20):
        result = import_companies(data=data, filename="companies.xlsx")

    assert (result.created, result.updated) == (1, 0)


def test_the_dimension_bomb_is_refused_at_the_row_limit():
    data = dimension_bomb()
    assert len(data) < 8 * 1024

    errors = _refused(data, "bomb.xlsx")

    assert [(e.line, e.column, e.message) for e in errors] == [
        (20_002, "-", "The file has more than 20,000 rows; import at most 20,000 rows at a time.")
    ]


def test_a_row_wider_than_the_column_limit_is_refused():
    far = '<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _rewrite_sheet(_workbook(GOOD), lambda xml: xml.replace("</sheetData>", far))

    errors = _refused(data, "wide.xlsx")

    assert [(e.line, e.message) for e in errors] == [
        (3, "This row has 16,384 columns; a row may have at most 64.")
    ]


def test_an_xlsx_that_unzips_to_hundreds_of_megabytes_is_refused_before_parsing(zip_bomb):
    assert len(zip_bomb) < 3 * 1024 * 1024
    assert sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(zip_bomb)).infolist()) > 600 * 2**20

    errors = _refused(zip_bomb, "bomb.xlsx")

    assert [e.message for e in errors] == [
        "The workbook unzips to more than 256.0\xa0MB; it may be at most 256.0\xa0MB unzipped."
    ]


def test_a_part_compressed_beyond_the_ratio_is_refused_as_a_zip_bomb(zip_bomb, settings):
    settings.PORTAL_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 2**20  # the size would pass; the ratio does not

    errors = _refused(zip_bomb, "bomb.xlsx")

    assert [e.message for e in errors] == [
        "A part of the workbook is compressed more than 100 to 1; it is refused as a possible zip bomb."
    ]


def test_a_zip_that_lies_about_its_sizes_is_refused_as_unreadable():
    errors = _refused(lying_zip(), "liar.xlsx")

    assert [e.message for e in errors] == ["The file is not a readable XLSX workbook."]


def test_a_csv_larger_than_the_limit_is_refused_by_its_size_before_parsing():
    data = _csv(GOOD) + b"x" * (32 * 1024 * 1024)

    errors = _refused(data, "big.csv")

    assert [e.message for e in errors] == ["The file is 32.0\xa0MB; it may be at most 32.0\xa0MB."]


def test_a_csv_with_more_rows_than_the_limit_is_refused():
    data = _csv(GOOD) + b"\n".join([b"x"] * 20_000)

    errors = _refused(data, "many.csv")

    assert [(e.line, e.message) for e in errors] == [
        (20_002, "The file has more than 20,000 rows; import at most 20,000 rows at a time.")
    ]


@pytest.mark.parametrize("length", [20_001, 131_073, 300_000])
def test_a_csv_cell_longer_than_the_limit_is_refused_not_a_server_error(length):
    """131,073 characters is past the csv module's own limit, which raised a 500 before."""
    data = _csv(GOOD, {**GOOD, "external_id": "TH-0002", "description_en": "a" * length})

    errors = _refused(data, "long.csv")

    assert len(errors) == 1
    assert (errors[0].line, errors[0].message) == (3, "A cell may be at most 20,000 characters.")
    assert errors[0].column in ("description_en", "-")  # the csv module does not say which cell


def test_a_csv_row_wider_than_the_column_limit_is_refused():
    data = _csv(GOOD) + b"," * 64 + b"\n"

    errors = _refused(data, "wide.csv")

    assert [(e.line, e.message) for e in errors] == [
        (3, "This row has 65 columns; a row may have at most 64.")
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("th", "ไฟล์มีมากกว่า 20,000 แถว นำเข้าได้ครั้งละไม่เกิน 20,000 แถว"),
        ("ja", "ファイルの行数が 20,000 行を超えています。一度にインポートできるのは 20,000 行までです。"),
    ],
)
def test_the_refusal_is_translated_and_names_the_limit(language, expected):
    errors = _refused(_csv(GOOD) + b"\n".join([b"x"] * 20_000), "many.csv", language)

    assert [e.message for e in errors] == [expected]


def test_limits_come_from_the_settings(settings):
    settings.PORTAL_IMPORT_MAX_ROWS = 2
    settings.PORTAL_IMPORT_MAX_CELL_CHARS = 10

    assert Limits.from_settings().max_rows == 2
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        read_table(_csv(GOOD), "one.csv")
    assert failure.value.errors[0].message == "A cell may be at most 10 characters."


def test_the_command_has_the_same_limits(tmp_path, capsys, zip_bomb):
    big, bomb = tmp_path / "big.csv", tmp_path / "bomb.xlsx"
    big.write_bytes(b"x" * (32 * 1024 * 1024 + 1))
    bomb.write_bytes(zip_bomb)

    with translation.override("en"):
        with pytest.raises(CommandError, match="at most 32.0\xa0MB. Nothing was imported"):
            call_command("import_companies", str(big))
        with within(20), pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_companies", str(bomb))

    assert "at most 256.0\xa0MB unzipped" in capsys.readouterr().err
    assert Company.objects.count() == 0
