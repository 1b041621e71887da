"""CP-SAT: the monolithic model for small events, large-neighbourhood search for large ones (the
Search section of ``events.scheduler``)."""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict

from events.scheduler.bounds import _lp
from events.scheduler.greedy import _greedy
from events.scheduler.model import Problem, Schedule
from events.scheduler.prepare import _Fixed, _Prepared, _rows
from events.scheduler.schedules import _match_interpreters, _schedule

_LNS_SUBSOLVE_SECONDS = 4.0
# Share of the time limit one CP-SAT model keeps for moving its meetings to the earliest slots
# (``_earliest``), and the least time worth starting that with.
_EARLIEST_SHARE = 0.15
_EARLIEST_MIN_SECONDS = 0.2
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


def _cp_model(
    prep: _Prepared,
    allowed: dict[int, list[int]],
    fixed: _Fixed,
    hint: dict[int, int],
    hint_interpreters: dict[int, int],
):
    """The CP-SAT model of the requests in ``allowed`` (each in the slots listed), the rest ``fixed``.
    Returns (model, x, y); y only without Hall's conditions."""
    from ortools.sat.python import cp_model  # OR-Tools takes ~1 s to import: when solving only

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
    from ortools.sat.python import cp_model  # OR-Tools takes ~1 s to import: when solving only

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
    from ortools.sat.python import cp_model  # OR-Tools takes ~1 s to import: when solving only

    started = time.perf_counter()
    # The search until ``deadline`` (the neighbourhood search) or ``deadline - _EARLIEST_SHARE`` of the time
    # limit (one CP-SAT model, which then moves its meetings to the earliest slots: ``_earliest``); the
    # rest for tables, interpreters and the result.
    deadline = started + 0.98 * problem.time_limit_s
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
    if variables > problem.monolithic_max_variables:
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
        if status != "GREEDY":  # the greedy schedule is already in the earliest slots it found
            chosen, interpreters = _shift_earlier(prep, chosen, None if prep.hall else interpreters)
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
    search_deadline = deadline - _EARLIEST_SHARE * problem.time_limit_s
    solver = _cp_solver(problem, search_deadline - time.perf_counter(), problem.seed)
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
    found, found_interpreters = _earliest(prep, found, found_interpreters, deadline, stats)
    # What CP-SAT could not move in its time, one meeting at a time.
    found, found_interpreters = _shift_earlier(prep, found, None if prep.hall else found_interpreters)
    return _schedule(
        prep,
        found,
        None if prep.hall else found_interpreters,
        status="OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE",
        bound=bound,
        started=started,
        stats=stats,
    )


def _earliest(
    prep: _Prepared, chosen: dict[int, int], interpreters: dict[int, int], deadline: float, stats: dict
) -> tuple[dict[int, int], dict[int, int]]:
    """The same meetings in the earliest slots they fit together (the least sum of slot positions, slots
    in time order), so a schedule starts at the event's first slot instead of wherever the search left
    its meetings (the objective does not care: a day of empty tables, then full ones, scores the same).
    A meeting in its pinned slot stays there, so the objective is unchanged. Returns the input when
    CP-SAT finds nothing earlier before ``deadline``."""
    from ortools.sat.python import cp_model  # OR-Tools takes ~1 s to import: when solving only

    seconds = deadline - time.perf_counter()
    if not chosen or seconds < _EARLIEST_MIN_SECONDS:
        return chosen, interpreters
    allowed = {r: [s] if prep.pinned_slot[r] == s else prep.candidates[r] for r, s in chosen.items()}
    model, x, y = _cp_model(prep, allowed, _Fixed(prep, {}, {}, set()), chosen, interpreters)
    placements = defaultdict(list)
    for (r, _s), var in x.items():
        placements[r].append(var)
    for r in chosen:
        model.add_exactly_one(placements[r])
    model.minimize(sum(s * var for (_r, s), var in x.items()))
    solver = _cp_solver(prep.problem, seconds, prep.problem.seed)
    status = solver.solve(model)
    stats["earliest_status"] = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return chosen, interpreters
    found, found_interpreters = _solution(prep, solver, x, y)
    if sum(found.values()) >= sum(chosen.values()):
        return chosen, interpreters
    return found, found_interpreters


def _shift_earlier(
    prep: _Prepared, chosen: dict[int, int], interpreters: dict[int, int] | None
) -> tuple[dict[int, int], dict[int, int]]:
    """Each meeting, in time order, moved to the earliest slot where both sides, a table and (if it needs
    one) an interpreter are free, until none can move: no meeting could then start earlier on its own.
    Every move lowers the sum of slot positions, so it ends; meetings in their pinned slot stay, so the
    objective is unchanged. For the neighbourhood search's large events, where one CP-SAT model of all
    slots would not fit the time (``_earliest``), and after that model for what it left in its time.
    ``interpreters`` None: matched per slot first."""
    chosen = dict(chosen)
    if interpreters is None:
        by_slot: dict[int, list[int]] = defaultdict(list)
        for r, s in chosen.items():
            if prep.needs_interp[r]:
                by_slot[s].append(r)
        interpreters = {}
        for s, requests in by_slot.items():
            interpreters.update(_match_interpreters(prep, s, requests))
    else:
        interpreters = dict(interpreters)
    n_tables = len(prep.tables)
    load: dict[tuple[int, int], int] = defaultdict(int)
    slot_load: dict[int, int] = defaultdict(int)
    for r, s in chosen.items():
        for p in prep.ends[r]:
            load[p, s] += 1
        slot_load[s] += 1
    busy = {(i, chosen[r]) for r, i in interpreters.items()}
    moved = True
    while moved:
        moved = False
        for r in sorted(chosen, key=lambda r: (chosen[r], r)):
            current = chosen[r]
            if prep.pinned_slot[r] == current:
                continue
            a, b = prep.ends[r]
            for s in prep.candidates[r]:
                if s >= current:
                    break
                if (
                    slot_load[s] >= n_tables
                    or load[a, s] >= prep.capacity[a]
                    or load[b, s] >= prep.capacity[b]
                ):
                    continue
                if prep.needs_interp[r]:
                    free = [i for i in prep.covering[r] if s in prep.interp_slots[i] and (i, s) not in busy]
                    if not free:
                        continue
                    busy.discard((interpreters[r], current))
                    interpreters[r] = min(free, key=lambda i: (len(prep.interpreters[i].language_pairs), i))
                    busy.add((interpreters[r], s))
                for p in (a, b):
                    load[p, current] -= 1
                    load[p, s] += 1
                slot_load[current] -= 1
                slot_load[s] += 1
                chosen[r] = s
                moved = True
                break
    return chosen, interpreters


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
    from ortools.sat.python import cp_model  # OR-Tools takes ~1 s to import: when solving only

    problem = prep.problem
    rng = random.Random(problem.seed)  # noqa: S311 - reproducible search, not cryptography
    value = prep.objective(chosen)
    n_slots = len(prep.slots)
    window = min(n_slots, problem.lns_window)  # slots per slot neighbourhood, adapted below
    budget = problem.lns_budget  # (request, slot) variables per company neighbourhood, adapted below
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
