"""The scheduler's data: what goes in (slots, participants, interpreters, requests, the problem) and what
comes out (placements, unplaced requests with their reason, the schedule). See ``events.scheduler``."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

NO_COMMON_SLOT = "no_common_slot"
NO_INTERPRETER = "no_interpreter"
CAPACITY = "capacity"
REASON_CODES = (NO_COMMON_SLOT, NO_INTERPRETER, CAPACITY)


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
    # How the search works (the module docstring's Search): more unions of interpreter classes than
    # ``hall_max_unions`` → one variable per (meeting, slot, interpreter); more (request, slot) variables
    # than ``monolithic_max_variables`` → large-neighbourhood search, starting from ``lns_window`` slots
    # and ``lns_budget`` (request, slot) variables per neighbourhood.
    hall_max_unions: int = 256
    monolithic_max_variables: int = 5_000
    lns_window: int = 8
    lns_budget: int = 4_000

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
