"""Bulk import and export of companies (CSV UTF-8 with a header, or XLSX with the same header).

Stable contract (``import_companies FILE``): columns in :data:`COLUMNS`; multi-valued cells are
``;``-separated slugs; a certification may carry its expiry date as ``slug:YYYY-MM-DD``. Idempotent on
``external_id`` (a re-import updates). Atomic: every row is checked first, and if any cell is wrong
nothing is written and every error comes back with its line number and column. Imported companies are
verified (a coordinator imports them). Phones are read by the row's country (``portal.core.phones``).

Writes are batched (bulk_create, one delete + one insert per relation, one UPDATE per changed company),
so 10,000 rows take seconds, not minutes (bench/bench_import.py).

``contract`` (columns, errors, results), ``reading`` (within limits), ``checking``, ``writing`` and
``export``; import the names below from ``portal.companies.importer``.
"""

from portal.companies.importer.checking import check_rows
from portal.companies.importer.contract import (
    COLUMNS,
    MULTI_LINE_COLUMNS,
    ImportFailed,
    ImportResult,
    RowError,
)
from portal.companies.importer.export import export_csv, export_rows, export_xlsx
from portal.companies.importer.reading import (
    Limits,
    file_size_error,
    inspect_xlsx,
    precheck_upload,
    read_table,
)
from portal.companies.importer.writing import import_companies, import_rows

__all__ = [
    "COLUMNS",
    "MULTI_LINE_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "Limits",
    "RowError",
    "check_rows",
    "export_csv",
    "export_rows",
    "export_xlsx",
    "file_size_error",
    "import_companies",
    "import_rows",
    "inspect_xlsx",
    "precheck_upload",
    "read_table",
]
