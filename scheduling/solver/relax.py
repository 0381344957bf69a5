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

from ortools.linear_solver import pywraplp

from scheduling.solver.build import RosterModel, build
from scheduling.solver.model import Employee, LowerBounds, Problem
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
        if i in skipped or not constraint.has_linear() or constraint.enforcement_literal:
            continue  # dropping a constraint keeps a relaxation (build writes none of these)
        linear = constraint.linear
        owners = {rm.owner.get(v) for v in linear.vars}
        only = next(iter(owners)) if len(owners) == 1 else None
        factor = sizes[only] if only is not None else 1
        low, high = _ends(linear.domain)
        row = solver.Constraint(side(low, factor), side(high, factor))
        for v, coefficient in zip(linear.vars, linear.coeffs, strict=True):
            row.SetCoefficient(variables[v], coefficient)
    return Relaxation(rm, solver, variables, seconds)


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


def bounds_for(
    problem: Problem, *, seconds: float, built: RosterModel | None = None
) -> tuple[Relaxation, LowerBounds | None]:
    """The problem's LP and its lower bounds (None when GLOP did not finish in time)."""
    lp = relaxation(problem, seconds=seconds, built=built)
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
