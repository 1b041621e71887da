"""Bulk import/export: the stable contract of import_companies."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from portal.companies.importer import COLUMNS, ImportFailed, export_csv, export_xlsx, import_companies
from portal.companies.models import Company, VerificationStatus

pytestmark = pytest.mark.django_db

GOOD = {
    "external_id": "TH-0001",
    "country": "TH",
    "name_en": "Chon Buri Precision Mold Co., Ltd.",
    "name_th": "บริษัท ชลบุรีพรีซิชั่นโมลด์ จำกัด",
    "name_ja": "",
    "registration_no": "0105536112014",
    "sector": "manufacturing",
    "region": "TH-20",
    "employees": "45",
    "annual_revenue": "95000000",
    "capital": "20000000",
    "currency": "THB",
    "founded": "2540",
    "industries": "medical-devices;automotive",
    "capabilities": "injection-molding;die-and-mold",
    "certifications": "iso-9001:2028-06-30;iso-13485:2027-12-31",
    "seeking": "cleanroom-assembly",
    "requires": "iso-13485",
    "looking_for": "customer;oem-partner",
    "languages": "th;en",
    "description_en": "Precision injection molding for medical devices.",
    "description_th": "รับฉีดพลาสติกชิ้นส่วนเครื่องมือแพทย์ในห้องสะอาด",
    "description_ja": "",
    "website": "https://www.cbpm.example",
    "contact_name": "Somchai Jaidee",
    "contact_email": "somchai@cbpm.example",
    "contact_phone": "+66 38 123 456",
}
JAPANESE = {
    **dict.fromkeys(COLUMNS, ""),
    "external_id": "JP-0001",
    "country": "JP",
    "name_ja": "加藤精密株式会社",
    "registration_no": "4011001098993",
    "region": "JP-23",
    "employees": "120",
    "capital": "50000000",
    "industries": "aerospace-parts",
    "capabilities": "cnc-machining",
    "certifications": "jis-q-9100",
    "languages": "ja",
    "description_ja": "愛知県で航空機部品の精密加工を行っています。",
}


def _csv(*rows: dict, header=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in header})
    return buffer.getvalue().encode("utf-8")


def test_good_file_creates_verified_companies_with_everything():
    result = import_companies(data=_csv(GOOD, JAPANESE), filename="companies.csv")

    assert (result.created, result.updated) == (2, 0)
    company = Company.objects.get(external_id="TH-0001")
    assert company.verification_status == VerificationStatus.VERIFIED
    assert company.founded_year == 1997  # B.E. 2540
    assert company.region.code == "TH-20"
    assert company.in_eec
    assert company.size_class == "small"
    assert sorted(company.industries.values_list("slug", flat=True)) == ["automotive", "medical-devices"]
    assert sorted(company.capabilities.values_list("slug", flat=True)) == [
        "die-and-mold",
        "injection-molding",
    ]
    assert list(company.seeking.values_list("slug", flat=True)) == ["cleanroom-assembly"]
    assert list(company.requires.values_list("slug", flat=True)) == ["iso-13485"]
    assert sorted(company.looking_for.values_list("slug", flat=True)) == ["customer", "oem-partner"]
    assert {(c.certification.slug, c.expires_on.isoformat()) for c in company.certificates.all()} == {
        ("iso-9001", "2028-06-30"),
        ("iso-13485", "2027-12-31"),
    }
    contact = company.contacts.get()
    assert (contact.name, contact.email, contact.phone) == (
        "Somchai Jaidee",
        "somchai@cbpm.example",
        "+6638123456",
    )
    assert company.language_list == ["th", "en"]
    assert "ฉีดพลาสติก" in company.search_text
    japanese = Company.objects.get(external_id="JP-0001")
    assert (japanese.currency, japanese.size_class) == ("JPY", "medium")


def test_reimporting_the_same_external_id_updates_instead_of_duplicating():
    import_companies(data=_csv(GOOD), filename="companies.csv")
    changed = {**GOOD, "employees": "60", "capabilities": "cnc-machining", "contact_name": "Malee Jaidee"}

    result = import_companies(data=_csv(changed), filename="companies.csv")

    assert (result.created, result.updated) == (0, 1)
    company = Company.objects.get()
    assert company.employees == 60
    assert list(company.capabilities.values_list("slug", flat=True)) == ["cnc-machining"]
    assert list(company.contacts.values_list("name", flat=True)) == ["Malee Jaidee"]


def test_file_with_errors_writes_nothing_and_lists_every_error_with_line_and_column():
    bad_check_digit = {**GOOD, "external_id": "TH-0002", "registration_no": "0105536112015"}
    unknown_slug = {**JAPANESE, "external_id": "JP-0002", "capabilities": "cnc-machining;telepathy"}
    several = {
        **GOOD,
        "external_id": "TH-0003",
        "registration_no": "0994000617721",
        "country": "TH",
        "region": "JP-13",
        "employees": "many",
        "contact_phone": "038 123",
    }
    duplicate = {**GOOD, "external_id": "TH-0004"}  # same number as line 2

    with pytest.raises(ImportFailed) as failure:
        import_companies(data=_csv(GOOD, bad_check_digit, unknown_slug, several, duplicate), filename="x.csv")

    assert [(e.line, e.column) for e in failure.value.errors] == [
        (3, "registration_no"),
        (4, "capabilities"),
        (5, "region"),
        (5, "employees"),
        (5, "contact_phone"),
        (6, "registration_no"),
    ]
    assert "telepathy" in failure.value.errors[1].message
    assert Company.objects.count() == 0


def test_a_number_owned_by_another_company_is_an_error():
    import_companies(data=_csv(GOOD), filename="companies.csv")

    with pytest.raises(ImportFailed) as failure:
        import_companies(data=_csv({**GOOD, "external_id": "OTHER"}), filename="companies.csv")

    assert [(e.line, e.column) for e in failure.value.errors] == [(2, "registration_no")]
    assert Company.objects.count() == 1


def test_missing_and_unknown_columns_are_reported_on_line_1():
    header = [column for column in COLUMNS if column != "country"] + ["fax"]

    with pytest.raises(ImportFailed) as failure:
        import_companies(data=_csv(GOOD, header=header), filename="companies.csv")

    assert [(e.line, e.column) for e in failure.value.errors] == [(1, "country"), (1, "fax")]


def test_non_utf8_csv_is_refused():
    with pytest.raises(ImportFailed):
        import_companies(data="name_en\nบริษัท".encode("cp874"), filename="companies.csv")


def test_xlsx_with_the_same_header_imports():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append([GOOD[column] for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_companies(data=buffer.getvalue(), filename="companies.xlsx")

    assert result.created == 1
    assert Company.objects.get().name_th == GOOD["name_th"]


def test_export_reimports_to_the_same_companies():
    import_companies(data=_csv(GOOD, JAPANESE), filename="companies.csv")
    before = list(
        Company.objects.order_by("pk").values("external_id", "employees", "search_text", "size_class")
    )

    csv_result = import_companies(data=export_csv(Company.objects.order_by("pk")), filename="export.csv")
    xlsx_result = import_companies(data=export_xlsx(Company.objects.order_by("pk")), filename="export.xlsx")

    assert (csv_result.created, csv_result.updated) == (0, 2)
    assert (xlsx_result.created, xlsx_result.updated) == (0, 2)
    assert (
        list(Company.objects.order_by("pk").values("external_id", "employees", "search_text", "size_class"))
        == before
    )


def test_export_neutralises_spreadsheet_formulas():
    import_companies(
        data=_csv({**GOOD, "description_en": '=HYPERLINK("http://evil.example")'}), filename="a.csv"
    )

    rows = list(csv.DictReader(io.StringIO(export_csv(Company.objects.all()).decode("utf-8-sig"))))

    assert rows[0]["description_en"].startswith("'=")
    assert rows[0]["contact_phone"] == "+6638123456"


def test_command_imports_and_reports_errors_with_a_nonzero_exit(tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(_csv(GOOD))
    bad.write_bytes(_csv({**GOOD, "external_id": "X", "registration_no": "123"}))

    call_command("import_companies", str(good))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_companies", str(bad))

    assert "Imported: 1 created, 0 updated." in capsys.readouterr().out
    assert Company.objects.count() == 1


def test_a_database_error_in_one_row_leaves_nothing_half_written(monkeypatch):
    """The checks pass, the companies are written, then the database refuses a later insert (here: the
    certificates): the whole file is rolled back and the error is reported, not a server error."""
    from django.db import DataError

    from portal.companies.models import CompanyCertification

    def refuse(*args, **kwargs):
        raise DataError("value too long for type character varying(40)")

    before = Company.objects.count()
    monkeypatch.setattr(CompanyCertification.objects, "bulk_create", refuse)
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_companies(data=_csv(GOOD, JAPANESE), filename="companies.csv")
    with translation.override("en"):
        assert "nothing was written" in str(failure.value.errors[0])
    assert Company.objects.count() == before
    assert not Company.objects.filter(external_id__in=["TH-0001", "JP-0001"]).exists()


def test_both_taxonomy_levels_import_and_export():
    """Second-level terms (taxonomy migration 0005) are capabilities too: the contract takes either level."""
    row = {
        **GOOD,
        "capabilities": "injection-molding;medical-injection-molding;peek",
        "seeking": "lsr-molding",
    }
    import_companies(data=_csv(row), filename="companies.csv")
    company = Company.objects.get(external_id="TH-0001")
    assert sorted(company.capabilities.values_list("slug", flat=True)) == [
        "injection-molding",
        "medical-injection-molding",
        "peek",
    ]
    exported = export_csv(Company.objects.all()).decode("utf-8")
    assert "injection-molding;medical-injection-molding;peek" in exported or (
        "medical-injection-molding" in exported and "peek" in exported
    )
    result = import_companies(data=export_csv(Company.objects.all()), filename="export.csv")
    assert (result.created, result.updated) == (0, 1)
    assert company.seeking.get().slug == "lsr-molding"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics and VACUUM are PostgreSQL's")
def test_a_large_import_refreshes_the_statistics_of_every_table_it_wrote(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The link tables too (the directory's industry filter is planned from them), then VACUUM after the
    commit; inside a transaction (here the test's) VACUUM cannot run and is left to autovacuum."""
    monkeypatch.setattr("portal.companies.importer.writing.ANALYZE_AFTER_ROWS", 1)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        import_companies(data=_csv(GOOD), filename="companies.csv")

    analyze = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("ANALYZE")]
    assert analyze == [
        'ANALYZE "companies_company", "companies_companycertification", "companies_company_industries", '
        '"companies_company_capabilities", "companies_company_seeking", "companies_company_requires", '
        '"companies_company_looking_for"'
    ]
    assert not [query for query in queries.captured_queries if query["sql"].startswith("VACUUM")]


def test_an_expiry_the_calendar_lacks_is_named_apart_from_a_badly_written_one():
    impossible = {**GOOD, "certifications": "iso-9001:2025-02-30"}
    scrawled = {
        **GOOD,
        "external_id": "TH-0002",
        "registration_no": "0105536112022",
        "certifications": "iso-9001:30.6.2028",
    }
    with pytest.raises(ImportFailed) as failure:
        import_companies(data=_csv(impossible, scrawled), filename="x.csv")

    messages = [str(e.message) for e in failure.value.errors if e.column == "certifications"]
    assert messages == ["There is no such date: 2025-02-30.", "Write the expiry date as YYYY-MM-DD."]
