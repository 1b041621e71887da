"""Upper bounds: counting, and the LP relaxation (GLOP) of the number of meetings and of the objective."""

from __future__ import annotations

import math
from collections import defaultdict

from events.scheduler.model import Problem
from events.scheduler.prepare import _Fixed, _Prepared, _rows


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
    from ortools.linear_solver import pywraplp  # OR-Tools takes ~1 s to import: for the bound only

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
