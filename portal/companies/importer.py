"""Bulk import and export of companies (CSV UTF-8 with a header, or XLSX with the same header).

Stable contract (``import_companies FILE``): columns in :data:`COLUMNS`; multi-valued cells are
``;``-separated slugs; a certification may carry its expiry date as ``slug:YYYY-MM-DD``. Idempotent on
``external_id`` (a re-import updates). Atomic: every row is checked first, and if any cell is wrong
nothing is written and every error comes back with its line number and column. Imported companies are
verified (a coordinator imports them).

Writes are batched (bulk_create, one delete + one insert per relation, one UPDATE per changed company),
so 10,000 rows take seconds, not minutes (bench/bench_import.py).
"""

import codecs
import csv
import datetime
import io
import logging
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.companies.models import (
    Company,
    CompanyCertification,
    CompanyContact,
    Currency,
    Sector,
    VerificationStatus,
)
from portal.companies.services import company_derived_fields
from portal.companies.validation import clean_founded_year, clean_registration_number
from portal.core.text import ControlCharacterValidator, single_line, spreadsheet_cell
from portal.postings.models import Posting, PostingStatus
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

logger = logging.getLogger(__name__)

COLUMNS = [
    "external_id", "country", "name_en", "name_th", "name_ja", "registration_no", "sector", "region",
    "employees", "annual_revenue", "capital", "currency", "founded", "industries", "capabilities",
    "certifications", "seeking", "requires", "looking_for", "languages", "description_en", "description_th",
    "description_ja", "website", "contact_name", "contact_email", "contact_phone",
]  # fmt: skip
# The only cells that may hold line breaks and tabs (portal/core/text.py); every other is one line.
MULTI_LINE_COLUMNS = {"description_en", "description_th", "description_ja"}
WORKING_LANGUAGES = {"th", "ja", "en"}
PHONE = re.compile(r"^\+[1-9][0-9]{7,14}$")
SCALAR_FIELDS = [
    "country", "name_en", "name_th", "name_ja", "registration_no", "sector", "region", "employees",
    "annual_revenue", "capital", "currency", "founded_year", "languages", "description_en", "description_th",
    "description_ja", "website", "size_class", "size_basis", "search_text", "verification_status",
    "verified_by", "verified_at", "rejection_reason",
]  # fmt: skip
ANALYZE_AFTER_ROWS = 1_000
# One INSERT per this many rows keeps statements below SQLite's variable limit and bounds memory.
BATCH_SIZE = 500


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


@dataclass
class _Row:
    line: int
    values: dict
    industries: list = field(default_factory=list)
    capabilities: list = field(default_factory=list)
    seeking: list = field(default_factory=list)
    requires: list = field(default_factory=list)
    looking_for: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    contact: dict | None = None


# ------------------------------------------------------------------------------------------------
# Reading, within limits
# ------------------------------------------------------------------------------------------------
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


# ------------------------------------------------------------------------------------------------
# Checking
# ------------------------------------------------------------------------------------------------
class _Vocabulary:
    def __init__(self) -> None:
        self.industries = {term.slug: term for term in Industry.objects.all()}
        self.capabilities = {term.slug: term for term in Capability.objects.all()}
        self.certifications = {term.slug: term for term in Certification.objects.all()}
        self.looking_for = {term.slug: term for term in LookingFor.objects.all()}
        self.regions = {region.code: region for region in Region.objects.all()}


def _slugs(raw: str, vocabulary: dict, line: int, column: str, errors: list[RowError]) -> list:
    terms = []
    for slug in (part.strip() for part in raw.split(";")):
        if not slug:
            continue
        if slug not in vocabulary:
            errors.append(RowError(line, column, _("Unknown slug “%(slug)s”.") % {"slug": slug}))
        elif vocabulary[slug] not in terms:
            terms.append(vocabulary[slug])
    return terms


def _number(raw: str, line: int, column: str, errors: list[RowError], *, integer: bool):
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "").replace("_", ""))
    except InvalidOperation:
        errors.append(RowError(line, column, _("Enter a number.")))
        return None
    if value < 0 or (integer and value != value.to_integral_value()):
        errors.append(
            RowError(
                line, column, _("Enter a whole number of 0 or more.") if integer else _("Enter 0 or more.")
            )
        )
        return None
    return int(value) if integer else value


def _check_row(
    line: int, cells: dict[str, str], vocabulary: _Vocabulary, this_year: int
) -> tuple[_Row, list]:
    errors: list[RowError] = []
    values: dict = {}
    for column, text in cells.items():
        try:
            ControlCharacterValidator(multiline=column in MULTI_LINE_COLUMNS)(text)
        except ValidationError as exc:
            errors.append(RowError(line, column, exc.messages[0]))
    external_id = cells.get("external_id", "")
    if not external_id:
        errors.append(RowError(line, "external_id", _("This cell is required.")))
    elif len(external_id) > 64:
        errors.append(RowError(line, "external_id", _("At most 64 characters.")))
    values["external_id"] = external_id
    country = cells.get("country", "").upper()
    if country not in ("TH", "JP"):
        errors.append(RowError(line, "country", _("Use TH or JP.")))
    values["country"] = country
    for column in ("name_en", "name_th", "name_ja"):
        values[column] = cells.get(column, "")
        if len(values[column]) > 200:
            errors.append(RowError(line, column, _("At most 200 characters.")))
    if not (values["name_en"] or values["name_th"] or values["name_ja"]):
        errors.append(
            RowError(line, "name_en", _("Give the name in at least one of name_en, name_th, name_ja."))
        )
    if country in ("TH", "JP"):
        try:
            values["registration_no"] = clean_registration_number(country, cells.get("registration_no", ""))
        except ValidationError as exc:
            errors.append(RowError(line, "registration_no", exc.messages[0]))
    sector = cells.get("sector", "") or Sector.MANUFACTURING
    if sector not in Sector.values:
        errors.append(RowError(line, "sector", _("Use manufacturing, wholesale, retail or services.")))
    values["sector"] = sector
    region_code = cells.get("region", "").upper()
    values["region"] = None
    if region_code:
        region = vocabulary.regions.get(region_code)
        if region is None or region.country != country:
            errors.append(
                RowError(
                    line,
                    "region",
                    _("Unknown region “%(code)s” for this country (use ISO 3166-2).") % {"code": region_code},
                )
            )
        values["region"] = region
    values["employees"] = _number(cells.get("employees", ""), line, "employees", errors, integer=True)
    values["annual_revenue"] = _number(
        cells.get("annual_revenue", ""), line, "annual_revenue", errors, integer=False
    )
    values["capital"] = _number(cells.get("capital", ""), line, "capital", errors, integer=False)
    currency = cells.get("currency", "").upper() or ("THB" if country == "TH" else "JPY")
    if currency not in Currency.values:
        errors.append(RowError(line, "currency", _("Use THB or JPY.")))
    values["currency"] = currency
    founded = _number(cells.get("founded", ""), line, "founded", errors, integer=True)
    try:
        values["founded_year"] = clean_founded_year(founded, current_year=this_year)
    except ValidationError as exc:
        errors.append(RowError(line, "founded", exc.messages[0]))
    languages = [code.strip().lower() for code in cells.get("languages", "").split(";") if code.strip()]
    if any(code not in WORKING_LANGUAGES for code in languages):
        errors.append(RowError(line, "languages", _("Use th, ja and en, separated by ;.")))
    values["languages"] = ",".join(dict.fromkeys(languages))
    for column in ("description_en", "description_th", "description_ja"):
        values[column] = cells.get(column, "")
    website = cells.get("website", "")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors.append(
                RowError(line, "website", _("Enter a full web address starting with http:// or https://."))
            )
    values["website"] = website
    row = _Row(line=line, values=values)
    row.industries = _slugs(cells.get("industries", ""), vocabulary.industries, line, "industries", errors)
    row.capabilities = _slugs(
        cells.get("capabilities", ""), vocabulary.capabilities, line, "capabilities", errors
    )
    row.seeking = _slugs(cells.get("seeking", ""), vocabulary.capabilities, line, "seeking", errors)
    row.requires = _slugs(cells.get("requires", ""), vocabulary.certifications, line, "requires", errors)
    row.looking_for = _slugs(
        cells.get("looking_for", ""), vocabulary.looking_for, line, "looking_for", errors
    )
    row.certificates = _certificates(cells.get("certifications", ""), vocabulary, line, errors)
    row.contact = _contact(cells, line, errors)
    return row, errors


def _certificates(raw: str, vocabulary: _Vocabulary, line: int, errors: list[RowError]) -> list[dict]:
    certificates: dict[str, dict] = {}
    for item in (part.strip() for part in raw.split(";")):
        if not item:
            continue
        slug, _sep, expiry = item.partition(":")
        certification = vocabulary.certifications.get(slug.strip())
        if certification is None:
            errors.append(
                RowError(line, "certifications", _("Unknown slug “%(slug)s”.") % {"slug": slug.strip()})
            )
            continue
        expires_on = None
        if expiry.strip():
            try:
                expires_on = datetime.date.fromisoformat(expiry.strip())
            except ValueError:
                errors.append(RowError(line, "certifications", _("Write the expiry date as YYYY-MM-DD.")))
        certificates[certification.slug] = {"certification": certification, "expires_on": expires_on}
    return list(certificates.values())


def _contact(cells: dict[str, str], line: int, errors: list[RowError]) -> dict | None:
    name, email = cells.get("contact_name", ""), cells.get("contact_email", "")
    phone = re.sub(r"[\s\-().]", "", cells.get("contact_phone", ""))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, "contact_email", _("Enter a valid e-mail address.")))
    if phone and not PHONE.match(phone):
        errors.append(
            RowError(
                line, "contact_phone", _("Enter the phone number in international format, e.g. +6621234567.")
            )
        )
    if not (name or email or phone):
        return None
    if not name:
        errors.append(RowError(line, "contact_name", _("A contact needs a name.")))
    return {"name": name, "email": email, "phone": phone}


Progress = Callable[[str, int], None]
# Progress is reported every this many rows (a callback that only sets a number: cheap).
PROGRESS_EVERY = 100


def _no_progress(phase: str, done: int) -> None:
    return None


def check_rows(rows: list[tuple[int, dict[str, str]]], progress: Progress = _no_progress) -> list[_Row]:
    """Check every row; raise ImportFailed with all errors (nothing written) or return the parsed rows.
    ``progress("checking", rows_done)`` is called as it goes."""
    vocabulary = _Vocabulary()
    this_year = timezone.localdate().year
    parsed, errors = [], []
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[tuple[str, str], int] = {}
    for done, (line, cells) in enumerate(rows):
        if done % PROGRESS_EVERY == 0:
            progress("checking", done)
        row, row_errors = _check_row(line, cells, vocabulary, this_year)
        errors += row_errors
        external_id = row.values["external_id"]
        if external_id:
            if external_id in seen_ids:
                errors.append(
                    RowError(
                        line,
                        "external_id",
                        _("Duplicate of line %(line)s.") % {"line": seen_ids[external_id]},
                    )
                )
            seen_ids.setdefault(external_id, line)
        number = (row.values["country"], row.values.get("registration_no"))
        if number[1]:
            if number in seen_numbers:
                errors.append(
                    RowError(
                        line,
                        "registration_no",
                        _("Duplicate of line %(line)s.") % {"line": seen_numbers[number]},
                    )
                )
            seen_numbers.setdefault(number, line)
        parsed.append(row)
    errors += _check_against_database(parsed)
    if errors:
        raise ImportFailed(
            sorted(
                errors,
                key=lambda error: (
                    error.line,
                    COLUMNS.index(error.column) if error.column in COLUMNS else -1,
                ),
            )
        )
    return parsed


def _check_against_database(rows: list[_Row]) -> list[RowError]:
    """A registration number already held by a company with another external_id is an error."""
    errors = []
    by_number = defaultdict(list)
    for row in rows:
        if row.values.get("registration_no"):
            by_number[row.values["registration_no"]].append(row)
    numbers = list(by_number)
    for start in range(0, len(numbers), BATCH_SIZE):
        for company in Company.objects.filter(registration_no__in=numbers[start : start + BATCH_SIZE]).only(
            "country", "registration_no", "external_id"
        ):
            errors.extend(
                RowError(row.line, "registration_no", _("Another company on the portal has this number."))
                for row in by_number[company.registration_no]
                if row.values["country"] == company.country
                and company.external_id != row.values["external_id"]
            )
    return errors


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------
def import_companies(
    *, data: bytes, filename: str, actor=None, progress: Progress = _no_progress
) -> ImportResult:
    """Check the whole file, then write it in one transaction. Raises ImportFailed (nothing written).

    An XLSX file may have a ``products`` sheet (portal/showcase/sheet.py): checked with the companies,
    written in the same transaction."""
    rows = read_table(data, filename)
    products = _products_sheet(data, filename, rows)
    with transaction.atomic():
        result = import_rows(rows=rows, actor=actor, progress=progress)
        if products:
            from portal.showcase.sheet import write_products

            write_products(products)
    return result


def _products_sheet(data: bytes, filename: str, rows) -> list:
    """The checked rows of the optional products sheet; ImportFailed with their errors."""
    if not filename.lower().endswith(".xlsx"):
        return []
    from portal.showcase.sheet import check_product_rows, read_products_sheet

    product_rows = read_products_sheet(data)
    if not product_rows:
        return []
    in_file = {cells.get("external_id", "").strip() for _line, cells in rows}
    mentioned = {cells.get("company_external_id", "").strip() for _line, cells in product_rows}
    on_portal = set(Company.objects.filter(external_id__in=mentioned).values_list("external_id", flat=True))
    checked, errors = check_product_rows(product_rows, known_companies=(in_file | on_portal) - {""})
    if errors:
        raise ImportFailed(errors)
    return checked


def import_rows(
    *, rows: list[tuple[int, dict[str, str]]], actor=None, progress: Progress = _no_progress
) -> ImportResult:
    """The same for rows already read: (line number, {column: text}); used by seed_demo too.

    A database error while writing (a constraint the checks did not foresee, a lost connection) rolls the
    whole file back and is reported like the other errors: nothing is half-written."""
    progress("read", len(rows))
    checked = check_rows(rows, progress)
    try:
        return _write(checked, actor=actor, progress=progress)
    except DatabaseError as exc:
        logger.exception("import failed in the database")
        message = _("The database refused the file (%(error)s); nothing was written.") % {
            "error": type(exc).__name__
        }
        raise ImportFailed([RowError(1, "-", message)]) from exc


@transaction.atomic
def _write(rows: list[_Row], *, actor, progress: Progress = _no_progress) -> ImportResult:
    now = timezone.now()
    existing = {}
    ids = [row.values["external_id"] for row in rows]
    for start in range(0, len(ids), BATCH_SIZE):
        for company in Company.objects.filter(external_id__in=ids[start : start + BATCH_SIZE]):
            existing[company.external_id] = company
    postings = defaultdict(list)
    for posting in Posting.objects.filter(company__in=list(existing.values())).exclude(
        status=PostingStatus.DRAFT
    ):
        postings[posting.company_id].append(posting)

    to_create, to_update, companies = [], [], []
    for row in rows:
        company = existing.get(row.values["external_id"]) or Company(external_id=row.values["external_id"])
        for key, value in row.values.items():
            setattr(company, key, value)
        company.verification_status = VerificationStatus.VERIFIED
        company.rejection_reason = ""
        if company.verified_at is None:
            company.verified_at, company.verified_by = now, actor
        derived = company_derived_fields(
            company=company,
            industries=row.industries,
            capabilities=row.capabilities,
            region=row.values["region"],
            postings=postings.get(company.pk, ()),
        )
        for key, value in derived.items():
            setattr(company, key, value)
        (to_update if company.pk else to_create).append(company)
        companies.append(company)

    progress("writing", 0)
    for start in range(0, len(to_create), BATCH_SIZE):
        Company.objects.bulk_create(to_create[start : start + BATCH_SIZE])
        progress("writing", start + len(to_create[start : start + BATCH_SIZE]))
    # One UPDATE per changed company: bulk_update's CASE WHEN statements grow quadratically with the batch
    # (10,000 rows took minutes); single-row updates by primary key take milliseconds each.
    for done, company in enumerate(to_update, start=len(to_create) + 1):
        Company.objects.filter(pk=company.pk).update(
            **{field: getattr(company, field) for field in SCALAR_FIELDS}, updated_at=now
        )
        if done % PROGRESS_EVERY == 0:
            progress("writing", done)
    company_ids = [company.pk for company in companies]
    _replace_links(rows, companies, company_ids)
    if len(rows) >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        # Fresh statistics right away (autovacuum may take minutes): the directory's plans depend on them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE companies_company, companies_companycertification")
    return ImportResult(created=len(to_create), updated=len(to_update))


def _replace_links(rows: list[_Row], companies: list[Company], company_ids: list[int]) -> None:
    relations = {
        "industries": ("industry", Company.industries.through),
        "capabilities": ("capability", Company.capabilities.through),
        "seeking": ("capability", Company.seeking.through),
        "requires": ("certification", Company.requires.through),
        "looking_for": ("lookingfor", Company.looking_for.through),
    }
    for start in range(0, len(company_ids), BATCH_SIZE):
        chunk = company_ids[start : start + BATCH_SIZE]
        for _target, through in relations.values():
            through.objects.filter(company_id__in=chunk).delete()
        CompanyCertification.objects.filter(company_id__in=chunk).delete()
        CompanyContact.objects.filter(company_id__in=chunk, is_primary=True).delete()
    for attribute, (target, through) in relations.items():
        links = [
            through(company_id=company.pk, **{f"{target}_id": term.pk})
            for row, company in zip(rows, companies, strict=True)
            for term in getattr(row, attribute)
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    CompanyCertification.objects.bulk_create(
        [
            CompanyCertification(
                company=company, certification=item["certification"], expires_on=item["expires_on"]
            )
            for row, company in zip(rows, companies, strict=True)
            for item in row.certificates
        ],
        batch_size=BATCH_SIZE,
    )
    CompanyContact.objects.bulk_create(
        [
            CompanyContact(company=company, is_primary=True, **row.contact)
            for row, company in zip(rows, companies, strict=True)
            if row.contact
        ],
        batch_size=BATCH_SIZE,
    )


# ------------------------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------------------------
def _safe_cell(value: str, column: str) -> str:
    """Formula injection guard (a cell starting like a formula is written as text) and control
    characters already stored cleaned (``portal.core.text.spreadsheet_cell``)."""
    return spreadsheet_cell(value, multiline=column in MULTI_LINE_COLUMNS)


def export_rows(companies) -> list[list[str]]:
    """The import columns for each company (so an export re-imports as it is)."""
    companies = companies.select_related("region").prefetch_related(
        "industries",
        "capabilities",
        "seeking",
        "requires",
        "looking_for",
        "certificates__certification",
        "contacts",
    )
    rows = []
    for company in companies:
        contact = next((c for c in company.contacts.all() if c.is_primary), None)
        certificates = [
            f"{c.certification.slug}:{c.expires_on.isoformat()}" if c.expires_on else c.certification.slug
            for c in company.certificates.all()
        ]
        values = {
            "external_id": company.external_id or f"portal-{company.pk}",
            "country": company.country,
            "name_en": company.name_en,
            "name_th": company.name_th,
            "name_ja": company.name_ja,
            "registration_no": company.registration_no,
            "sector": company.sector,
            "region": company.region.code if company.region_id else "",
            "employees": "" if company.employees is None else str(company.employees),
            "annual_revenue": ""
            if company.annual_revenue is None
            else f"{company.annual_revenue.normalize():f}",
            "capital": "" if company.capital is None else f"{company.capital.normalize():f}",
            "currency": company.currency,
            "founded": "" if company.founded_year is None else str(company.founded_year),
            "industries": ";".join(t.slug for t in company.industries.all()),
            "capabilities": ";".join(t.slug for t in company.capabilities.all()),
            "certifications": ";".join(certificates),
            "seeking": ";".join(t.slug for t in company.seeking.all()),
            "requires": ";".join(t.slug for t in company.requires.all()),
            "looking_for": ";".join(t.slug for t in company.looking_for.all()),
            "languages": ";".join(company.language_list),
            "description_en": company.description_en,
            "description_th": company.description_th,
            "description_ja": company.description_ja,
            "website": company.website,
            "contact_name": contact.name if contact else "",
            "contact_email": contact.email if contact else "",
            "contact_phone": contact.phone if contact else "",
        }
        # The phone is E.164-validated ("+66…"), so it is the one column that may start with "+".
        rows.append(
            [
                single_line(value) if column == "contact_phone" else _safe_cell(value, column)
                for column, value in values.items()
            ]
        )
    return rows


def export_csv(companies) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(export_rows(companies))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(companies) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("companies")
    sheet.append(COLUMNS)
    for row in export_rows(companies):
        sheet.append(row)
    from portal.showcase.sheet import add_products_sheet

    add_products_sheet(workbook, companies)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
