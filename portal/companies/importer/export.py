"""Export of every company in the import's columns (CSV and XLSX), so an export re-imports."""

import csv
import io

from portal.companies.importer.contract import COLUMNS, MULTI_LINE_COLUMNS
from portal.core.text import single_line, spreadsheet_cell


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
