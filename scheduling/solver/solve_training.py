"""Solve a roster with training (issue 24) in two stages.

1. The training core: the trainees, the mentors of their queues, everyone counted at other
   than a full agent and every session attendee, in one CP-SAT model with the training
   families (training.py) against the whole demand. Pairing couples these people interval by
   interval, so they are solved together; their breaks stay at their nominal place (where
   the model counted them), so pairing and sessions hold in the roster as solved.
2. Everyone else against what the core leaves uncovered (its cover counted at the shares,
   off the phone in sessions), by the ordinary solve (its construction, LNS and break
   placement): nobody in it needs or gives supervision, so no neighbourhood can break
   pairing.
The whole keeps within the time limit: the core gets a share, the rest the remainder.
"""

import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduling.solver.model import (
    Assignment,
    IntervalDemand,
    LowerBounds,
    PlacedSession,
    Problem,
    Solution,
    Status,
)
from scheduling.solver.relax import anonymous_bounds
from scheduling.solver.search import ProgressCallback, SolveOptions, lp_seconds, solver_for
from scheduling.solver.training import (
    TrainingModel,
    build_training,
    trainees_and_mentors,
)
from scheduling.solver.training_construct import Plan, first_core_roster, hint_values
from scheduling.solver.training_outcome import (
    Outcome,
    cover_of,
    on_phone,
    outcome,
    placed_sessions,
    settle_sessions,
)
from scheduling.solver.training_precheck import training_contradictions

# The share of the time limit the training core gets when there are others to roster after.
CORE_SHARE = 0.35
# The share of the limit the solves may use; the rest reads the roster (outcome()).
WRAP_UP = 0.96
# What checking the first roster alone may take (it only propagates).
CHECK_SECONDS = 30.0
# The share kept for solving the core again against what the others leave.
POLISH_SHARE = 0.2

RestSolver = Callable[[Problem, SolveOptions, ProgressCallback | None], Solution]


def core_people(problem: Problem) -> set[int]:
    """Employee indexes of the training core (see the module's docstring)."""
    core: set[int] = set()
    for trainees, mentors in trainees_and_mentors(problem).values():
        core.update(trainees)
        core.update(mentors)
    index = {emp.id: e for e, emp in enumerate(problem.employees)}
    for e, employee in enumerate(problem.employees):
        if any(problem.training.share_percent(entry) != 100 for entry in employee.proficiency):
            core.add(e)
    for plan in problem.trainee_plans:
        if plan.employee in index:
            core.add(index[plan.employee])
    for session in problem.sessions:
        core.update(index[who] for who in session.attendees if who in index)
    return core


def _only(problem: Problem, ids: set[str]) -> Problem:
    return replace(
        problem,
        employees=tuple(e for e in problem.employees if e.id in ids),
        requests=tuple(r for r in problem.requests if r.employee in ids),
        pins=tuple(p for p in problem.pins if p.employee in ids),
        trainee_plans=tuple(p for p in problem.trainee_plans if p.employee in ids),
    )


def solve_training(
    problem: Problem,
    options: SolveOptions,
    progress: ProgressCallback | None,
    solve_rest: RestSolver,
) -> Solution:
    """The roster (see the module's docstring); `solve_rest` is solve.solve, passed in to keep
    the import one way."""
    started = time.perf_counter()
    found = training_contradictions(problem)
    if found:
        return Solution(Status.INFEASIBLE, (), 0.0, 0.0, {}, 0.0, contradictions=tuple(found))
    core_ids = {problem.employees[e].id for e in core_people(problem)}
    core = _only(problem, core_ids)
    rest_ids = {e.id for e in problem.employees} - core_ids
    limit = options.time_limit_seconds
    phases: dict[str, float] = {}
    first = _solve_core(core, options, limit * (CORE_SHARE if rest_ids else 1.0), None, phases)
    if first is None:
        return Solution(Status.UNKNOWN, (), 0.0, float("-inf"), {}, time.perf_counter() - started)
    core_shifts, sessions, values = first
    rest_shifts: list[Assignment] = []
    if rest_ids:
        rest = replace(
            _only(problem, rest_ids),
            sessions=(),
            interval_demand=_less(problem, core_shifts, sessions),
        )
        remaining = limit * (1 - POLISH_SHARE) - (time.perf_counter() - started)
        if options.deterministic:  # work, not the clock: the same roster on any machine
            remaining = limit * (1 - POLISH_SHARE - CORE_SHARE)
        began = time.perf_counter()
        # No bound for the rest alone (the roster's is not theirs): its LP time goes to search.
        settings = replace(options, time_limit_seconds=max(remaining, 1.0), lp_bound=False)
        solved = solve_rest(rest, settings, None)
        phases["rest"] = time.perf_counter() - began
        rest_shifts = list(solved.assignments)
        # The core again, against what the others leave: sessions move to where the final
        # roster misses their attendees least.
        polish = replace(core, interval_demand=_less(problem, rest_shifts, ()))
        remaining = limit * WRAP_UP - (time.perf_counter() - started)
        worth = remaining > 2 * phases.get("training build", 0.0) + 1.0
        if options.deterministic:
            remaining, worth = limit * POLISH_SHARE, True
        second = _solve_core(polish, options, remaining, values, phases) if worth else None
        if second is not None:
            before = outcome(problem, [*core_shifts, *rest_shifts], sessions).objective
            after = outcome(problem, [*second[0], *rest_shifts], second[1]).objective
            if after < before - 1e-9:
                core_shifts, sessions = second[0], second[1]
    assignments = sorted([*core_shifts, *rest_shifts], key=lambda a: (a.employee, a.day))
    sessions = settle_sessions(problem, assignments, sessions)
    result = outcome(problem, assignments, sessions)
    bounds = None
    if options.lp_bound:
        began = time.perf_counter()
        under = sum(max(0, u.required - u.scheduled) for u in result.unmet)
        bounds = training_bounds(problem, options, under_at_most=under)
        _count(phases, "lp bound", began)
    # No binding rules (diagnose.binding_rules): its per-person re-checks with the training
    # rules took 8 s of a 30-s limit on the demo week.
    binding: tuple[str, ...] = ()
    wall = time.perf_counter() - started
    if progress:
        progress(wall, result.objective, float("-inf"))
    return _solution(assignments, result, binding, wall, phases, bounds)


def training_bounds(
    problem: Problem, options: SolveOptions, *, under_at_most: int
) -> LowerBounds | None:
    """What no roster of `problem` can beat on cover and pay: the anonymous-shift LP
    (relax.anonymous_bounds) of the same people and rules with training left out, everyone a
    full agent, no sessions, no pairing. Training only takes cover away (a share below a full
    agent, the phone left for a session) and adds constraints; who may work which shift is
    the same (skills, not levels). So a training roster is short at least what its shifts are
    short without training, and that LP's agent-intervals and paid minutes bound it too. Its
    objective is no bound of the training objective (over-cover counts at the shares, and
    the training terms are added): unknown."""
    plain = replace(
        problem,
        sessions=(),
        trainee_plans=(),
        employees=tuple(replace(e, proficiency=()) for e in problem.employees),
    )
    found = anonymous_bounds(plain, seconds=lp_seconds(options), under_at_most=under_at_most)
    return None if found is None else replace(found, objective=float("-inf"))


CoreResult = tuple[list[Assignment], tuple[PlacedSession, ...], dict[tuple[int, int, int], int]]


def _solve_core(
    core: Problem,
    options: SolveOptions,
    seconds: float,
    hint: dict[tuple[int, int, int], int] | None,
    phases: dict[str, float],
) -> CoreResult | None:
    """The core's shifts and sessions, and its assignment values (to hint a later solve)."""
    began = time.perf_counter()
    tm = build_training(core)
    _count(phases, "training build", began)
    for (e, d, o), value in (hint or {}).items():
        variable = tm.rm.x[e][d].get(o)
        if variable is not None:
            tm.rm.model.add_hint(variable, value)
    first = None
    if hint is None:  # a first roster with pairing built in, for the search to start from
        constructing = time.perf_counter()
        first = _constructed(tm, first_core_roster(tm), options)
        _count(phases, "training first roster", constructing)
        if first is not None:
            model = tm.rm.model
            model.clear_hints()  # type: ignore[no-untyped-call]
            solution = first.response_proto.solution
            model.proto.solution_hint.vars.extend(list(range(len(solution))))
            model.proto.solution_hint.values.extend(list(solution))
    left = seconds - (time.perf_counter() - began)
    if options.deterministic:
        left = seconds  # read as work by solver_for, whatever the build took on this machine
    searching = time.perf_counter()
    solver = solver_for(options, max(left, 0.5), options.seed)
    # With no time left to search, the first roster it is.
    skip = left < 0.5 and first is not None
    status = cp_model.UNKNOWN if skip else solver.solve(tm.rm.model)
    _count(phases, "training search", searching)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if first is not None and (not found or solver.objective_value > first.objective_value):
        solver, found = first, True  # the search did not get past the first roster
    if not found:
        return None
    values = {
        (e, d, o): int(solver.value(v))
        for e, per_day in enumerate(tm.rm.x)
        for d, chosen in enumerate(per_day)
        for o, v in chosen.items()
    }
    return _core_assignments(tm, solver), placed_sessions(core, tm, solver), values


def _count(phases: dict[str, float], name: str, began: float) -> None:
    phases[name] = phases.get(name, 0.0) + time.perf_counter() - began


def _constructed(tm: TrainingModel, plan: Plan, options: SolveOptions) -> cp_model.CpSolver | None:
    """The first roster completed in the model (cover, shortfalls: propagation only), or
    None when it breaks a hard rule."""
    check = tm.rm.model.clone()
    check.proto.constraints.add().bool_and.literals.extend(
        [index if value else -index - 1 for index, value in hint_values(plan).items()]
    )
    solver = solver_for(options, CHECK_SECONDS, options.seed, workers=1)
    if solver.solve(check) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def _core_assignments(tm: TrainingModel, solver: cp_model.CpSolver) -> list[Assignment]:
    rm = tm.rm
    found = []
    for e, per_day in enumerate(rm.x):
        for d, chosen in enumerate(per_day):
            for o, v in chosen.items():
                if solver.value(v):
                    found.append(rm.options[d][o].assign(rm.problem.employees[e].id))
    return found


def _less(
    problem: Problem, shifts: list[Assignment], sessions: tuple[PlacedSession, ...]
) -> tuple[IntervalDemand, ...]:
    """Each line less what these shifts cover of it (at the shares, rounded down)."""
    covered = cover_of(problem, on_phone(problem, shifts, sessions))
    periods = problem.periods_per_day
    return tuple(
        replace(
            demand,
            required=tuple(
                tuple(
                    max(0, need - int(covered.get((demand.queue, d * periods + p), 0.0) + 1e-9))
                    for p, need in enumerate(row)
                )
                for d, row in enumerate(demand.required)
            ),
        )
        for demand in problem.interval_demand
    )


def _solution(
    assignments: list[Assignment],
    result: Outcome,
    binding: tuple[str, ...],
    wall: float,
    phases: dict[str, float],
    bounds: LowerBounds | None,
) -> Solution:
    return Solution(
        status=Status.FEASIBLE,
        assignments=tuple(assignments),
        objective=result.objective,
        bound=float("-inf"),
        terms=result.terms,
        wall_seconds=wall,
        unmet_intervals=result.unmet,
        binding_rules=binding,
        progress=((round(wall, 3), result.objective, float("-inf")),),
        phase_seconds=phases,
        sessions=result.sessions,
        mentoring=result.mentoring,
        supervised=result.supervised,
        training_shortfalls=result.shortfalls,
        lower_bounds=bounds,
    )
