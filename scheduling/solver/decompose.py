"""Large interval-demand rosters in two stages, for when one model of every person, day and
shift would be too big: (A) how many of each shift to run each day, as one small CP-SAT
model over anonymous shifts with the team's weekly capacity; (B) who works each of them, day
by day, each shift to the person the rules allow who is best placed to take it.

Stage A's optimum is a lower bound on the paid time of any named roster, so a roster that
names every anonymous shift is optimal for paid time.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.solver.cover import cover_shortfall
from scheduling.solver.model import Assignment, Employee, Problem
from scheduling.solver.options import ShiftOption, allowed, day_options
from scheduling.solver.search import SolveOptions, solver_for


@dataclass(frozen=True)
class AnonymousPlan:
    counts: dict[tuple[int, int], int]  # (day, option index) -> shifts to run
    options: list[list[ShiftOption]]
    objective: float
    bound: float
    optimal: bool


def plan_anonymous(problem: Problem, *, seconds: float, settings: SolveOptions) -> AnonymousPlan:
    """Stage A: shift counts per day minimising paid time and weighted under/over cover."""
    options = [day_options(problem, d) for d in range(problem.days)]
    model = cp_model.CpModel()
    staff = len(problem.employees)
    n: dict[tuple[int, int], cp_model.IntVar] = {}
    for d, day in enumerate(options):
        available = sum(1 for e in problem.employees if d not in e.unavailable_days)
        for o, option in enumerate(day):
            if any(allowed(e, option, problem) for e in problem.employees):
                n[(d, o)] = model.new_int_var(0, available, f"n_{d}_{o}")
        if n:
            model.add(sum(v for (dd, _), v in n.items() if dd == d) <= available)
    _weekly_capacity(problem, model, n, options)
    objective: list[cp_model.LinearExprT] = []
    covering: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    single_queue = len(problem.interval_demand) == 1
    for (d, o), v in n.items():
        option = options[d][o]
        if problem.weights.paid_minute:
            objective.append(option.paid_minutes * problem.weights.paid_minute * v)
        for demand in problem.interval_demand:
            if option.queue == demand.queue or (single_queue and option.queue is None):
                for t in option.covered_intervals(problem.interval_minutes):
                    covering[(demand.queue, t)].append(v)
    periods = problem.periods_per_day
    for demand in problem.interval_demand:
        for d, row in enumerate(demand.required):
            for p, required in enumerate(row):
                cover = covering.get((demand.queue, d * periods + p), [])
                if required <= 0 and not cover:
                    continue
                under, over = cover_shortfall(
                    model, cover, required, f"{demand.queue}_{d}_{p}", most_over=staff
                )
                objective.append(demand.under_weight * under + demand.over_weight * over)
    model.minimize(sum(objective))
    solver = solver_for(settings, seconds, settings.seed, full=True)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return AnonymousPlan({}, options, float("inf"), float("-inf"), False)
    counts = {key: int(solver.value(v)) for key, v in n.items() if solver.value(v)}
    return AnonymousPlan(
        counts,
        options,
        solver.objective_value,
        solver.best_objective_bound,
        status == cp_model.OPTIMAL,
    )


def _weekly_capacity(
    problem: Problem,
    model: cp_model.CpModel,
    n: dict[tuple[int, int], cp_model.IntVar],
    options: list[list[ShiftOption]],
) -> None:
    """The team cannot work more shift-days or paid minutes a week than its contracts allow."""
    for week in problem.weeks():
        days = set(week)
        in_week = [(key, v) for key, v in n.items() if key[0] in days]
        limits = [e.contract.max_days_per_week for e in problem.employees]
        if all(limit is not None for limit in limits):
            shift_days = sum(min(int(limit or 0), len(week)) for limit in limits)
            model.add(sum(v for _, v in in_week) <= shift_days)
        minutes = [e.contract.max_minutes_per_week for e in problem.employees]
        if all(m is not None for m in minutes):
            paid = sum(options[d][o].paid_minutes * v for (d, o), v in in_week)
            model.add(paid <= sum(int(m or 0) for m in minutes))


@dataclass
class _PersonState:
    """What naming needs to know about an employee so far."""

    employee: Employee
    last_end: int | None
    streak: int  # consecutive days worked up to the last day named
    last_day: int  # the last day they worked, -1 before the horizon
    week_days: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    week_minutes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    total_minutes: int = 0
    worked: int = 0


def _week_of(problem: Problem, day: int) -> int:
    return (day + problem.first_weekday) // 7


def _can_take(problem: Problem, s: _PersonState, option: ShiftOption) -> bool:
    c = s.employee.contract
    week = _week_of(problem, option.day)
    if s.last_end is not None and option.start_minute < s.last_end + c.min_rest_minutes:
        return False
    if c.max_days_per_week is not None and s.week_days[week] >= c.max_days_per_week:
        return False
    if (
        c.max_minutes_per_week is not None
        and s.week_minutes[week] + option.paid_minutes > c.max_minutes_per_week
    ):
        return False
    if (
        c.max_minutes_total is not None
        and s.total_minutes + option.paid_minutes > c.max_minutes_total
    ):
        return False
    streak = s.streak + 1 if s.last_day == option.day - 1 else 1
    return not (c.max_consecutive_days is not None and streak > c.max_consecutive_days)


def _preference(problem: Problem, s: _PersonState, option: ShiftOption) -> tuple[float, ...]:
    """Lower is better: spread days evenly over the week, keep runs short, cheapest first."""
    week = _week_of(problem, option.day)
    continuing = s.last_day == option.day - 1
    return (
        s.week_days[week],
        s.streak if continuing else 0,
        s.employee.cost_per_hour,
        s.worked,
    )


def name_shifts(
    problem: Problem, plan: AnonymousPlan, *, deadline: float
) -> tuple[list[Assignment], list[ShiftOption]]:
    """Stage B: give every planned shift to an employee, day by day; returns the assignments
    and the shifts nobody could take."""
    states = [
        _PersonState(
            employee=e,
            last_end=e.carried.last_shift_end_minute,
            streak=e.carried.consecutive_days_worked,
            last_day=-1 if e.carried.consecutive_days_worked else -2,
        )
        for e in problem.employees
    ]
    assignments: list[Assignment] = []
    unplaced: list[ShiftOption] = []
    for d in range(problem.days):
        todo = [
            plan.options[d][o]
            for (day, o), count in sorted(plan.counts.items())
            if day == d
            for _ in range(count)
        ]
        # Early starts first: they are the ones the rest rule makes scarce.
        todo.sort(key=lambda o: (o.start_minute, -o.length_minutes))
        free = [s for s in states if d not in s.employee.unavailable_days]
        taken: set[int] = set()
        for option in todo:
            if time.perf_counter() > deadline:
                unplaced.append(option)
                continue
            best = None
            for i, s in enumerate(free):
                if i in taken or not allowed(s.employee, option, problem):
                    continue
                if not _can_take(problem, s, option):
                    continue
                if best is None or _preference(problem, s, option) < _preference(
                    problem, free[best], option
                ):
                    best = i
            if best is None:
                unplaced.append(option)
                continue
            taken.add(best)
            _take(problem, free[best], option)
            assignments.append(option.assign(free[best].employee.id))
    return assignments, unplaced


def _take(problem: Problem, s: _PersonState, option: ShiftOption) -> None:
    week = _week_of(problem, option.day)
    s.streak = s.streak + 1 if s.last_day == option.day - 1 else 1
    s.last_day = option.day
    s.last_end = option.end_minute
    s.week_days[week] += 1
    s.week_minutes[week] += option.paid_minutes
    s.total_minutes += option.paid_minutes
    s.worked += 1
