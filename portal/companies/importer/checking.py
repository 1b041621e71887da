"""Checking rows: every cell of every row, then against the database; every error with its line and
column."""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.companies.importer.contract import (
    BATCH_SIZE,
    COLUMNS,
    MULTI_LINE_COLUMNS,
    WORKING_LANGUAGES,
    ImportFailed,
    RowError,
    _Row,
)
from portal.companies.models import (
    Company,
    Currency,
    Sector,
)
from portal.companies.validation import clean_founded_year, clean_registration_number
from portal.core.phones import normalize_phone
from portal.core.text import ControlCharacterValidator
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region


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
    row.contact = _contact(cells, values["country"], line, errors)
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
                well_written = re.fullmatch(r"\d{4}-\d{2}-\d{2}", expiry.strip()) is not None
                message = (
                    _("There is no such date: %(date)s.") % {"date": expiry.strip()}
                    if well_written  # 2025-02-30: the form is right, the calendar has no such day
                    else _("Write the expiry date as YYYY-MM-DD.")
                )
                errors.append(RowError(line, "certifications", message))
        certificates[certification.slug] = {"certification": certification, "expires_on": expires_on}
    return list(certificates.values())


def _contact(cells: dict[str, str], country: str, line: int, errors: list[RowError]) -> dict | None:
    """The row's contact person; the phone is read in the company's country's numbering plan (national or
    international form) and kept in E.164."""
    name, email = cells.get("contact_name", ""), cells.get("contact_email", "")
    phone = cells.get("contact_phone", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, "contact_email", _("Enter a valid e-mail address.")))
    try:
        phone = normalize_phone(phone, country=country if country in ("TH", "JP") else "")
    except ValidationError as error:
        errors.append(RowError(line, "contact_phone", error.messages[0]))
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


def _repeated(seen: dict, key, line: int, field: str) -> list[RowError]:
    """A second row with ``key`` in ``field`` is refused (``seen``: each key's first line, noted here)."""
    first = seen.setdefault(key, line)
    if first == line:
        return []
    return [RowError(line, field, _("Duplicate of line %(line)s.") % {"line": first})]


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
            errors += _repeated(seen_ids, external_id, line, "external_id")
        number = (row.values["country"], row.values.get("registration_no"))
        if number[1]:
            errors += _repeated(seen_numbers, number, line, "registration_no")
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
