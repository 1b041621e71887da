"""The optional ``products`` sheet of an XLSX company import and export (portal/companies/importer/
writing.py and export.py call this module; it stays separate so the importer can be reorganised
without touching it).

Columns: ``company_external_id``, ``position`` (1, 2, … within the company), ``name_en``, ``name_th``,
``name_ja``, ``description_*``, ``specs_*`` (one specification per line) and ``capabilities``/``industries``
(taxonomy slugs separated by ``;``). A row updates the company's product at that position (its photos and
brochures stay) or adds it; products not in the sheet are left as they are. The same all-or-nothing rule as
the companies sheet: any error in any row and nothing of the file is written.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.core.text import ControlCharacterValidator, spreadsheet_cell

SHEET = "products"
TEXT_COLUMNS = [f"{part}_{code}" for part in ("name", "description", "specs") for code in ("en", "th", "ja")]
COLUMNS = ["company_external_id", "position", *TEXT_COLUMNS, "capabilities", "industries"]
MAX_LENGTH = {"name": 160, "description": 5000, "specs": 2000}


@dataclass
class ProductRow:
    line: int
    company_external_id: str
    position: int
    texts: dict[str, str]
    capabilities: list = field(default_factory=list)
    industries: list = field(default_factory=list)


def _column(name: str) -> str:
    return f"{SHEET}.{name}"


def read_products_sheet(data: bytes) -> list[tuple[int, dict[str, str]]] | None:
    """The rows of the workbook's ``products`` sheet, or None when it has none (the workbook was already
    checked for zip bombs by the companies sheet's reader)."""
    from openpyxl import load_workbook

    from portal.companies.importer import ImportFailed, RowError
    from portal.companies.importer.reading import _xlsx_text

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFailed([RowError(1, SHEET, _("The file is not a readable XLSX workbook."))]) from exc
    try:
        if SHEET not in workbook.sheetnames:
            return None
        sheet = workbook[SHEET]
        sheet.reset_dimensions()
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            return []
        keys = ["" if cell is None else str(cell).strip() for cell in header]
        unknown = [key for key in keys if key and key not in COLUMNS]
        if unknown or "company_external_id" not in keys:
            raise ImportFailed(
                [
                    RowError(
                        1,
                        SHEET,
                        _("The products sheet needs the columns %(columns)s.")
                        % {"columns": ", ".join(COLUMNS)},
                    )
                ]
            )
        rows = []
        for number, record in enumerate(lines, start=2):
            cells = [_xlsx_text(cell) for cell in record[: len(keys)]]
            if any(cells):
                rows.append((number, dict(zip(keys, cells, strict=False))))
        return rows
    finally:
        workbook.close()


def check_product_rows(rows, *, known_companies: set[str]):
    """(checked rows, errors): every cell checked, the company in the file or on the portal already."""
    from portal.companies.importer import RowError
    from portal.taxonomy.models import Capability, Industry

    vocabulary = {
        "capabilities": {term.slug: term for term in Capability.objects.all()},
        "industries": {term.slug: term for term in Industry.objects.all()},
    }
    checked, errors, seen = [], [], set()
    for line, cells in rows:
        company = cells.get("company_external_id", "").strip()
        if company not in known_companies:
            errors.append(
                RowError(
                    line,
                    _column("company_external_id"),
                    _("No company with this external ID in the file or on the portal."),
                )
            )
        raw_position = cells.get("position", "").strip() or "0"
        position = int(raw_position) if raw_position.isdigit() else 0
        if position < 1:
            errors.append(
                RowError(line, _column("position"), _("Give the position as a whole number from 1."))
            )
        elif (company, position) in seen:
            errors.append(
                RowError(line, _column("position"), _("This position is given twice for the company."))
            )
        seen.add((company, position))
        texts = {}
        for column in TEXT_COLUMNS:
            value = cells.get(column, "").strip()
            try:
                ControlCharacterValidator(multiline=not column.startswith("name"))(value)
            except Exception:  # noqa: BLE001 - a ValidationError with the translated message
                errors.append(RowError(line, _column(column), _("Remove the control characters.")))
            if len(value) > MAX_LENGTH[column.split("_")[0]]:
                errors.append(
                    RowError(
                        line,
                        _column(column),
                        _("At most %(count)s characters.") % {"count": MAX_LENGTH[column.split("_")[0]]},
                    )
                )
            texts[column] = value
        if not (texts["name_en"] or texts["name_th"] or texts["name_ja"]):
            errors.append(
                RowError(line, _column("name_en"), _("Give the product a name in at least one language."))
            )
        terms = {}
        for column in ("capabilities", "industries"):
            slugs = [slug.strip() for slug in cells.get(column, "").split(";") if slug.strip()]
            unknown = [slug for slug in slugs if slug not in vocabulary[column]]
            if unknown:
                errors.append(
                    RowError(
                        line, _column(column), _("Unknown terms: %(terms)s.") % {"terms": ", ".join(unknown)}
                    )
                )
            terms[column] = [vocabulary[column][slug] for slug in slugs if slug in vocabulary[column]]
        checked.append(ProductRow(line, company, position, texts, terms["capabilities"], terms["industries"]))
    return checked, errors


def write_products(rows: list[ProductRow]) -> int:
    """Write the checked rows (inside the import's transaction); returns the number of products written."""
    from portal.companies.models import Company
    from portal.companies.services import company_refresh_derived
    from portal.showcase.models import Product

    companies = {
        c.external_id: c
        for c in Company.objects.filter(external_id__in={row.company_external_id for row in rows})
    }
    touched, existing = {}, {}
    for row in sorted(rows, key=lambda r: (r.company_external_id, r.position)):
        company = companies[row.company_external_id]
        if company.pk not in existing:
            existing[company.pk] = list(company.products.order_by("position", "pk"))
        products = existing[company.pk]
        if row.position <= len(products):  # the n-th product as the company orders them
            product = products[row.position - 1]
        else:
            last = max((item.position for item in products), default=-1)
            product = Product(company=company, position=last + 1)
            products.append(product)
        for key, value in row.texts.items():
            setattr(product, key, value)
        product.save()
        product.capabilities.set(row.capabilities)
        product.industries.set(row.industries)
        touched[company.pk] = company
    for company in touched.values():
        company_refresh_derived(company=company)
    return len(rows)


def add_products_sheet(workbook, companies) -> None:
    """The export's ``products`` sheet (write-only workbook), in the import's columns."""
    from portal.showcase.models import Product

    sheet = workbook.create_sheet(SHEET)
    sheet.append(COLUMNS)
    products = (
        Product.objects.filter(company__in=companies)
        .select_related("company")
        .prefetch_related("capabilities", "industries")
        .order_by("company__external_id", "position", "pk")
    )
    positions: dict[int, int] = {}
    for product in products:
        positions[product.company_id] = positions.get(product.company_id, 0) + 1
        sheet.append(
            [
                product.company.external_id or "",
                positions[product.company_id],
                *(spreadsheet_cell(getattr(product, column), multiline=True) for column in TEXT_COLUMNS),
                ";".join(term.slug for term in product.capabilities.all()),
                ";".join(term.slug for term in product.industries.all()),
            ]
        )
