"""Lower bounds for a roster from the LP relaxation of its model, solved by GLOP.

The relaxation is made cheap at scale by aggregating employees who are alike (same contract,
skills, templates, availability and carried state, and no request or pin of their own): one
representative per group, whose variables range over 0..group size and whose own rules have
their right-hand sides multiplied by it. Every rule of the model is linear and binds one
employee or one demand line, so any LP solution of the full model averages, over each group,
to a solution of the aggregated one of the same value, and back: the two LPs have the same
optimum. The LP optimum is a valid lower bound on every roster of these people under these
rules; the objective's coefficients are whole numbers, so it rounds up.

Three bounds come from one model, with different objectives (GLOP warm-starts from the last):
the roster's objective, the under-cover (agent-intervals of interval demand, shifts of
headcount lines, unweighted) and, once a roster is known, the paid minutes any roster with
no more under-cover than it must pay.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.linear_solver import pywraplp

from scheduling.solver.build import RosterModel, build
from scheduling.solver.decompose import (
    ALL,
    bound_to,
    can_serve,
    owed_minutes,
    queue_groups,
    queue_of,
)
from scheduling.solver.model import Employee, LowerBounds, Problem
from scheduling.solver.options import allowed as may_work
from scheduling.solver.options import break_starts, day_options, fitting_breaks
from scheduling.solver.restrict import decomposes

INFINITE = 2**60  # CP-SAT writes an unbounded side as +-(2**63 - 1)
TOLERANCE = 1e-6  # relative: what GLOP's optimum may be off by before rounding up
# Families left out by default: what succeeds what, day by day. On Curtois & Qu 12 the LP
# with them took 7.8 s for a bound of 3628, without them 0.4 s for 3622 (best known 4040).
SEQUENCES = frozenset({"forbidden_transitions", "min_consecutive_days", "min_consecutive_days_off"})


@dataclass
class Relaxation:
    """The aggregated model's LP, ready to be solved for one objective after another."""

    rm: RosterModel
    solver: pywraplp.Solver
    variables: list[pywraplp.Variable]
    seconds: float

    def minimum(self, coefficients: dict[int, float], offset: float = 0.0) -> float | None:
        """Min of sum(coefficient x variable) + offset (variables by model index), rounded up
        when every coefficient is whole; None when GLOP does not prove an optimum in time."""
        objective = self.solver.Objective()
        objective.Clear()
        for index, coefficient in coefficients.items():
            objective.SetCoefficient(self.variables[index], coefficient)
        objective.SetOffset(offset)
        objective.SetMinimization()
        self.solver.SetTimeLimit(max(1, int(self.seconds * 1000)))
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        value = objective.Value()
        value -= TOLERANCE * max(1.0, abs(value))
        whole = all(float(c).is_integer() for c in coefficients.values())
        return float(math.ceil(value)) if whole and float(offset).is_integer() else value


def _group_key(employee: Employee, personal: set[str]) -> object:
    if employee.id in personal:
        return ("alone", employee.id)
    return (
        employee.contract,
        employee.skills,
        employee.templates,
        employee.unavailable_days,
        employee.unavailable_spans,
        employee.carried,
        employee.cost_per_hour,
    )


def aggregate(problem: Problem) -> tuple[Problem, list[int]]:
    """One representative per group of alike employees, and each group's size (everyone
    alone when fairness terms compare employees with each other)."""
    personal = {r.employee for r in problem.requests} | {p.employee for p in problem.pins}
    if not decomposes(problem):
        personal = {e.id for e in problem.employees}
    sizes: Counter[object] = Counter()
    first: dict[object, Employee] = {}
    for employee in problem.employees:
        key = _group_key(employee, personal)
        sizes[key] += 1
        first.setdefault(key, employee)
    keys = list(first)
    return replace(problem, employees=tuple(first[k] for k in keys)), [sizes[k] for k in keys]


def relaxation(
    problem: Problem,
    *,
    seconds: float,
    without: frozenset[str] = SEQUENCES,
    built: RosterModel | None = None,
) -> Relaxation:
    """The LP of the aggregated model (see the module's docstring), without the constraint
    families named in `without` (fewer constraints: still a relaxation, a weaker one).
    `built`: the problem's own model, used when no two employees are alike."""
    representatives, sizes = aggregate(problem)
    alone = len(representatives.employees) == len(problem.employees)
    # Interval demand: breaks placed by the model, as they are placed after solving.
    choices = bool(problem.interval_demand)
    reuse = built is not None and alone and built.break_choices == choices
    rm = built if built is not None and reuse else build(representatives, break_choices=choices)
    proto = rm.model.proto
    solver = pywraplp.Solver.CreateSolver("GLOP")
    infinity = solver.infinity()

    def side(value: int, factor: int) -> float:
        return value * factor if abs(value) < INFINITE else math.copysign(infinity, value)

    variables = []
    for index, variable in enumerate(proto.variables):
        low, high = _ends(variable.domain)
        # Shared variables (under- and over-cover) are bounded for one representative each.
        upper = side(high, sizes[rm.owner[index]]) if index in rm.owner else infinity
        variables.append(solver.NumVar(side(low, 1), upper, ""))
    skipped = {i for family in without for i in rm.families.get(family, ())}
    for i, constraint in enumerate(proto.constraints):
        if i in skipped or constraint.enforcement_literal:
            continue  # dropping a constraint keeps a relaxation (build writes none of these)
        row_of = _row(constraint)
        if row_of is None:
            continue
        vs, coefficients, low, high = row_of
        owners = {rm.owner.get(v) for v in vs}
        only = next(iter(owners)) if len(owners) == 1 else None
        factor = sizes[only] if only is not None else 1
        row = solver.Constraint(side(low, factor), side(high, factor))
        for v, coefficient in zip(vs, coefficients, strict=True):
            row.SetCoefficient(variables[v], coefficient)
    return Relaxation(rm, solver, variables, seconds)


def _row(constraint: Any) -> tuple[list[int], list[int], int, int] | None:
    """A linear or at-most-one constraint as (variables, coefficients, low, high); None for
    any other kind. A negated literal (index -v-1) of an at-most-one is 1 - x_v."""
    if constraint.has_linear():
        linear = constraint.linear
        low, high = _ends(linear.domain)
        return list(linear.vars), list(linear.coeffs), low, high
    if constraint.has_at_most_one():
        literals = list(constraint.at_most_one.literals)
        negated = sum(1 for literal in literals if literal < 0)
        vs = [literal if literal >= 0 else -literal - 1 for literal in literals]
        coefficients = [1 if literal >= 0 else -1 for literal in literals]
        return vs, coefficients, -INFINITE, 1 - negated
    return None


def _ends(domain: Sequence[int]) -> tuple[int, int]:
    """A CP-SAT domain's least and greatest values (read as a list: the proto's repeated
    field does not index from the end)."""
    values = list(domain)
    return values[0], values[-1]


def _shortfall(rm: RosterModel, intervals: bool) -> tuple[dict[int, float], float]:
    """Coefficients (and constant) of the unweighted under-cover of one kind of demand."""
    shorts = rm.interval_short if intervals else rm.headcount_short
    coefficients: dict[int, float] = {}
    constant = 0.0
    for short in shorts.values():
        if isinstance(short, int):
            constant += short
        else:
            index = short.index  # type: ignore[union-attr]
            coefficients[index] = coefficients.get(index, 0.0) + 1.0
    return coefficients, constant


def objective_coefficients(rm: RosterModel) -> tuple[dict[int, float], float]:
    objective = rm.model.proto.objective
    scale = objective.scaling_factor or 1.0
    coefficients = {
        v: scale * c for v, c in zip(objective.vars, objective.coeffs, strict=True) if c
    }
    return coefficients, scale * objective.offset


def lower_bounds(lp: Relaxation) -> LowerBounds | None:
    """The roster's objective and under-cover at the least; None when GLOP does not finish
    in its time. The first solve (the objective) takes the time; the under-cover ones start
    from its basis, and are skipped for a kind of demand the problem does not have."""
    objective = lp.minimum(*objective_coefficients(lp.rm))
    if objective is None:
        return None
    shortfalls = []
    for intervals in (True, False):
        coefficients, constant = _shortfall(lp.rm, intervals=intervals)
        short = lp.minimum(coefficients, constant) if coefficients else constant
        if short is None:
            return None
        shortfalls.append(max(0, int(short)))
    return LowerBounds(objective, shortfalls[0], shortfalls[1])


def paid_minutes_bound(lp: Relaxation, *, under_agent_intervals: int) -> int | None:
    """Paid minutes that any roster with at most `under_agent_intervals` short must pay
    (None when GLOP does not finish in time). Adds a row to `lp`: call it last."""
    coefficients, constant = _shortfall(lp.rm, intervals=True)
    row = lp.solver.Constraint(-lp.solver.infinity(), under_agent_intervals - constant)
    for index, coefficient in coefficients.items():
        row.SetCoefficient(lp.variables[index], coefficient)
    paid = {
        variable.index: float(lp.rm.options[d][o].paid_minutes)
        for per_day in lp.rm.x
        for d, chosen in enumerate(per_day)
        for o, variable in chosen.items()
    }
    minimum = lp.minimum(paid)
    return None if minimum is None else max(0, int(minimum))


# Also left out of large models' LPs: rest, runs of days and weekends. On a generated
# 100-staff, 16-type instance (44 800 choices) the LP took 16.4 s with them for a bound of
# 184, 2.8 s without for 178 (load 10); the 60-s sweep's 100- and 150-staff classes had
# spent 10-12 s on an LP that timed out.
LARGE_MODEL_LEFT_OUT = SEQUENCES | frozenset({"rest", "max_consecutive_days", "weekends"})


def bounds_for(
    problem: Problem,
    *,
    seconds: float,
    built: RosterModel | None = None,
    without: frozenset[str] = SEQUENCES,
) -> tuple[Relaxation, LowerBounds | None]:
    """The problem's LP and its lower bounds (None when GLOP did not finish in time)."""
    lp = relaxation(problem, seconds=seconds, built=built, without=without)
    return lp, lower_bounds(lp)


def with_paid_minutes(
    lp: Relaxation, bounds: LowerBounds | None, under_agent_intervals: int
) -> LowerBounds | None:
    """`bounds` with the paid minutes a roster of this under-cover must pay, when there is
    interval demand."""
    if bounds is None or not lp.rm.problem.interval_demand:
        return bounds
    paid = paid_minutes_bound(lp, under_agent_intervals=under_agent_intervals)
    return replace(bounds, paid_minutes=paid)


def anonymous_bounds(
    problem: Problem, *, seconds: float, under_at_most: int | None = None
) -> LowerBounds | None:
    """Lower bounds from the LP of anonymous shifts (how many of each shift each day, each
    break of each at one of its allowed starts) under the team's capacity: per group of
    queues no more shifts a day than people who may work them, no more shift-days and paid
    minutes a week than their contracts allow, no fewer paid minutes than the weekly
    minimums of those who can work nowhere else. Any named roster gives such counts, so
    this is a relaxation (weaker than relaxation()'s, which keeps each person's rules), but
    one of a few thousand variables whatever the staff: the aggregated model of 500
    operators x 28 days x 3 queues took 48 s to build on a loaded machine; on the demo's
    Amsterdam (40 x 7) it gives 156 agent-intervals short in 0.2 s, that LP 157 in 11.7 s.
    `under_at_most`: a roster's under-cover, for the paid minutes any roster with no more
    must pay. None when GLOP does not finish in `seconds`."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    infinity = solver.infinity()
    options = [day_options(problem, d) for d in range(problem.days)]
    templates = {t.id: t for t in problem.templates}
    minutes = problem.interval_minutes
    queues = [d.queue for d in problem.interval_demand]
    n: dict[tuple[int, int], pywraplp.Variable] = {}
    covering: dict[tuple[str, int], list[tuple[pywraplp.Variable, float]]] = {}
    for d, day in enumerate(options):
        available = sum(1 for e in problem.employees if d not in e.unavailable_days)
        for o, option in enumerate(day):
            if not any(may_work(e, option, problem) for e in problem.employees):
                continue
            v = n[(d, o)] = solver.NumVar(0, available, "")
            queue = queue_of(problem, option)
            if queue not in queues:
                continue
            start, end = option.start_minute // minutes, -(-option.end_minute // minutes)
            for t in range(start, end):
                covering.setdefault((str(queue), t), []).append((v, 1.0))
            template = templates[option.template]
            for rule in fitting_breaks(template, option.length_minutes):
                starts = break_starts(rule, option.start_minute, option.length_minutes)
                choices = [solver.NumVar(0, infinity, "") for _ in starts]
                row = solver.Constraint(0, 0)
                row.SetCoefficient(v, -1)
                for begin, chosen in zip(starts, choices, strict=True):
                    row.SetCoefficient(chosen, 1)
                    first, last = begin // minutes, -(-(begin + rule.length_minutes) // minutes)
                    for t in range(first, last):
                        covering.setdefault((str(queue), t), []).append((chosen, -1.0))
    for group in queue_groups(problem, options):
        able = [e for e in problem.employees if can_serve(e, group)]
        bound = [e for e in problem.employees if bound_to(e, group)]
        keys = [k for k in n if group == ALL or options[k[0]][k[1]].queue in group]
        for d in range(problem.days):
            today = [n[k] for k in keys if k[0] == d]
            if today:
                row = solver.Constraint(-infinity, sum(d not in e.unavailable_days for e in able))
                for v in today:
                    row.SetCoefficient(v, 1)
        for week in problem.weeks():
            days = set(week)
            in_week = [k for k in keys if k[0] in days]
            limits = [e.contract.max_days_per_week for e in able]
            if all(limit is not None for limit in limits):
                row = solver.Constraint(-infinity, sum(min(int(m or 0), len(week)) for m in limits))
                for k in in_week:
                    row.SetCoefficient(n[k], 1)
            most = [e.contract.max_minutes_per_week for e in able]
            owed = sum(owed_minutes(e, week) for e in bound)
            high = sum(int(m or 0) for m in most) if all(m is not None for m in most) else infinity
            row = solver.Constraint(owed, high)
            for k in in_week:
                row.SetCoefficient(n[k], options[k[0]][k[1]].paid_minutes)
    periods = problem.periods_per_day
    under: list[pywraplp.Variable] = []
    objective: dict[pywraplp.Variable, float] = {}
    for demand in problem.interval_demand:
        for d, row_need in enumerate(demand.required):
            for p, need in enumerate(row_need):
                terms = covering.get((demand.queue, d * periods + p), [])
                if need <= 0 and not terms:
                    continue
                short = solver.NumVar(0, infinity, "")
                extra = solver.NumVar(0, infinity, "")
                row = solver.Constraint(need, need)
                row.SetCoefficient(short, 1)
                row.SetCoefficient(extra, -1)
                for v, coefficient in terms:
                    row.SetCoefficient(v, row.GetCoefficient(v) + coefficient)
                under.append(short)
                objective[short] = float(demand.under_weight)
                objective[extra] = float(demand.over_weight)
    # Each paid minute at the cheapest rate anyone is paid (interval_terms' pricing).
    rate = min((e.cost_per_hour or 1.0) for e in problem.employees) if problem.employees else 1.0
    paid_weight = float(max(problem.weights.paid_minute, 0)) * rate
    for (d, o), v in n.items():
        if paid_weight:
            objective[v] = options[d][o].paid_minutes * paid_weight
    whole = all(float(c).is_integer() for c in objective.values())

    def minimum(coefficients: dict[pywraplp.Variable, float]) -> float | None:
        goal = solver.Objective()
        goal.Clear()
        for variable, coefficient in coefficients.items():
            goal.SetCoefficient(variable, coefficient)
        goal.SetMinimization()
        solver.SetTimeLimit(max(1, int(seconds * 1000)))
        if solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        value = goal.Value() - TOLERANCE * max(1.0, abs(goal.Value()))
        return float(math.ceil(value)) if whole else value

    best = minimum(objective)
    short_at_least = minimum(dict.fromkeys(under, 1.0))
    if best is None or short_at_least is None:
        return None
    paid = None
    if under_at_most is not None:
        row = solver.Constraint(-infinity, under_at_most)
        for short in under:
            row.SetCoefficient(short, 1)
        least = minimum({v: float(options[d][o].paid_minutes) for (d, o), v in n.items()})
        paid = None if least is None else max(0, int(least))
    return LowerBounds(best, max(0, int(short_at_least)), 0, paid)
