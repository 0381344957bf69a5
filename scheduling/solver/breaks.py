"""Place each person's breaks inside their windows so that coverage stays best.

Shifts are chosen with breaks at a nominal place; this pass re-places them, day by day, with a
small CP-SAT model: one choice per break among its allowed starts, no two of a person's at
once (rules.py's break_overlap), minimising weighted under-cover, then over-cover (as a
tie-break that spreads breaks across the quiet intervals).
"""

import time
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.solver.cover import cover_shortfall
from scheduling.solver.model import Assignment, Break, BreakRule, Problem
from scheduling.solver.options import break_starts, fitting_breaks, offsets_apart, overlapping
from scheduling.solver.search import SolveOptions, solver_for, work_of


def _candidates(rule: BreakRule, a: Assignment) -> list[int]:
    return break_starts(rule, a.start_minute, a.length_minutes)


def _intervals(start: int, length: int, interval_minutes: int) -> range:
    return range(start // interval_minutes, -(-(start + length) // interval_minutes))


def place_breaks(
    problem: Problem, assignments: list[Assignment], *, seconds: float, settings: SolveOptions
) -> list[Assignment]:
    """The same shifts with their breaks moved to where they hurt coverage least, no two of a
    person's at once. `seconds`: the whole pass's budget, shared out over the days, each day
    getting what the days before left; in deterministic mode read as work (CP-SAT's
    deterministic time, as solver_for does) so that the same seed gives the same breaks on a
    busy machine, else as wall-clock seconds."""
    templates = {t.id: t for t in problem.templates}
    if not problem.interval_demand or not any(
        len(_candidates(r, a)) > 1 for a in assignments for r in templates[a.template].breaks
    ):
        return assignments
    demand = {d.queue: d for d in problem.interval_demand}
    single = problem.interval_demand[0].queue if len(demand) == 1 else None
    result = list(assignments)
    by_day: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(assignments):
        by_day[a.day].append(i)
    deadline = time.perf_counter() + seconds
    left = seconds  # deterministic mode: work not yet spent
    for n, day in enumerate(sorted(by_day)):
        if not settings.deterministic:
            left = deadline - time.perf_counter()
        if left <= 0:
            break
        share = max(0.05, left / (len(by_day) - n))
        solver = _place_day(
            problem, result, by_day[day], templates, demand, single, share, settings
        )
        left -= work_of(solver) if solver is not None else 0.0
    return result


def _place_day(
    problem: Problem,
    result: list[Assignment],
    indexes: list[int],
    templates: dict,  # type: ignore[type-arg]
    demand: dict,  # type: ignore[type-arg]
    single: str | None,
    seconds: float,
    settings: SolveOptions,
) -> cp_model.CpSolver | None:
    """Re-place the breaks of the shifts at `indexes` (one day) in `result`; the solver that
    did it (for its work), None when there was nothing to place."""
    minutes = problem.interval_minutes
    periods = problem.periods_per_day
    model = cp_model.CpModel()
    cover: dict[tuple[str, int], list[cp_model.LinearExprT]] = defaultdict(list)
    choices: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {}
    mine: dict[int, list[tuple[int, int, cp_model.IntVar]]] = defaultdict(list)
    for i in indexes:
        a = result[i]
        queue = a.queue or single
        if queue is None or a.activity != "phone":
            continue
        rules = fitting_breaks(templates[a.template], a.length_minutes)
        # Kept apart when there are two rules or more and they can be (else the whole day's
        # model would have no solution for one ill-made template).
        apart = len(rules) > 1 and offsets_apart(templates[a.template], a.length_minutes)
        for t in _intervals(a.start_minute, a.length_minutes, minutes):
            cover[(queue, t)].append(1)
        for k, rule in enumerate(rules):
            options = []
            for start in _candidates(rule, a):
                chosen = model.new_bool_var(f"break_{i}_{k}_{start}")
                options.append((start, chosen))
                if apart:
                    mine[i].append((start, rule.length_minutes, chosen))
                for t in _intervals(start, rule.length_minutes, minutes):
                    cover[(queue, t)].append(-chosen)
            if options:
                model.add_exactly_one(v for _, v in options)
                choices[(i, k)] = options
                current = next(
                    (b.start_minute for b in a.breaks if b.length_minutes == rule.length_minutes),
                    None,
                )
                for start, v in options:
                    model.add_hint(v, start == current)
    if not choices:
        return None
    _one_at_a_time(model, mine)
    terms: list[cp_model.LinearExprT] = []
    for (queue, t), parts in cover.items():
        d, p = divmod(t, periods)
        line = demand.get(queue)
        if line is None or not 0 <= d < len(line.required):
            continue
        required = line.required[d][p]
        under, over = cover_shortfall(model, parts, required, f"{queue}_{t}")
        terms.append(line.under_weight * 1000 * under + over)
    model.minimize(sum(terms))
    solver = solver_for(settings, seconds, settings.seed)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver
    for i in indexes:
        a = result[i]
        rules = fitting_breaks(templates[a.template], a.length_minutes)
        placed = []
        for k, rule in enumerate(rules):
            starts = choices.get((i, k))
            if not starts:
                continue
            start = next(s for s, v in starts if solver.value(v))
            placed.append(Break(start, rule.length_minutes, rule.paid))
        if placed:
            result[i] = replace(a, breaks=tuple(placed))
    return solver


def _one_at_a_time(
    model: cp_model.CpModel, mine: dict[int, list[tuple[int, int, cp_model.IntVar]]]
) -> None:
    """No two breaks of a person at once. `mine`: per shift, its candidate breaks (start,
    minutes, chosen). Breaks that overlap are both under way at the later one's start, so at
    most one chosen break under way at each candidate start says it exactly."""
    for candidates in mine.values():
        for at in sorted({start for start, _, _ in candidates}):
            under_way = [v for start, length, v in candidates if overlapping(start, length, at, 1)]
            if len(under_way) > 1:
                model.add_at_most_one(under_way)
