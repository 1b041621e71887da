"""Bulk import of 10,000 company rows (CSV), against a naive row-by-row import of the same rows.

The naive baseline is what one would write first: per row, a Company save and one .set() per relation,
certificates and contact one by one. It runs on the first 1,000 rows; rows/s is compared.
"""

import csv
import io

from bench._env import bench_database, timed

ROWS_PER_COUNTRY = 5_000
NAIVE_ROWS = 1_000


def _csv(rows) -> bytes:
    from portal.companies.importer import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(cells for _line, cells in rows)
    return buffer.getvalue().encode("utf-8")


def _naive_import(rows) -> int:
    """Row by row with the ORM, after the same checks (so only the writing strategy differs)."""
    from django.db import transaction

    from portal.companies.importer import check_rows
    from portal.companies.models import Company, CompanyCertification, CompanyContact
    from portal.companies.services import company_refresh_derived

    parsed = check_rows(rows)
    with transaction.atomic():
        for row in parsed:
            company, _created = Company.objects.update_or_create(
                external_id=row.values["external_id"],
                defaults={**row.values, "verification_status": "verified"},
            )
            for field in ("industries", "capabilities", "seeking", "requires", "looking_for"):
                getattr(company, field).set(getattr(row, field))
            company.certificates.all().delete()
            for item in row.certificates:
                CompanyCertification.objects.create(company=company, **item)
            company.contacts.all().delete()
            if row.contact:
                CompanyContact.objects.create(company=company, **row.contact)
            company_refresh_derived(company=company)
        transaction.set_rollback(True)  # measured, then undone, so the batched import starts from empty
    return len(parsed)


def main() -> None:
    with bench_database() as vendor:
        from portal.companies.importer import import_companies
        from portal.core.synthetic import synthetic_rows

        rows = synthetic_rows(ROWS_PER_COUNTRY)
        data = _csv(rows)
        naive_count, naive_seconds, naive_peak = timed(_naive_import, rows[:NAIVE_ROWS])
        result, seconds, peak = timed(import_companies, data=data, filename="bench.csv")
        again, seconds_again, _peak = timed(import_companies, data=data, filename="bench.csv")

    total = len(rows)
    print(f"import of {total:,} rows ({len(data) / 2**20:.1f} MiB CSV) on {vendor}")
    print(f"{'variant':<32}{'rows':>8}{'seconds':>10}{'rows/s':>10}")
    table = [
        ("naive row-by-row (baseline)", naive_count, naive_seconds),
        ("batched import (created)", result.created, seconds),
        ("batched re-import (updated)", again.updated, seconds_again),
    ]
    for name, count, secs in table:
        print(f"{name:<32}{count:>8}{secs:>10.2f}{count / secs:>10.0f}")
    print(f"speed-up of the batched import: {(total / seconds) / (naive_count / naive_seconds):.1f}x")
    print(f"peak resident memory of the process: {max(naive_peak, peak):.0f} MiB")
