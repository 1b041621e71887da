"""Writes of the matching engine's runs: one company's rescoring, full recomputes in shards, debounced
rescorings and the work a dead worker left behind."""

import logging
import os
from collections import defaultdict
from functools import partial

import numpy as np
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, FloatField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from matching import scoring
from matching.features import corpus, load_features
from matching.models import (
    Interest,
    MatchingWeights,
    MatchProposal,
    MatchRun,
    MatchRunShard,
    PendingRescoring,
    RunStatus,
)
from matching.reasons import reasons_for
from matching.services import writes
from matching.services.strong import strong_candidates
from matching.understanding.ranking import tie_key
from portal.companies.models import Company
from portal.core.collector import collector_paused
from portal.core.heartbeat import Heartbeat, stalled_before

logger = logging.getLogger(__name__)


# Companies of one country per full-recompute task. At 20k per country that is 10 tasks per side that
# workers run in parallel; a worker builds both countries' matrices once per run (~4 s at 20k) and then
# scores a shard's rows against the other country (~1–3 s).
SHARD_SIZE = 2_000


def weights_current() -> MatchingWeights:
    weights = MatchingWeights.objects.order_by("-pk").first()
    return weights or MatchingWeights.objects.create(note="Default weights")


def _as_scoring(weights: MatchingWeights) -> scoring.Weights:
    return scoring.Weights(
        industry=weights.industry,
        complementarity=weights.complementarity,
        certification=weights.certification,
        text=weights.text,
        practical=weights.practical,
        missing_certification_penalty=weights.missing_certification_penalty,
    )


def _other(country: str) -> str:
    return "JP" if country == "TH" else "TH"


def _declined_pairs(company_ids=None) -> set[tuple[int, int]]:
    """(company, partner) pairs never to propose, both ways: someone said "not interested"."""
    declined = Interest.objects.filter(interested=False)
    if company_ids is not None:
        declined = declined.filter(Q(company_id__in=company_ids) | Q(partner_id__in=company_ids))
    pairs = set()
    for company_id, partner_id in declined.values_list("company_id", "partner_id"):
        pairs.add((company_id, partner_id))
        pairs.add((partner_id, company_id))
    return pairs


def _proposals(rows, others, result, weights, now) -> list[tuple]:
    """The proposals of these rows as tuples in ``writes.COLUMNS`` order (no model instances: cheaper)."""
    proposals = []
    names = scoring.COMPONENTS
    for row, features in enumerate(rows):
        columns = [[round(value, 6) for value in result.components[row][name].tolist()] for name in names]
        scores = [round(value, 6) for value in np.asarray(result.scores[row], dtype=np.float64).tolist()]
        for rank, (position, score) in enumerate(zip(result.positions[row].tolist(), scores, strict=True), 1):
            partner = others[position]
            components = {name: column[rank - 1] for name, column in zip(names, columns, strict=True)}
            reasons = reasons_for(features, partner, components)
            proposals.append((features.id, partner.id, rank, score, components, reasons, weights.pk, now))
    return _ties_broken(proposals)


def _ties_broken(proposals: list[tuple]) -> list[tuple]:
    """Each company's list ordered by ``tie_key`` (equal scores by text, readiness, id) and re-ranked
    (tuples in ``writes.COLUMNS`` order: company, partner, rank, score, components, reasons, …)."""
    lists = defaultdict(list)
    for proposal in proposals:
        lists[proposal[0]].append(proposal)
    ranked = []
    for rows in lists.values():
        rows.sort(key=lambda p: tie_key(p[3], p[1], p[4], p[5]))
        ranked.extend((p[0], p[1], rank, *p[3:]) for rank, p in enumerate(rows, 1))
    return ranked


# Processes of the Celery worker this process belongs to (its --concurrency; 1 outside a worker): set when
# the worker starts (``matching.tasks``), so that its processes share the machine's cores between them.
_worker_processes = 1
MAX_THREADS = 4  # past 2–4 threads a pass gains nothing (memory bandwidth): scale out with processes


def worker_processes_set(processes: int) -> None:
    global _worker_processes
    _worker_processes = max(1, int(processes or 1))


def shard_threads() -> int:
    """Threads for one shard's scoring: MATCHING_THREADS if set, else this process's share of the cores it
    may run on (os.sched_getaffinity: a container's or taskset's limit counts), between 1 and MAX_THREADS."""
    if settings.MATCHING_THREADS > 0:
        return settings.MATCHING_THREADS
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, cores // _worker_processes))


def _excluded(rows, others) -> dict[int, list[int]]:
    """Row → positions in ``others`` of the partners it declined (never proposed)."""
    declined = _declined_pairs([f.id for f in rows])
    if not declined:
        return {}
    position = {features.id: index for index, features in enumerate(others)}
    excluded = defaultdict(list)
    for company_id, partner_id in declined:
        for row, features in enumerate(rows):
            if features.id == company_id and partner_id in position:
                excluded[row].append(position[partner_id])
    return excluded


def _score(rows, others, weights: MatchingWeights, *, prepared):
    side_a, side_b = prepared
    return scoring.score_rows(
        side_a, side_b, _as_scoring(weights), k=weights.top_k, excluded=_excluded(rows, others),
        threads=shard_threads(),
    )  # fmt: skip


@collector_paused()  # its proposals and the partners' lists it reads are many objects that all live on
def match_company(*, company_id: int) -> MatchRun:
    """Rescore one company against every company of the other country, and update the lists of the
    partners it enters or leaves (scores are symmetric, so their other pairs do not change)."""
    weights = weights_current()
    run = MatchRun.objects.create(kind=MatchRun.Kind.COMPANY, company_id=company_id, weights=weights)
    try:
        return _rescore(run, company_id, weights)
    except Exception as exc:  # the run says so, instead of showing as running for ever; the task retries
        _fail_run(run, exc)
        raise


def _rescore(run: MatchRun, company_id: int, weights: MatchingWeights) -> MatchRun:
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not company.is_verified:
        # Not (or no longer) in the directory: it is nobody's partner and gets no proposals.
        with transaction.atomic():
            MatchProposal.objects.filter(Q(company_id=company_id) | Q(partner_id=company_id)).delete()
        return _finish(run, companies=1, proposals=0)
    own = load_features(ids=[company_id])
    # The partners as they are now; this company's own country only for the IDF (as in the last full run
    # this process took part in: one document more or less moves it negligibly).
    texts = corpus(fresh=(_other(company.country),), exact=False)
    partners = texts.snapshot(_other(company.country))
    others = partners.features
    now = timezone.now()
    prepared = (
        scoring.build_side(own, texts.vocabulary, texts.text_rows(own)),
        texts.side(_other(company.country)),
    )
    # C's components and score with every partner, once: its own list and the partners' lists read them.
    components = scoring.component_block(*prepared)
    all_scores = scoring.combine(components, _as_scoring(weights))
    result = scoring.top_k_block(
        components, all_scores, k=weights.top_k, min_score=scoring.MIN_SCORE,
        excluded=_excluded(own, others),
    )  # fmt: skip
    mine = _proposals(own, others, result, weights, now)

    # The other side: C's place in the lists it enters, stays in or leaves, moved in place.
    scores = all_scores[0]
    with transaction.atomic():
        affected, edits, refill = _partner_lists(
            company, own[0], others, partners.ids, components, scores, weights, now
        )
        # The pairs that rose to a strong score, before any old row goes (C's old scores in the partners'
        # lists were read with them).
        strong = strong_candidates([company_id], mine) + strong_candidates([], edits.rows, old=edits.was)
        staged = writes.proposals_stage(mine + edits.rows)
        edits.apply(company_id, affected)
        writes.proposals_swap([company_id], staged, strong=strong)
        if refill:
            from matching.tasks import queue_company_rescoring

            for partner_id in refill:
                transaction.on_commit(partial(queue_company_rescoring, partner_id))
    return _finish(run, companies=1 + len(affected), proposals=len(mine))


class _ListEdits:
    """C's new place in the partners' lists, written as a few statements: C's old rows and the rows pushed
    past the last place deleted, the rows between C's old and new place moved one rank, C's new rows
    inserted (``rows``). The other rows of a list keep their order and their data (scores are symmetric:
    only C changed), so they are neither read in full nor written again: rewriting every affected list
    read and wrote ~19,000 proposals with their JSON for a company entering ~950 lists at 100,000 a side."""

    OFFSET = 1_000  # moved rows pass through rank + OFFSET, so (company, rank) stays unique at every row

    def __init__(self) -> None:
        self.dropped = defaultdict(list)  # old rank → partners whose row of that rank leaves their list
        self.moves = defaultdict(list)  # (first old rank, last old rank, step) → partners whose rows move
        self.rows = []  # C's new rows in the partners' lists (tuples in ``writes.COLUMNS`` order)
        self.was = {}  # (partner, C) → C's old score in that partner's list

    def reorder(self, partner_id: int, old_ranks: list, k: int) -> None:
        """``old_ranks``: the partner's new list as the old ranks of its rows (None for C's row)."""
        run = None  # the run of consecutive rows moving by the same step: [first, last, step]
        for index, old_rank in enumerate(old_ranks):
            step = None if old_rank is None else index + 1 - old_rank
            if old_rank is not None and index >= k:
                self.dropped[old_rank].append(partner_id)
            elif step and run and run[2] == step and run[1] == old_rank - 1:
                run[1] = old_rank
                continue
            if run:
                self.moves[tuple(run)].append(partner_id)
                run = None
            if step and index < k:
                run = [old_rank, old_rank, step]
        if run:
            self.moves[tuple(run)].append(partner_id)

    def apply(self, company_id: int, lists: list[int]) -> None:
        """Delete and move rows in these partners' lists (C's own list and new rows go by the swap)."""
        rows = MatchProposal.objects.all()
        rows.filter(company_id__in=lists, partner_id=company_id).delete()
        moved = sorted({partner for partners in self.moves.values() for partner in partners})
        if connection.vendor == "postgresql":
            self._apply_as_arrays(moved)
            return
        for old_rank, partners in self.dropped.items():
            rows.filter(company_id__in=partners, rank=old_rank).delete()
        for (first, last, step), partners in self.moves.items():
            rows.filter(company_id__in=partners, rank__range=(first, last)).update(
                rank=F("rank") + step + self.OFFSET
            )
        if moved:
            rows.filter(company_id__in=moved, rank__gt=self.OFFSET).update(rank=F("rank") - self.OFFSET)

    def _apply_as_arrays(self, moved: list[int]) -> None:
        """The same deletes and moves on PostgreSQL, as three statements over arrays (not one per group:
        a company entering ~950 lists moved rows in ~80 groups of ranks)."""
        table = MatchProposal._meta.db_table
        dropped = [(partner, rank) for rank, partners in self.dropped.items() for partner in partners]
        runs = [(partner, *run) for run, partners in self.moves.items() for partner in partners]
        with connection.cursor() as cursor:
            if dropped:
                cursor.execute(
                    f"DELETE FROM {table} AS p USING unnest(%s::bigint[], %s::int[]) AS d(company, rank) "  # noqa: S608
                    "WHERE p.company_id = d.company AND p.rank = d.rank",
                    [[row[0] for row in dropped], [row[1] for row in dropped]],
                )
            if runs:
                cursor.execute(
                    f"UPDATE {table} AS p SET rank = p.rank + m.step + %s "  # noqa: S608
                    "FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::int[]) "
                    "AS m(company, first, last, step) "
                    "WHERE p.company_id = m.company AND p.rank BETWEEN m.first AND m.last",
                    [self.OFFSET, *([run[index] for run in runs] for index in range(4))],
                )
                cursor.execute(
                    f"UPDATE {table} SET rank = rank - %s WHERE company_id = ANY(%s) AND rank > %s",  # noqa: S608
                    [self.OFFSET, moved, self.OFFSET],
                )


def _partner_lists(company, features, others, others_ids, components, scores, weights, now):
    """The partners whose list C enters, stays in or leaves, the edits to their lists, and the partners
    to rescore.

    Scores are symmetric and only C changed, so a partner's list changes only around C. A list that was
    full and loses C, or keeps C with a score below its old last place, may now miss a company that was
    just below the cut: that partner is rescored on its own after commit (``refill``)."""
    k = weights.top_k
    # Which partners' lists change: those that hold C now, and those C enters (beats their k-th score).
    # A full list's k-th score is its rank-k row (lists are ranked by score): one index range over the
    # list ends (``proposal_list_ends``) instead of an aggregate over every proposal of the country.
    ids = others_ids  # ascending, as ``others``
    kth = np.full(len(others), -np.inf)  # a list that is not full takes any eligible partner
    with connection.cursor() as cursor:  # 100,000 rows at 100,000 a side: no model layer per row
        cursor.execute(
            f"SELECT company_id, score FROM {MatchProposal._meta.db_table} "  # noqa: S608 - constant names
            "WHERE rank = %s AND company_id BETWEEN %s AND %s",
            [k, int(ids.min(initial=0)), int(ids.max(initial=0))],
        )
        ends = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 2)
    if len(ends) and len(ids):
        where = np.minimum(np.searchsorted(ids, ends[:, 0].astype(np.int64)), len(ids) - 1)
        ours = ids[where] == ends[:, 0].astype(np.int64)
        kth[where[ours]] = ends[ours, 1]
    eligible = scores >= scoring.MIN_SCORE
    declined = [partner for partner, other in _declined_pairs([company.pk]) if other == company.pk]
    eligible[np.isin(ids, declined)] = False
    holding = MatchProposal.objects.filter(partner_id=company.pk).values_list("company_id", flat=True)
    changing = (eligible & (scores > kth)) | np.isin(ids, list(holding))
    candidates = {
        int(ids[position]): (
            position,
            others[position],
            round(float(scores[position]), 6),
            eligible[position],
        )
        for position in np.flatnonzero(changing).tolist()
    }
    # Lock this company and the partners (in id order, so concurrent rescorings cannot deadlock), then read
    # the lists: another rescoring that changed one of them meanwhile has committed, and its rows are seen.
    locked = Company.objects.select_for_update().filter(pk__in=[company.pk, *candidates]).order_by("pk")
    list(locked.values_list("pk"))
    # The lists as (rank, other, score, text similarity), in rank order: no reasons, no model instances.
    lists = defaultdict(list)
    for list_owner, *row in (
        MatchProposal.objects.filter(company_id__in=list(candidates))
        .order_by("company_id", "rank")
        .values_list("company_id", "rank", "partner_id", "score", Cast(KT("components__text"), FloatField()))
    ):
        lists[list_owner].append(row)
    others_rows = {  # each list's rows but C's, in rank order (they keep it)
        partner_id: [row for row in lists.get(partner_id, []) if row[1] != company.pk]
        for partner_id in candidates
    }
    placing = {}  # partner → (C's tie_key, C's components, C's reasons)
    for partner_id, (position, partner, score, eligible) in candidates.items():
        if eligible:
            pair = {name: round(float(components[name][0, position]), 6) for name in scoring.COMPONENTS}
            reasons = reasons_for(partner, features, pair)
            placing[partner_id] = (tie_key(score, company.pk, pair, reasons), pair, reasons)
    readiness = _tied_reasons(placing, others_rows)
    edits, refill = _ListEdits(), []
    for partner_id, (_position, _partner, score, eligible) in candidates.items():
        current, kept = lists.get(partner_id, []), others_rows[partner_id]
        edits.was.update(((partner_id, company.pk), row[2]) for row in current if row[1] == company.pk)
        held = len(kept) < len(current)
        if held and len(current) >= k and (not eligible or score < min(row[2] for row in current)):
            refill.append(partner_id)
        order = [row[0] for row in kept]  # the others' old ranks, in order
        if eligible:
            key, pair, reasons = placing[partner_id]
            place = _place(key, kept, partner_id, readiness)
            order.insert(place, None)
            if place < k:
                edits.rows.append((partner_id, company.pk, place + 1, score, pair, reasons, weights.pk, now))
        edits.reorder(partner_id, order, k)
    return list(candidates), edits, refill


def _head(row: tuple) -> tuple:
    """The start of ``tie_key`` for a list's row (rank, other, score, text similarity): score, then text."""
    return (-round(row[2], 6), -(row[3] or 0.0))


def _place(key: tuple, kept: list[tuple], list_owner: int, readiness: dict) -> int:
    """How many of a list's other rows (rank, other, score, text similarity; in ``tie_key`` order, as every
    list is written) come before the row whose ``tie_key`` is ``key``. A row's readiness is read from its
    reasons only when its score and text tie with C's (``_tied_reasons``); otherwise it cannot matter."""
    head = key[:2]
    place = 0
    for row in kept:
        own = _head(row)
        if own == head:
            _rank, other, score, text = row
            own = tie_key(score, other, {"text": text or 0.0}, readiness.get((list_owner, other), []))
            if own > key:
                break
        elif own > head:
            break
        place += 1
    return place


def _tied_reasons(placing: dict, others_rows: dict) -> dict:
    """(list owner, other) → reasons, for the rows whose score and text equal C's in that list: their
    readiness decides (``tie_key``). One query for all of them, usually none."""
    tied = {
        (list_owner, row[1])
        for list_owner, (key, _pair, _reasons) in placing.items()
        for row in others_rows[list_owner]
        if _head(row) == key[:2]
    }
    if not tied:
        return {}
    rows = MatchProposal.objects.filter(
        company_id__in={owner for owner, _ in tied}, partner_id__in={other for _, other in tied}
    ).values_list("company_id", "partner_id", "reasons")
    return {(owner, other): reasons for owner, other, reasons in rows if (owner, other) in tied}


def _finish(run: MatchRun, *, companies: int, proposals: int) -> MatchRun:
    """Mark the run finished. The instance is updated in memory, not read back: the run's row may be gone
    (an administrator clearing the runs' history while a rescoring ran), and the work is written anyway."""
    changes = {
        "status": RunStatus.FINISHED, "finished_at": timezone.now(), "companies": companies,
        "proposals": proposals,
    }  # fmt: skip
    MatchRun.objects.filter(pk=run.pk).update(**changes)
    for name, value in changes.items():
        setattr(run, name, value)
    return run


@transaction.atomic
def run_start_full() -> MatchRun:
    """A full recompute as shards (one country's rows against the other), for workers to share."""
    weights = weights_current()
    counts = {country: Company.objects.verified().filter(country=country).count() for country in ("TH", "JP")}
    shards = [
        (country, offset, SHARD_SIZE)
        for country, count in counts.items()
        for offset in range(0, count, SHARD_SIZE)
    ]
    run = MatchRun.objects.create(
        kind=MatchRun.Kind.FULL,
        weights=weights,
        shards_total=max(1, len(shards)),
        companies=sum(counts.values()),
    )
    MatchRunShard.objects.bulk_create(
        [
            MatchRunShard(run=run, country=country, offset=offset, limit=limit)
            for country, offset, limit in shards
        ]
    )
    if not shards:
        _finish(run, companies=0, proposals=0)
    return run


def run_shard(*, shard_id: int) -> int:
    """Compute one shard and swap its companies' lists. Idempotent: a finished shard is not redone, and
    a shard redone after a crash rewrites the same rows (unique constraints, delete-then-insert). While it
    runs, the shard's heartbeat is kept fresh, so a shard whose worker died is re-queued
    (``runs_requeue_stalled``)."""
    shard = MatchRunShard.objects.select_related("run", "run__weights").filter(pk=shard_id).first()
    if shard is None:  # its run was deleted (the runs' history cleared in the admin): nothing to do
        logger.info("shard of a deleted run", extra={"shard_id": shard_id})
        return 0
    if shard.done or shard.run.status != RunStatus.RUNNING:
        return 0
    run = shard.run
    now = timezone.now()
    MatchRunShard.objects.filter(pk=shard_id).update(heartbeat_at=now, attempts=F("attempts") + 1)
    MatchRun.objects.filter(pk=run.pk).update(progress_at=now)
    # 40,000 proposals built and written: without the collector walking them (portal/core/collector.py).
    with Heartbeat(MatchRunShard.objects.filter(pk=shard_id, done=False)), collector_paused():
        return _compute_shard(shard, run)


def _compute_shard(shard: MatchRunShard, run: MatchRun) -> int:
    shard_id = shard.pk
    try:
        texts = corpus()
        take = slice(shard.offset, shard.offset + shard.limit)
        rows, others = (
            texts.snapshot(shard.country).features[take],
            texts.snapshot(_other(shard.country)).features,
        )
        prepared = (texts.side(shard.country).rows(take.start, take.stop), texts.side(_other(shard.country)))
        result = _score(rows, others, run.weights, prepared=prepared)
        proposals = _proposals(rows, others, result, run.weights, timezone.now())
        with transaction.atomic():
            writes.commit_asynchronously()  # recomputed if a crash forgets it
            staged = writes.proposals_stage(proposals)  # COPY on PostgreSQL, before the lock
            locked = MatchRunShard.objects.select_for_update().filter(pk=shard_id).first()
            if locked is None or locked.done:
                # Delivered twice (the first delivery wrote the lists), or the run was deleted meanwhile.
                return 0
            writes.proposals_swap([f.id for f in rows], staged)
            locked.done, locked.heartbeat_at = True, timezone.now()
            locked.save(update_fields=["done", "heartbeat_at"])
            MatchRun.objects.filter(pk=run.pk).update(
                shards_done=F("shards_done") + 1,
                proposals=F("proposals") + len(proposals),
                progress_at=timezone.now(),
            )
            run.refresh_from_db()
            if run.shards_done >= run.shards_total:
                _close_full_run(run)
    except TRANSIENT_ERRORS:
        # A deadlock with a concurrent rescoring, a lost connection: nothing was written (the transaction is
        # rolled back) and the shard stays to do. Its task retries it (matching/tasks.py); if that fails too,
        # the stalled shards' sweep queues it again, and fails the run after PORTAL_MAX_ATTEMPTS.
        raise
    except Exception as exc:
        _fail_run(run, exc)
        raise
    return len(proposals)


def _fail_run(run: MatchRun, exc: Exception) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
    )


# Database errors a second try may well not meet (PostgreSQL's deadlocks and serialisation failures are
# OperationalErrors; a connection that went away is either).
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def _close_full_run(run: MatchRun) -> None:
    """Drop lists of companies that left the directory (and proposals of them), then mark the run done."""
    stale = Q(company__verification_status__in=["pending", "rejected"]) | Q(
        partner__verification_status__in=["pending", "rejected"]
    )
    MatchProposal.objects.filter(stale).delete()
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FINISHED, finished_at=timezone.now())
    transaction.on_commit(_vacuum_later)


def _vacuum_later() -> None:
    from matching.tasks import vacuum_proposals
    from portal.core import outbox

    outbox.send(vacuum_proposals)


def run_full_inline() -> MatchRun:
    """Every shard in this process (the embedded default and management commands without workers)."""
    run = run_start_full()
    try:
        for shard_id in run.shards.values_list("pk", flat=True):
            run_shard(shard_id=shard_id)
    except TRANSIENT_ERRORS as exc:  # no worker here to try the shard again: the run fails
        _fail_run(run, exc)
        raise
    run.refresh_from_db()
    return run


# ------------------------------------------------------------------------------------------------
# Debounced rescorings, tracked in the database, and work a dead worker left behind
# ------------------------------------------------------------------------------------------------
def rescoring_request(*, company_id: int) -> int | None:
    """Record that ``company_id`` must be rescored; returns the request's stamp (a counter per company: the
    task carrying an older stamp steps aside for the newer one), or None for a company that is gone."""
    now = timezone.now()
    changes = {"stamp": F("stamp") + 1, "requested_at": now, "heartbeat_at": None, "attempts": 0}
    pending = PendingRescoring.objects.filter(company_id=company_id)
    with transaction.atomic():
        if not pending.update(**changes):
            try:
                with transaction.atomic():
                    PendingRescoring.objects.create(company_id=company_id, stamp=1, requested_at=now)
            except IntegrityError:  # a concurrent request created it, or the company is gone
                pending.update(**changes)
        return pending.values_list("stamp", flat=True).first()


def rescoring_run(*, company_id: int, stamp: int | None = None) -> MatchRun | None:
    """The rescoring a request asked for. With a ``stamp`` (the debounced task): nothing when the request
    is done already or a newer one is pending (its own task follows); the request's row is deleted once
    the rescoring is done, unless a newer request came in meanwhile."""
    pending = PendingRescoring.objects.filter(company_id=company_id)
    mine = PendingRescoring.objects.none()
    if stamp is not None:
        current = pending.values_list("stamp", flat=True).first()
        if current is None or current > stamp:
            logger.info("rescoring done or superseded", extra={"company_id": company_id})
            return None
        mine = pending.filter(stamp=current)
        mine.update(heartbeat_at=timezone.now(), attempts=F("attempts") + 1)
    with Heartbeat(mine):
        run = match_company(company_id=company_id)
    mine.delete()
    return run


def runs_requeue_stalled() -> int:
    """Queue again the shards of running full recomputes that nobody is computing: started by a worker that
    died (heartbeat older than PORTAL_STALLED_AFTER_SECONDS), or never started while the run has shown no
    sign of life for as long (their messages went down with a worker, or were never sent). A shard that
    kept killing its worker fails the run. Returns the shards queued."""
    from matching.tasks import recompute_shard

    now, stale = timezone.now(), stalled_before()
    queued = 0
    for run in MatchRun.objects.filter(kind=MatchRun.Kind.FULL, status=RunStatus.RUNNING):
        shards = run.shards.filter(done=False)
        stalled = list(shards.filter(heartbeat_at__lt=stale))
        beating = shards.filter(heartbeat_at__gte=stale).exists()
        advancing = beating or (run.progress_at or run.started_at) >= stale
        if not advancing:
            stalled += list(shards.filter(heartbeat_at__isnull=True))
        worn = [shard for shard in stalled if shard.attempts >= settings.PORTAL_MAX_ATTEMPTS]
        if worn:
            MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED,
                finished_at=now,
                error=f"shard {worn[0]} stopped its worker {worn[0].attempts} times",
            )
            continue
        for shard in stalled:
            if MatchRunShard.objects.filter(pk=shard.pk, heartbeat_at=shard.heartbeat_at).update(
                heartbeat_at=None
            ):
                recompute_shard.apply_async(kwargs={"shard_id": shard.pk})
                queued += 1
        if stalled:
            MatchRun.objects.filter(pk=run.pk).update(progress_at=now)
            logger.warning("stalled shards re-queued", extra={"run": run.pk, "shards": len(stalled)})
    return queued


def rescorings_requeue_stalled() -> int:
    """Queue again the rescorings requested and not done: their task's worker died (stale heartbeat) or the
    message was lost (never started, requested longer ago than PORTAL_STALLED_AFTER_SECONDS). One whose
    worker died PORTAL_MAX_ATTEMPTS times is dropped with an error in the log. Returns the rescorings
    queued."""
    from matching.tasks import score_company

    now, stale = timezone.now(), stalled_before()
    stalled = PendingRescoring.objects.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, requested_at__lt=stale)
    )
    queued = 0
    for row in stalled:
        same = PendingRescoring.objects.filter(pk=row.pk, stamp=row.stamp, heartbeat_at=row.heartbeat_at)
        if row.heartbeat_at is not None:
            # Its worker died while rescoring: the run it had started says so, instead of "running" for ever
            # (the coordinators' matching page lists the last runs).
            MatchRun.objects.filter(
                kind=MatchRun.Kind.COMPANY,
                company_id=row.company_id,
                status=RunStatus.RUNNING,
                started_at__lte=row.heartbeat_at,
            ).update(status=RunStatus.FAILED, error="the worker stopped while rescoring", finished_at=now)
        if row.heartbeat_at is not None and row.attempts >= settings.PORTAL_MAX_ATTEMPTS:
            if same.delete()[0]:
                logger.error(
                    "rescoring given up", extra={"company_id": row.company_id, "tries": row.attempts}
                )
            continue
        if same.update(heartbeat_at=None, requested_at=now):
            score_company.apply_async(kwargs={"company_id": row.company_id, "stamp": row.stamp})
            queued += 1
    if queued:
        logger.warning("stalled rescorings re-queued", extra={"count": queued})
    return queued
