"""The B2B meeting scheduler (events.scheduler): hard constraints checked independently of the module,
the objective's policy (must-meet, soft minimum, pins), reasons, determinism and the bounds.
Pure functions, no database; every case is small enough for CP-SAT to prove optimality in well under
a second."""

import dataclasses
import itertools
import random

import pytest

from events import scheduler
from events.scheduler import (
    CAPACITY,
    NO_COMMON_SLOT,
    NO_INTERPRETER,
    Interpreter,
    MeetingRequest,
    Participant,
    Problem,
    Slot,
    counting_bound,
    greedy_schedule,
    objective_bound,
    objective_value,
    solve,
    upper_bound,
    violations,
)

FAST = {"time_limit_s": 1.5, "workers": 2}


def _slots(n: int, per_day: int = 4) -> list[Slot]:
    return [Slot(id=f"s{k}", day=1 + k // per_day, start_minute=540 + 30 * (k % per_day)) for k in range(n)]


def _company(name: str, languages=("en",), slots=None, capacity: int = 1) -> Participant:
    return Participant(
        id=name,
        languages=frozenset(languages),
        available_slots=None if slots is None else frozenset(slots),
        capacity=capacity,
    )


def _problem(participants, requests, *, slots=1, tables=10, interpreters=(), **options) -> Problem:
    return Problem(
        slots=_slots(slots) if isinstance(slots, int) else slots,
        tables=tables,
        participants=participants,
        interpreters=interpreters,
        requests=requests,
        **{**FAST, **options},
    )


def _random_problem(seed: int, *, participants=12, slots=6, requests=30, tables=3, **options) -> Problem:
    rng = random.Random(seed)
    slot_list = _slots(slots)
    slot_ids = [slot.id for slot in slot_list]
    languages = [{"th"}, {"th", "en"}, {"ja"}, {"ja", "en"}]
    companies = [
        Participant(
            id=f"P{k}",
            languages=frozenset(languages[(k % 2) * 2 + (rng.random() < 0.5)]),
            available_slots=frozenset(rng.sample(slot_ids, rng.randint(slots // 2, slots))),
            capacity=2 if rng.random() < 0.2 else 1,
        )
        for k in range(participants)
    ]
    pairs = set()
    while len(pairs) < requests:
        a, b = rng.sample(range(participants), 2)
        if (a - b) % 2 or rng.random() < 0.1:  # mostly Thai–Japanese, a few of the same country
            pairs.add((min(a, b), max(a, b)))
    interpreters = [
        Interpreter("I-thja", [("th", "ja")], frozenset(rng.sample(slot_ids, rng.randint(1, slots)))),
        Interpreter(
            "I-then", [("th", "en"), ("en", "ja")], frozenset(rng.sample(slot_ids, rng.randint(1, slots)))
        ),
    ]
    return Problem(
        slots=slot_list,
        tables=tables,
        participants=companies,
        interpreters=interpreters,
        requests=[
            MeetingRequest(
                id=f"R{n}",
                a=f"P{a}",
                b=f"P{b}",
                weight=rng.randint(0, 100),
                must_meet=rng.random() < 0.1,
            )
            for n, (a, b) in enumerate(sorted(pairs))
        ],
        min_meetings_per_participant=options.pop("min_meetings_per_participant", 2),
        **{**FAST, **options},
    )


def _lns_problem(seed: int, *, time_limit_s: float) -> Problem:
    """A random event sent through the neighbourhood search, with small neighbourhoods, so that most of
    the schedule is fixed in each step."""
    return dataclasses.replace(
        _random_problem(seed, participants=20, slots=8, requests=60, tables=3, time_limit_s=time_limit_s),
        monolithic_max_variables=0,
        lns_window=1,
        lns_budget=40,
    )


def _check(problem: Problem, schedule) -> None:
    """Every hard constraint, checked without the module's own code."""
    participants = {p.id: p for p in problem.participants}
    interpreters = {i.id: i for i in problem.interpreters}
    requests = {r.id: r for r in problem.requests}
    slot_ids = {s.id for s in problem.slots}
    labels = list(range(1, problem.tables + 1)) if isinstance(problem.tables, int) else list(problem.tables)
    placed_ids = [p.request_id for p in schedule.placed]
    assert len(placed_ids) == len(set(placed_ids)), "a request placed twice"
    assert sorted(map(str, placed_ids + [u.request_id for u in schedule.unplaced])) == sorted(
        map(str, requests)
    ), "placed + unplaced must be every request once"
    load, tables, busy = {}, {}, set()
    for p in schedule.placed:
        request = requests[p.request_id]
        assert p.slot_id in slot_ids
        a, b = participants[request.a], participants[request.b]
        for side in (a, b):
            assert side.available_slots is None or p.slot_id in side.available_slots, "availability"
            load[side.id, p.slot_id] = load.get((side.id, p.slot_id), 0) + 1
            assert load[side.id, p.slot_id] <= side.capacity, f"{side.id} double-booked in {p.slot_id}"
        assert p.table in labels
        assert p.table not in tables.setdefault(p.slot_id, set()), "table used twice in a slot"
        tables[p.slot_id].add(p.table)
        if a.languages & b.languages:
            assert p.interpreter_id is None, "interpreter for a meeting sharing a language"
            assert p.languages is None
            continue
        assert p.interpreter_id is not None, "no interpreter for a meeting without a common language"
        interpreter = interpreters[p.interpreter_id]
        assert interpreter.available_slots is None or p.slot_id in interpreter.available_slots
        language_a, language_b = p.languages
        assert language_a in a.languages
        assert language_b in b.languages
        assert frozenset((language_a, language_b)) in interpreter.language_pairs
        assert (p.interpreter_id, p.slot_id) not in busy, "interpreter double-booked"
        busy.add((p.interpreter_id, p.slot_id))
    assert all(len(used) <= len(labels) for used in tables.values())
    assert violations(problem, schedule.placed) == []


def _by_request(schedule) -> dict:
    return {p.request_id: p for p in schedule.placed}


def _reasons(schedule) -> dict:
    return {u.request_id: u.reason_code for u in schedule.unplaced}


# --------------------------------------------------------------------------------------------------
# Hard constraints


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_events_respect_every_hard_constraint(seed):
    problem = _random_problem(seed)
    schedule = solve(problem)
    greedy = greedy_schedule(problem)
    _check(problem, schedule)
    _check(problem, greedy)
    assert schedule.status == "OPTIMAL"
    assert schedule.objective == schedule.upper_bound
    assert schedule.objective >= greedy.objective
    assert schedule.objective == objective_value(problem, schedule.placed)
    assert greedy.placed_count <= schedule.placed_count <= upper_bound(problem) <= counting_bound(problem)


def test_a_company_is_never_in_two_meetings_at_once():
    a, b, c = _company("A"), _company("B"), _company("C")
    problem = _problem([a, b, c], [MeetingRequest("AB", "A", "B"), MeetingRequest("AC", "A", "C")], slots=2)
    schedule = solve(problem)
    _check(problem, schedule)
    assert schedule.placed_count == 2
    assert _by_request(schedule)["AB"].slot_id != _by_request(schedule)["AC"].slot_id


def test_two_representatives_allow_two_meetings_at_once_but_not_three():
    a = _company("A", capacity=2)
    others = [_company(name) for name in "BCD"]
    requests = [MeetingRequest(f"A{x}", "A", x, weight=w) for x, w in zip("BCD", (10, 20, 30), strict=True)]
    schedule = solve(_problem([a, *others], requests))
    assert sorted(_by_request(schedule)) == ["AC", "AD"]
    assert _reasons(schedule) == {"AB": CAPACITY}


def test_meetings_only_where_both_sides_are_available():
    a = _company("A", slots={"s0", "s1", "s2"})
    b = _company("B", slots={"s2", "s3"})
    schedule = solve(_problem([a, b], [MeetingRequest("AB", "A", "B")], slots=4))
    assert _by_request(schedule)["AB"].slot_id == "s2"


def test_tables_are_never_over_used_and_distinct_per_slot():
    companies = [_company(f"C{k}") for k in range(8)]
    requests = [MeetingRequest(f"R{k}", f"C{2 * k}", f"C{2 * k + 1}", weight=10 * k) for k in range(4)]
    problem = _problem(companies, requests, tables=["T-1", "T-2"])
    schedule = solve(problem)
    _check(problem, schedule)
    assert sorted(_by_request(schedule)) == ["R2", "R3"]  # the two best matches
    assert sorted(p.table for p in schedule.placed) == ["T-1", "T-2"]
    assert _reasons(schedule) == {"R0": CAPACITY, "R1": CAPACITY}


def test_an_interpreter_exactly_when_no_common_language_with_the_right_pair():
    companies = [
        _company("T1", ["th"]),
        _company("J1", ["ja"]),
        _company("T2", ["th", "en"]),
        _company("J2", ["ja", "en"]),
        _company("T3", ["th"]),
        _company("J3", ["ja", "en"]),
    ]
    interpreters = [Interpreter("thja", [("th", "ja")]), Interpreter("then", [("en", "th")])]
    requests = [
        MeetingRequest("needs-th-ja", "J1", "T1"),  # side A speaks Japanese: the pair reads (ja, th)
        MeetingRequest("shares-en", "T2", "J2"),
        MeetingRequest("th-en-will-do", "T3", "J3"),
    ]
    problem = _problem(companies, requests, interpreters=interpreters)
    schedule = solve(problem)
    _check(problem, schedule)
    placed = _by_request(schedule)
    assert (placed["needs-th-ja"].interpreter_id, placed["needs-th-ja"].languages) == ("thja", ("ja", "th"))
    assert (placed["shares-en"].interpreter_id, placed["shares-en"].languages) == (None, None)
    assert (placed["th-en-will-do"].interpreter_id, placed["th-en-will-do"].languages) == (
        "then",
        ("th", "en"),
    )


def test_an_interpreter_serves_one_meeting_per_slot():
    companies = [
        _company("T1", ["th"]),
        _company("J1", ["ja"]),
        _company("T2", ["th"]),
        _company("J2", ["ja"]),
    ]
    requests = [MeetingRequest("R1", "T1", "J1", weight=50), MeetingRequest("R2", "T2", "J2", weight=60)]
    interpreters = [Interpreter("I", [("th", "ja")])]
    one_slot = solve(_problem(companies, requests, interpreters=interpreters))
    assert list(_by_request(one_slot)) == ["R2"]
    assert _reasons(one_slot) == {"R1": CAPACITY}
    two_slots = solve(_problem(companies, requests, interpreters=interpreters, slots=2))
    _check(_problem(companies, requests, interpreters=interpreters, slots=2), two_slots)
    assert {p.slot_id for p in two_slots.placed} == {"s0", "s1"}
    assert {p.interpreter_id for p in two_slots.placed} == {"I"}


def test_interpreter_classes_follow_halls_condition():
    """Two Thai–Japanese meetings and one Thai–English-speaking-Japanese meeting, one slot, interpreters
    th–ja, th–en and en–ja: only the th–ja interpreter can serve the first two, so one of them waits."""
    companies = [
        _company("T1", ["th"]),
        _company("J1", ["ja"]),
        _company("T2", ["th"]),
        _company("J2", ["ja"]),
        _company("T3", ["th"]),
        _company("J3", ["ja", "en"]),
    ]
    interpreters = [
        Interpreter("thja", [("th", "ja")]),
        Interpreter("then", [("th", "en")]),
        Interpreter("enja", [("en", "ja")]),  # of no use to anyone here
    ]
    requests = [
        MeetingRequest("R1", "T1", "J1", weight=90),
        MeetingRequest("R2", "T2", "J2", weight=80),
        MeetingRequest("R3", "T3", "J3", weight=0),
    ]
    problem = _problem(companies, requests, interpreters=interpreters)
    schedule = solve(problem)
    _check(problem, schedule)
    assert {(p.request_id, p.interpreter_id) for p in schedule.placed} == {("R1", "thja"), ("R3", "then")}
    assert upper_bound(problem) == 2  # the LP has Hall's conditions
    assert counting_bound(problem) == 3  # counting sees three interpreters for three meetings


@pytest.mark.parametrize("seed", [5, 6])
def test_per_interpreter_model_gives_the_same_optimum(seed):
    problem = _random_problem(seed, requests=20)
    with_hall = solve(problem)
    problem = dataclasses.replace(problem, hall_max_unions=0)
    per_interpreter = solve(problem)
    _check(problem, per_interpreter)
    assert per_interpreter.stats["interpreter_model"] == "per-interpreter"
    assert (per_interpreter.status, per_interpreter.objective) == ("OPTIMAL", with_hall.objective)
    assert upper_bound(problem) == scheduler.upper_bound(problem)


def test_the_optimum_matches_brute_force():
    """All 4^7 assignments of a tiny event, checked and scored independently of the module."""
    problem = _random_problem(
        11, participants=6, slots=3, requests=7, tables=2, min_meetings_per_participant=1
    )
    requests = problem.requests
    participants = {p.id: p for p in problem.participants}

    def feasible(assignment) -> bool:
        by_slot = {}
        for request, slot in zip(requests, assignment, strict=True):
            if slot is not None:
                by_slot.setdefault(slot, []).append(request)
        for slot, meetings in by_slot.items():
            if len(meetings) > problem.tables:
                return False
            for company in participants.values():
                sides = sum(company.id in (r.a, r.b) for r in meetings)
                if sides and (sides > company.capacity or slot not in company.available_slots):
                    return False
            needing = [r for r in meetings if not participants[r.a].languages & participants[r.b].languages]
            free = [i for i in problem.interpreters if slot in i.available_slots]
            if not any(
                all(
                    i.covers(participants[r.a].languages, participants[r.b].languages)
                    for r, i in zip(needing, pick, strict=True)
                )
                for pick in itertools.permutations(free, len(needing))
            ):
                return False
        return True

    def score(assignment) -> int:
        meetings = dict.fromkeys(participants, 0)
        total = 0
        for request, slot in zip(requests, assignment, strict=True):
            if slot is not None:
                total += 100 + request.weight + 10_000 * request.must_meet
                meetings[request.a] += 1
                meetings[request.b] += 1
        return total + 300 * sum(min(1, count) for count in meetings.values())

    options = [None, *(s.id for s in problem.slots)]
    best = max(score(a) for a in itertools.product(options, repeat=len(requests)) if feasible(a))
    schedule = solve(problem)
    assert schedule.status == "OPTIMAL"
    assert schedule.objective == best


# --------------------------------------------------------------------------------------------------
# The objective's policy


def test_must_meet_is_placed_before_a_higher_scoring_request():
    companies = [_company(name) for name in "ABC"]
    requests = [
        MeetingRequest("must", "A", "B", weight=0, must_meet=True),
        MeetingRequest("better-match", "A", "C", weight=100),
    ]
    for result in (solve(_problem(companies, requests)), greedy_schedule(_problem(companies, requests))):
        assert list(_by_request(result)) == ["must"]
        assert _reasons(result) == {"better-match": CAPACITY}
    ordinary = [MeetingRequest("must", "A", "B", weight=0), requests[1]]
    assert list(_by_request(solve(_problem(companies, ordinary)))) == ["better-match"]


def test_the_soft_minimum_gives_a_starved_company_a_meeting():
    """A can meet two of B, D (score 100 each) and C (score 0); D also meets E. The best-scoring schedule
    (A–B, A–D, D–E) leaves C without a meeting; a minimum of one meeting each gives C its meeting."""
    companies = [_company(name) for name in "ABCDE"]
    requests = [
        MeetingRequest("AB", "A", "B", weight=100),
        MeetingRequest("AD", "A", "D", weight=100),
        MeetingRequest("AC", "A", "C", weight=0),
        MeetingRequest("DE", "D", "E", weight=0),
    ]
    best_scores = solve(_problem(companies, requests, slots=2, min_meetings_per_participant=0))
    assert sorted(_by_request(best_scores)) == ["AB", "AD", "DE"]
    spread = solve(_problem(companies, requests, slots=2, min_meetings_per_participant=1))
    assert sorted(_by_request(spread)) == ["AB", "AC", "DE"]
    assert spread.objective == 200 + 100 + 100 + 5 * 300


def test_pinned_meetings_stay_in_place_when_a_request_is_added():
    companies = [_company(f"C{k}", slots={"s0", "s1", "s2", "s3"}) for k in range(6)]
    requests = [
        MeetingRequest("R01", "C0", "C1", weight=40),
        MeetingRequest("R02", "C0", "C2", weight=50),
        MeetingRequest("R34", "C3", "C4", weight=60),
        MeetingRequest("R15", "C1", "C5", weight=70),
    ]
    first = solve(_problem(companies, requests, slots=4, tables=3))
    assert first.placed_count == 4
    published = {p.request_id: (p.slot_id, p.table) for p in first.placed}
    pinned = [MeetingRequest(r.id, r.a, r.b, r.weight, pinned=published[r.id]) for r in requests]
    added = MeetingRequest("R05", "C0", "C5", weight=100)  # C0 and C5 are busy in some published slots
    second = solve(_problem(companies, [*pinned, added], slots=4, tables=3))
    assert {p.request_id: (p.slot_id, p.table) for p in second.placed if p.request_id != "R05"} == published
    assert "R05" in _by_request(second)


def test_pins_keep_unusual_slots_and_tables_and_yield_when_no_longer_possible():
    companies = [_company(name, slots={"s0", "s1", "s2"}) for name in ("A", "B", "C", "D")]
    companies[2] = _company("C", slots={"s0", "s1"})  # C no longer attends s2
    requests = [
        MeetingRequest("AB", "A", "B", pinned=("s2", 3)),
        MeetingRequest("CD", "C", "D", pinned=("s2", 2)),
        MeetingRequest("AD", "A", "D", pinned=("s1", 3)),
    ]
    problem = _problem(companies, requests, slots=3, tables=3)
    for result in (solve(problem), greedy_schedule(problem)):
        _check(problem, result)
        placed = _by_request(result)
        assert (placed["AB"].slot_id, placed["AB"].table) == ("s2", 3)
        assert (placed["AD"].slot_id, placed["AD"].table) == ("s1", 3)
        assert placed["CD"].slot_id in {"s0", "s1"}  # moved, as C left s2, but still placed


def test_two_pins_on_one_table_share_the_slot():
    companies = [_company(name) for name in "ABCD"]
    requests = [
        MeetingRequest("AB", "A", "B", pinned=("s1", 2)),
        MeetingRequest("CD", "C", "D", pinned=("s1", 2)),
    ]
    schedule = solve(_problem(companies, requests, slots=2, tables=2))
    placed = _by_request(schedule)
    assert (placed["AB"].slot_id, placed["AB"].table) == ("s1", 2)
    assert (placed["CD"].slot_id, placed["CD"].table) == ("s1", 1)


# --------------------------------------------------------------------------------------------------
# Reasons, determinism, bounds, inputs


def test_each_unplaced_reason_code():
    companies = [
        _company("A", ["en"], slots={"s0"}),
        _company("B", ["en"], slots={"s1"}),
        _company("T", ["th"], slots={"s0", "s1"}),
        _company("J", ["ja"], slots={"s0", "s1"}),
        _company("J2", ["ja"], slots={"s0"}),
        _company("X", ["en"], slots={"s1"}),
        _company("Y", ["en"], slots={"s1"}),
    ]
    interpreters = [Interpreter("late", [("th", "ja")], {"s1"}), Interpreter("enja", [("en", "ja")])]
    requests = [
        MeetingRequest("disjoint", "A", "B"),
        MeetingRequest("interpreter-elsewhere", "T", "J2"),  # th–ja only in s1, J2 only in s0
        MeetingRequest("nobody-bridges", "Y", "T"),  # en–th: neither th–ja nor en–ja bridges it
        MeetingRequest("fits", "X", "B", weight=90),
        MeetingRequest("crowded-out", "X", "Y", weight=10),
    ]
    problem = _problem(companies, requests, slots=2, interpreters=interpreters)
    assert scheduler.REASON_CODES == ("no_common_slot", "no_interpreter", "capacity")
    expected = {
        "disjoint": NO_COMMON_SLOT,
        "interpreter-elsewhere": NO_INTERPRETER,
        "nobody-bridges": NO_INTERPRETER,
        "crowded-out": CAPACITY,
    }
    assert _reasons(solve(problem)) == expected
    assert _reasons(greedy_schedule(problem)) == expected
    assert list(_by_request(solve(problem))) == ["fits"]


def test_same_input_same_schedule():
    problem = _random_problem(21, participants=14, slots=6, requests=36, workers=1)
    first, second = solve(problem), solve(problem)
    assert first.status == "OPTIMAL"
    assert (first.placed, first.unplaced, first.objective) == (
        second.placed,
        second.unplaced,
        second.objective,
    )
    two_workers = solve(dataclasses.replace(problem, workers=2))  # an optimum too, maybe another one
    assert two_workers.objective == first.objective


@pytest.mark.parametrize(("seed", "per_interpreter"), [(31, False), (32, False), (33, True), (34, True)])
def test_neighbourhood_search_is_valid_and_never_below_greedy(seed, per_interpreter):
    """Large events go through the neighbourhood search; small neighbourhoods here, so that most of the
    schedule is fixed in each step."""
    problem = dataclasses.replace(
        _lns_problem(seed, time_limit_s=1.0), hall_max_unions=0 if per_interpreter else 256
    )
    schedule = solve(problem)
    greedy = greedy_schedule(problem)
    _check(problem, schedule)
    assert schedule.stats["search"] == "lns"
    assert schedule.stats["lns_iterations"] > 1
    assert greedy.objective < schedule.objective <= schedule.upper_bound == objective_bound(problem)
    assert schedule.placed_count <= upper_bound(problem) <= counting_bound(problem)
    # the same event in one CP-SAT model reaches at most the bound, and the search gets close to it
    # (the search's time: bench/bench_scheduler_lns.py)
    # (time to prove it, on a loaded 2-core machine: the 1 s of the search itself fell short there once;
    # CP-SAT returns as soon as it has proved the optimum)
    optimum = solve(dataclasses.replace(problem, monolithic_max_variables=10**9, time_limit_s=20.0))
    assert optimum.status == "OPTIMAL"
    assert 0.97 * optimum.objective <= schedule.objective <= optimum.objective <= schedule.upper_bound


def test_upper_bounds_on_hand_made_events():
    companies = [_company(f"C{k}") for k in range(10)]
    five_pairs = [MeetingRequest(f"R{k}", f"C{2 * k}", f"C{2 * k + 1}") for k in range(5)]
    assert upper_bound(_problem(companies, five_pairs, slots=1, tables=3)) == 3  # tables
    star = [MeetingRequest(f"S{k}", "C0", f"C{k}") for k in range(1, 10)]
    assert upper_bound(_problem(companies, star, slots=4, tables=9)) == 4  # C0 has four slots
    nobody = _problem(
        [_company("A", slots={"s0"}), _company("B", slots={"s1"})], [MeetingRequest("AB", "A", "B")]
    )
    assert upper_bound(nobody) == 0
    assert solve(nobody).placed_count == 0


# --------------------------------------------------------------------------------------------------
# The earliest slots: an optimum starts at the event's first slot


def _no_meeting_could_start_earlier(problem: Problem, schedule) -> None:
    """No placed meeting could move alone to an earlier slot where both sides, a table and (if it needs
    one) an interpreter are free: the schedule is as early as its meetings allow, one by one."""
    order = {
        slot.id: k for k, slot in enumerate(sorted(problem.slots, key=lambda s: (s.day, s.start_minute)))
    }
    participants = {p.id: p for p in problem.participants}
    requests = {r.id: r for r in problem.requests}
    tables = problem.tables if isinstance(problem.tables, int) else len(problem.tables)
    load, busy, slot_load = {}, set(), {}
    for placement in schedule.placed:
        request = requests[placement.request_id]
        for side in (request.a, request.b):
            load[side, placement.slot_id] = load.get((side, placement.slot_id), 0) + 1
        slot_load[placement.slot_id] = slot_load.get(placement.slot_id, 0) + 1
        busy.add((placement.interpreter_id, placement.slot_id))
    for placement in schedule.placed:
        request = requests[placement.request_id]
        a, b = participants[request.a], participants[request.b]
        for slot in problem.slots:
            if order[slot.id] >= order[placement.slot_id]:
                continue
            free = slot_load.get(slot.id, 0) < tables and all(
                (side.available_slots is None or slot.id in side.available_slots)
                and load.get((side.id, slot.id), 0) < side.capacity
                for side in (a, b)
            )
            if free and not (a.languages & b.languages):
                free = any(
                    (i.available_slots is None or slot.id in i.available_slots)
                    and (i.id, slot.id) not in busy
                    and i.covers(a.languages, b.languages)
                    for i in problem.interpreters
                )
            assert not free, f"{placement.request_id} could start at {slot.id}, not {placement.slot_id}"


def test_a_schedule_with_room_starts_at_the_first_slot():
    """Three days of four slots and tables for everyone: the meetings take the first slots of the first
    day, one after the other for a company with three, not anywhere the objective happens to tie."""
    companies = [_company(name) for name in "ABCDEF"]
    requests = [
        MeetingRequest("AB", "A", "B", weight=90),
        MeetingRequest("AC", "A", "C", weight=80),
        MeetingRequest("AD", "A", "D", weight=70),
        MeetingRequest("EF", "E", "F", weight=60),
    ]
    problem = _problem(companies, requests, slots=12, tables=10)
    schedule = solve(problem)
    _check(problem, schedule)
    assert schedule.status == "OPTIMAL"
    by_request = _by_request(schedule)
    assert sorted(by_request[r].slot_id for r in ("AB", "AC", "AD")) == ["s0", "s1", "s2"]
    assert by_request["EF"].slot_id == "s0"
    assert schedule.objective == greedy_schedule(problem).objective  # the same meetings, no worse


def test_the_earliest_slots_keep_pins_and_interpreters_where_they_are_available():
    companies = [_company("TH1", ("th", "en")), _company("JP1", ("ja",)), _company("A"), _company("B")]
    interpreter = Interpreter("I1", [("th", "ja")], frozenset({"s5"}))
    requests = [
        MeetingRequest("TJ", "TH1", "JP1", weight=50),  # needs the interpreter: only at s5
        MeetingRequest("AB", "A", "B", weight=50, pinned=("s7", 3)),  # published at s7
        MeetingRequest("A-TH1", "A", "TH1", weight=10),
    ]
    problem = _problem(companies, requests, slots=8, tables=4, interpreters=[interpreter])
    schedule = solve(problem)
    _check(problem, schedule)
    by_request = _by_request(schedule)
    assert (by_request["TJ"].slot_id, by_request["TJ"].interpreter_id) == ("s5", "I1")
    assert (by_request["AB"].slot_id, by_request["AB"].table) == ("s7", 3)
    assert by_request["A-TH1"].slot_id == "s0"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_optima_start_as_early_as_their_meetings_allow(seed):
    problem = _random_problem(seed, slots=12, tables=4)
    schedule = solve(problem)
    _check(problem, schedule)
    assert schedule.status == "OPTIMAL"
    assert schedule.stats["earliest_status"] == "OPTIMAL"  # the least sum of slot positions, proven
    _no_meeting_could_start_earlier(problem, schedule)


@pytest.mark.parametrize("seed", [31, 33])
def test_the_neighbourhood_search_also_ends_in_the_earliest_slots(seed):
    problem = _lns_problem(seed, time_limit_s=2.0)
    schedule = solve(problem)
    _check(problem, schedule)
    assert schedule.stats["search"] == "lns"
    _no_meeting_could_start_earlier(problem, schedule)  # one meeting at a time (no CP-SAT model of all)


def test_bad_inputs_are_rejected():
    a, b = _company("A"), _company("B")
    with pytest.raises(ValueError, match="unknown participant"):
        solve(_problem([a], [MeetingRequest("R", "A", "B")]))
    with pytest.raises(ValueError, match="duplicate request ids"):
        solve(_problem([a, b], [MeetingRequest("R", "A", "B"), MeetingRequest("R", "B", "A")]))
    with pytest.raises(ValueError, match="cannot meet itself"):
        solve(_problem([a], [MeetingRequest("R", "A", "A")]))
    with pytest.raises(ValueError, match="two distinct languages"):
        Interpreter("I", [("th", "th")])
