"""A first roster built employee by employee, and the restricted sub-solve it shares with LNS.

When the objective decomposes (no fairness terms), every hard rule binds one employee only, so
a roster can be grown one person at a time: each solved alone, to optimality, against the cover
the people before them leave open (restrict.py). Each of these problems is tiny (one person's
horizon), so a first roster of sixty people takes a couple of seconds and starts LNS far below
what a short solve of the whole model finds.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import compress

from ortools.sat.python import cp_model

from scheduling.solver.alone import Cover, Scarcity, person, price
from scheduling.solver.build import RosterModel, build
from scheduling.solver.model import Problem
from scheduling.solver.options import ShiftOption
from scheduling.solver.restrict import decomposes, restrict
from scheduling.solver.search import Search, assignment_of, solver_for, work_of


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
    cover: Cover | None = None,
) -> bool:
    """Solve employee e alone against the others in `values` (alone.py), writing their
    shifts into it and into `cover` (the cover of `values`, counted here when not given).
    `seconds`: the work allowed (idle-machine seconds), whatever the machine's load; the
    wall clock only guards against a hang. False when no roster of theirs satisfying
    their rules is found within it. (Two people solved at once against the same cover, one
    per core, took the same open lines: first rosters a third to twice as costly.)"""
    p = search.rm.problem
    cover = cover if cover is not None else Cover.of(search, values)
    who = person(search, e)
    model = who.rm.model
    model.clear_hints()  # type: ignore[no-untyped-call]
    for variable, index in zip(who.variables, who.indexes, strict=True):
        model.add_hint(variable, values[index])
        if values[index]:
            cover.count(p, _option(search, index), -1)
    model.minimize(price(search, who, cover, scarcity))
    # A tiny model: one worker keeps the result the same on every run.
    solver = solver_for(
        search.options, ALONE_WALL_SECONDS, search.options.seed, workers=1, work=seconds
    )
    solver.parameters.linearization_level = 2  # a quarter faster on these small models
    status = solver.solve(model)
    search.work_done += work_of(solver)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    for variable, index in zip(who.variables, who.indexes, strict=True):
        if found:
            values[index] = int(solver.value(variable))
        if values[index]:
            cover.count(p, _option(search, index), 1)
    return found


def _option(search: Search, index: int) -> ShiftOption:
    _, d, o = search.keys[index]
    return search.rm.options[d][o]


ALONE_WALL_SECONDS = 30.0  # a guard: one person's roster takes a small fraction of a second
# A person with no roster of their own within the usual work is tried again with this many
# times as much before the first roster is given up (a busy machine no longer matters: the
# budget is work, not seconds).
RETRY_FACTOR = 8


def first_roster(
    search: Search,
    *,
    passes: int = 2,
    seconds: float = 0.5,
    seed: int | None = None,
    on_pass: Callable[[list[int]], None] | None = None,
) -> list[int] | None:
    """Values of the assignment variables of a roster grown one employee at a time (in a
    random order from `seed`, by default the search's), then
    `passes - 1` rounds re-solving each employee against all the others (stopped at half
    the time limit, each person keeping their shifts when theirs is not found); `on_pass`
    is told each complete roster. None when the objective does not decompose or someone
    has no feasible roster of their own."""
    p = search.rm.problem
    if not decomposes(p) or not p.employees:
        return None
    values = [0] * len(search.variables)
    order = list(range(len(p.employees)))
    random.Random(search.options.seed if seed is None else seed).shuffle(order)
    weights = scarcity(p)
    cover = Cover.of(search, values)
    for e in order:  # the first pass is worth any wait: LNS needs a roster to start from
        if not (
            _alone(search, e, values, seconds, weights, cover)
            or _alone(search, e, values, seconds * RETRY_FACTOR, weights, cover)
        ):
            return None
    if on_pass:
        on_pass(values)
    for _ in range(passes - 1):
        for e in order:
            late = search.elapsed() >= search.options.time_limit_seconds * 0.5
            if late and not search.options.deterministic:
                return values
            _alone(search, e, values, seconds, cover=cover)
        if on_pass:
            on_pass(values)
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
