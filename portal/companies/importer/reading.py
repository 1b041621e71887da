"""Reading an upload (CSV or XLSX) into rows, within limits: refused by its real size before and while
it is parsed, never by what the file declares."""

import codecs
import csv
import datetime
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.companies.importer.contract import COLUMNS, ImportFailed, RowError


@dataclass(frozen=True)
class Limits:
    """What a file may be (settings ``PORTAL_IMPORT_*``), checked against what it really is while it is
    read: its bytes, rows, columns and cells, and for an XLSX the real unzipped size of every part. What a
    file declares about itself (an XLSX's ``<dimension>``, a zip's sizes) is never trusted."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cell_chars: int
    max_unzipped_bytes: int
    max_zip_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.PORTAL_IMPORT_MAX_BYTES,
            max_rows=settings.PORTAL_IMPORT_MAX_ROWS,
            max_columns=settings.PORTAL_IMPORT_MAX_COLUMNS,
            max_cell_chars=settings.PORTAL_IMPORT_MAX_CELL_CHARS,
            max_unzipped_bytes=settings.PORTAL_IMPORT_MAX_UNZIPPED_BYTES,
            max_zip_ratio=settings.PORTAL_IMPORT_MAX_ZIP_RATIO,
        )


# A zip part smaller than this unzipped is not checked for its compression ratio (tiny XML parts of any
# workbook compress well); a workbook has a dozen parts, so this many means something else.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 500
CHUNK_BYTES = 1024 * 1024


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def _refuse(message: str, line: int = 1, column: str = "-") -> ImportFailed:
    return ImportFailed([RowError(line, column, message)])


def file_size_error(size: int, limits: Limits | None = None) -> str | None:
    """The translated refusal of a file of ``size`` bytes, or None when it is within the limit."""
    limits = limits or Limits.from_settings()
    if size <= limits.max_bytes:
        return None
    return _("The file is %(size)s; it may be at most %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limits.max_bytes),
    }


def read_table(data: bytes, filename: str, limits: Limits | None = None) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every non-empty data row; the header is line 1.

    Raises ImportFailed at the first limit the file passes (bytes, rows, columns, cell length, unzipped
    size), before reading further."""
    limits = limits or Limits.from_settings()
    too_big = file_size_error(len(data), limits)
    if too_big:
        raise _refuse(too_big)
    if Path(filename).suffix.lower() == ".xlsx":
        return _read_xlsx(data, limits)
    return _read_csv(data, limits)


def _check_header(header: list[str]) -> None:
    header = [column.strip() for column in header]
    missing = [column for column in COLUMNS if column not in header]
    unknown = [column for column in header if column and column not in COLUMNS]
    if missing or unknown:
        errors = [RowError(1, column, _("This column is missing.")) for column in missing]
        errors += [RowError(1, column, _("Unknown column.")) for column in unknown]
        raise ImportFailed(errors)


def _check_record(number: int, line: int, record, keys: list[str], limits: Limits) -> None:
    """The ``number``-th record (the header is 1), which ends on ``line``: within the row, column and cell
    limits (raises ImportFailed otherwise). Empty rows count too: a million of them is no smaller."""
    if number > limits.max_rows + 1:
        raise _refuse(
            _("The file has more than %(limit)s rows; import at most %(limit)s rows at a time.")
            % {"limit": _count(limits.max_rows)},
            line,
        )
    if len(record) > limits.max_columns:
        raise _refuse(
            _("This row has %(count)s columns; a row may have at most %(limit)s.")
            % {"count": _count(len(record)), "limit": _count(limits.max_columns)},
            line,
        )
    for index, cell in enumerate(record):
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise _refuse(_cell_too_long(limits), line, keys[index] if index < len(keys) else "-")


def _cell_too_long(limits: Limits) -> str:
    return _("A cell may be at most %(limit)s characters.") % {"limit": _count(limits.max_cell_chars)}


def _read_csv(data: bytes, limits: Limits) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(1, "-", _("The file is not UTF-8 text (save the CSV as UTF-8)."))]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, keys = [], []
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFailed([RowError(1, "-", _("The file is empty."))])
        _check_record(1, reader.line_num, header, [], limits)
        _check_header(header)
        keys = [column.strip() for column in header]
        for number, record in enumerate(reader, start=2):
            line = reader.line_num
            _check_record(number, line, record, keys, limits)
            if any(cell.strip() for cell in record):
                rows.append((line, dict(zip(keys, (cell.strip() for cell in record), strict=False))))
    except csv.Error as exc:
        # The csv module refuses a field longer than csv.field_size_limit() (131,072) by itself; anything
        # else it refuses (a NUL byte, a quote left open) is a broken line.
        if "field larger than field limit" in str(exc):
            raise _refuse(_cell_too_long(limits), reader.line_num) from exc
        raise _refuse(_("This line is not valid CSV."), reader.line_num) from exc
    return rows


def inspect_xlsx(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a workbook whose parts unzip to more than the limit, or compress suspiciously well, before
    any XML parser sees it. The sizes the zip declares are checked first (a quick refusal), then every part
    is really unzipped in chunks and counted (Python's zipfile never reads past a declared size and checks
    each part's CRC, so a zip that lies about its sizes is refused as broken)."""
    limits = limits or Limits.from_settings()
    unreadable = _("The file is not a readable XLSX workbook.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(unreadable) from exc
    too_large = _("The workbook unzips to more than %(limit)s; it may be at most %(limit)s unzipped.") % {
        "limit": filesizeformat(limits.max_unzipped_bytes)
    }
    bomb = _(
        "A part of the workbook is compressed more than %(ratio)s to 1; it is refused as a possible zip bomb."
    ) % {"ratio": _count(limits.max_zip_ratio)}
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(unreadable)
    if sum(member.file_size for member in members) > limits.max_unzipped_bytes:
        raise _refuse(too_large)
    for member in members:
        if _ratio_exceeded(member.file_size, member.compress_size, limits):
            raise _refuse(bomb)
    total = 0
    try:
        for member in members:
            real = 0
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    real += len(chunk)
                    total += len(chunk)
                    if total > limits.max_unzipped_bytes:
                        raise _refuse(too_large)
                    if _ratio_exceeded(real, member.compress_size, limits):
                        raise _refuse(bomb)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, zlib.error) as exc:
        raise _refuse(unreadable) from exc


HEADER_PEEK_BYTES = 64 * 1024


def precheck_upload(upload, limits: Limits | None = None) -> None:
    """The quick checks the upload page makes before it keeps a file (the worker then reads it whole):
    its size, an XLSX's zip (real unzipped size and compression ratio) or a CSV's encoding and header.
    Raises ImportFailed; leaves ``upload`` rewound."""
    limits = limits or Limits.from_settings()
    too_big = file_size_error(upload.size, limits)
    if too_big:
        raise _refuse(too_big)
    upload.seek(0)
    try:
        if upload.name.lower().endswith(".xlsx"):
            inspect_xlsx(upload.read(), limits)
            return
        head = upload.read(HEADER_PEEK_BYTES)
        try:
            decoder = codecs.getincrementaldecoder("utf-8-sig")()
            text = decoder.decode(head, final=len(head) < HEADER_PEEK_BYTES)
        except UnicodeDecodeError as exc:
            raise _refuse(_("The file is not UTF-8 text (save the CSV as UTF-8).")) from exc
        if not text.strip():
            raise _refuse(_("The file is empty."))
        first, newline, _rest = text.partition("\n")
        if newline or len(head) < HEADER_PEEK_BYTES:
            try:
                header = next(csv.reader([first.rstrip("\r")]), [])
            except csv.Error as exc:
                raise _refuse(_("This line is not valid CSV.")) from exc
            _check_record(1, 1, header, [], limits)
            _check_header(header)
    finally:
        upload.seek(0)


def _ratio_exceeded(unzipped: int, compressed: int, limits: Limits) -> bool:
    return unzipped > RATIO_FLOOR_BYTES and unzipped > limits.max_zip_ratio * max(compressed, 1)


def _read_xlsx(data: bytes, limits: Limits) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    inspect_xlsx(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFailed([RowError(1, "-", _("The file is not a readable XLSX workbook."))]) from exc
    # The sheet's <dimension> is what the file claims (A1:XFD1048576 makes openpyxl pad every row to
    # 16,384 cells and yield a million rows): forget it, and read only the cells that are there.
    sheet.reset_dimensions()
    try:
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise ImportFailed([RowError(1, "-", _("The file is empty."))])
        _check_record(1, 1, header, [], limits)
        keys = ["" if cell is None else str(cell).strip() for cell in header]
        _check_header(keys)
        rows = []
        for number, record in enumerate(lines, start=2):
            _check_record(number, number, record, keys, limits)
            cells = [_xlsx_text(cell) for cell in record]
            if any(cells):
                rows.append((number, dict(zip(keys, cells, strict=False))))
    except ImportFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken part shows only when its rows are read
        raise ImportFailed([RowError(1, "-", _("The file is not a readable XLSX workbook."))]) from exc
    finally:
        workbook.close()
    return rows


def _xlsx_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
