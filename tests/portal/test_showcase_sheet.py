"""The optional products sheet of an XLSX import/export: written with the companies, all or nothing."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from portal.companies.importer import COLUMNS, ImportFailed, export_xlsx, import_companies
from portal.companies.models import Company
from portal.showcase.models import Product
from portal.showcase.sheet import COLUMNS as PRODUCT_COLUMNS
from tests.portal.test_importer import GOOD

pytestmark = pytest.mark.django_db


def _workbook(products: list[dict] | None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "companies"
    sheet.append(COLUMNS)
    sheet.append([GOOD[column] for column in COLUMNS])
    if products is not None:
        sheet = workbook.create_sheet("products")
        sheet.append(PRODUCT_COLUMNS)
        for product in products:
            sheet.append([product.get(column, "") for column in PRODUCT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MOULD = {
    "company_external_id": "TH-0001",
    "position": 1,
    "name_th": "แม่พิมพ์ฉีดพลาสติก",
    "name_en": "Injection moulds",
    "specs_en": "Up to 500 t",
    "capabilities": "injection-molding;die-and-mold",
    "industries": "medical-devices",
}


def test_products_sheet_is_imported_with_the_companies_and_found_by_the_search():
    result = import_companies(
        data=_workbook([MOULD, {**MOULD, "position": 2, "name_en": "Cleanroom parts"}]), filename="c.xlsx"
    )

    company = Company.objects.get()
    products = list(company.products.order_by("position"))
    assert result.created == 1
    assert [p.name_en for p in products] == ["Injection moulds", "Cleanroom parts"]
    assert sorted(products[0].capabilities.values_list("slug", flat=True)) == [
        "die-and-mold",
        "injection-molding",
    ]
    assert "cleanroom parts" in company.search_text


def test_a_workbook_without_products_sheet_imports_as_before():
    import_companies(data=_workbook(None), filename="c.xlsx")

    assert Company.objects.count() == 1
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({**MOULD, "company_external_id": "TH-9999", "position": 2}, "products.company_external_id"),
        ({**MOULD, "position": "first"}, "products.position"),
        ({**MOULD, "name_th": "", "name_en": "", "position": 2}, "products.name_en"),
        ({**MOULD, "capabilities": "telepathy", "position": 2}, "products.capabilities"),
    ],
    ids=["unknown-company", "bad-position", "no-name", "unknown-term"],
)
def test_one_bad_product_row_and_nothing_is_written(row, column):
    with pytest.raises(ImportFailed) as failed:
        import_companies(data=_workbook([MOULD, {"position": 2, **row}]), filename="c.xlsx")

    assert [(error.line, error.column) for error in failed.value.errors] == [(3, column)]
    assert Company.objects.count() == 0
    assert Product.objects.count() == 0


def test_reimport_updates_products_in_place_and_export_round_trips():
    import_companies(data=_workbook([MOULD]), filename="c.xlsx")
    first = Product.objects.get()
    import_companies(
        data=_workbook([{**MOULD, "name_en": "Injection moulds up to 500 t"}]), filename="c.xlsx"
    )

    assert Product.objects.get().pk == first.pk
    exported = load_workbook(io.BytesIO(export_xlsx(Company.objects.all())), read_only=True)
    rows = list(exported["products"].iter_rows(values_only=True))
    assert rows[0] == tuple(PRODUCT_COLUMNS)
    assert rows[1][:4] == ("TH-0001", 1, "Injection moulds up to 500 t", "แม่พิมพ์ฉีดพลาสติก")
