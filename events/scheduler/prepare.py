"""Preparation shared by the solver, the greedy baseline and the bounds: indices, the slots where each
request can go, interpreter classes (Hall's conditions)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from events.scheduler.model import NO_COMMON_SLOT, NO_INTERPRETER, Problem


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
            if len(unions) > problem.hall_max_unions + 1:
                break
        unions.discard(0)
        self.hall = len(unions) <= problem.hall_max_unions
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
