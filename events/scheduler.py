"""B2B meeting scheduler for Expo events: pure Python + OR-Tools CP-SAT (no Django here).

A *slot* is a time period of an event's meeting day; a *participant* is a company, which sits at most
``capacity`` meetings at once (its number of representatives, default 1); a *request* is an accepted
meeting request between two participants, with the match score as its weight. Tables are interchangeable:
the model only counts meetings per slot and table labels are handed out after solving.

Hard constraints
----------------
* a request is placed at most once, and only in a slot where both sides are available;
* a participant is in at most ``capacity`` meetings per slot;
* at most ``tables`` meetings per slot, each on a distinct table of that slot;
* a meeting whose sides share no language gets an interpreter available in that slot who covers a
  language of side A and one of side B with one of their language pairs; an interpreter serves one
  meeting per slot. Meetings whose sides share a language never get one.

Objective (maximised, integers; the coefficients are fields of :class:`Problem`, defaults shown)
-----------------------------------------------------------------------------------------------
::

    Σ over placed r of ( base_value                            100    every meeting counts
                       + round(weight_r)                       0–100  the match score
                       + must_meet_bonus · [must_meet_r]       10000  must-meet requests first
                       + pin_bonus · [r in its pinned slot] )  1000   published meetings stay put
    + min_meetings_bonus · Σ over participants p of min(min_meetings_per_participant, meetings of p)
                                                               300    the soft minimum

The soft minimum makes each of a participant's first ``min_meetings_per_participant`` meetings worth
``min_meetings_bonus`` more *to that participant* (a meeting can earn it for both sides), so a company
without meetings outbids a better match between two busy ones. The order of the coefficients is the
policy: must-meet > keeping published meetings > spreading meetings over companies > the number of
meetings > the match score. A pinned meeting that stays in its slot also keeps its table (tables are
assigned after solving, pinned ones first).

Interpreters
------------
Interpreters with the same language pairs are interchangeable. A request needing one has a *class*: the
set of interpreter types that can bridge it. For every slot and every union ``N`` of classes, the model
bounds the number of placed meetings whose class lies inside ``N`` by the number of interpreters of the
types in ``N`` available in that slot. By Hall's theorem these are exactly the conditions under which
distinct interpreters can be assigned, which is done after solving by a bipartite matching per slot.
With languages from everywhere (more than ``_HALL_MAX_UNIONS`` unions) the model falls back to one
variable per (meeting, slot, interpreter).

Search
------
Models up to ``_MONOLITHIC_MAX_VARIABLES`` (request, slot) variables are solved by CP-SAT in one go,
which proves optimality on small events. Larger ones use large-neighbourhood search: starting from the
greedy schedule, CP-SAT re-optimises one neighbourhood at a time (the meetings of a random set of slots,
or all requests of a few companies, preferably of an unplaced request) with the rest fixed, keeps any
change that does not lower the objective, and adapts the neighbourhood size to what CP-SAT closes within
``_LNS_SUBSOLVE_SECONDS``. It stops at the time limit, after ``_LNS_STALL`` neighbourhoods in a row
without gain, or when the objective reaches the LP bound of :func:`objective_bound` (then the schedule is
optimal). Either way the greedy schedule is the hint and the result is never worse than it. CP-SAT runs
with the "max_lp" worker (linearization level 2): with the default portfolio of two workers it stalls on
these models (a 2,000-variable neighbourhood: not closed in 6 s against 0.3 s).

Same input, same seed and ``workers=1`` give the same schedule when CP-SAT proves optimality (the
monolithic model, small events). With more workers two optima of equal objective may swap between runs;
the neighbourhood search depends on the wall clock.

Upper bound
-----------
:func:`upper_bound` is the LP relaxation of the *number of meetings* under all the hard constraints
(GLOP), rounded down, capped by :func:`counting_bound` (requests placeable at all; per slot
min(tables, half the usable participant capacity, meetings sharing a language + available interpreters);
per participant min(requests, capacity × usable slots), halved). Every schedule is a feasible point of
the LP, so no schedule places more meetings. :func:`objective_bound` is the same LP for the objective.

Unplaced reasons (stable strings): ``no_common_slot`` — the two sides share no available slot;
``no_interpreter`` — they share no language and no interpreter able to bridge them is available in any
common slot; ``capacity`` — placeable on its own but did not fit. The first two depend on the data only
(a participant with capacity 0 is available nowhere).
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

NO_COMMON_SLOT = "no_common_slot"
NO_INTERPRETER = "no_interpreter"
CAPACITY = "capacity"
REASON_CODES = (NO_COMMON_SLOT, NO_INTERPRETER, CAPACITY)

_HALL_MAX_UNIONS = 256  # more unions of interpreter classes: one variable per (meeting, slot, interpreter)
_MONOLITHIC_MAX_VARIABLES = 5_000  # larger models: large-neighbourhood search
_LNS_SUBSOLVE_SECONDS = 4.0
_LNS_WINDOW, _LNS_BUDGET = 8, 4_000  # initial neighbourhood sizes (slots; request-slot pairs)
_LNS_STALL = 150
_SUBSOLVERS = (
    "max_lp",
    "core",
    "default_lp",
    "quick_restart",
    "reduced_costs",
    "no_lp",
    "quick_restart_no_lp",
)


@dataclass(frozen=True)
class Slot:
    """A meeting period; slots are ordered by (day, start_minute), then as given."""

    id: Hashable
    day: int
    start_minute: int
    duration_minutes: int = 30


@dataclass(frozen=True)
class Participant:
    """A company. ``available_slots`` None means every slot; ``capacity``: its representatives, i.e.
    simultaneous meetings."""

    id: Hashable
    languages: frozenset[str]
    available_slots: frozenset | None = None
    capacity: int = 1

    def __post_init__(self):
        object.__setattr__(self, "languages", frozenset(self.languages))
        if self.available_slots is not None:
            object.__setattr__(self, "available_slots", frozenset(self.available_slots))
        if self.capacity < 0:
            raise ValueError(f"participant {self.id!r}: negative capacity")


@dataclass(frozen=True)
class Interpreter:
    """``language_pairs``: pairs like ("th", "ja"), stored as frozensets (direction does not matter)."""

    id: Hashable
    language_pairs: frozenset[frozenset[str]]
    available_slots: frozenset | None = None

    def __post_init__(self):
        pairs = frozenset(frozenset(pair) for pair in self.language_pairs)
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError(f"interpreter {self.id!r}: a language pair needs two distinct languages")
        object.__setattr__(self, "language_pairs", pairs)
        if self.available_slots is not None:
            object.__setattr__(self, "available_slots", frozenset(self.available_slots))

    def covers(self, languages_a: frozenset[str], languages_b: frozenset[str]) -> tuple[str, str] | None:
        """The (language of A, language of B) this interpreter bridges, the smallest such; else None."""
        options = sorted(
            (x, y)
            for pair in self.language_pairs
            for x, y in (tuple(sorted(pair)), tuple(sorted(pair, reverse=True)))
            if x in languages_a and y in languages_b
        )
        return options[0] if options else None


@dataclass(frozen=True)
class MeetingRequest:
    """An accepted request between participants ``a`` and ``b``. ``weight``: match score 0–100;
    ``pinned``: (slot id, table) of a published meeting, kept in place where possible."""

    id: Hashable
    a: Hashable
    b: Hashable
    weight: float = 0.0
    must_meet: bool = False
    pinned: tuple[Hashable, Hashable] | None = None


@dataclass(frozen=True)
class Problem:
    """``tables``: a number (tables labelled 1..n) or the table labels. ``time_limit_s``: the budget of
    :func:`solve` as a whole; ``workers``: CP-SAT threads; ``seed``: CP-SAT's and the search's seed.
    Slot ids unknown to ``slots`` in availabilities or pins are ignored."""

    slots: Sequence[Slot]
    tables: int | Sequence[Hashable]
    participants: Sequence[Participant]
    interpreters: Sequence[Interpreter] = ()
    requests: Sequence[MeetingRequest] = ()
    min_meetings_per_participant: int = 0
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = 0
    base_value: int = 100
    must_meet_bonus: int = 10_000
    pin_bonus: int = 1_000
    min_meetings_bonus: int = 300

    def __post_init__(self):
        for name in ("slots", "participants", "interpreters", "requests"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not isinstance(self.tables, int):
            object.__setattr__(self, "tables", tuple(self.tables))

    @property
    def table_labels(self) -> tuple:
        return tuple(range(1, self.tables + 1)) if isinstance(self.tables, int) else self.tables


@dataclass(frozen=True)
class Placement:
    """``languages``: the (language of side A, language of side B) the interpreter bridges, if any."""

    request_id: Hashable
    slot_id: Hashable
    table: Hashable
    interpreter_id: Hashable | None = None
    languages: tuple[str, str] | None = None


@dataclass(frozen=True)
class Unplaced:
    request_id: Hashable
    reason_code: str


@dataclass(frozen=True)
class Schedule:
    """``placed`` in slot order then table order; ``unplaced`` in request order. ``objective``: the
    objective of the module docstring; ``upper_bound``: a proven upper bound on that objective (CP-SAT's
    for the monolithic model, the LP bound of :func:`objective_bound` for the neighbourhood search, None
    for the greedy baseline); the bound on the number of meetings is :func:`upper_bound`, to compare with
    ``placed_count``. ``status``: OPTIMAL (objective = upper_bound), FEASIBLE (stopped before proving it)
    or GREEDY (the greedy schedule, nothing better found)."""

    placed: list[Placement]
    unplaced: list[Unplaced]
    objective: int
    upper_bound: int | None
    status: str
    solve_seconds: float
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def placed_count(self) -> int:
        return len(self.placed)


# --------------------------------------------------------------------------------------------------
# Preparation shared by the solver, the greedy baseline and the bounds


class _Prepared:
    """Indices, the slots where each request can go, interpreter classes; everything below uses indices."""

    def __init__(self, problem: Problem):
        self.problem = problem
        order = sorted(
            range(len(problem.slots)), key=lambda k: (problem.slots[k].day, problem.slots[k].start_minute, k)
        )
        self.slots = [problem.slots[k] for k in order]
        self.slot_index = {slot.id: s for s, slot in enumerate(self.slots)}
        self.tables = problem.table_labels
        self.participants = list(problem.participants)
        self.part_index = {p.id: k for k, p in enumerate(self.participants)}
        self.interpreters = list(problem.interpreters)
        self.requests = list(problem.requests)
        for what, items in (
            ("slot ids", self.slots),
            ("participant ids", self.participants),
            ("interpreter ids", self.interpreters),
            ("request ids", self.requests),
        ):
            if len({item.id for item in items}) != len(items):
                raise ValueError(f"duplicate {what}")
        if len(set(self.tables)) != len(self.tables):
            raise ValueError("duplicate table labels")
        n_slots = len(self.slots)
        self.part_slots = [
            self._slot_set(p.available_slots) if p.capacity > 0 else set() for p in self.participants
        ]
        self.interp_slots = [self._slot_set(i.available_slots) for i in self.interpreters]
        self.capacity = [p.capacity for p in self.participants]

        type_keys: dict[frozenset, int] = {}
        self.interp_type = [type_keys.setdefault(i.language_pairs, len(type_keys)) for i in self.interpreters]
        type_avail = [[0] * n_slots for _ in type_keys]
        for i, slots in enumerate(self.interp_slots):
            for s in slots:
                type_avail[self.interp_type[i]][s] += 1

        self.ends: list[tuple[int, int]] = []
        self.needs_interp: list[bool] = []
        self.covering: list[list[int]] = []  # interpreters able to bridge the request (in any slot)
        self.mask: list[int] = []  # its class: bitmask of the interpreter types among them
        self.candidates: list[list[int]] = []  # slots where the request can be placed on its own
        self.reason: dict[int, str] = {}  # requests that cannot be placed at all
        for r, request in enumerate(self.requests):
            if request.a not in self.part_index or request.b not in self.part_index:
                raise ValueError(f"request {request.id!r}: unknown participant")
            a, b = self.part_index[request.a], self.part_index[request.b]
            if a == b:
                raise ValueError(f"request {request.id!r}: a participant cannot meet itself")
            self.ends.append((a, b))
            common = self.part_slots[a] & self.part_slots[b]
            langs_a, langs_b = self.participants[a].languages, self.participants[b].languages
            needs = not (langs_a & langs_b)
            self.needs_interp.append(needs)
            covering = [
                i for i, interp in enumerate(self.interpreters) if needs and interp.covers(langs_a, langs_b)
            ]
            self.covering.append(covering)
            self.mask.append(sum({1 << self.interp_type[i] for i in covering}))
            if needs:
                served = set().union(*(self.interp_slots[i] for i in covering))
                slots = sorted(common & served)
            else:
                slots = sorted(common)
            self.candidates.append(slots)
            if not common:
                self.reason[r] = NO_COMMON_SLOT
            elif not slots:
                self.reason[r] = NO_INTERPRETER
        self.placeable = [r for r in range(len(self.requests)) if self.candidates[r]]
        self.pinned_slot = [self._pinned_slot(r) for r in range(len(self.requests))]
        self.degree = [0] * len(self.participants)
        for r in self.placeable:
            for p in self.ends[r]:
                self.degree[p] += 1
        self.min_target = [min(problem.min_meetings_per_participant, d) for d in self.degree]
        self.requests_of: list[list[int]] = [[] for _ in self.participants]
        for r in self.placeable:
            for p in self.ends[r]:
                self.requests_of[p].append(r)

        # unions of interpreter classes (Hall's conditions) and their interpreters per slot
        unions = {0}
        for mask in sorted({self.mask[r] for r in self.placeable if self.needs_interp[r]}):
            unions |= {union | mask for union in unions}
            if len(unions) > _HALL_MAX_UNIONS + 1:
                break
        unions.discard(0)
        self.hall = len(unions) <= _HALL_MAX_UNIONS
        self.unions = sorted(unions) if self.hall else []
        self.union_avail = [
            [sum(type_avail[t][s] for t in range(len(type_keys)) if union >> t & 1) for union in self.unions]
            for s in range(n_slots)
        ]

    def _slot_set(self, ids: frozenset | None) -> set[int]:
        if ids is None:
            return set(range(len(self.slots)))
        return {self.slot_index[i] for i in ids if i in self.slot_index}

    def _pinned_slot(self, r: int) -> int | None:
        pinned = self.requests[r].pinned
        if pinned is None:
            return None
        s = self.slot_index.get(pinned[0])
        return s if s is not None and s in self.candidates[r] else None

    def value(self, r: int, s: int) -> int:
        """Objective coefficient of request r in slot s (the soft minimum aside)."""
        request, problem = self.requests[r], self.problem
        value = problem.base_value + round(request.weight)
        if request.must_meet:
            value += problem.must_meet_bonus
        if self.pinned_slot[r] == s:
            value += problem.pin_bonus
        return value

    def objective(self, chosen: dict[int, int]) -> int:
        meetings = [0] * len(self.participants)
        for r in chosen:
            for p in self.ends[r]:
                meetings[p] += 1
        return sum(self.value(r, s) for r, s in chosen.items()) + self.problem.min_meetings_bonus * sum(
            min(target, m) for target, m in zip(self.min_target, meetings, strict=True)
        )


class _Fixed:
    """What the requests outside a neighbourhood use: the right-hand sides shrink by it."""

    def __init__(self, prep: _Prepared, chosen: dict[int, int], interpreters: dict[int, int], free: set[int]):
        self.load: dict[tuple[int, int], int] = defaultdict(int)
        self.slot_load = [0] * len(prep.slots)
        self.masks: dict[int, set[int]] = defaultdict(set)
        self.union_load: dict[tuple[int, int], int] = defaultdict(int)
        self.busy: set[tuple[int, int]] = set()
        self.meetings = [0] * len(prep.participants)
        for r, s in chosen.items():
            if r in free:
                continue
            self.slot_load[s] += 1
            for p in prep.ends[r]:
                self.load[p, s] += 1
                self.meetings[p] += 1
            if prep.needs_interp[r]:
                self.masks[s].add(prep.mask[r])
                for k, union in enumerate(prep.unions):
                    if prep.mask[r] & ~union == 0:
                        self.union_load[s, k] += 1
                if r in interpreters:
                    self.busy.add((interpreters[r], s))


def _rows(prep: _Prepared, x: dict[tuple[int, int], object], fixed: _Fixed) -> Iterator[tuple[list, int]]:
    """The hard constraints on x[r, s] as (variables, right-hand side) meaning Σ variables ≤ rhs;
    interpreters as Hall's conditions (when ``prep.hall``)."""
    by_request: dict[int, list] = defaultdict(list)
    by_part_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    needing: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for (r, s), var in x.items():
        by_request[r].append(var)
        a, b = prep.ends[r]
        by_part_slot[a, s].append(var)
        by_part_slot[b, s].append(var)
        by_slot[s].append(var)
        if prep.needs_interp[r]:
            needing[s][prep.mask[r]].append(var)
    for variables in by_request.values():
        if len(variables) > 1:
            yield variables, 1
    for (p, s), variables in by_part_slot.items():
        rhs = prep.capacity[p] - fixed.load[p, s]
        if len(variables) > rhs:
            yield variables, rhs
    for s, variables in by_slot.items():
        rhs = len(prep.tables) - fixed.slot_load[s]
        if len(variables) > rhs:
            yield variables, rhs
    if not prep.hall:
        return
    for s, by_mask in needing.items():
        present = set(by_mask) | fixed.masks[s]
        for k, union in enumerate(prep.unions):
            inside = [mask for mask in present if mask & ~union == 0]
            if _or(inside) != union:
                continue  # the union of the classes inside gives a stronger condition
            variables = [var for mask in inside for var in by_mask.get(mask, ())]
            rhs = prep.union_avail[s][k] - fixed.union_load[s, k]
            if len(variables) > rhs:
                yield variables, rhs


def _or(masks: Iterable[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


# --------------------------------------------------------------------------------------------------
# Schedules: tables, interpreters, reasons


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


# --------------------------------------------------------------------------------------------------
# Greedy baseline (also CP-SAT's hint)


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


# --------------------------------------------------------------------------------------------------
# CP-SAT


def _cp_model(
    prep: _Prepared,
    allowed: dict[int, list[int]],
    fixed: _Fixed,
    hint: dict[int, int],
    hint_interpreters: dict[int, int],
):
    """The CP-SAT model of the requests in ``allowed`` (each in the slots listed), the rest ``fixed``.
    Returns (model, x, y); y only without Hall's conditions."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n_tables = len(prep.tables)
    x: dict[tuple[int, int], object] = {}
    y: dict[tuple[int, int, int], object] = {}
    y_rows: dict[tuple[int, int], list] = defaultdict(list)
    by_part: dict[int, list] = defaultdict(list)
    terms = []
    for r, slots in allowed.items():
        a, b = prep.ends[r]
        for s in slots:
            if (
                fixed.load[a, s] >= prep.capacity[a]
                or fixed.load[b, s] >= prep.capacity[b]
                or fixed.slot_load[s] >= n_tables
            ):
                continue
            options = []
            if prep.needs_interp[r] and not prep.hall:
                options = [
                    i for i in prep.covering[r] if s in prep.interp_slots[i] and (i, s) not in fixed.busy
                ]
                if not options:
                    continue
            var = x[r, s] = model.new_bool_var(f"x{r}_{s}")
            model.add_hint(var, int(hint.get(r) == s))
            terms.append(prep.value(r, s) * var)
            by_part[a].append(var)
            by_part[b].append(var)
            if options:
                chosen = []
                for i in options:
                    y[r, s, i] = model.new_bool_var(f"y{r}_{s}_{i}")
                    model.add_hint(y[r, s, i], int(hint.get(r) == s and hint_interpreters.get(r) == i))
                    chosen.append(y[r, s, i])
                    y_rows[i, s].append(y[r, s, i])
                model.add(sum(chosen) == var)
    for variables, rhs in _rows(prep, x, fixed):
        if rhs == 1:
            model.add_at_most_one(variables)
        else:
            model.add(sum(variables) <= rhs)
    for variables in y_rows.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    bonus = prep.problem.min_meetings_bonus
    if bonus:
        hinted = defaultdict(int)
        for r in allowed:
            if r in hint:
                for p in prep.ends[r]:
                    hinted[p] += 1
        for p, variables in by_part.items():
            missing = prep.min_target[p] - fixed.meetings[p]
            if missing <= 0:
                continue
            u = model.new_int_var(0, missing, f"u{p}")
            model.add(u <= sum(variables))
            model.add_hint(u, min(missing, hinted[p]))
            terms.append(bonus * u)
    model.maximize(sum(terms))
    return model, x, y


def _cp_solver(problem: Problem, seconds: float, seed: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers = max(1, problem.workers)
    solver.parameters.random_seed = seed
    # The LP with cuts at every node ("max_lp", linearization level 2) closes these models in a fraction of
    # a second where the default portfolio of two workers stalls for minutes; CP-SAT only includes it
    # from 8 workers on.
    if workers == 1:
        solver.parameters.linearization_level = 2
    elif workers < 8:
        solver.parameters.subsolvers.extend(_SUBSOLVERS[:workers])
    return solver


def _solution(prep: _Prepared, solver, x, y) -> tuple[dict[int, int], dict[int, int]]:
    chosen = {r: s for (r, s), var in x.items() if solver.boolean_value(var)}
    interpreters = {r: i for (r, _s, i), var in y.items() if solver.boolean_value(var)}
    return chosen, interpreters


def solve(problem: Problem) -> Schedule:
    """The schedule maximising the objective of the module docstring within ``problem.time_limit_s``
    (see Search there). Never worse than :func:`greedy_schedule`, its hint and fallback."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    deadline = started + 0.98 * problem.time_limit_s  # the rest for tables, interpreters and the result
    prep = _Prepared(problem)
    chosen, interpreters = _greedy(prep)
    greedy_value = prep.objective(chosen)
    variables = sum(len(prep.candidates[r]) for r in prep.placeable)
    stats: dict = {
        "variables": variables,
        "interpreter_model": "hall" if prep.hall else "per-interpreter",
        "greedy_objective": greedy_value,
    }
    if not prep.placeable:
        return _schedule(prep, {}, {}, status="OPTIMAL", bound=0, started=started, stats=stats)
    if variables > _MONOLITHIC_MAX_VARIABLES:
        stats["search"] = "lns"
        lp = _lp(prep, weighted=True)
        bound = None if lp is None else math.floor(lp + 1e-6)
        stats["lp_seconds"] = time.perf_counter() - started
        chosen, interpreters = _lns(prep, chosen, interpreters, deadline, bound, stats)
        value = prep.objective(chosen)
        status = (
            "OPTIMAL"
            if bound is not None and value >= bound
            else "FEASIBLE"
            if value > greedy_value
            else "GREEDY"
        )
        return _schedule(
            prep,
            chosen,
            None if prep.hall else interpreters,
            status=status,
            bound=bound,
            started=started,
            stats=stats,
        )

    stats["search"] = "monolithic"
    allowed = {r: prep.candidates[r] for r in prep.placeable}
    model, x, y = _cp_model(prep, allowed, _Fixed(prep, {}, {}, set()), chosen, interpreters)
    stats["build_seconds"] = time.perf_counter() - started
    solver = _cp_solver(problem, deadline - time.perf_counter(), problem.seed)
    status = solver.solve(model)
    stats["cp_sat_status"] = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _schedule(
            prep, chosen, interpreters, status="GREEDY", bound=None, started=started, stats=stats
        )
    bound = math.floor(solver.best_objective_bound + 1e-6)
    found, found_interpreters = _solution(prep, solver, x, y)
    if prep.objective(found) < greedy_value:
        return _schedule(
            prep, chosen, interpreters, status="GREEDY", bound=bound, started=started, stats=stats
        )
    return _schedule(
        prep,
        found,
        None if prep.hall else found_interpreters,
        status="OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE",
        bound=bound,
        started=started,
        stats=stats,
    )


def _lns(
    prep: _Prepared,
    chosen: dict[int, int],
    interpreters: dict[int, int],
    deadline: float,
    bound: int | None,
    stats: dict,
) -> tuple[dict[int, int], dict[int, int]]:
    """Large-neighbourhood search from ``chosen``: re-optimise a neighbourhood at a time with CP-SAT,
    until the deadline, ``_LNS_STALL`` neighbourhoods in a row without gain or the objective reaches
    ``bound``."""
    from ortools.sat.python import cp_model

    problem = prep.problem
    rng = random.Random(problem.seed)  # noqa: S311 - reproducible search, not cryptography
    value = prep.objective(chosen)
    n_slots = len(prep.slots)
    window = min(n_slots, _LNS_WINDOW)  # slots per slot neighbourhood, adapted below
    budget = _LNS_BUDGET  # (request, slot) variables per company neighbourhood, adapted below
    iterations = improvements = stall = 0
    while time.perf_counter() < deadline - 0.1 and stall < _LNS_STALL and (bound is None or value < bound):
        iterations += 1
        unplaced = [r for r in prep.placeable if r not in chosen]
        if rng.random() < 0.5:
            kind = "slots"
            slots = set(rng.sample(range(n_slots), window))
            allowed = {}
            for r in [*(r for r, s in chosen.items() if s in slots), *unplaced]:
                options = [s for s in prep.candidates[r] if s in slots]
                if options:
                    allowed[r] = options
        else:
            kind = "companies"
            allowed = _company_neighbourhood(prep, unplaced, budget, rng)
        fixed = _Fixed(prep, chosen, interpreters, set(allowed))
        model, x, y = _cp_model(prep, allowed, fixed, chosen, interpreters)
        solver = _cp_solver(
            problem, min(_LNS_SUBSOLVE_SECONDS, deadline - time.perf_counter()), rng.randrange(1 << 30)
        )
        status = solver.solve(model)
        if status == cp_model.OPTIMAL:
            if kind == "slots":
                window = min(n_slots, window + 1)
            else:
                budget = min(50_000, max(budget + 1, int(budget * 1.25)))
        elif kind == "slots":
            window = max(1, window - 1)
        else:
            budget = max(min(500, budget), int(budget * 0.8))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stall += 1
            continue
        found, found_interpreters = _solution(prep, solver, x, y)
        candidate = {r: s for r, s in chosen.items() if r not in allowed} | found
        candidate_value = prep.objective(candidate)
        if candidate_value < value:
            stall += 1
            continue
        stall = 0 if candidate_value > value else stall + 1
        improvements += candidate_value > value
        chosen, value = candidate, candidate_value
        if not prep.hall:
            interpreters = {r: i for r, i in interpreters.items() if r not in allowed} | found_interpreters
    stats.update(
        lns_iterations=iterations, lns_improvements=improvements, lns_window=window, lns_budget=budget
    )
    return chosen, interpreters


def _company_neighbourhood(
    prep: _Prepared, unplaced: list[int], budget: int, rng: random.Random
) -> dict[int, list[int]]:
    """All requests of a few companies (one side of an unplaced request first), in all their slots."""
    if unplaced and rng.random() < 0.7:
        seed = rng.choice(prep.ends[rng.choice(unplaced)])
    else:
        seed = rng.choice([p for p in range(len(prep.participants)) if prep.requests_of[p]])
    companies, frontier = [seed], [seed]
    free: dict[int, None] = {}
    size = 0
    while frontier and size < budget:
        p = frontier.pop(rng.randrange(len(frontier)))
        requests = prep.requests_of[p]
        for r in rng.sample(requests, len(requests)):
            if r in free:
                continue
            if size + len(prep.candidates[r]) > budget and size:
                continue
            free[r] = None
            size += len(prep.candidates[r])
            for other in prep.ends[r]:
                if other not in companies:
                    companies.append(other)
                    frontier.append(other)
    return {r: prep.candidates[r] for r in free}


# --------------------------------------------------------------------------------------------------
# Upper bounds


def counting_bound(problem: Problem) -> int:
    """The counting bounds on the number of meetings of the module docstring (no LP)."""
    return _counting_bound(_Prepared(problem))


def _counting_bound(prep: _Prepared) -> int:
    n_slots = len(prep.slots)
    degree_at: dict[tuple[int, int], int] = defaultdict(int)
    common_at, needing_at, interp_at, capacity_at = [0] * n_slots, [0] * n_slots, [0] * n_slots, [0] * n_slots
    usable: dict[int, set[int]] = defaultdict(set)
    for r in prep.placeable:
        for p in prep.ends[r]:
            usable[p].update(prep.candidates[r])
        for s in prep.candidates[r]:
            for p in prep.ends[r]:
                degree_at[p, s] += 1
            if prep.needs_interp[r]:
                needing_at[s] += 1
            else:
                common_at[s] += 1
    for slots in prep.interp_slots:
        for s in slots:
            interp_at[s] += 1
    for (p, s), degree in degree_at.items():
        capacity_at[s] += min(prep.capacity[p], degree)
    per_slot = sum(
        min(len(prep.tables), capacity_at[s] // 2, common_at[s] + min(needing_at[s], interp_at[s]))
        for s in range(n_slots)
    )
    per_participant = sum(min(prep.degree[p], prep.capacity[p] * len(usable[p])) for p in usable) // 2
    return min(len(prep.placeable), per_slot, per_participant)


def upper_bound(problem: Problem, *, use_lp: bool = True) -> int:
    """No schedule of ``problem`` places more meetings: the LP relaxation (GLOP) of the maximum number of
    meetings under every hard constraint, rounded down, capped by :func:`counting_bound`."""
    prep = _Prepared(problem)
    bound = _counting_bound(prep)
    if not use_lp or bound == 0:
        return bound
    lp = _lp(prep, weighted=False)
    return bound if lp is None else min(bound, math.floor(lp + 1e-6))


def objective_bound(problem: Problem) -> int | None:
    """No schedule of ``problem`` has a higher objective: the LP relaxation (GLOP) of the model, rounded
    down (None if GLOP fails)."""
    prep = _Prepared(problem)
    if not prep.placeable:
        return 0
    lp = _lp(prep, weighted=True)
    return None if lp is None else math.floor(lp + 1e-6)


def _lp(prep: _Prepared, *, weighted: bool) -> float | None:
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    objective = solver.Objective()
    x = {}
    by_part: dict[int, list] = defaultdict(list)
    for r in prep.placeable:
        for s in prep.candidates[r]:
            var = x[r, s] = solver.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(var, prep.value(r, s) if weighted else 1.0)
            for p in prep.ends[r]:
                by_part[p].append(var)
    for variables, rhs in _rows(prep, x, _Fixed(prep, {}, {}, set())):
        _lp_at_most(solver, variables, rhs)
    if not prep.hall:
        by_interp_slot: dict[tuple[int, int], list] = defaultdict(list)
        for (r, s), var in x.items():
            if not prep.needs_interp[r]:
                continue
            equality = solver.Constraint(0.0, 0.0)
            equality.SetCoefficient(var, -1.0)
            for i in prep.covering[r]:
                if s in prep.interp_slots[i]:
                    y = solver.NumVar(0.0, 1.0, "")
                    equality.SetCoefficient(y, 1.0)
                    by_interp_slot[i, s].append(y)
        for variables in by_interp_slot.values():
            _lp_at_most(solver, variables, 1)
    if weighted and prep.problem.min_meetings_bonus:
        for p, variables in by_part.items():
            if prep.min_target[p] > 0:
                u = solver.NumVar(0.0, float(prep.min_target[p]), "")
                objective.SetCoefficient(u, prep.problem.min_meetings_bonus)
                row = solver.Constraint(-solver.infinity(), 0.0)
                row.SetCoefficient(u, 1.0)
                for var in variables:
                    row.SetCoefficient(var, -1.0)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return objective.Value()


def _lp_at_most(solver, variables: list, rhs: float) -> None:
    constraint = solver.Constraint(-solver.infinity(), float(rhs))
    for var in variables:
        constraint.SetCoefficient(var, 1.0)
