"""Large interval-demand rosters in two stages, for when one model of every person, day and
shift would be too big: (A) how many of each shift to run each day, as one small CP-SAT
model over anonymous shifts with the team's weekly capacity; (B) who works each of them, day
by day, each shift to the person the rules allow who is best placed to take it.

Stage A's optimum is a lower bound on the paid time of any named roster, so a roster that
names every anonymous shift is optimal for paid time.
"""

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from scheduling.solver.cover import cover_shortfall
from scheduling.solver.model import Assignment, Employee, Problem
from scheduling.solver.options import ShiftOption, allowed, day_options
from scheduling.solver.search import SolveOptions, solver_for

PLAN_GAP = 1e-4
# A minute of the team's weekly minimums left unplanned costs this many paid minutes: a
# plan meets them where it can (naming must, and adds shifts where the plan has none).
MINIMUM_WEIGHT = 4


@dataclass(frozen=True)
class AnonymousPlan:
    counts: dict[tuple[int, int], int]  # (day, option index) -> shifts to run
    options: list[list[ShiftOption]]
    objective: float
    bound: float
    optimal: bool


def plan_anonymous(problem: Problem, *, seconds: float, settings: SolveOptions) -> AnonymousPlan:
    """Stage A: shift counts per day minimising paid time and weighted under/over cover.
    With weekly minimums, one week at a time from the LP optimum rounded and completed
    (every capacity limit is weekly, so weeks only meet where a shift covers the next
    week's intervals: what earlier weeks cover is taken off later weeks' demand); a quarter
    of the model four times was far quicker to a first plan than the whole (500 operators
    x 28 days x 3 queues, on a loaded machine, found none in 18 s). Without, one model of
    the whole horizon, as CP-SAT searches it best (roster-bench large_flex, 18 s at load 6:
    0.06 % above the optimum against 0.35 % week by week)."""
    options = [day_options(problem, d) for d in range(problem.days)]
    weeks = problem.weeks()
    if not planned_by_week(problem):
        everything = tuple(range(problem.days))
        whole = _plan_week(problem, everything, options, Counter(), seconds, settings, weeks)
        if whole[1] < float("inf"):
            return AnonymousPlan(whole[0], options, *whole[1:])
    counts: dict[tuple[int, int], int] = {}
    objective = bound = 0.0
    optimal = True
    covered: Counter[tuple[str, int]] = Counter()  # by the weeks planned so far
    began = time.perf_counter()
    for k, week in enumerate(weeks):
        share = max(seconds - (time.perf_counter() - began), 0.05) / (len(weeks) - k)
        if settings.deterministic:
            share = seconds / len(weeks)
        planned = _plan_week(problem, week, options, covered, share, settings)
        week_counts, week_objective, week_bound, week_optimal = planned
        counts.update(week_counts)
        objective += week_objective
        bound += week_bound
        optimal = optimal and week_optimal
        for (d, o), count in week_counts.items():
            queue = queue_of(problem, options[d][o])
            if queue is not None:
                for t in options[d][o].covered_intervals(problem.interval_minutes):
                    covered[(queue, t)] += count
    return AnonymousPlan(counts, options, objective, bound, optimal)


def planned_by_week(problem: Problem) -> bool:
    """Whether the plan goes week by week: with weekly minimums, or demand on several queues
    (500 operators x 28 days x 3 queues without minimums: the whole horizon's model took
    18.7 s of 30 without reaching its gap, load 2.7)."""
    return len(problem.interval_demand) > 1 or any(
        e.contract.min_minutes_per_week for e in problem.employees
    )


def _plan_week(
    problem: Problem,
    week: tuple[int, ...],
    options: list[list[ShiftOption]],
    covered: Counter[tuple[str, int]],
    seconds: float,
    settings: SolveOptions,
    whole: list[tuple[int, ...]] | None = None,
) -> tuple[dict[tuple[int, int], int], float, float, bool]:
    """One week's shift counts against its demand less what earlier weeks cover: (counts,
    objective, bound, optimal). The search starts from the LP optimum rounded, completed
    by greedy_week, which is the plan when CP-SAT finds nothing better in time. `whole`:
    the weeks of `week` when it is the whole horizon, searched from nothing (the objective
    is then infinite when no plan is found)."""
    model = cp_model.CpModel()
    staff = len(problem.employees)
    n: dict[tuple[int, int], cp_model.IntVar] = {}
    available_on: dict[int, int] = {}
    for d in week:
        available = available_on[d] = sum(
            1 for e in problem.employees if d not in e.unavailable_days
        )
        for o, option in enumerate(options[d]):
            if any(allowed(e, option, problem) for e in problem.employees):
                n[(d, o)] = model.new_int_var(0, available, f"n_{d}_{o}")
    shorts = _weekly_capacity(problem, model, n, options, whole or [week])
    objective: list[cp_model.LinearExprT] = [
        MINIMUM_WEIGHT * max(problem.weights.paid_minute, 1) * v for v in shorts
    ]
    covering: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (d, o), v in n.items():
        option = options[d][o]
        if problem.weights.paid_minute:
            objective.append(option.paid_minutes * problem.weights.paid_minute * v)
        queue = queue_of(problem, option)
        if queue is not None:
            for t in option.covered_intervals(problem.interval_minutes):
                covering[(queue, t)].append(v)
    periods = problem.periods_per_day
    for demand in problem.interval_demand:
        for d in week:
            if d >= len(demand.required):
                continue
            for p, need in enumerate(demand.required[d]):
                t = d * periods + p
                required = need - covered[(demand.queue, t)]
                cover = covering.get((demand.queue, t), [])
                if required <= 0 and not cover:
                    continue
                under, over = cover_shortfall(
                    model, cover, max(required, 0), f"{demand.queue}_{d}_{p}", most_over=staff
                )
                objective.append(demand.under_weight * under + demand.over_weight * over)
    model.minimize(sum(objective))
    start: dict[tuple[int, int], int] = {}
    if whole is None:
        lp = _lp_values(model, seconds)
        rounded = {key: round(lp[v.index]) for key, v in n.items() if round(lp[v.index]) > 0}
        within = _within(problem, week, options, rounded)
        start = greedy_week(problem, week, options, covered, within)
        for key, v in n.items():
            model.add_hint(v, start.get(key, 0))
    solver = solver_for(settings, seconds, settings.seed, full=True)
    # Paid minutes dominate the objective: within this share of the bound, the plan's
    # under-cover is within an agent-interval or two of the best (500 operators x 28 days:
    # 7 s instead of 13 s to the proven optimum).
    solver.parameters.relative_gap_limit = PLAN_GAP
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, float("inf"), float("-inf"), False
    counts = {key: int(solver.value(v)) for key, v in n.items() if solver.value(v)}
    optimal = status == cp_model.OPTIMAL
    return counts, solver.objective_value, solver.best_objective_bound, optimal


def _lp_values(model: cp_model.CpModel, seconds: float) -> list[float]:
    """The LP relaxation's optimum of a model of linear constraints (GLOP), by variable
    index; zeros when it is not solved in time."""
    proto = model.proto
    solver = pywraplp.Solver.CreateSolver("GLOP")
    variables = []
    for variable in proto.variables:
        domain = list(variable.domain)
        variables.append(solver.NumVar(domain[0], domain[-1], ""))
    for constraint in proto.constraints:
        domain = list(constraint.linear.domain)
        low = domain[0] if abs(domain[0]) < 2**60 else -solver.infinity()
        high = domain[-1] if abs(domain[-1]) < 2**60 else solver.infinity()
        row = solver.Constraint(low, high)
        for v, coefficient in zip(constraint.linear.vars, constraint.linear.coeffs, strict=True):
            row.SetCoefficient(variables[v], coefficient)
    objective = solver.Objective()
    for v, coefficient in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        objective.SetCoefficient(variables[v], coefficient)
    objective.SetMinimization()
    solver.SetTimeLimit(max(1, int(seconds * 1000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return [0.0] * len(variables)
    return [v.solution_value() for v in variables]


def _within(
    problem: Problem,
    week: tuple[int, ...],
    options: list[list[ShiftOption]],
    counts: dict[tuple[int, int], int],
) -> dict[tuple[int, int], int]:
    """The counts, less any shift that would pass a capacity limit (longest kept first)."""
    capacity = _Capacity.of(problem, week, options)
    kept: dict[tuple[int, int], int] = {}
    for (d, o), count in sorted(
        counts.items(), key=lambda kv: -options[kv[0][0]][kv[0][1]].paid_minutes
    ):
        for _ in range(count):
            if capacity.take(d, options[d][o]):
                kept[(d, o)] = kept.get((d, o), 0) + 1
    return kept


def greedy_week(
    problem: Problem,
    week: tuple[int, ...],
    options: list[list[ShiftOption]],
    covered: Counter[tuple[str, int]],
    start: dict[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], int]:
    """Shift counts for a week (from `start`'s, when given), day by day: the shift that
    gains most (under-cover it fills, less over-cover and pay) again and again while one
    gains anything. A plan in a fraction
    of a second, which CP-SAT starts from and improves (from no shifts, on a loaded machine,
    a week of 500 operators x 3 queues was still 60 times its optimum after 3 s)."""
    periods = problem.periods_per_day
    queues = [d.queue for d in problem.interval_demand]
    width = 2 * periods  # a shift may run into the next day
    counts: dict[tuple[int, int], int] = dict(start or {})
    placed: Counter[tuple[str, int]] = Counter(covered)
    paid_weight = problem.weights.paid_minute
    capacity = _Capacity.of(problem, week, options)
    for (d, o), count in counts.items():
        queue = queue_of(problem, options[d][o])
        for _ in range(count):
            capacity.take(d, options[d][o])
        for t in options[d][o].covered_intervals(problem.interval_minutes):
            if queue is not None:
                placed[(queue, t)] += count
    for d in week:
        rows = [
            (o, option) for o, option in enumerate(options[d])
            if queue_of(problem, option) in queues
            and any(allowed(e, option, problem) for e in problem.employees)
        ]  # fmt: skip
        if not rows:
            continue
        cover = np.zeros((len(rows), len(queues) * width))
        for r, (_, option) in enumerate(rows):
            q = queues.index(str(queue_of(problem, option)))
            for t in option.covered_intervals(problem.interval_minutes):
                if 0 <= t - d * periods < width:
                    cover[r, q * width + t - d * periods] = 1
        wanted = np.zeros(len(queues) * width)
        under = np.zeros(len(queues) * width)
        over = np.zeros(len(queues) * width)
        for q, demand in enumerate(problem.interval_demand):
            for day in (d, d + 1):
                if day >= len(demand.required):
                    continue
                for p, need in enumerate(demand.required[day]):
                    t = day * periods + p
                    column = q * width + t - d * periods
                    wanted[column] = need - placed[(demand.queue, t)]
            under[q * width : (q + 1) * width] = demand.under_weight
            over[q * width : (q + 1) * width] = demand.over_weight
        pay = np.array([option.paid_minutes * paid_weight for _, option in rows], dtype=float)
        open_rows = np.ones(len(rows), dtype=bool)
        chosen: list[int] = []
        length = np.maximum(cover.sum(axis=1), 1)
        for _ in range(len(problem.employees)):
            gains = cover @ np.where(wanted > 0, under, -over) - pay
            # The best gain per interval worked: the longest shift that gains most would
            # otherwise run on into intervals already covered.
            best = int(np.argmax(np.where(open_rows & (gains > 0), gains / length, -1.0)))
            if gains[best] <= 0 or not open_rows[best]:
                break
            if not capacity.take(d, rows[best][1]):
                open_rows[best] = False
                continue
            chosen.append(best)
            wanted -= cover[best]
        for r in reversed(chosen):  # shifts later ones made needless
            if (wanted[cover[r] > 0] < 0).all():
                wanted += cover[r]
                capacity.give_back(d, rows[r][1])
                continue
            key = (d, rows[r][0])
            counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass
class _Capacity:
    """What each group of queues can still work in a week (_weekly_capacity's limits)."""

    problem: Problem
    week: tuple[int, ...]
    groups: list[frozenset[str]]
    per_day: dict[tuple[frozenset[str], int], int] = field(default_factory=dict)
    shift_days: dict[frozenset[str], float] = field(default_factory=dict)
    minutes: dict[frozenset[str], float] = field(default_factory=dict)

    @classmethod
    def of(
        cls, problem: Problem, week: tuple[int, ...], options: list[list[ShiftOption]]
    ) -> "_Capacity":
        made = cls(problem, week, queue_groups(problem, options))
        for group in made.groups:
            able = [e for e in problem.employees if can_serve(e, group)]
            for d in week:
                made.per_day[(group, d)] = sum(1 for e in able if d not in e.unavailable_days)
            limits = [e.contract.max_days_per_week for e in able]
            made.shift_days[group] = (
                sum(min(int(limit or 0), len(week)) for limit in limits)
                if all(limit is not None for limit in limits)
                else math.inf
            )
            most = [e.contract.max_minutes_per_week for e in able]
            made.minutes[group] = (
                sum(int(m or 0) for m in most) if all(m is not None for m in most) else math.inf
            )
        return made

    def take(self, day: int, option: ShiftOption) -> bool:
        """Count the option against every group it belongs to; False (nothing counted)
        when one of them is full."""
        mine = [g for g in self.groups if g == ALL or option.queue in g]
        if any(
            self.per_day[(g, day)] < 1 or self.shift_days[g] < 1
            or self.minutes[g] < option.paid_minutes
            for g in mine
        ):  # fmt: skip
            return False
        self._count(day, option, mine, -1)
        return True

    def give_back(self, day: int, option: ShiftOption) -> None:
        self._count(day, option, [g for g in self.groups if g == ALL or option.queue in g], 1)

    def _count(
        self, day: int, option: ShiftOption, groups: list[frozenset[str]], sign: int
    ) -> None:
        for g in groups:
            self.per_day[(g, day)] += sign
            self.shift_days[g] += sign
            self.minutes[g] += sign * option.paid_minutes


def _weekly_capacity(
    problem: Problem,
    model: cp_model.CpModel,
    n: dict[tuple[int, int], cp_model.IntVar],
    options: list[list[ShiftOption]],
    weeks: list[tuple[int, ...]],
) -> list[cp_model.IntVar]:
    """What the team can work, and must: per group of queues (every group when there are at
    most four queues, else all of them together), each day no more shifts than the people
    skilled for one of its queues, each week no more shift-days and paid minutes than their
    contracts allow, and no fewer paid minutes than the weekly minimums of the people who
    can work nowhere else (a relaxation: each holds for any named roster). Returns the
    minutes short of those minimums (for the objective; naming adds what is missing)."""
    penalties: list[cp_model.IntVar] = []
    for group in queue_groups(problem, options):
        able = [e for e in problem.employees if can_serve(e, group)]
        bound = [e for e in problem.employees if bound_to(e, group)]
        keys = [key for key in n if options[key[0]][key[1]].queue in group or group == ALL]
        for d in sorted({d for d, _ in keys}):
            today = [n[key] for key in keys if key[0] == d]
            if today:
                model.add(sum(today) <= sum(1 for e in able if d not in e.unavailable_days))
        for week in weeks:
            days = set(week)
            in_week = [(key, n[key]) for key in keys if key[0] in days]
            if not in_week:
                continue
            limits = [e.contract.max_days_per_week for e in able]
            if all(limit is not None for limit in limits):
                shift_days = sum(min(int(limit or 0), len(week)) for limit in limits)
                model.add(sum(v for _, v in in_week) <= shift_days)
            paid = sum(options[d][o].paid_minutes * v for (d, o), v in in_week)
            minutes = [e.contract.max_minutes_per_week for e in able]
            if all(m is not None for m in minutes):
                model.add(paid <= sum(int(m or 0) for m in minutes))
            owed = sum(owed_minutes(e, week) for e in bound)
            if owed:  # soft: a plan of no shifts stays feasible, so one is found at once
                short = model.new_int_var(0, owed, f"short_{week[0]}_{'_'.join(sorted(group))}")
                model.add(paid + short >= owed)
                penalties.append(short)
    return penalties


ALL = frozenset({"*"})  # the group of every queue


def queue_groups(problem: Problem, options: list[list[ShiftOption]]) -> list[frozenset[str]]:
    queues = {o.queue for day in options for o in day}
    if None in queues or not 1 < len(queues) <= 4:
        return [ALL]
    named = sorted(q for q in queues if q is not None)
    return [ALL] + [
        frozenset(q for k, q in enumerate(named) if mask >> k & 1)
        for mask in range(1, 2 ** len(named) - 1)
    ]


def can_serve(employee: Employee, group: frozenset[str]) -> bool:
    return group == ALL or not employee.skills or bool(employee.skills & group)


def bound_to(employee: Employee, group: frozenset[str]) -> bool:
    """Whether every shift the employee may work is on a queue of the group."""
    return group == ALL or (bool(employee.skills) and employee.skills <= group)


def owed_minutes(employee: Employee, week: tuple[int, ...]) -> int:
    """The weekly minimum of the employee's contract for `week` (a partial week at the
    horizon's edge owes its share, as build.py and rules.py count it)."""
    minimum = employee.contract.min_minutes_per_week
    return minimum * len(week) // 7 if minimum else 0


@dataclass
class _Person:
    """What naming knows about an employee so far: their shift each day."""

    employee: Employee
    shifts: dict[int, ShiftOption] = field(default_factory=dict)
    week_minutes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    week_days: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    total_minutes: int = 0
    longest: int = 0  # the most paid minutes of one shift the person may work

    def take(self, problem: Problem, option: ShiftOption, sign: int = 1) -> None:
        week = _week_of(problem, option.day)
        if sign > 0:
            self.shifts[option.day] = option
        else:
            del self.shifts[option.day]
        self.week_days[week] += sign
        self.week_minutes[week] += sign * option.paid_minutes
        self.total_minutes += sign * option.paid_minutes

    def run_through(self, problem: Problem, day: int) -> int:
        """The days worked in a row if the person works `day` (carried days counted)."""
        before = 0
        d = day - 1
        while d >= 0 and d in self.shifts:
            before, d = before + 1, d - 1
        if d < 0:
            before += self.employee.carried.consecutive_days_worked
        after = 0
        d = day + 1
        while d < problem.days and d in self.shifts:
            after, d = after + 1, d + 1
        return before + 1 + after


def _week_of(problem: Problem, day: int) -> int:
    return (day + problem.first_weekday) // 7


def _can_take(problem: Problem, s: _Person, option: ShiftOption, instead: bool = False) -> bool:
    """Whether the person may work `option` on its day besides their other shifts (in place
    of their shift that day when `instead`)."""
    c = s.employee.contract
    d = option.day
    week = _week_of(problem, d)
    current = s.shifts.get(d)
    if current is not None and not instead:
        return False
    minutes = option.paid_minutes - (current.paid_minutes if current is not None else 0)
    rest = c.min_rest_minutes
    for gap in (1, 2):
        before, after = s.shifts.get(d - gap), s.shifts.get(d + gap)
        if before is not None and option.start_minute < before.end_minute + rest:
            return False
        if after is not None and after.start_minute < option.end_minute + rest:
            return False
    last_end = s.employee.carried.last_shift_end_minute
    if last_end is not None and option.start_minute < last_end + rest:
        return False
    if current is None:
        if c.max_days_per_week is not None and s.week_days[week] >= c.max_days_per_week:
            return False
        if c.max_consecutive_days is not None and (
            s.run_through(problem, d) > c.max_consecutive_days
        ):
            return False
    if (
        c.max_minutes_per_week is not None
        and s.week_minutes[week] + minutes > c.max_minutes_per_week
    ):
        return False
    return c.max_minutes_total is None or s.total_minutes + minutes <= c.max_minutes_total


def _must_work(problem: Problem, s: _Person, day: int, weeks: dict[int, tuple[int, ...]]) -> int:
    """Minutes of the person's weekly minimum that the days of the week after `day` cannot
    give (they must work `day` when above 0)."""
    week = _week_of(problem, day)
    owed = owed_minutes(s.employee, weeks[week]) - s.week_minutes[week]
    if owed <= 0:
        return owed
    return owed - _days_left(problem, s, day, weeks) * s.longest


def _days_left(problem: Problem, s: _Person, day: int, weeks: dict[int, tuple[int, ...]]) -> int:
    """Days of the week after `day` the person may still work (availability, days a week)."""
    week = _week_of(problem, day)
    later = sum(1 for d in weeks[week] if d > day and d not in s.employee.unavailable_days)
    c = s.employee.contract
    if c.max_days_per_week is not None:
        later = min(later, c.max_days_per_week - s.week_days[week] - (day in s.shifts))
    return max(later, 0)


def _day_preference(
    problem: Problem, s: _Person, day: int, weeks: dict[int, tuple[int, ...]]
) -> tuple[float, ...]:
    """Lower is better: whoever must work today to reach their weekly minimum, the least
    versatile (fewest queues), then the most of the week's paid minutes still free (long
    shifts late in the week need them), days spread evenly, short runs, cheapest."""
    week = _week_of(problem, day)
    c = s.employee.contract
    headroom = (
        c.max_minutes_per_week - s.week_minutes[week]
        if c.max_minutes_per_week is not None
        else 10**6
    )
    return (
        _must_work(problem, s, day, weeks) <= 0,
        len(s.employee.skills),
        s.week_days[week],
        -headroom,
        (day - 1) in s.shifts,
        s.employee.cost_per_hour,
        len(s.shifts),
    )


def _out_of_reach(
    problem: Problem, s: _Person, option: ShiftOption, weeks: dict[int, tuple[int, ...]]
) -> bool:
    """Whether working `option` would leave the person's weekly minimum out of reach."""
    week = _week_of(problem, option.day)
    owed = owed_minutes(s.employee, weeks[week]) - s.week_minutes[week] - option.paid_minutes
    return owed > 0 and owed > _days_left(problem, s, option.day, weeks) * s.longest


def name_shifts(
    problem: Problem, plan: AnonymousPlan, *, deadline: float
) -> tuple[list[Assignment], list[ShiftOption]]:
    """Stage B: give every planned shift to an employee, day by day (whoever must work to
    reach a weekly minimum first), then give the people still free that day the shift that
    covers most of what is left open (a planned shift nobody may take, say for the minutes
    left in their week, is often covered by a shorter one), then add or lengthen shifts of
    anyone still short of a weekly minimum; returns the assignments and the planned shifts
    nobody took."""
    people = [_Person(e) for e in problem.employees]
    weeks = {_week_of(problem, w[0]): w for w in problem.weeks()}
    every = [o for day in plan.options for o in day]
    longest: dict[tuple[object, ...], int] = {}
    for s in people:
        key = (s.employee.skills, s.employee.templates)
        if key not in longest:
            longest[key] = max(
                (o.paid_minutes for o in every if allowed(s.employee, o, problem)), default=0
            )
        s.longest = longest[key]
    cover = _OpenCover.of(problem, plan.options)
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
        order = sorted(
            (s for s in people if d not in s.employee.unavailable_days),
            key=lambda s: _day_preference(problem, s, d, weeks),
        )
        for option in todo:
            if time.perf_counter() > deadline:
                unplaced.append(option)
                continue
            pick = fallback = None
            for s in order:
                if not (allowed(s.employee, option, problem) and _can_take(problem, s, option)):
                    continue
                if _out_of_reach(problem, s, option, weeks):
                    fallback = fallback or s
                    continue
                pick = s
                break
            pick = pick or fallback
            if pick is None and _hand_over(problem, people, option, weeks):
                cover.count(option, 1)
                continue
            if pick is None:
                unplaced.append(option)
                continue
            pick.take(problem, option)
            cover.count(option, 1)
            order.remove(pick)
        if time.perf_counter() <= deadline:
            _fill_day(problem, d, order, cover)
    _meet_minimums(problem, people, weeks, cover, deadline)
    for d in range(problem.days):  # what lengthening shifts for a minimum left open
        if time.perf_counter() > deadline or not (cover.window(d) > 0).any():
            continue
        idle = [s for s in people if d not in s.shifts and d not in s.employee.unavailable_days]
        idle.sort(key=lambda s: _day_preference(problem, s, d, weeks))
        _fill_day(problem, d, idle, cover)
    assignments = [
        option.assign(s.employee.id) for s in people for _, option in sorted(s.shifts.items())
    ]
    return assignments, unplaced


@dataclass
class _OpenCover:
    """Agents still wanted per queue and interval as shifts are named (open[q, t]), and per
    day the table of its options: what each covers (over that day and the next, queue by
    queue), its pay, start and end."""

    problem: Problem
    open: np.ndarray
    options: list[list[ShiftOption]]
    cover: list[np.ndarray]
    paid: list[np.ndarray]
    starts: list[np.ndarray]
    ends: list[np.ndarray]
    allowed: dict[tuple[object, int], np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, problem: Problem, options: list[list[ShiftOption]]) -> "_OpenCover":
        periods = problem.periods_per_day
        queues = [d.queue for d in problem.interval_demand]
        wanted = np.zeros((len(queues), (problem.days + 2) * periods))
        for q, demand in enumerate(problem.interval_demand):
            for d, row in enumerate(demand.required[: problem.days]):
                wanted[q, d * periods : d * periods + len(row)] = row
        made = cls(problem, wanted, options, [], [], [], [])
        width = 2 * periods
        for d, day in enumerate(options):
            matrix = np.zeros((len(day), len(queues) * width))
            for r, option in enumerate(day):
                queue = queue_of(problem, option)
                if queue not in queues:
                    continue
                q = queues.index(str(queue))
                for t in option.covered_intervals(problem.interval_minutes):
                    if 0 <= t - d * periods < width:
                        matrix[r, q * width + t - d * periods] = 1
            made.cover.append(matrix)
            made.paid.append(np.array([o.paid_minutes for o in day], dtype=float))
            made.starts.append(np.array([o.start_minute for o in day], dtype=float))
            made.ends.append(np.array([o.end_minute for o in day], dtype=float))
        return made

    def window(self, day: int) -> np.ndarray:
        """Open agents over `day` and the next, queue after queue (the table's columns)."""
        periods = self.problem.periods_per_day
        return self.open[:, day * periods : (day + 2) * periods].reshape(-1)

    def count(self, option: ShiftOption, sign: int) -> None:
        """Count the option as worked (`sign` 1) or no longer worked (-1)."""
        queue = queue_of(self.problem, option)
        queues = [d.queue for d in self.problem.interval_demand]
        if queue not in queues:
            return
        q = queues.index(str(queue))
        for t in option.covered_intervals(self.problem.interval_minutes):
            if t < self.open.shape[1]:
                self.open[q, t] -= sign

    def covering(self, option: ShiftOption, level: int) -> int:
        """Intervals of the option where at least `level` agents are open."""
        queue = queue_of(self.problem, option)
        queues = [d.queue for d in self.problem.interval_demand]
        if queue not in queues:
            return 0
        q = queues.index(str(queue))
        return sum(
            1 for t in option.covered_intervals(self.problem.interval_minutes)
            if t < self.open.shape[1] and self.open[q, t] >= level
        )  # fmt: skip

    def allowed_on(self, s: _Person, day: int) -> np.ndarray:
        """Which of the day's options the person may work at all (options.allowed)."""
        e = s.employee
        plain = not (e.unavailable_spans or e.carried.last_shift_end_minute is not None)
        key: object = (e.skills, e.templates, day in e.unavailable_days) if plain else e.id
        made = self.allowed.get((key, day))
        if made is None:
            made = np.array([allowed(e, o, self.problem) for o in self.options[day]], dtype=bool)
            self.allowed[(key, day)] = made
        return made


# How many people _hand_over tries for a shift nobody could take (each with every day of
# their week): it runs for a few dozen shifts of a 500-operator month.
HAND_OVER_TRIES = 40


def _hand_over(
    problem: Problem, people: list[_Person], option: ShiftOption, weeks: dict[int, tuple[int, ...]]
) -> bool:
    """Place a shift nobody free may take: someone who may work it but has used up their
    week hands one of their other shifts that week to a person free that day, then takes
    it. True when done."""
    d = option.day
    week = weeks[_week_of(problem, d)]
    tried = 0
    for p in people:
        if d in p.shifts or not allowed(p.employee, option, problem):
            continue
        tried += 1
        if tried > HAND_OVER_TRIES:
            return False
        for other_day in week:
            given = p.shifts.get(other_day)
            if given is None or other_day == d:
                continue
            p.take(problem, given, -1)
            if _can_take(problem, p, option):
                for q in people:
                    if q is p or other_day in q.shifts:
                        continue
                    if allowed(q.employee, given, problem) and _can_take(problem, q, given):
                        q.take(problem, given)
                        p.take(problem, option)
                        return True
            p.take(problem, given)
    return False


def _fill_day(problem: Problem, day: int, idle: list[_Person], cover: _OpenCover) -> None:
    """Give each person free on `day` (in order) the shift that gains most against the cover
    still open (under-cover it fills, less over-cover and pay), while one gains anything."""
    options = cover.options[day]
    if not options or not idle:
        return
    periods = problem.periods_per_day
    under = np.repeat([float(d.under_weight) for d in problem.interval_demand], 2 * periods)
    over = np.repeat([float(d.over_weight) for d in problem.interval_demand], 2 * periods)
    pay = cover.paid[day] * problem.weights.paid_minute
    for s in idle:
        wanted = cover.window(day)
        if not (wanted > 0).any():
            return
        gains = cover.cover[day] @ np.where(wanted > 0, under, -over) - pay
        gains = np.where(cover.allowed_on(s, day), gains, -1.0)
        for r in np.argsort(-gains):
            if gains[r] <= 0:
                break
            option = options[int(r)]
            if _can_take(problem, s, option):
                s.take(problem, option)
                cover.count(option, 1)
                break


def short_of_minimums(problem: Problem, assignments: list[Assignment]) -> int:
    """How many employee-weeks fall short of their contract's weekly minimum."""
    worked: dict[tuple[str, int], int] = defaultdict(int)
    for a in assignments:
        worked[(a.employee, _week_of(problem, a.day))] += a.paid_minutes
    return sum(
        1
        for e in problem.employees
        for week in problem.weeks()
        if worked[(e.id, _week_of(problem, week[0]))] < owed_minutes(e, week)
    )


def _meet_minimums(
    problem: Problem,
    people: list[_Person],
    weeks: dict[int, tuple[int, ...]],
    cover: _OpenCover,
    deadline: float,
) -> None:
    """For each person short of a weekly minimum, the change that covers most of what is
    still open (a longer shift on a day worked, or a shift on a day off) until the minimum
    is met or nothing more is allowed."""
    for s in people:
        for week, days in weeks.items():
            while s.week_minutes[week] < owed_minutes(s.employee, days):
                if time.perf_counter() > deadline:
                    return
                change = _best_change(problem, s, days, cover)
                if change is None:
                    break
                current = s.shifts.get(change.day)
                if current is not None:
                    cover.count(current, -1)
                    s.take(problem, current, -1)
                s.take(problem, change)
                cover.count(change, 1)


def queue_of(problem: Problem, option: ShiftOption) -> str | None:
    if option.activity != "phone" or not problem.interval_demand:
        return None
    if len(problem.interval_demand) == 1 and option.queue is None:
        return problem.interval_demand[0].queue
    return option.queue


def _best_change(
    problem: Problem, s: _Person, days: tuple[int, ...], cover: _OpenCover
) -> ShiftOption | None:
    """The shift to add or to work instead that covers the most open agent-intervals
    (then the fewest paid minutes more), within every rule."""
    best: tuple[float, float] | None = None
    chosen = None
    c = s.employee.contract
    for d in days:
        current = s.shifts.get(d)
        paid = cover.paid[d]
        mask = cover.allowed_on(s, d).copy()
        if current is not None:
            mask &= paid > current.paid_minutes
        headroom = math.inf
        week = _week_of(problem, d)
        now = current.paid_minutes if current is not None else 0
        if c.max_minutes_per_week is not None:
            headroom = c.max_minutes_per_week - s.week_minutes[week] + now
        if c.max_minutes_total is not None:
            headroom = min(headroom, c.max_minutes_total - s.total_minutes + now)
        mask &= paid <= headroom
        for gap in (1, 2):
            before, after = s.shifts.get(d - gap), s.shifts.get(d + gap)
            if before is not None:
                mask &= cover.starts[d] >= before.end_minute + c.min_rest_minutes
            if after is not None:
                mask &= cover.ends[d] + c.min_rest_minutes <= after.start_minute
        if not mask.any():
            continue
        gains = cover.cover[d] @ (cover.window(d) > 0)
        for r in np.flatnonzero(mask):
            option = cover.options[d][int(r)]
            gain = float(gains[r])
            extra = float(paid[r])
            if current is not None:
                gain -= cover.covering(current, 0)
                extra -= current.paid_minutes
            score = (-gain, extra)
            if (best is None or score < best) and _can_take(
                problem, s, option, instead=current is not None
            ):
                best, chosen = score, option
    return chosen
