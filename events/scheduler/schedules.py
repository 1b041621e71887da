"""From chosen slots to a schedule: tables, interpreters (a bipartite matching per slot), unplaced
reasons; the objective and the checks of a schedule."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Hashable, Iterable

from events.scheduler.model import CAPACITY, Placement, Problem, Schedule, Unplaced
from events.scheduler.prepare import _Prepared


def _match_interpreters(prep: _Prepared, s: int, needing: list[int]) -> dict[int, int]:
    """Distinct interpreters available in slot s for the requests ``needing`` (augmenting paths)."""
    options = {
        r: sorted(
            (i for i in prep.covering[r] if s in prep.interp_slots[i]),
            key=lambda i: (len(prep.interpreters[i].language_pairs), i),
        )
        for r in needing
    }
    owner: dict[int, int] = {}

    def assign(r: int, seen: set[int]) -> bool:
        for i in options[r]:
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or assign(owner[i], seen):
                owner[i] = r
                return True
        return False

    for r in sorted(needing, key=lambda r: (len(options[r]), r)):
        if not assign(r, set()):
            raise RuntimeError(f"no interpreter left for request {prep.requests[r].id!r} in slot {s}")
    return {r: i for i, r in owner.items()}


def _schedule(
    prep: _Prepared,
    chosen: dict[int, int],
    interpreters: dict[int, int] | None,
    *,
    status: str,
    bound: int | None,
    started: float,
    stats: dict | None = None,
) -> Schedule:
    """Tables (pinned ones first), interpreters (matched per slot unless given), reasons, objective."""
    by_slot: dict[int, list[int]] = defaultdict(list)
    for r, s in chosen.items():
        by_slot[s].append(r)
    if interpreters is None:
        interpreters = {}
        for s, requests in by_slot.items():
            interpreters.update(_match_interpreters(prep, s, [r for r in requests if prep.needs_interp[r]]))
    placed: list[tuple[int, int, Placement]] = []
    for s, requests in by_slot.items():
        requests.sort()
        if len(requests) > len(prep.tables):
            raise RuntimeError(f"slot {prep.slots[s].id!r} over-booked")
        table_of: dict[int, Hashable] = {}
        for r in requests:
            pinned = prep.requests[r].pinned
            if prep.pinned_slot[r] == s and pinned[1] in prep.tables and pinned[1] not in table_of.values():
                table_of[r] = pinned[1]
        free_tables = iter(t for t in prep.tables if t not in table_of.values())
        for r in requests:
            if r not in table_of:
                table_of[r] = next(free_tables)
        for r in requests:
            i = interpreters.get(r)
            a, b = prep.ends[r]
            placement = Placement(
                request_id=prep.requests[r].id,
                slot_id=prep.slots[s].id,
                table=table_of[r],
                interpreter_id=None if i is None else prep.interpreters[i].id,
                languages=None
                if i is None
                else prep.interpreters[i].covers(
                    prep.participants[a].languages, prep.participants[b].languages
                ),
            )
            placed.append((s, prep.tables.index(table_of[r]), placement))
    placed.sort(key=lambda item: item[:2])
    return Schedule(
        placed=[placement for _, _, placement in placed],
        unplaced=[
            Unplaced(request.id, prep.reason.get(r, CAPACITY))
            for r, request in enumerate(prep.requests)
            if r not in chosen
        ],
        objective=prep.objective(chosen),
        upper_bound=bound,
        status=status,
        solve_seconds=time.perf_counter() - started,
        stats=stats or {},
    )


def objective_value(problem: Problem, placements: Iterable[Placement]) -> int:
    """The objective of the module docstring for some placements (e.g. a hand-edited schedule)."""
    prep = _Prepared(problem)
    request_index = {request.id: r for r, request in enumerate(prep.requests)}
    return prep.objective({request_index[p.request_id]: prep.slot_index[p.slot_id] for p in placements})


def violations(problem: Problem, placements: Iterable[Placement]) -> list[str]:
    """Every broken hard constraint of ``placements`` (empty when the schedule is valid)."""
    prep = _Prepared(problem)
    request_index = {request.id: r for r, request in enumerate(prep.requests)}
    interp_index = {interp.id: i for i, interp in enumerate(prep.interpreters)}
    found: list[str] = []
    seen: set[int] = set()
    load: dict[tuple[int, int], int] = defaultdict(int)
    tables: dict[int, set] = defaultdict(set)
    busy: set[tuple[int, int]] = set()
    for p in placements:
        if p.request_id not in request_index or p.slot_id not in prep.slot_index:
            found.append(f"{p.request_id!r}: unknown request or slot")
            continue
        r, s = request_index[p.request_id], prep.slot_index[p.slot_id]
        if r in seen:
            found.append(f"{p.request_id!r}: placed twice")
        seen.add(r)
        for side in prep.ends[r]:
            if s not in prep.part_slots[side]:
                found.append(f"{p.request_id!r}: {prep.participants[side].id!r} unavailable in {p.slot_id!r}")
            load[side, s] += 1
            if load[side, s] == prep.capacity[side] + 1:
                found.append(f"{prep.participants[side].id!r}: over capacity in {p.slot_id!r}")
        if p.table not in prep.tables:
            found.append(f"{p.request_id!r}: unknown table {p.table!r}")
        if p.table in tables[s]:
            found.append(f"{p.request_id!r}: table {p.table!r} used twice in {p.slot_id!r}")
        tables[s].add(p.table)
        if not prep.needs_interp[r]:
            if p.interpreter_id is not None:
                found.append(f"{p.request_id!r}: interpreter for a meeting sharing a language")
            continue
        i = interp_index.get(p.interpreter_id)
        if i is None:
            found.append(f"{p.request_id!r}: needs an interpreter")
            continue
        if s not in prep.interp_slots[i]:
            found.append(f"{p.request_id!r}: interpreter {p.interpreter_id!r} unavailable")
        if i not in prep.covering[r]:
            found.append(f"{p.request_id!r}: interpreter {p.interpreter_id!r} lacks the languages")
        if (i, s) in busy:
            found.append(f"{p.request_id!r}: interpreter {p.interpreter_id!r} double-booked")
        busy.add((i, s))
    return found
