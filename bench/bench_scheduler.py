"""The B2B meeting scheduler (events.scheduler) on a synthetic Expo: 300 companies (≈100 Japanese,
≈200 Thai), 2,000 accepted Thai–Japanese requests skewed towards popular companies, 6 days × 16 slots,
40 tables, 10 interpreters, about a third of the pairs sharing no language, each company available on a
random 60–100% of the slots.

Prints the upper bound on the number of meetings (LP relaxation), CP-SAT (meetings, weighted objective,
seconds) and the greedy baseline, as percentages of the bound on meetings and of the LP bound on the
objective. Target: CP-SAT ≥ 98% of the bound within 60 s on 2 cores. A second scenario, "tight", packs
the same requests into 3 days with 5 interpreters, where slots run short and the greedy falls behind.
No database. BENCH_SCHEDULER_SECONDS sets the time limit (default 60), BENCH_SCHEDULER_SEED the data seed
(default 1), BENCH_SCHEDULER_SCENARIOS the scenarios (default expo,tight).
"""

import os
import random
import time
from collections.abc import Sequence

from events.scheduler import (
    Interpreter,
    MeetingRequest,
    Participant,
    Problem,
    Slot,
    counting_bound,
    greedy_schedule,
    solve,
    upper_bound,
    violations,
)

SECONDS = float(os.environ.get("BENCH_SCHEDULER_SECONDS", "60"))
SEED = int(os.environ.get("BENCH_SCHEDULER_SEED", "1"))
DAYS, SLOTS_PER_DAY, TABLES = 6, 16, 40
JAPANESE, THAI, REQUESTS = 100, 200, 2_000
INTERPRETERS = (("th", "ja"),) * 7 + (("th", "en"),) * 2 + (("en", "ja"),)
TIGHT_INTERPRETERS = (("th", "ja"),) * 3 + (("th", "en"), ("en", "ja"))


def synthetic_event(
    seed: int = SEED,
    time_limit_s: float = SECONDS,
    *,
    days: int = DAYS,
    tables: int = TABLES,
    interpreter_pairs: Sequence[tuple[str, str]] = INTERPRETERS,
) -> Problem:
    """The event of the module docstring; ``days``, ``tables`` and the interpreters' pairs can shrink it."""
    rng = random.Random(seed)  # companies, requests, interpreters: the same whatever the days
    availability = random.Random(f"{seed}-availability")
    slots = [
        Slot(id=day * 100 + k, day=day, start_minute=9 * 60 + 30 * k + (60 if k >= 6 else 0))
        for day in range(1, days + 1)
        for k in range(SLOTS_PER_DAY)
    ]
    slot_ids = [slot.id for slot in slots]

    def available() -> frozenset:
        share = availability.uniform(0.6, 1.0)
        return frozenset(availability.sample(slot_ids, round(len(slot_ids) * share)))

    # English: 80% of the Japanese and 85% of the Thai companies, so ≈ 1/3 of the pairs share no language.
    participants, popularity = [], {}
    for k in range(JAPANESE):
        company = Participant(
            id=f"JP{k:03d}",
            languages=frozenset({"ja", "en"} if rng.random() < 0.8 else {"ja"}),
            available_slots=available(),
            capacity=2 if rng.random() < 0.05 else 1,
        )
        participants.append(company)
        popularity[company.id] = rng.paretovariate(1.3)
    for k in range(THAI):
        company = Participant(
            id=f"TH{k:03d}",
            languages=frozenset({"th", "en"} if rng.random() < 0.85 else {"th"}),
            available_slots=available(),
        )
        participants.append(company)
        popularity[company.id] = rng.paretovariate(1.8)
    japanese = [p.id for p in participants if p.id.startswith("JP")]
    thai = [p.id for p in participants if p.id.startswith("TH")]

    pairs: set[tuple[str, str]] = set()
    jp_weights = [popularity[c] for c in japanese]
    th_weights = [popularity[c] for c in thai]
    while len(pairs) < REQUESTS:
        pairs.add((rng.choices(thai, th_weights)[0], rng.choices(japanese, jp_weights)[0]))
    requests = [
        MeetingRequest(
            id=n,
            a=th,
            b=jp,
            weight=rng.randint(35, 100),
            must_meet=rng.random() < 0.05,
        )
        for n, (th, jp) in enumerate(sorted(pairs))
    ]
    interpreters = []
    for k, pair in enumerate(interpreter_pairs):
        pairs_spoken = {pair, ("th", "en")} if k == 0 else {pair}  # one th–ja interpreter also does th–en
        interpreters.append(
            Interpreter(
                id=f"INT{k:02d}",
                language_pairs=frozenset(frozenset(p) for p in pairs_spoken),
                available_slots=frozenset(
                    availability.sample(slot_ids, round(len(slot_ids) * availability.uniform(0.75, 1.0)))
                ),
            )
        )
    return Problem(
        slots=slots,
        tables=tables,
        participants=participants,
        interpreters=interpreters,
        requests=requests,
        min_meetings_per_participant=3,
        time_limit_s=time_limit_s,
        workers=2,
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> None:
    selected = os.environ.get("BENCH_SCHEDULER_SCENARIOS", "expo,tight").split(",")
    if "expo" in selected:
        print(f"expo: the event of the brief, {DAYS} days, {TABLES} tables, {len(INTERPRETERS)} interpreters")
        run(synthetic_event(), target=0.98)
    if "tight" in selected:
        print("\ntight: the same companies and requests in 3 days with 5 interpreters (slots run short)")
        run(synthetic_event(days=3, interpreter_pairs=TIGHT_INTERPRETERS))


def run(problem: Problem, target: float | None = None) -> None:
    by_id = {p.id: p for p in problem.participants}
    no_language = sum(1 for r in problem.requests if not by_id[r.a].languages & by_id[r.b].languages)
    degree: dict[str, int] = {}
    for r in problem.requests:
        for side in (r.a, r.b):
            degree[side] = degree.get(side, 0) + 1
    print(
        f"{len(problem.participants)} companies, {len(problem.requests):,} requests "
        f"({no_language} without a common language), {len(problem.slots)} slots, {problem.tables} tables, "
        f"{len(problem.interpreters)} interpreters; requests per company max {max(degree.values())}, "
        f"median {sorted(degree.values())[len(degree) // 2]}; time limit {problem.time_limit_s:.0f} s, "
        f"{problem.workers} workers"
    )
    print(f"load average at start: {_load()} (2 cores, shared with other work)")

    start = time.perf_counter()
    counting = counting_bound(problem)
    counting_seconds = time.perf_counter() - start
    start = time.perf_counter()
    bound = upper_bound(problem)
    bound_seconds = time.perf_counter() - start
    print(
        f"upper bound on meetings: counting {counting:,} ({counting_seconds:.1f} s), "
        f"LP relaxation {bound:,} ({bound_seconds:.1f} s)"
    )

    greedy = greedy_schedule(problem)
    assert not violations(problem, greedy.placed)  # noqa: S101 - a broken schedule must not be measured
    schedule = solve(problem)
    assert not violations(problem, schedule.placed)  # noqa: S101
    print(f"load average after CP-SAT: {_load()}")
    objective_lp = schedule.upper_bound

    header = ("", "meetings", "% of bound", "objective", "% of LP", "seconds")
    widths = (10, 10, 12, 12, 10, 10)
    print("".join(f"{title:>{width}}" for title, width in zip(header, widths, strict=True)))
    for name, result in (("CP-SAT", schedule), ("greedy", greedy)):
        share = f"{100 * result.objective / objective_lp:.2f}%" if objective_lp else "n/a"
        print(
            f"{name:>10}{result.placed_count:>10,}{100 * result.placed_count / bound:>11.1f}%"
            f"{result.objective:>12,}{share:>10}{result.solve_seconds:>10.1f}"
        )
    details = ", ".join(f"{key} {value}" for key, value in sorted(schedule.stats.items()))
    print(f"CP-SAT status {schedule.status}, objective bound {objective_lp}; {details}")
    reasons: dict[str, int] = {}
    for item in schedule.unplaced:
        reasons[item.reason_code] = reasons.get(item.reason_code, 0) + 1
    must = [r.id for r in problem.requests if r.must_meet]
    placed_ids = {p.request_id for p in schedule.placed}
    minimum = problem.min_meetings_per_participant
    below = {
        label: sum(1 for c, d in degree.items() if counts.get(c, 0) < min(d, minimum))
        for label, counts in (
            ("CP-SAT", _meetings(problem, schedule)),
            ("greedy", _meetings(problem, greedy)),
        )
    }
    print(
        f"unplaced by reason {dict(sorted(reasons.items()))}; must-meet placed "
        f"{sum(1 for r in must if r in placed_ids)}/{len(must)}; companies below min(requests, {minimum}) "
        f"meetings: CP-SAT {below['CP-SAT']}, greedy {below['greedy']}"
    )
    if target is not None:
        met_target = (
            schedule.placed_count >= target * bound and schedule.solve_seconds <= problem.time_limit_s
        )
        print(
            f"target CP-SAT ≥ {target:.0%} of the bound within {problem.time_limit_s:.0f} s: "
            f"{'met' if met_target else 'MISSED'}"
        )


def _meetings(problem: Problem, schedule) -> dict:
    placed_ids = {p.request_id for p in schedule.placed}
    counts: dict = {}
    for r in problem.requests:
        if r.id in placed_ids:
            for side in (r.a, r.b):
                counts[side] = counts.get(side, 0) + 1
    return counts
