"""The roster problem of some employees when everyone else's shifts are fixed.

Demand becomes what the others leave uncovered: with `fixed` agents already on a line of
`required`, the free employees face max(0, required - fixed). Under- and over-cover penalties
of the whole roster then differ from the restricted problem's by a constant, so improving the
restricted problem improves the roster by exactly as much. Terms that compare employees with
each other (fairness) do not decompose, so callers use this only when those weights are zero.
"""

from collections import Counter
from dataclasses import replace

from scheduling.solver.model import Assignment, IntervalDemand, Problem, Weights


def decomposes(problem: Problem) -> bool:
    w = problem.weights
    return not (w.fairness_weekends or w.fairness_nights or w.fairness_late)


def restrict(
    problem: Problem, chosen: set[str], others: list[Assignment], *, demand: bool = True
) -> Problem:
    """`demand=False`: the chosen employees' own rules and terms, with no demand at all (a
    person's model, priced apart: alone.py; working the residual demand out only to drop it
    was a third of the build of one person's model of 150 people)."""
    headcount = Counter((a.day, a.template) for a in others)
    lines = tuple(
        replace(line, required=max(0, line.required - headcount[(line.day, line.template)]))
        for line in (problem.headcount_demand if demand else ())
    )
    intervals = problem.interval_demand if demand else ()
    return replace(
        problem,
        employees=tuple(e for e in problem.employees if e.id in chosen),
        headcount_demand=lines,
        interval_demand=tuple(_residual(problem, d, others) for d in intervals),
        requests=tuple(r for r in problem.requests if r.employee in chosen),
        pins=tuple(p for p in problem.pins if p.employee in chosen),
        weights=replace(problem.weights, fairness_weekends=0, fairness_nights=0, fairness_late=0)
        if problem.weights != Weights()
        else problem.weights,
    )


def _residual(problem: Problem, demand: IntervalDemand, others: list[Assignment]) -> IntervalDemand:
    minutes = problem.interval_minutes
    single = len(problem.interval_demand) == 1
    covered: Counter[int] = Counter()
    for a in others:
        if a.activity != "phone" or (a.queue != demand.queue and not (single and a.queue is None)):
            continue
        off = {
            t
            for b in a.breaks
            for t in range(
                b.start_minute // minutes, -(-(b.start_minute + b.length_minutes) // minutes)
            )
        }
        for t in range(a.start_minute // minutes, -(-a.end_minute // minutes)):
            if t not in off:
                covered[t] += 1
    periods = problem.periods_per_day
    required = tuple(
        tuple(max(0, need - covered[d * periods + p]) for p, need in enumerate(row))
        for d, row in enumerate(demand.required)
    )
    return replace(demand, required=required)
