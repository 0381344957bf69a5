"""Large-neighbourhood search: re-solve part of the roster with the rest fixed: some employees
over the whole horizon (as a problem of their own against what the others leave uncovered),
everyone over a window of days, the people around cover lines the incumbent misses, everyone
on the days of those misses, everyone's shifts (not their days off) over a window, some
people on every weekend, or the people who work one day of a weekend.
Deterministic (or one-worker) searches take the kinds by turns, one step at a time, and hand a
stalled search to CP-SAT's portfolio for a moment; otherwise num_workers steps run at once, one
worker each, with kinds drawn by recent gain per second, and a stalled search restarts from a
fresh first roster."""

import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum

from ortools.sat.python import cp_model

from scheduling.solver.construct import first_roster, restricted
from scheduling.solver.restrict import decomposes
from scheduling.solver.search import (
    Search,
    evaluator,
    fixed_copy,
    objective_of,
    solved_values,
    solver_for,
    work_of,
)


class Kind(Enum):
    """What an LNS step frees. The order is the turn order of one-at-a-time searches."""

    EMPLOYEES = "employees"  # some employees over the whole horizon
    WINDOW = "window"  # everyone over a window of days
    AROUND_A_MISS = "around a miss"  # the people around a cover line the incumbent misses
    # The people idle on a missed line's day who could take it, over the whole horizon (so
    # they can give up a shift elsewhere).
    IDLE_FOR_A_MISS = "idle for a miss"
    WINDOW_AT_A_MISS = "window at a miss"  # everyone over a window holding a missed line
    DAYS_OF_MISSES = "days of misses"  # everyone on days with misses (and the days beside)
    KEEP_DAYS = "keep days"  # a window whose days worked stay as they are
    WEEKENDS = "weekends"  # some people on every weekend
    HALF_WEEKENDS = "half weekends"  # who works one day of a weekend, whole horizon


KINDS = tuple(Kind)
# The kinds that free some employees over their whole horizon: on problems that decompose
# they are solved as a problem of their own (restricted), against what the others leave.
EMPLOYEE_KINDS = frozenset({Kind.EMPLOYEES, Kind.IDLE_FOR_A_MISS, Kind.HALF_WEEKENDS})
Sizes = dict[Kind, float]  # share of the roster each kind frees, adapted as the search goes
Pick = Callable[[Search, random.Random, float], set[int]]


def _neighbourhood(search: Search, rng: random.Random, kind: Kind, size: float) -> set[int]:
    """Indexes of the variables left free in this step (see Kind); a kind with nothing to
    aim at (no miss, no limited weekend) falls back to a window of days, or for the people
    around a miss to some employees."""
    pick, fallback = _PICKS[kind]
    return _thin(search, rng, kind, pick(search, rng, size) or fallback(search, rng, size))


def _thin(search: Search, rng: random.Random, kind: Kind, free: set[int]) -> set[int]:
    """A neighbourhood over everyone (a window of days, the days of misses) cut to some of
    the people when the kind's crowd (the share of the staff its steps may free: _crowd,
    _adapt) is below everyone."""
    staff = len(search.rm.problem.employees)
    crowd = _crowd(search, kind)
    if crowd >= 1.0:
        return free
    people = sorted({search.keys[i][0] for i in free})
    count = max(2, round(staff * crowd))
    if len(people) < staff or count >= len(people):
        return free  # already some people only
    chosen = set(rng.sample(people, count))
    return {i for i in free if search.keys[i][0] in chosen}


# Up to this share of the staff a step is solved as its people's own problem (restricted),
# beyond it on a copy of the whole model: building their problem costs in proportion to
# them, loading the copy in proportion to everyone (150 staff x 32 shift types x 28 days:
# 20 people over 4 days 0.7 s in all, 40 people 1.3 s, 80 people 2.4 s, everyone 5 s,
# against 1.8 s for the copy; on 120 x 18, steps over 95 people as their own problem left
# 60-s rosters of 705-854 against 638-707 on the copy).
OWN_PROBLEM_SHARE = 0.5


def _crowd(search: Search, kind: Kind) -> float:
    """The share of the staff a step of this kind over some days may free (adapted as the
    search goes: _adapt). At first everyone while a step over everyone needs at most
    CLOSING_STRETCH times the most work a step gets (the model's terms at
    TERMS_PER_STEP_SECOND), else the share that needs that much, when it is at most
    OWN_PROBLEM_SHARE (_initial_crowd)."""
    crowd = search.crowd.get(kind)
    if crowd is None:
        crowd = search.crowd[kind] = _initial_crowd(search)
    return crowd


# Generated instances, 28 days, 60 s, three runs each. 100 staff x 16 shift types needs 1.8
# times the most a step gets: there windows over everyone closed in 7 steps of 10 and made
# a third of the gains, and freeing 55 % of the staff from the start (a stretch of 1) left
# rosters of 451-490 against 378-446. 150 x 32 needs 7.7 times: there steps over everyone
# found no roster at all; starting at everyone and halving gave 1047-1060, a stretch of 1
# or 2 (20 or 39 people) 921-980 and 942-1030. 150 x 24 (4.8 times): 808-912 from everyone,
# 792-812 with a stretch of 1, 851-960 with 2.
CLOSING_STRETCH = 2.0


def _initial_crowd(search: Search) -> float:
    """Everyone, or the share a step's work goes through when that is few enough for steps
    to be their people's own problem (OWN_PROBLEM_SHARE): cutting a step over everyone
    to most of the staff saves little of its load."""
    needed = search.model_terms / TERMS_PER_STEP_SECOND
    crowd = CLOSING_STRETCH * MAX_STEP_SECONDS / max(needed, 1e-9)
    return crowd if crowd <= OWN_PROBLEM_SHARE else 1.0


def _pick_half_weekends(search: Search, rng: random.Random, size: float) -> set[int]:
    """Some of the people whose weekends are limited and who work one day of a weekend,
    and one other: a weekend half worked spends a whole weekend of their allowance for
    one shift, and making it whole means re-planning their runs around it, which only a
    re-solve of their whole horizon does (Curtois & Qu 12: 17-23 such weekends in rosters
    after 60 s, against 27 weekend lines that no roster can cover). Empty when there are
    none."""
    p = search.rm.problem
    weekends = p.weekends()
    worked: dict[int, set[int]] = {}
    for value, (e, d, _) in zip(search.best_values or [], search.keys, strict=True):
        if value:
            worked.setdefault(e, set()).add(d)
    halves = [
        e
        for e, employee in enumerate(p.employees)
        if p.weekends_limited(employee)
        and any(0 < len(worked.get(e, set()).intersection(w)) < len(w) for w in weekends)
    ]
    if not halves:
        return set()
    count = max(2, round(len(p.employees) * size))
    chosen = set(rng.sample(halves, min(count - 1, len(halves))))
    others = [e for e in range(len(p.employees)) if e not in chosen]
    if others:
        chosen.add(rng.choice(others))
    return chosen


def _free_weekends(search: Search, rng: random.Random, size: float) -> set[int]:
    """Some people on every weekend and the day either side, and over a random window:
    when a limit on weekends worked binds, who works which weekend is one decision across
    the whole horizon, which no window of days can change (Curtois & Qu 8: a roster that no
    12-day window or 10 people could improve gave up an uncovered shift to this). Twice
    `size` of the staff, at least two: everyone on Curtois & Qu 12 (9 000 variables) never
    closed in a step. Empty when no one's weekends are limited."""
    p = search.rm.problem
    weekends = p.weekends()
    if not any(p.weekends_limited(e) for e in p.employees):
        return set()
    n_employees = len(p.employees)
    share = min(2 * size, _crowd(search, Kind.WEEKENDS))
    count = min(n_employees, max(2, round(n_employees * share)))
    people = set(rng.sample(range(n_employees), count))
    days = {d + x for w in weekends for d in w for x in (-1, 0, 1) if 0 <= d + x < p.days}
    width = round(p.days * size / 2)
    if width:
        first = rng.randrange(0, max(1, p.days - width + 1))
        days.update(range(first, min(p.days, first + width)))
    return {i for i, (e, d, _) in enumerate(search.keys) if d in days and e in people}


def _keep_days_worked(
    search: Search, step: "Step", model: cp_model.CpModel, works: Callable[[int, int], object]
) -> None:
    """Pin, in the step's model, whether each employee works each day of the free window to
    the step's incumbent: only the shift worked may change, across everyone at once (scarce
    shift types go to the few who can work them, without moving anyone's days off).
    `works(e, d)`: the model's works variable of search employee e on day d."""
    worked: dict[tuple[int, int], int] = {}
    for i in step.free:
        e, d, _ = search.keys[i]
        worked[(e, d)] = max(worked.get((e, d), 0), step.values[i])
    variables = model.proto.variables
    for (e, d), value in worked.items():
        variable = works(e, d)
        if isinstance(variable, cp_model.IntVar):
            domain = variables[variable.index].domain
            domain[0] = value
            domain[1] = value


def _employee_kind(search: Search, rng: random.Random, kind: Kind, size: float) -> set[int]:
    """For the employee kinds on problems that decompose: whom to free (empty otherwise)."""
    if not decomposes(search.rm.problem) or kind not in EMPLOYEE_KINDS:
        return set()
    if kind == Kind.EMPLOYEES:
        return _pick_employees(search, rng, size)
    if kind == Kind.HALF_WEEKENDS:
        return _pick_half_weekends(search, rng, size)
    return _pick_idle_for_a_miss(search, rng, size)


def _pick_employees(search: Search, rng: random.Random, size: float) -> set[int]:
    n_employees = len(search.rm.problem.employees)
    count = max(2, round(n_employees * size))
    return set(rng.sample(range(n_employees), min(count, n_employees)))


def _whole_horizon(search: Search, chosen: set[int]) -> set[int]:
    """Indexes of every variable of the chosen employees."""
    return {i for i, (e, _, _) in enumerate(search.keys) if e in chosen}


def _free_employees(search: Search, rng: random.Random, size: float) -> set[int]:
    return _whole_horizon(search, _pick_employees(search, rng, size))


def _free_window(search: Search, rng: random.Random, size: float) -> set[int]:
    n_days = search.rm.problem.days
    width = max(2, round(n_days * size))
    first = rng.randrange(0, max(1, n_days - width + 1))
    return {i for i, (_, d, _) in enumerate(search.keys) if first <= d < first + width}


def _free_window_at_a_miss(search: Search, rng: random.Random, size: float) -> set[int]:
    """Everyone over a window of days holding a missed line (at a random place in it)."""
    misses = _misses(search)
    if not misses:
        return set()
    day, _, _ = rng.choices(misses, weights=[m[2] for m in misses])[0]
    n_days = search.rm.problem.days
    width = min(n_days, max(2, round(n_days * size)))
    first = min(max(0, day - rng.randrange(width)), n_days - width)
    return {i for i, (_, d, _) in enumerate(search.keys) if first <= d < first + width}


def _misses(search: Search) -> list[tuple[int, str | None, int]]:
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


def _free_days_of_misses(search: Search, rng: random.Random, size: float) -> set[int]:
    """Everyone on some of the days with a missed cover line and the days either side: the
    scattered days (often weekends) where a shortfall sits, re-planned together."""
    misses = _misses(search)
    if not misses:
        return set()
    n_days = search.rm.problem.days
    weights: dict[int, float] = {}
    for day, _, weight in misses:
        weights[day] = weights.get(day, 0.0) + weight
    candidates = sorted(weights)
    chosen: set[int] = set()
    budget = max(3, round(n_days * size))
    while candidates and len(chosen) < budget:
        day = rng.choices(candidates, weights=[weights[d] for d in candidates])[0]
        candidates.remove(day)
        chosen.update(d for d in (day - 1, day, day + 1) if 0 <= d < n_days)
    return {i for i, (_, d, _) in enumerate(search.keys) if d in chosen}


def _free_around_a_miss(search: Search, rng: random.Random, size: float) -> set[int]:
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
    count = max(2, round(len(p.employees) * min(size, _crowd(search, Kind.AROUND_A_MISS))))
    chosen = set(rng.sample(able, min(count, len(able))))
    whole = set(rng.sample(sorted(chosen), min(2, len(chosen))))
    return {
        i for i, (e, d, _) in enumerate(search.keys) if (e in chosen and d in window) or e in whole
    }


def _pick_idle_for_a_miss(search: Search, rng: random.Random, size: float) -> set[int]:
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


def _free_idle_for_a_miss(search: Search, rng: random.Random, size: float) -> set[int]:
    return _whole_horizon(search, _pick_idle_for_a_miss(search, rng, size))


def _free_half_weekends(search: Search, rng: random.Random, size: float) -> set[int]:
    return _whole_horizon(search, _pick_half_weekends(search, rng, size))


# Per kind: what it frees, and what instead when that is empty.
_PICKS: dict[Kind, tuple[Pick, Pick]] = {
    Kind.EMPLOYEES: (_free_employees, _free_window),
    Kind.WINDOW: (_free_window, _free_window),
    Kind.AROUND_A_MISS: (_free_around_a_miss, _free_employees),
    Kind.IDLE_FOR_A_MISS: (_free_idle_for_a_miss, _free_window),
    # Windows over everyone made the largest gains: one at a missed line.
    Kind.WINDOW_AT_A_MISS: (_free_window_at_a_miss, _free_window),
    Kind.DAYS_OF_MISSES: (_free_days_of_misses, _free_window),
    Kind.KEEP_DAYS: (_free_window, _free_window),
    Kind.WEEKENDS: (_free_weekends, _free_window),
    Kind.HALF_WEEKENDS: (_free_half_weekends, _free_window),
}


@dataclass(frozen=True)
class Step:
    """One LNS step, planned on the incumbent `values` (of `objective`): either some
    employees re-solved as a problem of their own (`people`: over their whole horizon, or
    only the variables in `free` when it is not empty), or the whole model with the
    variables outside `free` fixed."""

    kind: Kind
    values: list[int]
    objective: float
    people: frozenset[int]
    free: frozenset[int]
    seconds: float
    seed: int


@dataclass(frozen=True)
class Outcome:
    closed: bool  # the sub-problem was solved to optimality
    values: list[int] | None  # a roster no worse than the step's start, if one was found
    objective: float
    work: float = 0.0  # what the step did, in idle-machine seconds


def _plan(search: Search, rng: random.Random, kind: Kind, size: float, seed: int) -> Step:
    values = search.best_values or []
    people = _employee_kind(search, rng, kind, size)
    free: set[int] = set()
    if not people:
        free = _neighbourhood(search, rng, kind, size)
        staff = len(search.rm.problem.employees)
        owners = {search.keys[i][0] for i in free}
        if decomposes(search.rm.problem) and len(owners) <= staff * OWN_PROBLEM_SHARE:
            # Some people only: their problem of its own is a fraction of the model, which
            # a copy of the whole model costs to load.
            people = owners
    return Step(
        kind,
        values,
        search.best_objective,
        frozenset(people),
        frozenset(free),
        _step_seconds(search, kind),
        seed,
    )


def _run(search: Search, step: Step, workers: int) -> Outcome:
    """Solve the step's sub-problem; reads the search, never changes it (runs in a thread)."""
    if step.people:
        return _restricted_step(search, step, workers)
    began = time.perf_counter()
    sub = fixed_copy(search, set(step.free), step.values)
    if step.kind == Kind.KEEP_DAYS:
        _keep_days_worked(search, step, sub, lambda e, d: search.rm.works[e][d])
    search.note_setup(0, time.perf_counter() - began)
    # The LP-heavy pair closes these sub-problems far more often than the default.
    solver = _step_solver(search, step, workers)
    status = solver.solve(sub)
    values, objective = solved_values(solver, status, search.variables)
    search.note_solution(values, solver)
    return Outcome(status == cp_model.OPTIMAL, values, objective, work_of(solver))


def _in_time(search: Search, step: Step) -> bool:
    """Whether the step's setup (its people's problem built, or the model copied) would end
    before the time left, at what setups took so far: a step started a second before the
    limit on 60 staff x 182 days built its part for 1.8 s past it. Always True in
    deterministic mode (its steps are bounded by work, not the clock)."""
    if search.options.deterministic:
        return True
    if step.people:
        setup = search.part_seconds_per_person * len(step.people)
    else:
        setup = search.copy_seconds
    return setup < search.left()


def _step_solver(search: Search, step: Step, workers: int) -> cp_model.CpSolver:
    """A solver for the step's work (idle-machine seconds), stopped at the time limit."""
    remaining = search.left()
    return solver_for(
        search.options, remaining, step.seed, full=True, workers=workers, work=step.seconds
    )


def _restricted_step(search: Search, step: Step, workers: int) -> Outcome:
    """Re-solve the chosen employees (their whole horizon, or the step's free variables) as
    a problem of their own against what everyone else leaves uncovered."""
    values = step.values
    began = time.perf_counter()
    part = restricted(search, set(step.people), values)
    sub, variables, indexes = part.rm, part.variables, part.indexes
    fixed = []
    for variable, index in zip(variables, indexes, strict=True):
        sub.model.add_hint(variable, values[index])
        if step.free and index not in step.free:
            fixed.append(variable.index if values[index] else -variable.index - 1)
    if fixed:
        sub.model.proto.constraints.add().bool_and.literals.extend(fixed)
    if step.kind == Kind.KEEP_DAYS and step.free:
        position = {e: k for k, e in enumerate(sorted(step.people))}
        _keep_days_worked(search, step, sub.model, lambda e, d: sub.works[position[e]][d])
    before = evaluator(search.options)
    before.parameters.fix_variables_to_their_hinted_value = True
    hinted = before.solve(sub.model)
    search.note_setup(len(step.people), time.perf_counter() - began)
    if hinted not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(False, None, float("inf"))
    solver = _step_solver(search, step, workers)
    status = solver.solve(sub.model)
    work = work_of(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(False, None, float("inf"), work)
    closed = status == cp_model.OPTIMAL
    gain = before.objective_value - solver.objective_value
    if gain < -1e-9:
        return Outcome(closed, None, float("inf"), work)
    updated = list(values)
    for variable, index in zip(variables, indexes, strict=True):
        updated[index] = int(solver.value(variable))
    if search.rm.break_counts:
        # The part counts the others' cover with breaks at their nominal place, the model
        # with breaks placed: its gain is not the roster's, so score the roster itself.
        objective = objective_of(search, updated)
        if objective is None or objective > step.objective + 1e-9:
            return Outcome(closed, None, float("inf"), work)
        return Outcome(closed, updated, objective, work)
    return Outcome(closed, updated, step.objective - gain, work)


def _accept(search: Search, step: Step, outcome: Outcome) -> bool:
    """Record the outcome; when the incumbent moved on while the step ran, its changes are
    carried over to the new incumbent and the result re-scored. Returns whether it improved."""
    if outcome.values is None:
        return False
    if search.best_values is step.values:
        return search.record(outcome.values, outcome.objective)
    if outcome.objective >= step.objective - 1e-9 or search.best_values is None:
        return False  # only gains are worth re-scoring
    merged = list(search.best_values)
    changed = False
    for i, (was, now) in enumerate(zip(step.values, outcome.values, strict=True)):
        if was != now and merged[i] != now:
            merged[i] = now
            changed = True
    if not changed:
        return False
    objective = objective_of(search, merged)
    return objective is not None and search.record(merged, objective)


def _portfolio_step(search: Search, seconds: float, seed: int) -> None:
    """The whole model, hinted with the incumbent, under CP-SAT's default portfolio."""
    remaining = search.left()
    sub = fixed_copy(search, set(range(len(search.variables))))
    solver = solver_for(search.options, min(seconds, max(remaining, 0.05)), seed)
    values, objective = solved_values(solver, solver.solve(sub), search.variables)
    search.note_solution(values, solver)
    if values is not None:
        search.record(values, objective)


# Half-weekend steps stay at least this large and run twice as long as the others: on a
# Curtois & Qu 12 roster stalled at 4343 (17 half weekends), steps of 4 people found 2 small
# gains in 15; of 12 people with 5 s, 5 gains in 6 (one a covered line), though only one
# closed, which would otherwise shrink them. At most nine people (Curtois & Qu 12's 15 %): on
# 150 staff x 32 shift types, 22 people's whole horizons never reached their hint.
HALF_WEEKENDS_MIN_SIZE = 0.15
HALF_WEEKENDS_MIN_PEOPLE = 9


def _floor(search: Search, kind: Kind) -> float:
    """The least share of the roster a kind's steps free (_adapt)."""
    if kind != Kind.HALF_WEEKENDS:
        return 0.04
    staff = max(len(search.rm.problem.employees), 1)
    return min(HALF_WEEKENDS_MIN_SIZE, HALF_WEEKENDS_MIN_PEOPLE / staff)


def _adapt(
    search: Search,
    sizes: Sizes,
    kind: Kind,
    outcome: Outcome,
    improved: bool,
    restricted: bool = False,
) -> None:
    """Grow a kind's neighbourhood while its steps close without gain; shrink it when they
    run out of time.
    - On models too large for a step over everyone (_initial_crowd), the same for the
      kind's crowd (the share of the staff its steps over some days free: _thin), which is
      halved when such a step found no roster at all, not even its hint.
    - A step that found no roster at all, not even its hint, while its kind can still get
      smaller was too large for its work: its size is halved. When it was a copy of the
      whole model (neither `restricted`, some people's problem of its own, nor crowded),
      its kind's steps get twice as long as well. A generated 100 staff x 16 shift types x
      28 days at 60 s: "days of misses" and "keep days" steps freeing everyone on 10-21
      days reached no roster with 3 s of work, nor with 12 once stretched; halving them
      as well left rosters of 276-325 against 338-396, and Curtois & Qu 12 4136-4243
      against 4204-4331; halving without the stretch left 12 at 4146-4568 against
      4114-4334 (three seeds each, bench/engine_ab.py).
    - Otherwise a step that runs out of time with nothing gained when it cannot get smaller
      (or with no roster at all) had too little work for this model: the kind's steps get
      twice as long, up to MAX_STRETCH times (search.stretch)."""
    staff = len(search.rm.problem.employees)
    # Only on models too large for a step over everyone: on the others (Curtois & Qu 1-12,
    # the demo's site weeks) a step short of work gets more of it (the stretch below).
    crowded = kind not in EMPLOYEE_KINDS and _initial_crowd(search) < 1.0
    crowd = _crowd(search, kind)
    if outcome.closed and not improved:
        sizes[kind] = min(0.6, sizes[kind] * 1.2)
        if crowded:
            search.crowd[kind] = min(1.0, crowd * 1.2)
        return
    if outcome.closed:
        return
    smallest = _smallest(search, kind, sizes[kind])
    lost = outcome.values is None and (
        (crowded and staff * crowd / 2 >= 2) or (not smallest and (restricted or not crowded))
    )
    if lost and crowded:
        search.crowd[kind] = max(2 / max(staff, 1), crowd / 2)  # two people at the least
    sizes[kind] = max(_floor(search, kind), sizes[kind] * (0.5 if lost and not crowded else 0.9))
    starved = (not lost or not (restricted or crowded)) and (
        outcome.values is None or (not improved and smallest)
    )
    if starved and outcome.work > 0:
        search.stretch[kind] = min(MAX_STRETCH, 2 * search.stretch.get(kind, 1.0))


def _smallest(search: Search, kind: Kind, size: float) -> bool:
    """Whether the kind's neighbourhood is as small as it gets at this size: windows are two
    days at the least, employee subsets two people."""
    p = search.rm.problem
    if kind in (Kind.WINDOW, Kind.WINDOW_AT_A_MISS, Kind.KEEP_DAYS):
        return round(p.days * size * 0.9) <= 2
    if kind in (Kind.EMPLOYEES, Kind.AROUND_A_MISS, Kind.IDLE_FOR_A_MISS):
        return round(len(p.employees) * size * 0.9) <= 2
    return False


# How many times its usual work a kind's step may get (_adapt). Amsterdam's week with breaks
# placed by the model: a step freeing two days of everyone (the least a window frees) took
# 0.3 of CP-SAT's deterministic time to presolve and reach its hint, the 0.3 it had, and
# gained 15 agent-intervals with 1.0.
MAX_STRETCH = 4.0


def _initial_sizes(search: Search) -> Sizes:
    """Share of the roster each kind frees at first. Whole-horizon employee subsets start at
    about four people: of sixty (Curtois & Qu 12), nine rarely close within a step."""
    people = min(0.15, 4 / max(len(search.rm.problem.employees), 1))
    return {
        Kind.EMPLOYEES: people,
        Kind.WINDOW: 0.15,
        Kind.AROUND_A_MISS: 0.15,
        Kind.IDLE_FOR_A_MISS: min(0.1, people),
        Kind.WINDOW_AT_A_MISS: 0.15,
        Kind.DAYS_OF_MISSES: 0.25,
        Kind.KEEP_DAYS: 0.5,
        Kind.WEEKENDS: 0.3,
        Kind.HALF_WEEKENDS: max(people, _floor(search, Kind.HALF_WEEKENDS)),
    }


# Terms of the model's linear constraints (what a step's presolve and LP go through) per
# second of a step's work: Curtois & Qu 12 (150 800 terms) gets 2 s as it did by its 15 600
# choices, 1-8 (at most 31 000) 1 s; the demo's Amsterdam week (8 200 choices, but 225 000
# terms with its cover per quarter hour and break counts) 3 s, where 1 s found no roster.
TERMS_PER_STEP_SECOND = 75_000
MAX_STEP_SECONDS = 3.0  # the most work a step gets before any stretch (idle-machine seconds)


def _step_seconds(search: Search, kind: Kind | None = None) -> float:
    options = search.options
    seconds = options.lns_step_seconds
    if seconds is None:  # larger models need longer steps to close a neighbourhood
        seconds = min(MAX_STEP_SECONDS, max(1.0, search.model_terms / TERMS_PER_STEP_SECOND))
    if kind == Kind.HALF_WEEKENDS:
        seconds *= 2
    if kind is not None:
        seconds *= search.stretch.get(kind, 1.0)
    if options.deterministic:
        return seconds
    # The work that fits in the time left at the pace measured so far: the last steps
    # still close instead of being cut off by the limit.
    return min(seconds, max(search.left() * search.pace(), 0.05))


def improve(search: Search) -> None:
    options = search.options
    threads = options.num_workers if options.parallel_lns and not options.deterministic else 1
    if threads > 1:
        _improve_in_parallel(search, threads)
        return
    rng = random.Random(options.seed)
    sizes = _initial_sizes(search)  # per neighbourhood kind, adapted as it goes
    step = stalled = 0
    while options.lns_steps is None or step < options.lns_steps:
        if not options.deterministic and search.left() <= 0.05:
            break
        kind = KINDS[step % len(KINDS)]
        planned = _plan(search, rng, kind, sizes[kind], options.seed + step + 1)
        if not search.fits(planned.seconds) or not _in_time(search, planned):
            break  # the step would pass the limit (in deterministic mode, read as work)
        began = search.elapsed()
        outcome = _run(search, planned, options.num_workers)
        search.count_work(outcome.work, search.elapsed() - began)
        improved = _accept(search, planned, outcome)
        _adapt(search, sizes, kind, outcome, improved, bool(planned.people))
        if search.best_objective <= search.bound + 1e-9:
            break
        stalled = 0 if improved else stalled + 1
        if stalled >= options.stall_steps and not options.deterministic:
            _portfolio_step(search, options.stall_portfolio_seconds, planned.seed)
            stalled = 0
        step += 1


def _improve_in_parallel(search: Search, threads: int) -> None:
    """`threads` steps at a time, one CP-SAT worker each (the LP-heavy one): on two cores
    two LNS steps find more than one step with two workers. Steps are planned and their
    results recorded here, in the calling thread, so progress reports come from it. Kinds
    are drawn in proportion to what they recently gained per second (adaptive LNS). No
    portfolio hand-off here: after 20 stalled steps, 3-second ones gained 2 in 6 calls on
    Curtois & Qu 5 and 0 in 1 on 10."""
    options = search.options
    rng = random.Random(options.seed)
    sizes = _initial_sizes(search)
    rates = Rates(KINDS)
    step = restarts = 0
    last_gain = search.elapsed()
    trajectory = Trajectory(0.0, [(t, objective) for t, objective, _ in search.history])
    can_restart = decomposes(search.rm.problem)
    running: dict[Future[Outcome], tuple[Step, float]] = {}
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while True:
            # A search that has not tried every kind has not stalled: on large rosters their
            # first turns can take longer than the stall (a generated 150 x 24 x 28 at 60 s
            # restarted at 28 s, spent 7 s on a new first roster, and passed its old best
            # only at 42 s).
            restart = (
                can_restart
                and rates.all_tried()
                and _restart_due(search, last_gain, trajectory.settled())
            )
            while not restart and len(running) < threads and search.left() > 0.05:
                kind = rates.draw(rng)
                planned = _plan(search, rng, kind, sizes[kind], options.seed + step + 1)
                step += 1
                if not _in_time(search, planned):
                    break  # no other step starts before one running ends
                running[pool.submit(_run, search, planned, 1)] = (planned, search.elapsed())
            if restart and not running:
                restarts += 1
                can_restart = _restart(search, options.seed + 1000 * restarts)
                sizes = _initial_sizes(search)
                last_gain = search.elapsed()
                trajectory = Trajectory(last_gain, [(last_gain, search.best_objective)])
                continue
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                planned, began = running.pop(future)
                outcome = future.result()
                search.count_work(outcome.work, search.elapsed() - began)
                before = search.best_objective
                improved = _accept(search, planned, outcome)
                _adapt(search, sizes, planned.kind, outcome, improved, bool(planned.people))
                rates.update(planned.kind, before - search.best_objective, search.elapsed() - began)
                if search.best_objective < before:
                    trajectory.points.append((search.elapsed(), search.best_objective))
                if before - search.best_objective >= 0.005 * abs(before):
                    last_gain = search.elapsed()  # a gain that counts
            if search.best_objective <= search.bound + 1e-9:
                break  # leaving the pool waits for the steps still running
    search.settle()


def _restart_due(search: Search, last_gain: float, settled: float) -> bool:
    """Whether the search has gained less than 0.5 % a step for a sixth of the time limit
    (10 s at least), with as long again left after building a first roster and twice as
    long left as the current trajectory took to settle (`settled`: Trajectory.settled).
    Small rosters settle in seconds, sometimes one uncovered shift above the best (Curtois
    & Qu 5: 1233-1246 in four runs of six, 1143-1153 in the others), and a fresh first
    roster is another draw; a large one still gaining at half time is not caught up by a
    fresh start (Curtois & Qu 12, four seeds each at 60 s: 4109-4534 with restarts at
    30-42 s, 4213-4337 with none)."""
    options = search.options
    stall = max(10.0, options.time_limit_seconds / 6)
    now = search.elapsed()
    left = options.time_limit_seconds - now
    return now - last_gain >= stall and left >= max(stall + search.construct_seconds, 2 * settled)


@dataclass
class Trajectory:
    """The search from its start, or from its last restart: when it began and its
    improvements as (seconds, objective)."""

    began: float
    points: list[tuple[float, float]]

    def settled(self) -> float:
        """Seconds from the trajectory's start until it first came within 2 % of its best
        (the time a fresh one would need to catch up, at the least)."""
        if not self.points:
            return 0.0
        best = min(objective for _, objective in self.points)
        near = best + 0.02 * abs(best)
        return next(t for t, objective in self.points if objective <= near) - self.began


def _restart(search: Search, seed: int) -> bool:
    """Continue from a new first roster (another employee order); False when none."""
    values = first_roster(search, seed=seed)
    objective = objective_of(search, values) if values is not None else None
    if values is None or objective is None:
        return False
    search.restart(values, objective)
    return True


class Rates:
    """Recent gain per second of each neighbourhood kind (an exponential average), the
    weights of an adaptive draw. Every kind keeps a share of the search's time, not of its
    draws: the exploring half of the weights goes to each kind in inverse proportion to its
    steps' recent length, so a kind whose steps take ten times as long is drawn a tenth as
    often while it gains nothing (a generated 150 staff x 24 shift types x 28 days at 60 s:
    the kinds freeing everyone's days, 2-4 s a step, drawn as often as the 0.24-s steps of
    a few people, took 56 % of the LNS time and gained nothing)."""

    def __init__(self, kinds: Sequence[Kind]) -> None:
        self.kinds = tuple(kinds)
        self.rates = dict.fromkeys(self.kinds, 0.0)
        self.seconds = dict.fromkeys(self.kinds, 0.0)  # recent step length
        self.tried: set[Kind] = set()

    def draw(self, rng: random.Random) -> Kind:
        untried = [k for k in self.kinds if k not in self.tried]
        if untried:
            return untried[0]
        exploring = 0.5 * sum(self.rates.values()) + 1e-6
        quick = {k: 1.0 / max(self.seconds[k], 0.05) for k in self.kinds}
        total = sum(quick.values())
        weights = [self.rates[k] + exploring * quick[k] / total for k in self.kinds]
        return rng.choices(self.kinds, weights=weights)[0]

    def all_tried(self) -> bool:
        return len(self.tried) == len(self.kinds)

    def update(self, kind: Kind, gain: float, seconds: float) -> None:
        first = kind not in self.tried
        self.tried.add(kind)
        self.rates[kind] = 0.7 * self.rates[kind] + 0.3 * max(gain, 0.0) / max(seconds, 0.05)
        self.seconds[kind] = seconds if first else 0.7 * self.seconds[kind] + 0.3 * seconds
