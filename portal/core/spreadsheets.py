"""Spreadsheet files, built in one place: the formula-injection guard for every exported cell
(``safe_cell``), rows → CSV and rows → XLSX, as bytes or as a download.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula by a
spreadsheet (CSV/formula injection), so it is written as text with a leading ``'``; control characters are
cleaned first (openpyxl refuses most of them, and they break rows). Callers pass text through ``safe_cell``
and numbers as they are::

    rows = [["Name", "Meetings"], [safe_cell(company.name_en), 3]]
    return spreadsheet_response(rows, name="expo-kpis", export="xlsx")
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from portal.core.text import multi_line, single_line

# A cell starting with one of these would be read as a formula by a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def safe_cell(value, *, multiline: bool = False) -> str:
    """A text cell for a CSV or XLSX export: control characters cleaned (line breaks kept when
    ``multiline``), and a cell that would start a formula written as text (a leading ``'``)."""
    raw = "" if value is None else str(value)
    text = multi_line(raw) if multiline else single_line(raw)
    # Checked on the value as given too: cleaning turns a leading "\r" into "\n" on multi-line cells.
    return "'" + text if text.startswith(FORMULA_START) or raw.startswith(FORMULA_START) else text


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read Thai and Japanese right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence], *, sheet: str = "") -> bytes:
    from openpyxl import Workbook  # openpyxl takes ~0.2 s to import: only when a workbook is written

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet or "Sheet")
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(
    rows: Iterable[Sequence], *, name: str, export: str, sheet: str = ""
) -> HttpResponse:
    """The rows as a download: ``export`` is ``"csv"`` or ``"xlsx"``, ``name`` the file name (no suffix)."""
    if export == "csv":
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    elif export == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, sheet=sheet), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"unknown spreadsheet format {export!r}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
    return response
