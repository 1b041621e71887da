"""The scheduler's large-neighbourhood search keeps to its time limit (moved here from
tests/events/test_scheduler.py: timings belong in bench/, not in tests).

Small random events (20 companies, 8 slots, 60 requests, 3 tables, two interpreters) forced through the
neighbourhood search with small neighbourhoods, as the test does, at time limits of 1 and 3 s. Prints,
per event: the limit, the seconds the search took and by how much it ran over (target: under 0.5 s), and
its objective next to the greedy baseline's (measured in the same run: seconds and objective). No
database. BENCH_SCHEDULER_LNS_SEEDS sets the seeds (default 31,32,33,34).
"""

import dataclasses
import os
import random
import time

from events.scheduler import Interpreter, MeetingRequest, Participant, Problem, Slot, greedy_schedule, solve

SEEDS = [int(seed) for seed in os.environ.get("BENCH_SCHEDULER_LNS_SEEDS", "31,32,33,34").split(",")]
LIMITS = (1.0, 3.0)
TARGET_OVERRUN_S = 0.5


def random_event(seed: int, *, participants: int = 20, slots: int = 8, requests: int = 60) -> Problem:
    """The event of tests/events/test_scheduler.py's ``_random_problem`` with those sizes."""
    rng = random.Random(seed)
    slot_list = [Slot(id=f"s{k}", day=k // 4, start_minute=540 + 30 * (k % 4)) for k in range(slots)]
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
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        a, b = rng.sample(range(participants), 2)
        if (a - b) % 2 or rng.random() < 0.1:
            pairs.add((min(a, b), max(a, b)))
    interpreters = [
        Interpreter("I-thja", [("th", "ja")], frozenset(rng.sample(slot_ids, rng.randint(1, slots)))),
        Interpreter(
            "I-then", [("th", "en"), ("en", "ja")], frozenset(rng.sample(slot_ids, rng.randint(1, slots)))
        ),
    ]
    return Problem(
        slots=slot_list,
        tables=3,
        participants=companies,
        interpreters=interpreters,
        requests=[
            MeetingRequest(
                id=f"R{n}", a=f"P{a}", b=f"P{b}", weight=rng.randint(0, 100), must_meet=rng.random() < 0.1
            )
            for n, (a, b) in enumerate(sorted(pairs))
        ],
        min_meetings_per_participant=2,
        seed=seed,
        monolithic_max_variables=0,  # the neighbourhood search, whatever the size
        lns_window=1,
        lns_budget=40,
    )


def main() -> None:
    print(f"load average at start: {os.getloadavg()[0]:.2f} (timings move with the machine's load)")
    columns = (("seed", 5), ("limit s", 9), ("search s", 10), ("over s", 8), ("objective", 11))
    print("".join(f"{title:>{width}}" for title, width in (*columns, ("greedy", 9), ("greedy s", 10))))
    worst = 0.0
    for seed in SEEDS:
        for limit in LIMITS:
            problem = dataclasses.replace(random_event(seed), time_limit_s=limit)
            started = time.perf_counter()
            greedy = greedy_schedule(problem)
            greedy_seconds = time.perf_counter() - started
            schedule = solve(problem)
            over = schedule.solve_seconds - limit
            worst = max(worst, over)
            print(
                f"{seed:>5}{limit:>9.1f}{schedule.solve_seconds:>10.2f}{over:>8.2f}"
                f"{schedule.objective:>11}{greedy.objective:>9}{greedy_seconds:>10.3f}"
            )
    verdict = "met" if worst < TARGET_OVERRUN_S else "MISSED"
    print(f"worst overrun {worst:.2f} s; target under {TARGET_OVERRUN_S} s: {verdict}")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    main()
