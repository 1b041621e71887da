"""portal/core/spreadsheets.py: the one formula-injection guard, rows → CSV and rows → XLSX."""

import io

import pytest
from openpyxl import load_workbook

from portal.core.spreadsheets import csv_bytes, safe_cell, spreadsheet_response, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'=1"),  # the tab goes (single line), the formula is still written as text
        ("\r=1", "'=1"),
        ("Siam 0", "Siam 0"),
        ("a=b", "a=b"),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_cell_writes_formulas_as_text(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\tindented", "'\tindented"),  # a multi-line cell keeps its tab, so it is escaped as it is
        ("\rline", "'\nline"),  # the carriage return becomes a line break; the cell is still escaped
        ("=1\n=2", "'=1\n=2"),
        ("a\r\nb", "a\nb"),
        ("a\x00b", "ab"),
    ],
)
def test_safe_cell_multiline_keeps_lines_and_escapes(value, expected):
    assert safe_cell(value, multiline=True) == expected


def test_csv_has_a_byte_order_mark_and_the_rows():
    assert csv_bytes([["a", "b"], [safe_cell("=1"), 2]]) == "\ufeffa,b\r\n'=1,2\r\n".encode()


def test_xlsx_has_the_rows():
    sheet = load_workbook(io.BytesIO(xlsx_bytes([["a", "b"], [safe_cell("@x"), 2]], sheet="kpis"))).active
    assert sheet.title == "kpis"
    assert list(sheet.iter_rows(values_only=True)) == [("a", "b"), ("'@x", 2)]


def test_spreadsheet_response_names_the_file():
    response = spreadsheet_response([["a"]], name="expo-kpis", export="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="expo-kpis.csv"'
    response = spreadsheet_response([["a"]], name="expo-kpis", export="xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="expo-kpis.xlsx"'
    with pytest.raises(ValueError, match="unknown spreadsheet format"):
        spreadsheet_response([["a"]], name="x", export="ods")
