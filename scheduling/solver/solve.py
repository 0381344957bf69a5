"""Solve a roster: a full CP-SAT solve for a first roster and a bound, then large-neighbourhood
search (re-solving some employees, some days, or the people and days around unmet demand with
everything else fixed) until the time limit; always the best roster found, never a bare
"infeasible".
"""

import math
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.solver.break_handout import RuleCounts, hand_out
from scheduling.solver.breaks import place_breaks
from scheduling.solver.build import build
from scheduling.solver.construct import first_roster
from scheduling.solver.decompose import (
    name_shifts,
    plan_anonymous,
    planned_by_week,
    short_of_minimums,
)
from scheduling.solver.diagnose import binding_rules
from scheduling.solver.lns import improve
from scheduling.solver.model import (
    Assignment,
    Break,
    Contract,
    LowerBounds,
    Problem,
    Solution,
    Status,
    UnmetInterval,
)
from scheduling.solver.options import day_options
from scheduling.solver.precheck import contradictions
from scheduling.solver.relax import (
    LARGE_MODEL_LEFT_OUT,
    SEQUENCES,
    anonymous_bounds,
    bounds_for,
    with_paid_minutes,
)
from scheduling.solver.search import (
    LARGE_MODEL,
    SMALL_MODEL,
    ProgressCallback,
    Search,
    SolveOptions,
    assignment_of,
    evaluator,
    fixed_copy,
    lp_seconds,
    new_search,
    objective_of,
    solved_values,
    solver_for,
    work_of,
)
from scheduling.solver.solve_training import solve_training
from scheduling.solver.training import has_training


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
    if has_training(problem):  # issue 24: trainees, mentors and sessions (solve_training.py)
        return solve_training(problem, options, progress, solve)
    if _solved_in_stages(problem):
        staged = _solve_in_stages(problem, options, progress, started)
        if staged is not None:
            return staged
    # Interval demand: breaks placed by the model (as counts per shift option), so the search
    # sees the cover the roster will have. With breaks at their nominal place and re-placed
    # after, the demo's Amsterdam week searched a model 321 agent-intervals short for a roster
    # 207 short once placed, and never saw which shifts would do better with breaks moved.
    rm = build(problem, break_choices=bool(problem.interval_demand))
    search = new_search(rm, options, progress, started)
    search.phases["build"] = search.elapsed()
    with _bounding(search):
        with search.phase("first roster"):
            if options.lns and options.construct:
                first_roster(search, on_pass=lambda values: _record(search, values))
        search.construct_seconds = search.phases["first roster"]
        with search.phase("full solve"):
            proven = _full_solve(search)
        if not proven and options.lns and search.best_values is not None and not search.exhausted:
            with search.phase("lns"):
                improve(search)
    return _extract(search, proven)


@contextmanager
def _bounding(search: Search) -> Iterator[None]:
    """The LP bound (_bound_by_lp) worked out beside the block, in a thread of its own, and
    waited for at its end: GLOP lets go of Python's lock while it solves, so the solve runs
    on the core the first roster leaves (a generated 150 staff x 32 shift types x 28 days:
    11 s of LP, 7 of them in GLOP, out of a 60-s limit). In deterministic mode first, in
    this thread: when the bound arrives must not change what LNS does (it stops at the
    bound)."""
    if not search.options.lp_bound:
        yield
        return
    if search.options.deterministic:
        with search.phase("lp bound"):
            _bound_by_lp(search)
        yield
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        bounded = pool.submit(_timed_bound, search)
        yield
    bounded.result()


def _timed_bound(search: Search) -> None:
    with search.phase("lp bound"):
        _bound_by_lp(search)


def _record(search: Search, values: list[int]) -> None:
    """Take a complete roster of the first-roster passes (reported as it comes)."""
    objective = objective_of(search, values)
    if objective is not None:
        search.record(list(values), objective)


def _bound_by_lp(search: Search) -> None:
    """Lower bounds from the LP relaxation; the objective's is the search's bound when it is
    better (LNS stops at it). With interval demand, the model's own LP (breaks placed by
    counts per shift option) when the model is at most BOUND_LARGE_MODEL choices, else or
    when it does not finish in time the anonymous-shift LP's (relax.anonymous_bounds, a
    weaker relaxation of any size): on the demo's Amsterdam week the model's LP gives 157
    agent-intervals short at least in 1.5 s, the least any roster reaches (proven by CP-SAT),
    against the anonymous LP's 156; on New York 164 against 148."""
    problem = search.rm.problem
    large = len(search.variables) > BOUND_LARGE_MODEL
    if problem.interval_demand:
        anonymous = anonymous_bounds(problem, seconds=lp_seconds(search.options))
        if not large:
            lp, bounds = bounds_for(problem, seconds=lp_seconds(search.options), built=search.rm)
            if bounds is not None:
                search.relaxation = lp
                anonymous = _stronger(bounds, anonymous)
        search.lower_bounds = anonymous
        if anonymous is not None:
            search.raise_bound(anonymous.objective)
        return
    without = LARGE_MODEL_LEFT_OUT if large else SEQUENCES
    lp, bounds = bounds_for(
        problem, seconds=lp_seconds(search.options), built=search.rm, without=without
    )
    search.relaxation, search.lower_bounds = lp, bounds
    if bounds is not None:
        search.raise_bound(bounds.objective)


def _stronger(bounds: LowerBounds, other: LowerBounds | None) -> LowerBounds:
    """Each bound the greater of two valid ones."""
    if other is None:
        return bounds
    return LowerBounds(
        max(bounds.objective, other.objective),
        max(bounds.under_agent_intervals, other.under_agent_intervals),
        max(bounds.under_shifts, other.under_shifts),
    )


# Person-day-shift choices above which the LP leaves rest, runs and weekends out (relax.
# LARGE_MODEL_LEFT_OUT); Curtois & Qu 12 (15 600) keeps them.
BOUND_LARGE_MODEL = 20_000


def _final_bound(
    problem: Problem, solver_bound: float, bounds: LowerBounds | None, *, breaks_placed: bool
) -> float:
    """The roster's bound: the LP's, or CP-SAT's when it is better and valid (with interval
    demand only when the model placed the breaks: with breaks at their nominal place it
    holds for those places only, and they move after)."""
    lp = bounds.objective if bounds is not None else float("-inf")
    return lp if problem.interval_demand and not breaks_placed else max(lp, solver_bound)


def _solved_in_stages(problem: Problem) -> bool:
    """Pure interval demand (no headcount lines, requests or pins) is planned as anonymous
    shifts first, which is exact for paid time and cover, then named; anything else is one
    model. Weekly minimums are named too (whoever must work first, then shifts added or
    lengthened), but only where one model would be too large (STAGED_WITH_MINIMUMS): the
    model meets them exactly."""
    if not problem.interval_demand or problem.headcount_demand or problem.requests:
        return False
    if problem.pins or any(_has_minimums(e.contract) for e in problem.employees):
        return False
    weekly = any(e.contract.min_minutes_per_week for e in problem.employees)
    return not weekly or _choices_at_most(problem) > STAGED_WITH_MINIMUMS


# Person-day-shift choices above which weekly minimums are met by naming, not by one model:
# 500 operators x 28 days x 3 queues (1.4 million choices) built no roster in 400 s and
# 2.8 GB; the demo's sites (40 x 7) are far below.
STAGED_WITH_MINIMUMS = 200_000


def _choices_at_most(problem: Problem) -> int:
    """Person-day-shift choices, counting every option of a day for everyone."""
    return len(problem.employees) * sum(len(day_options(problem, d)) for d in range(problem.days))


def _has_minimums(contract: Contract) -> bool:
    """Minimums the naming stage cannot promise (it meets weekly ones only)."""
    return bool(
        contract.min_minutes_total
        or (contract.min_consecutive_days or 0) > 1
        or (contract.min_consecutive_days_off or 0) > 1
    )


# The anonymous plan's share of the time limit (it stops sooner at a 0.01 % gap), and with
# weekly minimums, planned week by week from the LP and mended by naming: 500 operators x
# 28 days x 3 queues left the first roster after 34 s of 30 with 0.6.
PLAN_SHARE = 0.6
PLAN_SHARE_WEEKLY = 0.2
# The breaks' share: per day a small model, stopped at its share of this.
BREAKS_SHARE = 0.15


def _solve_in_stages(
    problem: Problem, options: SolveOptions, progress: ProgressCallback | None, started: float
) -> Solution | None:
    """The staged roster, or None when naming left someone short of a weekly minimum (the
    one model then meets it)."""
    phases: dict[str, float] = {}
    share = PLAN_SHARE_WEEKLY if planned_by_week(problem) else PLAN_SHARE
    plan = plan_anonymous(problem, seconds=options.time_limit_seconds * share, settings=options)
    phases["anonymous plan"] = time.perf_counter() - started
    deadline = started + options.time_limit_seconds
    # Naming is a bounded greedy pass. In deterministic mode the clock does not cut it (a
    # busy machine would give another roster), nor where weekly minimums are owed: cut
    # short, someone would be left below theirs and the one model, far slower at this size,
    # would be built instead.
    owed = any(e.contract.min_minutes_per_week for e in problem.employees)
    naming_deadline = math.inf if options.deterministic or owed else deadline
    assignments, _ = name_shifts(problem, plan, deadline=naming_deadline)
    if short_of_minimums(problem, assignments):
        return None
    phases["naming"] = time.perf_counter() - started - phases["anonymous plan"]
    seconds = options.time_limit_seconds * BREAKS_SHARE
    if not options.deterministic:  # read as work in deterministic mode (place_breaks)
        seconds = min(seconds, deadline - time.perf_counter())
    assignments = place_breaks(problem, assignments, seconds=seconds, settings=options)
    phases["breaks"] = time.perf_counter() - started - sum(phases.values())
    terms, unmet = interval_terms(problem, assignments)
    objective = sum(terms.values())
    named = (round(time.perf_counter() - started, 3), objective, float("-inf"))
    if progress:  # the named roster, before its bound
        progress(*named)
    bounds = None
    if options.lp_bound and _choices_at_most(problem) > STAGED_WITH_MINIMUMS:
        # The model of every person would take longer to build than the roster did.
        under = sum(u.required - u.scheduled for u in unmet)
        bounds = anonymous_bounds(
            problem, seconds=max(lp_seconds(options), 10.0), under_at_most=under
        )
        phases["lp bound"] = time.perf_counter() - started - sum(phases.values())
    elif options.lp_bound:
        lp, bounds = bounds_for(problem, seconds=lp_seconds(options))
        under = sum(u.required - u.scheduled for u in unmet)
        bounds = with_paid_minutes(lp, bounds, under)
        phases["lp bound"] = time.perf_counter() - started - sum(phases.values())
    bound = _final_bound(problem, plan.bound, bounds, breaks_placed=False)
    wall = time.perf_counter() - started
    status = Status.OPTIMAL if objective <= bound + 1e-9 else Status.FEASIBLE
    return Solution(
        status=status,
        assignments=tuple(sorted(assignments, key=lambda a: (a.employee, a.day))),
        objective=objective,
        bound=bound,
        terms=terms,
        wall_seconds=wall,
        unmet_intervals=tuple(unmet),
        binding_rules=binding_rules(problem, assignments, unmet_intervals=unmet),
        progress=(named,),
        phase_seconds=phases,
        lower_bounds=bounds,
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


# In deterministic mode the full solve gets its share of this many idle-machine seconds.
DETERMINISTIC_LIMIT = 10.0


def _full_solve(search: Search) -> bool:
    options = search.options
    share = options.full_solve_share
    size = len(search.variables)
    if share is None:
        if size > LARGE_MODEL and options.lns and search.best_values is not None:
            return False
        share = 0.15 if size <= SMALL_MODEL else 0.05
    seconds = options.time_limit_seconds * (1.0 if not options.lns else share)
    if options.deterministic and options.lns:
        # Work fixed by the model's size, not by the limit: a longer limit then runs the
        # same search further, and what does not fit ends it (Search.fits).
        seconds = DETERMINISTIC_LIMIT * share
        if not search.fits(seconds):
            return False
    solver = solver_for(options, seconds, options.seed, full=True)
    model = search.rm.model
    if search.best_values is not None:  # a first roster: start from it
        model = model.clone()
        for variable, value in zip(search.variables, search.best_values, strict=True):
            model.add_hint(variable, value)
    status = solver.solve(model)
    search.work_done += work_of(solver)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        search.raise_bound(solver.best_objective_bound)
    values, objective = solved_values(solver, status, search.variables)
    search.note_solution(values, solver)
    if values is not None:
        search.record(values, objective)
    elif status != cp_model.INFEASIBLE and search.best_values is None:
        # No roster yet: the default portfolio (with its feasibility jump and LNS workers)
        # is better at a first one; stop at it and let LNS improve.
        remaining = options.time_limit_seconds - (
            search.work_done if options.deterministic else search.elapsed()
        )
        solver = solver_for(options, remaining, options.seed)
        solver.parameters.stop_after_first_solution = options.lns
        status = solver.solve(search.rm.model)
        values, objective = solved_values(solver, status, search.variables)
        if values is not None:
            search.record(values, objective)
    return bool(status == cp_model.OPTIMAL)


# --- Reading the solution ------------------------------------------------------------------


def _placed_breaks(
    search: Search, solver: cp_model.CpSolver, assignments: list[Assignment]
) -> tuple[list[Assignment], bool]:
    """The roster's shifts with their breaks where the model's counts put them (handed out
    among those on the same shift option so that no one takes two at once), then re-placed
    per day by breaks.place_breaks when that covers better (it starts from them and
    minimises the same under-cover, with over-cover as a tie-break); and whether the
    hand-out was exactly the model's counts (its cover the model's)."""
    rm, p = search.rm, search.rm.problem
    exact = True
    if rm.break_counts:
        assignments, exact = _breaks_from_counts(search, solver, assignments)
    placed = place_breaks(p, assignments, seconds=BREAKS_SECONDS, settings=search.options)
    if rm.break_counts:
        before, _ = interval_terms(p, assignments)
        after, _ = interval_terms(p, placed)
        if sum(after.values()) > sum(before.values()):
            return assignments, exact
    return placed, exact


# The last re-placing of breaks (place_breaks): wall-clock seconds, or in deterministic mode
# the work of as many on an idle machine.
BREAKS_SECONDS = 2.0


def _breaks_from_counts(
    search: Search, solver: cp_model.CpSolver, assignments: list[Assignment]
) -> tuple[list[Assignment], bool]:
    """Each option's breaks at the starts its counts give, handed out to the people on it
    with no two of anyone's at once (break_handout.hand_out); whether every option's
    hand-out was exactly its counts."""
    rm = search.rm
    takers: dict[tuple[int, int], list[int]] = {}
    for value, (e, d, o) in zip(search.best_values or [], search.keys, strict=True):
        if value:
            takers.setdefault((d, o), []).append(e)
    rules: dict[tuple[int, int], list[RuleCounts]] = defaultdict(list)
    for (d, o, _), (rule, counts) in sorted(rm.break_counts.items(), key=lambda item: item[0]):
        taken = [start for start, count in counts for _ in range(int(solver.value(count)))]
        allowed = tuple(start for start, _ in counts)
        rules[(d, o)].append(RuleCounts(rule, allowed, tuple(taken)))
    placed: dict[tuple[int, int], list[Break]] = {}  # (employee, day) -> its breaks
    exact = True
    for (d, o), people in takers.items():
        if not rules.get((d, o)):
            continue
        handed, whole = hand_out(people, rules[(d, o)])
        exact = exact and whole
        placed.update(((e, d), held) for e, held in handed.items())
    index = {employee.id: e for e, employee in enumerate(rm.problem.employees)}
    result = []
    for a in assignments:
        breaks = placed.get((index[a.employee], a.day))
        result.append(replace(a, breaks=tuple(breaks)) if breaks else a)
    return result, exact


def _extract(search: Search, proven: bool) -> Solution:
    rm = search.rm
    p = rm.problem
    wall = extract_began = search.elapsed()
    if search.best_values is None:
        return Solution(Status.UNKNOWN, (), 0.0, search.bound, {}, wall)
    solver = evaluator(search.options)
    solver.solve(fixed_copy(search, set()))
    terms = {name: float(solver.value(rm.term(name))) for name in rm.terms}
    assignments = []
    for value, (e, d, o) in zip(search.best_values, search.keys, strict=True):
        if not value:
            continue
        assignments.append(assignment_of(search, e, d, o))
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
        assignments, exact = _placed_breaks(search, solver, assignments)
        # Cover other than the model's (break_handout: rules whose breaks meet in a cycle):
        # its proof is not the roster's.
        proven = proven and exact
        cover_terms, unmet = interval_terms(p, assignments)
        terms.update({k: v for k, v in cover_terms.items() if k != "paid"})
        unmet_intervals = list(unmet)
        objective = sum(terms.values())
    bounds = search.lower_bounds
    under = sum(u.required - u.scheduled for u in unmet_intervals)
    if search.relaxation is not None:
        bounds = with_paid_minutes(search.relaxation, bounds, under)
    elif bounds is not None and p.interval_demand:
        paid = anonymous_bounds(p, seconds=lp_seconds(search.options), under_at_most=under)
        bounds = bounds if paid is None else replace(bounds, paid_minutes=paid.paid_minutes)
    bound = _final_bound(p, search.bound, bounds, breaks_placed=rm.break_choices)
    # With nominal breaks CP-SAT proved it for those places only.
    proven = proven and (rm.break_choices or not p.interval_demand)
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
        progress=tuple(search.history),
        phase_seconds={**search.phases, "extract": search.elapsed() - extract_began},
        lower_bounds=bounds,
    )
