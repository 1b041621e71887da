"""Writing proposals: many companies' lists replaced in one transaction, fast.

A proposal is a plain tuple (``COLUMNS``) until it is written: building 40,000 model instances per shard
costs more than writing them. On PostgreSQL the rows go by COPY (psycopg 3 ``cursor.copy``) into a
temporary staging table of the connection (emptied at every commit), before the shard's lock is taken;
then, in the transaction that marks the shard done, one DELETE of the companies' old lists and one
INSERT … SELECT from the stage swap them: readers see the old lists or the new, never half (MVCC). A shard
delivered twice finds itself done under the lock and writes nothing. SQLite (the embedded default) and any
other database keep the batched ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from django.conf import settings
from django.db import connection, transaction

from matching.models import MatchProposal
from portal.companies.models import Company

COLUMNS = ("company_id", "partner_id", "rank", "score", "components", "reasons", "weights_id", "computed_at")
# The batched path (SQLite): rows per INSERT; at ~1 KB per proposal about 2 MB of SQL per statement.
BATCH_SIZE = 2_000
STAGE = "matching_proposal_stage"
# JSON for COPY: msgspec writes the same JSON values as json.dumps (compact, and UTF-8 rather than \u escapes,
# which jsonb does not keep anyway) in a seventh of the time: 800,000 proposals a full recompute at 20k.
_ENCODER = msgspec.json.Encoder()


def _json(value) -> str:
    return _ENCODER.encode(value).decode()


def commit_asynchronously() -> None:
    """On PostgreSQL, let the current transaction's COMMIT return before its WAL reaches the disk
    (``SET LOCAL synchronous_commit TO OFF``): a full recompute's shard writes 40,000 rows, and waiting for
    the flush of each shard's WAL took a tenth of the run. A database crash may then forget the last
    shards committed in the ~0.6 s before it; they are forgotten whole (the lists and the shard's "done"),
    so the run's stalled shards are simply computed again (``runs_requeue_stalled``). Nothing else changes:
    the transaction stays atomic and isolated."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _copy_supported() -> bool:
    """PostgreSQL through psycopg 3, whose cursors have ``copy`` (unless MATCHING_COPY_WRITES is off)."""
    if connection.vendor != "postgresql" or not settings.MATCHING_COPY_WRITES:
        return False
    try:
        import psycopg  # noqa: F401 - Django uses psycopg 3 when it is installed
    except ImportError:  # pragma: no cover - an older environment with psycopg2 only
        return False
    return True


class Staged:
    """Rows ready to swap in: staged in the database (PostgreSQL) or held here (the batched path)."""

    def __init__(self, rows: Sequence[tuple], *, in_database: bool) -> None:
        self.rows = rows
        self.in_database = in_database

    def __len__(self) -> int:
        return len(self.rows)


def _copy_rows(cursor, rows: Sequence[tuple]) -> None:
    """COPY the rows into the stage, as COPY's text format written here in blocks (psycopg's per-row
    ``write_row`` cost more than the database's work): the JSON columns as JSON text (``_json``), with
    COPY's escapes (a backslash doubled; JSON text holds no raw tab or line break)."""
    encode = _json
    sql = f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for start in range(0, len(rows), _COPY_BLOCK):
            lines = [
                f"{company}\t{partner}\t{rank}\t{score!r}\t{_escaped(encode(components))}\t"
                f"{_escaped(encode(reasons))}\t{weights}\t{computed_at.isoformat()}\n"
                for company, partner, rank, score, components, reasons, weights, computed_at
                in rows[start : start + _COPY_BLOCK]
            ]  # fmt: skip
            copy.write("".join(lines))


_COPY_BLOCK = 5_000  # rows per write: ~5 MB
_EXISTING_CHUNK = 500  # ids per existence query (SQLite's limit of bound parameters is far above)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\") if "\\" in text else text


def proposals_stage(rows: Sequence[tuple]) -> Staged:
    """Stage the rows (tuples in ``COLUMNS`` order, the JSON columns as Python values) inside the caller's
    transaction, ahead of ``proposals_swap``: the slow part of the write happens before any lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("stage proposals inside the transaction that swaps them")
    if not _copy_supported():
        return Staged(rows, in_database=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {', '.join(COLUMNS)} FROM {MatchProposal._meta.db_table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {STAGE}")  # noqa: S608 - a savepoint rolled back may have left rows
        _copy_rows(cursor, rows)
    return Staged(rows, in_database=True)


def proposals_swap(company_ids: Sequence[int], staged: Staged, *, strong: list | None = None) -> None:
    """Replace these companies' lists by the staged rows, in the caller's transaction (or one of its own).
    A row whose company or partner was deleted since the lists were scored (an administrator deleted it
    while a full recompute ran) is left out: the others are written, and the shard does not fail on it.
    (The check costs ~35 ms a shard of 40,000 rows on PostgreSQL, 490 → 525 ms for its INSERT and COMMIT.)
    The pairs that rose to a strong score are announced after commit (matching/services/strong.py: one
    query here, the rest in a task); ``strong`` gives them instead when the caller found them before it
    changed other rows (one company's rescoring, which also inserts rows into its partners' lists)."""
    from matching.services.strong import strong_candidates, strong_queue

    with transaction.atomic():
        strong_queue(strong_candidates(company_ids, staged.rows) if strong is None else strong)
        MatchProposal.objects.filter(company_id__in=list(company_ids)).delete()
        if staged.in_database:
            table, companies = MatchProposal._meta.db_table, Company._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608 - constant names only
                    f"SELECT {', '.join(COLUMNS)} FROM {STAGE} AS staged "
                    f"WHERE EXISTS (SELECT 1 FROM {companies} WHERE id = staged.company_id) "
                    f"AND EXISTS (SELECT 1 FROM {companies} WHERE id = staged.partner_id)"
                )
                cursor.execute(f"TRUNCATE {STAGE}")  # noqa: S608
            return
        existing = _existing({row[0] for row in staged.rows} | {row[1] for row in staged.rows})
        MatchProposal.objects.bulk_create(
            [
                MatchProposal(
                    company_id=company_id, partner_id=partner_id, rank=rank, score=score,
                    components=components, reasons=reasons, weights_id=weights_id,
                    computed_at=computed_at,
                )
                for company_id, partner_id, rank, score, components, reasons, weights_id, computed_at
                in staged.rows
                if company_id in existing and partner_id in existing
            ],
            batch_size=BATCH_SIZE,
        )  # fmt: skip


def _existing(company_ids: set[int]) -> set[int]:
    """Those of the companies that are still in the database (a few hundred ids a query)."""
    ids, found = sorted(company_ids), set()
    for start in range(0, len(ids), _EXISTING_CHUNK):
        chunk = ids[start : start + _EXISTING_CHUNK]
        found.update(Company.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def proposals_vacuum() -> bool:
    """On PostgreSQL, ``VACUUM (ANALYZE)`` the proposals after a full recompute replaced every list: it
    marks the table's pages all-visible, so the list ends that one company's rescoring reads (its rank-k
    rows, ``proposal_list_ends``) come from the index alone (20 ms at 100,000 a side) instead of from
    100,000 heap rows (200 ms). Autovacuum would do it too, but only a while later, and it may be off.
    VACUUM cannot run inside a transaction: there it does nothing. Returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {MatchProposal._meta.db_table}")
    return True
