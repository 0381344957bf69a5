"""Solve a roster: a full CP-SAT solve for a first roster and a bound, then large-neighbourhood
search (re-solving some employees, some days, or the people and days around unmet demand with
everything else fixed) until the time limit; always the best roster found, never a bare
"infeasible".
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.solver.breaks import place_breaks
from scheduling.solver.build import RosterModel, build
from scheduling.solver.decompose import name_shifts, plan_anonymous
from scheduling.solver.diagnose import binding_rules
from scheduling.solver.model import Assignment, Problem, Solution, Status, UnmetInterval
from scheduling.solver.precheck import contradictions
from scheduling.solver.restrict import decomposes, restrict

ProgressCallback = Callable[[float, float, float], None]  # seconds, objective, bound
SMALL_MODEL = 2000  # person-day-shift choices


@dataclass(frozen=True)
class SolveOptions:
    time_limit_seconds: float = 30.0
    num_workers: int = 2
    seed: int = 0
    # Share of the time limit given to the first full solve; the rest goes to LNS. None:
    # 15 % for small models (up to SMALL_MODEL choices), where the solve can prove the
    # optimum, 5 % for larger ones, where LNS time is worth more than a weak bound.
    full_solve_share: float | None = None
    lns: bool = True
    lns_step_seconds: float = 1.0
    # Deterministic: sub-solves are bounded by deterministic time and the search runs a fixed
    # number of LNS steps, so the same seed gives the same roster on any machine.
    deterministic: bool = False
    lns_steps: int = 40
    # With few workers the default portfolio proves little; an LP-heavy pair proves small
    # rosters optimal (Curtois & Qu Instances 1-3 in seconds on two cores).
    full_solve_subsolvers: tuple[str, ...] = ("max_lp", "quick_restart")
    # After this many LNS steps without gain, CP-SAT's own portfolio (feasibility jump and its
    # LNS workers) searches the whole model from the incumbent for stall_portfolio_seconds.
    stall_steps: int = 8
    stall_portfolio_seconds: float = 3.0
    log: bool = False


def _parameters(
    options: SolveOptions, seconds: float, seed: int, *, full: bool = False
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = options.num_workers
    if full and options.num_workers <= 4 and options.full_solve_subsolvers:
        params.subsolvers.extend(options.full_solve_subsolvers[: options.num_workers])
    params.random_seed = seed
    params.log_search_progress = options.log
    if options.deterministic:
        params.max_deterministic_time = max(seconds, 0.05)
        params.interleave_search = True
    else:
        params.max_time_in_seconds = max(seconds, 0.05)
    return solver


class _Incumbent(cp_model.CpSolverSolutionCallback):
    """Keeps the values of the assignment variables of every improving solution."""

    def __init__(self, variables: list[cp_model.IntVar], on_improve: Callable[[], None]) -> None:
        super().__init__()
        self._variables = variables
        self._on_improve = on_improve
        self.values: list[int] | None = None
        self.objective = float("inf")

    def on_solution_callback(self) -> None:
        self.values = [int(self.value(v)) for v in self._variables]
        self.objective = self.objective_value
        self._on_improve()


@dataclass
class _Search:
    rm: RosterModel
    options: SolveOptions
    progress: ProgressCallback | None
    started: float
    variables: list[cp_model.IntVar]
    keys: list[tuple[int, int, int]]  # (employee, day, option) per variable
    key_index: dict[tuple[int, int, int], int]
    best_values: list[int] | None = None
    best_objective: float = float("inf")
    bound: float = float("-inf")
    history: list[tuple[float, float, float]] | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def record(self, values: list[int], objective: float) -> bool:
        if objective < self.best_objective - 1e-9:
            self.best_values, self.best_objective = values, objective
            point = (round(self.elapsed(), 3), objective, self.bound)
            (self.history if self.history is not None else []).append(point)
            if self.progress:
                self.progress(*point)
            return True
        if objective <= self.best_objective + 1e-9:
            self.best_values = values  # a sideways move keeps the search moving
        return False


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    progress: ProgressCallback | None = None,
) -> Solution:
    options = options or SolveOptions()
    started = time.perf_counter()
    found = contradictions(problem)
    if found:
        return Solution(Status.INFEASIBLE, (), 0.0, 0.0, {}, 0.0, contradictions=tuple(found))
    if _solved_in_stages(problem):
        return _solve_in_stages(problem, options, progress, started)
    rm = build(problem)
    keys, variables = [], []
    for e, per_day in enumerate(rm.x):
        for d, chosen in enumerate(per_day):
            for o, v in chosen.items():
                keys.append((e, d, o))
                variables.append(v)
    key_index = {key: i for i, key in enumerate(keys)}
    search = _Search(rm, options, progress, started, variables, keys, key_index, history=[])
    proven = _full_solve(search)
    if not proven and options.lns and search.best_values is not None:
        _lns(search)
    return _extract(search, proven)


def _solved_in_stages(problem: Problem) -> bool:
    """Pure interval demand (no headcount lines, requests or pins) is planned as anonymous
    shifts first, which is exact for paid time and cover, then named; anything else is one
    model."""
    return bool(problem.interval_demand) and not (
        problem.headcount_demand or problem.requests or problem.pins
    )


def _solve_in_stages(
    problem: Problem, options: SolveOptions, progress: ProgressCallback | None, started: float
) -> Solution:
    plan = plan_anonymous(
        problem,
        seconds=options.time_limit_seconds * 0.6,
        workers=options.num_workers,
        seed=options.seed,
    )
    if progress:
        progress(time.perf_counter() - started, plan.objective, plan.bound)
    deadline = started + options.time_limit_seconds
    assignments, _ = name_shifts(problem, plan, deadline=deadline)
    assignments = place_breaks(problem, assignments, deadline=deadline, workers=options.num_workers)
    terms, unmet = interval_terms(problem, assignments)
    objective = sum(terms.values())
    wall = time.perf_counter() - started
    if progress:
        progress(wall, objective, plan.bound)
    status = Status.OPTIMAL if plan.optimal and objective <= plan.bound + 1e-9 else Status.FEASIBLE
    return Solution(
        status=status,
        assignments=tuple(sorted(assignments, key=lambda a: (a.employee, a.day))),
        objective=objective,
        bound=plan.bound,
        terms=terms,
        wall_seconds=wall,
        unmet_intervals=tuple(unmet),
        binding_rules=binding_rules(problem, assignments, unmet_intervals=unmet),
        progress=((round(wall, 3), objective, plan.bound),),
    )


def interval_terms(
    problem: Problem, assignments: list[Assignment] | tuple[Assignment, ...]
) -> tuple[dict[str, float], list[UnmetInterval]]:
    """Paid, under-cover and over-cover terms of a roster against interval demand."""
    periods = problem.periods_per_day
    employees = {e.id: e for e in problem.employees}
    paid = 0.0
    cover: dict[tuple[str | None, int], int] = {}
    single = len(problem.interval_demand) == 1
    for a in assignments:
        rate = employees[a.employee].cost_per_hour or 1.0
        paid += round(a.paid_minutes * rate * max(problem.weights.paid_minute, 0))
        off = {
            t
            for b in a.breaks
            for t in range(
                b.start_minute // problem.interval_minutes,
                -(-(b.start_minute + b.length_minutes) // problem.interval_minutes),
            )
        }
        first = a.start_minute // problem.interval_minutes
        last = -(-a.end_minute // problem.interval_minutes)
        queue = problem.interval_demand[0].queue if single and a.queue is None else a.queue
        if a.activity != "phone":
            continue
        for t in range(first, last):
            if t not in off:
                cover[(queue, t)] = cover.get((queue, t), 0) + 1
    under = over = 0.0
    unmet: list[UnmetInterval] = []
    for demand in problem.interval_demand:
        for d, row in enumerate(demand.required):
            for p, required in enumerate(row):
                got = cover.get((demand.queue, d * periods + p), 0)
                if got < required:
                    under += demand.under_weight * (required - got)
                    unmet.append(UnmetInterval(demand.queue, d, p, required, got))
                elif got > required:
                    over += demand.over_weight * (got - required)
    terms = {"under_cover": under, "over_cover": over}
    if problem.weights.paid_minute:
        terms["paid"] = paid
    return terms, unmet


def _full_solve(search: _Search) -> bool:
    options = search.options
    share = options.full_solve_share
    if share is None:
        share = 0.15 if len(search.variables) <= SMALL_MODEL else 0.05
    seconds = options.time_limit_seconds * (1.0 if not options.lns else share)
    solver = _parameters(options, seconds, options.seed, full=True)
    callback = _Incumbent(search.variables, lambda: None)
    status = solver.solve(search.rm.model, callback)
    search.bound = (
        solver.best_objective_bound
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else float("-inf")
    )
    if callback.values is not None:
        search.record(callback.values, callback.objective)
    elif status != cp_model.INFEASIBLE:
        # No roster yet: the default portfolio (with its feasibility jump and LNS workers)
        # is better at a first one; stop at it and let LNS improve.
        remaining = options.time_limit_seconds - search.elapsed()
        solver = _parameters(options, remaining, options.seed)
        solver.parameters.stop_after_first_solution = options.lns
        callback = _Incumbent(search.variables, lambda: None)
        status = solver.solve(search.rm.model, callback)
        if callback.values is not None:
            search.record(callback.values, callback.objective)
    return bool(status == cp_model.OPTIMAL)


# --- Large-neighbourhood search ------------------------------------------------------------


def _neighbourhood(search: _Search, rng: random.Random, step: int, size: float) -> set[int]:
    """Indexes of the variables left free in this step, by turns: some employees over the
    whole horizon, everyone over a window of days, the people around a cover line the
    incumbent misses, and the people idle that day who could take it, over the whole horizon
    (so they can give up a shift elsewhere)."""
    kind = step % 5
    if kind == 0:
        return _free_employees(search, rng, size)
    if kind in (1, 4):  # windows over everyone made the largest gains: twice a round
        return _free_window(search, rng, size)
    if kind == 2:
        return _free_around_a_miss(search, rng, size) or _free_employees(search, rng, size)
    return _free_idle_for_a_miss(search, rng, size) or _free_window(search, rng, size)


def _employee_kind(search: _Search, rng: random.Random, kind: int, size: float) -> set[int]:
    """For the employee-subset kinds (0 and 3) on problems that decompose: whom to free."""
    if not decomposes(search.rm.problem) or kind not in (0, 3):
        return set()
    if kind == 0:
        return _pick_employees(search, rng, size)
    return _pick_idle_for_a_miss(search, rng, size)


def _pick_employees(search: _Search, rng: random.Random, size: float) -> set[int]:
    n_employees = len(search.rm.problem.employees)
    count = max(2, round(n_employees * size))
    return set(rng.sample(range(n_employees), min(count, n_employees)))


def _free_employees(search: _Search, rng: random.Random, size: float) -> set[int]:
    chosen = _pick_employees(search, rng, size)
    return {i for i, (e, _, _) in enumerate(search.keys) if e in chosen}


def _free_window(search: _Search, rng: random.Random, size: float) -> set[int]:
    n_days = search.rm.problem.days
    width = max(2, round(n_days * size))
    first = rng.randrange(0, max(1, n_days - width + 1))
    return {i for i, (_, d, _) in enumerate(search.keys) if first <= d < first + width}


def _misses(search: _Search) -> list[tuple[int, str | None, int]]:
    """(day, template or None for interval demand, weight) of every demand the incumbent
    misses, under or over."""
    p = search.rm.problem
    counts: dict[tuple[int, str], int] = {}
    for value, (_, d, o) in zip(search.best_values or [], search.keys, strict=True):
        if value:
            key = (d, search.rm.options[d][o].template)
            counts[key] = counts.get(key, 0) + 1
    misses: list[tuple[int, str | None, int]] = []
    for line in p.headcount_demand:
        got = counts.get((line.day, line.template), 0)
        if got < line.required:
            misses.append((line.day, line.template, line.under_weight))
        elif got > line.required and line.over_weight:
            misses.append((line.day, line.template, line.over_weight))
    if p.interval_demand:
        misses.extend((d, None, 1) for d in range(p.days))
    return misses


def _free_around_a_miss(search: _Search, rng: random.Random, size: float) -> set[int]:
    misses = _misses(search)
    if not misses:
        return set()
    day, template, _ = rng.choices(misses, weights=[m[2] for m in misses])[0]
    p = search.rm.problem
    window = range(max(0, day - 3), min(p.days, day + 4))
    # People who could take (or give up) that line: those with an option for it that day.
    able = sorted(
        {
            e
            for (e, d, o) in search.keys
            if d == day and (template is None or search.rm.options[d][o].template == template)
        }
    )
    count = max(2, round(len(p.employees) * size))
    chosen = set(rng.sample(able, min(count, len(able))))
    whole = set(rng.sample(sorted(chosen), min(2, len(chosen))))
    return {
        i for i, (e, d, _) in enumerate(search.keys) if (e in chosen and d in window) or e in whole
    }


def _pick_idle_for_a_miss(search: _Search, rng: random.Random, size: float) -> set[int]:
    """People idle on a day whose cover line is missed who could work it, and one who works
    that day (to hand a shift over)."""
    misses = _misses(search)
    if not misses:
        return set()
    day, template, _ = rng.choices(misses, weights=[m[2] for m in misses])[0]
    values = search.best_values or []
    working = {
        e for value, (e, d, _) in zip(values, search.keys, strict=True) if value and d == day
    }
    able = sorted(
        {
            e
            for (e, d, o) in search.keys
            if d == day and (template is None or search.rm.options[d][o].template == template)
        }
    )
    idle = [e for e in able if e not in working] or able
    count = max(2, round(len(search.rm.problem.employees) * size))
    chosen = set(rng.sample(idle, min(count, len(idle))))
    if working:
        chosen.add(rng.choice(sorted(working)))
    return chosen


def _free_idle_for_a_miss(search: _Search, rng: random.Random, size: float) -> set[int]:
    chosen = _pick_idle_for_a_miss(search, rng, size)
    return {i for i, (e, _, _) in enumerate(search.keys) if e in chosen}


def _fixed_copy(search: _Search, free: set[int]) -> cp_model.CpModel:
    """A copy of the model with every assignment variable outside `free` fixed to the
    incumbent's value, hinted with the whole incumbent."""
    values = search.best_values or []
    sub = search.rm.model.clone()
    variables = sub.proto.variables
    for i, (variable, value) in enumerate(zip(search.variables, values, strict=True)):
        if i not in free:
            domain = variables[variable.index].domain
            domain[0] = value
            domain[1] = value
    hint = sub.proto.solution_hint
    hint.vars.extend(v.index for v in search.variables)
    hint.values.extend(values)
    return sub


def _assignment(search: _Search, e: int, d: int, o: int) -> Assignment:
    return search.rm.options[d][o].assign(search.rm.problem.employees[e].id)


def _restricted_step(
    search: _Search, chosen: set[int], seconds: float, seed: int
) -> tuple[bool, bool]:
    """Re-solve the chosen employees' whole horizon as a problem of their own against what
    everyone else leaves uncovered. Returns (closed to optimality, improved)."""
    p = search.rm.problem
    values = search.best_values or []
    others = [
        _assignment(search, e, d, o)
        for value, (e, d, o) in zip(values, search.keys, strict=True)
        if value and e not in chosen
    ]
    order = sorted(chosen)
    sub = build(restrict(p, {p.employees[e].id for e in order}, others))
    variables, indexes, hint = [], [], []
    for se, e in enumerate(order):
        for d, per_day in enumerate(sub.x[se]):
            for o, variable in per_day.items():
                index = search.key_index[(e, d, o)]
                variables.append(variable)
                indexes.append(index)
                hint.append(values[index])
    for variable, value in zip(variables, hint, strict=True):
        sub.model.add_hint(variable, value)
    before = cp_model.CpSolver()
    before.parameters.fix_variables_to_their_hinted_value = True
    before.parameters.num_workers = 1
    if before.solve(sub.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, False
    solver = _parameters(search.options, seconds, seed, full=True)
    status = solver.solve(sub.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, False
    gain = before.objective_value - solver.objective_value
    if gain < -1e-9:
        return status == cp_model.OPTIMAL, False
    updated = list(values)
    for variable, index in zip(variables, indexes, strict=True):
        updated[index] = int(solver.value(variable))
    improved = search.record(updated, search.best_objective - gain)
    return status == cp_model.OPTIMAL, improved


def _portfolio_step(search: _Search, seconds: float, seed: int) -> None:
    """The whole model, hinted with the incumbent, under CP-SAT's default portfolio."""
    remaining = search.options.time_limit_seconds - search.elapsed()
    sub = _fixed_copy(search, set(range(len(search.variables))))
    solver = _parameters(search.options, min(seconds, max(remaining, 0.05)), seed)
    callback = _Incumbent(search.variables, lambda: None)
    solver.solve(sub, callback)
    if callback.values is not None:
        search.record(callback.values, callback.objective)


def _lns(search: _Search) -> None:
    options = search.options
    rng = random.Random(options.seed)
    sizes = [0.15, 0.15, 0.15, 0.1, 0.15]  # per neighbourhood kind, adapted as it goes
    step = stalled = 0
    while True:
        if options.deterministic:
            if step >= options.lns_steps:
                break
        elif search.elapsed() >= options.time_limit_seconds - 0.05:
            break
        remaining = options.time_limit_seconds - search.elapsed()
        seconds = (
            options.lns_step_seconds
            if options.deterministic
            else min(options.lns_step_seconds, max(remaining, 0.05))
        )
        kind = step % len(sizes)
        seed = options.seed + step + 1
        people = _employee_kind(search, rng, kind, sizes[kind])
        if people:
            closed, improved = _restricted_step(search, people, seconds, seed)
        else:
            free = _neighbourhood(search, rng, step, sizes[kind])
            sub = _fixed_copy(search, free)
            # The LP-heavy pair closes these sub-problems far more often than the default.
            solver = _parameters(options, seconds, seed, full=True)
            callback = _Incumbent(search.variables, lambda: None)
            closed = solver.solve(sub, callback) == cp_model.OPTIMAL
            improved = callback.values is not None and search.record(
                callback.values, callback.objective
            )
        # Grow a kind's neighbourhood while its steps close without gain; shrink it when
        # they run out of time.
        if closed and not improved:
            sizes[kind] = min(0.6, sizes[kind] * 1.2)
        elif not closed:
            sizes[kind] = max(0.04, sizes[kind] * 0.9)
        if search.best_objective <= search.bound + 1e-9:
            break
        stalled = 0 if improved else stalled + 1
        if stalled >= options.stall_steps and not options.deterministic:
            _portfolio_step(search, options.stall_portfolio_seconds, seed)
            stalled = 0
        step += 1


# --- Reading the solution ------------------------------------------------------------------


def _extract(search: _Search, proven: bool) -> Solution:
    rm = search.rm
    p = rm.problem
    wall = search.elapsed()
    if search.best_values is None:
        return Solution(Status.UNKNOWN, (), 0.0, search.bound, {}, wall)
    evaluation = _fixed_copy(search, set())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    solver.solve(evaluation)
    terms = {name: float(solver.value(rm.term(name))) for name in rm.terms}
    assignments = []
    for value, (e, d, o) in zip(search.best_values, search.keys, strict=True):
        if not value:
            continue
        assignments.append(_assignment(search, e, d, o))
    unmet_intervals: list[UnmetInterval] = []
    for (queue, d, period), variable in rm.interval_short.items():
        short = int(solver.value(variable))
        if short:
            demand = next(dem for dem in p.interval_demand if dem.queue == queue)
            need = demand.required[d][period]
            unmet_intervals.append(UnmetInterval(queue, d, period, need, need - short))
    unmet_headcount: list[tuple[int, str, int, int]] = []
    for (d, template), variable in rm.headcount_short.items():
        short = int(solver.value(variable))
        if short:
            line = next(h for h in p.headcount_demand if h.day == d and h.template == template)
            unmet_headcount.append((d, template, line.required, line.required - short))
    objective = search.best_objective
    if p.interval_demand:
        assignments = place_breaks(
            p, assignments, deadline=time.perf_counter() + 2.0, workers=search.options.num_workers
        )
        cover_terms, unmet = interval_terms(p, assignments)
        terms.update({k: v for k, v in cover_terms.items() if k != "paid"})
        unmet_intervals = list(unmet)
        objective = sum(terms.values())
    bound = max(search.bound, float("-inf"))
    status = Status.OPTIMAL if proven or objective <= bound + 1e-9 else Status.FEASIBLE
    return Solution(
        status=status,
        assignments=tuple(sorted(assignments, key=lambda a: (a.employee, a.day))),
        objective=objective,
        bound=bound,
        terms=terms,
        wall_seconds=wall,
        unmet_intervals=tuple(unmet_intervals),
        unmet_headcount=tuple(unmet_headcount),
        binding_rules=binding_rules(
            p, assignments, unmet_intervals=unmet_intervals, unmet_headcount=unmet_headcount
        ),
        progress=tuple(search.history or ()),
    )
