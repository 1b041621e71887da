"""The greedy baseline (also CP-SAT's hint and fallback)."""

from __future__ import annotations

import time
from collections import defaultdict

from events.scheduler.model import Problem, Schedule
from events.scheduler.prepare import _Prepared
from events.scheduler.schedules import _schedule


def _greedy(prep: _Prepared) -> tuple[dict[int, int], dict[int, int]]:
    """Requests by priority (pinned, must-meet, score, input order), each in its first feasible slot
    (its pinned slot first), with the least versatile free interpreter."""
    n_tables = len(prep.tables)
    load: dict[tuple[int, int], int] = defaultdict(int)
    slot_load = [0] * len(prep.slots)
    busy: set[tuple[int, int]] = set()
    chosen: dict[int, int] = {}
    interpreters: dict[int, int] = {}
    order = sorted(
        prep.placeable,
        key=lambda r: (
            prep.pinned_slot[r] is None,
            not prep.requests[r].must_meet,
            -prep.requests[r].weight,
            r,
        ),
    )
    for r in order:
        a, b = prep.ends[r]
        slots = prep.candidates[r]
        if prep.pinned_slot[r] is not None:
            slots = [prep.pinned_slot[r], *(s for s in slots if s != prep.pinned_slot[r])]
        options = sorted(prep.covering[r], key=lambda i: (len(prep.interpreters[i].language_pairs), i))
        for s in slots:
            if slot_load[s] >= n_tables or load[a, s] >= prep.capacity[a] or load[b, s] >= prep.capacity[b]:
                continue
            if prep.needs_interp[r]:
                interpreter = next(
                    (i for i in options if s in prep.interp_slots[i] and (i, s) not in busy), None
                )
                if interpreter is None:
                    continue
                busy.add((interpreter, s))
                interpreters[r] = interpreter
            chosen[r] = s
            slot_load[s] += 1
            load[a, s] += 1
            load[b, s] += 1
            break
    return chosen, interpreters


def greedy_schedule(problem: Problem) -> Schedule:
    """The baseline: requests by priority (pinned, must-meet, score), each in its first slot where both
    sides, a table and (if needed) an interpreter are free."""
    started = time.perf_counter()
    prep = _Prepared(problem)
    chosen, interpreters = _greedy(prep)
    return _schedule(prep, chosen, interpreters, status="GREEDY", bound=None, started=started)
