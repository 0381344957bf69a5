"""Large-neighbourhood search: re-solve part of the roster with the rest fixed, by turns
some employees over the whole horizon (as a problem of their own against what the others leave
uncovered), everyone over a window of days, and the people around cover lines the incumbent
misses; a stalled search is handed to CP-SAT's portfolio for a moment."""

import random

from ortools.sat.python import cp_model

from scheduling.solver.construct import restricted
from scheduling.solver.restrict import decomposes
from scheduling.solver.search import Incumbent, Search, fixed_copy, solver_for


def _neighbourhood(search: Search, rng: random.Random, kind: int, size: float) -> set[int]:
    """Indexes of the variables left free in this step, by turns: some employees over the
    whole horizon, everyone over a window of days, the people around a cover line the
    incumbent misses, and the people idle that day who could take it, over the whole horizon
    (so they can give up a shift elsewhere)."""
    if kind == 0:
        return _free_employees(search, rng, size)
    if kind in (1, 4):  # windows over everyone made the largest gains: twice a round
        return _free_window(search, rng, size)
    if kind == 2:
        return _free_around_a_miss(search, rng, size) or _free_employees(search, rng, size)
    return _free_idle_for_a_miss(search, rng, size) or _free_window(search, rng, size)


def _employee_kind(search: Search, rng: random.Random, kind: int, size: float) -> set[int]:
    """For the employee-subset kinds (0 and 3) on problems that decompose: whom to free."""
    if not decomposes(search.rm.problem) or kind not in (0, 3):
        return set()
    if kind == 0:
        return _pick_employees(search, rng, size)
    return _pick_idle_for_a_miss(search, rng, size)


def _pick_employees(search: Search, rng: random.Random, size: float) -> set[int]:
    n_employees = len(search.rm.problem.employees)
    count = max(2, round(n_employees * size))
    return set(rng.sample(range(n_employees), min(count, n_employees)))


def _free_employees(search: Search, rng: random.Random, size: float) -> set[int]:
    chosen = _pick_employees(search, rng, size)
    return {i for i, (e, _, _) in enumerate(search.keys) if e in chosen}


def _free_window(search: Search, rng: random.Random, size: float) -> set[int]:
    n_days = search.rm.problem.days
    width = max(2, round(n_days * size))
    first = rng.randrange(0, max(1, n_days - width + 1))
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
    count = max(2, round(len(p.employees) * size))
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
    chosen = _pick_idle_for_a_miss(search, rng, size)
    return {i for i, (e, _, _) in enumerate(search.keys) if e in chosen}


def _restricted_step(
    search: Search, chosen: set[int], seconds: float, seed: int
) -> tuple[bool, bool]:
    """Re-solve the chosen employees' whole horizon as a problem of their own against what
    everyone else leaves uncovered. Returns (closed to optimality, improved)."""
    values = search.best_values or []
    part = restricted(search, chosen, values)
    sub, variables, indexes = part.rm, part.variables, part.indexes
    for variable, index in zip(variables, indexes, strict=True):
        sub.model.add_hint(variable, values[index])
    before = cp_model.CpSolver()
    before.parameters.fix_variables_to_their_hinted_value = True
    before.parameters.num_workers = 1
    if before.solve(sub.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, False
    solver = solver_for(search.options, seconds, seed, full=True)
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


def _portfolio_step(search: Search, seconds: float, seed: int) -> None:
    """The whole model, hinted with the incumbent, under CP-SAT's default portfolio."""
    remaining = search.options.time_limit_seconds - search.elapsed()
    sub = fixed_copy(search, set(range(len(search.variables))))
    solver = solver_for(search.options, min(seconds, max(remaining, 0.05)), seed)
    callback = Incumbent(search.variables, lambda: None)
    solver.solve(sub, callback)
    if callback.values is not None:
        search.record(callback.values, callback.objective)


def improve(search: Search) -> None:
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
            free = _neighbourhood(search, rng, kind, sizes[kind])
            sub = fixed_copy(search, free)
            # The LP-heavy pair closes these sub-problems far more often than the default.
            solver = solver_for(options, seconds, seed, full=True)
            callback = Incumbent(search.variables, lambda: None)
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
