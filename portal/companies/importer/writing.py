"""Writing checked rows, batched (bulk_create, one delete + one insert per relation, one UPDATE per
changed company), all or nothing."""

import logging
from collections import defaultdict

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.companies.importer.checking import PROGRESS_EVERY, Progress, _no_progress, check_rows
from portal.companies.importer.contract import (
    ANALYZE_AFTER_ROWS,
    BATCH_SIZE,
    SCALAR_FIELDS,
    ImportFailed,
    ImportResult,
    RowError,
    _Row,
)
from portal.companies.importer.reading import read_table
from portal.companies.models import (
    Company,
    CompanyCertification,
    CompanyContact,
    VerificationStatus,
)
from portal.companies.services import company_derived_fields
from portal.postings.models import Posting, PostingStatus

logger = logging.getLogger(__name__)


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
        _refresh_statistics()
    return ImportResult(created=len(to_create), updated=len(to_update))


def _written_tables() -> list[str]:
    links = [getattr(Company, name).through for name in RELATIONS]
    return [model._meta.db_table for model in [Company, CompanyCertification, *links]]


def _refresh_statistics() -> None:
    """Fresh statistics right away (autovacuum may take minutes, or be off): the directory's plans depend on
    them, the link tables' too (without them PostgreSQL guessed 980 companies for an industry that has
    14,000 and chose a nested loop over the whole table). After the commit, VACUUM marks the new rows
    visible to every transaction, so the directory's count reads its index alone (an index-only scan, 4 ms
    at 40,000 companies) instead of the whole table (7,700 pages, 80 ms)."""
    tables = _written_tables()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
    transaction.on_commit(lambda: _vacuum(tables), robust=True)


def _vacuum(tables: list[str]) -> None:
    if connection.in_atomic_block:  # VACUUM cannot run in a transaction (a caller's, or a test's)
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM " + ", ".join(connection.ops.quote_name(table) for table in tables))


# Company's many-to-many fields the importer writes, with the column that names the term.
RELATIONS = {
    "industries": "industry",
    "capabilities": "capability",
    "seeking": "capability",
    "requires": "certification",
    "looking_for": "lookingfor",
}


def _replace_links(rows: list[_Row], companies: list[Company], company_ids: list[int]) -> None:
    relations = {name: (target, getattr(Company, name).through) for name, target in RELATIONS.items()}
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
