"""A first roster built employee by employee, and the restricted sub-solve it shares with LNS.

When the objective decomposes (no fairness terms), every hard rule binds one employee only, so
a roster can be grown one person at a time: each solved alone, to optimality, against the cover
the people before them leave open (restrict.py). Each of these problems is tiny (one person's
horizon), so a first roster of sixty people takes a couple of seconds and starts LNS far below
what a short solve of the whole model finds.
"""

import random
from dataclasses import dataclass, replace
from itertools import compress

from ortools.sat.python import cp_model

from scheduling.solver.build import RosterModel, build
from scheduling.solver.model import Problem
from scheduling.solver.restrict import decomposes, restrict
from scheduling.solver.search import Search, assignment_of, solver_for

Scarcity = dict[tuple[int, str], float]  # (day, template) -> factor on its under-cover weight


@dataclass
class Restricted:
    """The chosen employees' problem against everyone else in `values`; variables[i] is the
    sub-model's copy of the search variable indexes[i]."""

    rm: RosterModel
    variables: list[cp_model.IntVar]
    indexes: list[int]


def restricted(
    search: Search,
    chosen: set[int],
    values: list[int],
    scarcity: Scarcity | None = None,
) -> Restricted:
    """`scarcity`: factors on the under-cover weight of lines, by (day, template)."""
    p = search.rm.problem
    others = [
        assignment_of(search, e, d, o)
        for e, d, o in compress(search.keys, values)
        if e not in chosen
    ]
    order = sorted(chosen)
    problem = restrict(p, {p.employees[e].id for e in order}, others)
    if scarcity:
        problem = replace(
            problem,
            headcount_demand=tuple(
                replace(
                    line,
                    under_weight=round(
                        line.under_weight * scarcity.get((line.day, line.template), 1.0)
                    ),
                )
                for line in problem.headcount_demand
            ),
        )
    sub = build(problem)
    variables, indexes = [], []
    for se, e in enumerate(order):
        for d, per_day in enumerate(sub.x[se]):
            for o, variable in per_day.items():
                variables.append(variable)
                indexes.append(search.key_index[(e, d, o)])
    return Restricted(sub, variables, indexes)


def _alone(
    search: Search,
    e: int,
    values: list[int],
    seconds: float,
    scarcity: Scarcity | None = None,
) -> bool:
    """Solve employee e alone against the others in `values`, writing their shifts into it.
    False when no roster of theirs satisfies their rules within the time."""
    part = restricted(search, {e}, values, scarcity)
    # A tiny model: one worker keeps the result the same on every run.
    solver = solver_for(search.options, seconds, search.options.seed, workers=1)
    if solver.solve(part.rm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    for variable, index in zip(part.variables, part.indexes, strict=True):
        values[index] = int(solver.value(variable))
    return True


def first_roster(
    search: Search, *, passes: int = 2, seconds: float = 0.5, seed: int | None = None
) -> list[int] | None:
    """Values of the assignment variables of a roster grown one employee at a time (in a
    random order from `seed`, by default the search's), then `passes - 1` rounds
    re-solving each employee against all the others. None when the objective does not
    decompose, someone has no feasible roster of their own, or nearly all the time passes
    before everyone is placed once."""
    p = search.rm.problem
    if not decomposes(p) or not p.employees:
        return None
    values = [0] * len(search.variables)
    order = list(range(len(p.employees)))
    random.Random(search.options.seed if seed is None else seed).shuffle(order)
    weights = scarcity(p)  # the first pass only; later passes face the true weights
    for round_ in range(passes):
        # A first roster is worth almost any wait (the full model may find none at all on a
        # busy machine); improving rounds stop at half the time, to leave LNS its share.
        share = 0.5 if round_ else 0.95
        for e in order:
            late = search.elapsed() >= search.options.time_limit_seconds * share
            if late and not search.options.deterministic:
                return values if round_ > 0 else None
            if not _alone(search, e, values, seconds, weights if round_ == 0 else None):
                return None
    return values


def scarcity(problem: Problem) -> Scarcity:
    """Per headcount line, how much of what the staff could give it the lines ask for: per
    template (a night only some can work) and, when weekends worked are limited, on
    weekend days (Curtois & Qu 12: 285 weekend shifts asked of at most 258 weekend days;
    a first roster whose people work one day of a weekend wastes the other). The first
    pass weighs a line's shortfall by this, so the first people placed take the scarce
    lines before the plentiful ones."""
    demand: dict[str, int] = {}
    for line in problem.headcount_demand:
        demand[line.template] = demand.get(line.template, 0) + max(line.required, 0)
    capacity: dict[str, int] = {}
    for employee in problem.employees:
        limits = dict(employee.contract.max_shifts_per_template)
        for template in demand:
            if employee.templates is not None and template not in employee.templates:
                continue
            capacity[template] = capacity.get(template, 0) + limits.get(template, problem.days)
    per_template = {t: 1.0 + need / max(capacity.get(t, 0), 1) for t, need in demand.items()}
    weekend = _weekend_scarcity(problem)
    return {
        (line.day, line.template): per_template[line.template] * weekend.get(line.day, 1.0)
        for line in problem.headcount_demand
    }


def _weekend_scarcity(problem: Problem) -> dict[int, float]:
    """Weekend day -> 1 + the share of the weekend days the staff may work that weekend
    lines ask for, when someone's weekends are limited; empty otherwise. (Weighing it
    against the share of all shifts asked instead left first rosters of Curtois & Qu 6, 8,
    9 and 12 worse: 3274, 3503, 1321, 6424 against 3198, 3048, 1275, 6344; 10 better:
    5143 against 5228.)"""
    weekends = problem.weekends()
    if not any(problem.weekends_limited(e) for e in problem.employees):
        return {}
    limits = [e.contract.max_weekends for e in problem.employees]
    days = {d for w in weekends for d in w}
    per_weekend = len(days) / len(weekends)
    capacity = sum(len(weekends) if m is None else min(m, len(weekends)) for m in limits)
    need = sum(max(line.required, 0) for line in problem.headcount_demand if line.day in days)
    return dict.fromkeys(days, 1.0 + need / max(capacity * per_weekend, 1.0))
