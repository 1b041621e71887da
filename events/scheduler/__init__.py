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
With languages from everywhere (more than ``Problem.hall_max_unions`` unions) the model falls back to one
variable per (meeting, slot, interpreter).

Search
------
Models up to ``Problem.monolithic_max_variables`` (request, slot) variables are solved by CP-SAT in one go,
which proves optimality on small events. Larger ones use large-neighbourhood search: starting from the
greedy schedule, CP-SAT re-optimises one neighbourhood at a time (the meetings of a random set of slots,
or all requests of a few companies, preferably of an unplaced request) with the rest fixed, keeps any
change that does not lower the objective, and adapts the neighbourhood size to what CP-SAT closes within
``_LNS_SUBSOLVE_SECONDS``. It stops at the time limit, after ``_LNS_STALL`` neighbourhoods in a row
without gain, or when the objective reaches the LP bound of :func:`objective_bound` (then the schedule is
optimal). Either way the greedy schedule is the hint and the result is never worse than it. CP-SAT runs
with the "max_lp" worker (linearization level 2): with the default portfolio of two workers it stalls on
these models (a 2,000-variable neighbourhood: not closed in 6 s against 0.3 s).

The objective does not care *when* a meeting is, so an optimum could leave the first day empty and fill
the last. Two passes then move the meetings to the earliest slots, keeping the objective (the same
meetings; a meeting in its pinned slot stays): one CP-SAT model with the placed meetings fixed, minimising
the sum of their slot positions (after the monolithic model, in the last ``_EARLIEST_SHARE`` of the time
limit), then, for the neighbourhood search's large events too, each meeting in time order moved alone to
its earliest slot with both sides, a table and an interpreter free, until none moves. So no meeting could
start earlier on its own, and a schedule with room starts at the event's first slot.

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

from events.scheduler.bounds import counting_bound, objective_bound, upper_bound
from events.scheduler.greedy import greedy_schedule
from events.scheduler.model import (
    CAPACITY,
    NO_COMMON_SLOT,
    NO_INTERPRETER,
    REASON_CODES,
    Interpreter,
    MeetingRequest,
    Participant,
    Placement,
    Problem,
    Schedule,
    Slot,
    Unplaced,
)
from events.scheduler.schedules import objective_value, violations
from events.scheduler.solver import solve

__all__ = [
    "CAPACITY",
    "NO_COMMON_SLOT",
    "NO_INTERPRETER",
    "REASON_CODES",
    "Interpreter",
    "MeetingRequest",
    "Participant",
    "Placement",
    "Problem",
    "Schedule",
    "Slot",
    "Unplaced",
    "counting_bound",
    "greedy_schedule",
    "objective_bound",
    "objective_value",
    "solve",
    "upper_bound",
    "violations",
]
