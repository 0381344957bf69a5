"""A first roster built employee by employee, and the restricted sub-solve it shares with LNS.

When the objective decomposes (no fairness terms), every hard rule binds one employee only, so
a roster can be grown one person at a time: each solved alone, to optimality, against the cover
the people before them leave open (restrict.py). Each of these problems is tiny (one person's
horizon), so a first roster of sixty people takes a couple of seconds and starts LNS far below
what a short solve of the whole model finds.
"""

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import compress

from ortools.sat.python import cp_model

from scheduling.solver.alone import Cover, Person, Scarcity, coefficients, person, price
from scheduling.solver.build import RosterModel, build
from scheduling.solver.model import Problem
from scheduling.solver.options import ShiftOption
from scheduling.solver.restrict import decomposes, restrict
from scheduling.solver.search import Search, assignment_of, solver_for, work_of


@dataclass
class Restricted:
    """The chosen employees' problem against everyone else in `values`; variables[i] is the
    sub-model's copy of the search variable indexes[i]."""

    rm: RosterModel
    variables: list[cp_model.IntVar]
    indexes: list[int]


def restricted(
    search: Search,
    chosen: set[int],
    values: list[int],
    scarcity: Scarcity | None = None,
) -> Restricted:
    """`scarcity`: factors on the under-cover weight of lines, by (day, template)."""
    p = search.rm.problem
    others = [
        assignment_of(search, e, d, o)
        for e, d, o in compress(search.keys, values)
        if e not in chosen
    ]
    order = sorted(chosen)
    problem = restrict(p, {p.employees[e].id for e in order}, others)
    if scarcity:
        problem = replace(
            problem,
            headcount_demand=tuple(
                replace(
                    line,
                    under_weight=round(
                        line.under_weight * scarcity.get((line.day, line.template), 1.0)
                    ),
                )
                for line in problem.headcount_demand
            ),
        )
    sub = build(problem, options=search.rm.options)
    variables, indexes = [], []
    for se, e in enumerate(order):
        for d, per_day in enumerate(sub.x[se]):
            for o, variable in per_day.items():
                variables.append(variable)
                indexes.append(search.key_index[(e, d, o)])
    return Restricted(sub, variables, indexes)


@dataclass
class _Solved:
    """One person's solve against a cover: their variables' values when `found`."""

    found: bool
    values: list[int]
    work: float


def _solve_alone(
    search: Search, who: Person, hints: list[int] | None, seconds: float, *, priced: bool = True
) -> _Solved:
    """Solve `who`'s model as priced (thread-safe: it touches their model only); not
    `priced`: any roster of theirs, whatever its price (the model's objective is left as it
    was). `hints`: None for none. `seconds`: the work allowed (idle-machine seconds),
    whatever the machine's load; the wall clock only guards against a hang."""
    model = who.rm.model
    if not priced:
        model = model.clone()
        model.proto.clear_objective()
    model.clear_hints()  # type: ignore[no-untyped-call]
    if hints is not None:
        for variable, hint in zip(who.variables, hints, strict=True):
            model.add_hint(variable, hint)
    # A tiny model: one worker keeps the result the same on every run.
    solver = solver_for(
        search.options, ALONE_WALL_SECONDS, search.options.seed, workers=1, work=seconds
    )
    params = solver.parameters
    params.linearization_level = 2  # a quarter faster on these small models
    # A fifth less again (CPU time over 60 generated people of 24 shift types, every one
    # still optimal): what the presolve's probing, symmetry search and repeated rounds
    # find in one person's rules is not worth their time.
    params.cp_model_probing_level = 0
    params.symmetry_level = 0
    params.max_presolve_iterations = 1
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = [int(solver.value(v)) for v in who.variables] if found else []
    return _Solved(found, values, work_of(solver))


def _priced(
    search: Search, e: int, values: list[int], cover: Cover, scarcity: Scarcity | None
) -> tuple[Person, list[int]]:
    """Employee e's model priced against `cover` with their own shifts in `values` taken
    out of it (`cover` is left as it was), and its coefficients."""
    p = search.rm.problem
    who = person(search, e)
    mine = [index for index in who.indexes if values[index]]
    for index in mine:
        cover.count(p, _option(search, index), -1)
    weights = coefficients(search, who, cover, scarcity)
    for index in mine:
        cover.count(p, _option(search, index), 1)
    who.rm.model.minimize(price(who, weights))
    return who, weights


def _commit(search: Search, who: Person, solved: _Solved, values: list[int], cover: Cover) -> None:
    """Write a found roster of `who` into `values` and `cover`."""
    p = search.rm.problem
    search.work_done += solved.work
    if not solved.found:
        return
    for index, value in zip(who.indexes, solved.values, strict=True):
        if values[index] != value:
            cover.count(p, _option(search, index), value - values[index])
            values[index] = value


def _alone(
    search: Search,
    e: int,
    values: list[int],
    seconds: float,
    scarcity: Scarcity | None = None,
    cover: Cover | None = None,
) -> bool:
    """Solve employee e alone against the others in `values` (alone.py), writing their
    shifts into it and into `cover` (the cover of `values`, counted here when not given).
    False when no roster of theirs satisfying their rules is found within `seconds` of
    work (they keep their shifts)."""
    cover = cover if cover is not None else Cover.of(search, values)
    who, _ = _priced(search, e, values, cover, scarcity)
    solved = _solve_alone(search, who, [values[i] for i in who.indexes], seconds)
    _commit(search, who, solved, values, cover)
    return solved.found


def _first_pass(
    search: Search, order: list[int], values: list[int], seconds: float, scarcity: Scarcity
) -> bool:
    """Everyone in `order` solved alone against those placed before them. With two
    workers or more the next person's model is built while this one's is solved (the
    solve runs outside the interpreter's lock): the same roster, sooner. (Solving two
    people at once against the same cover does not pay: on a generated 100 staff x 16
    shift types, half of the second's rosters had taken a line the first had just filled,
    and solving those again cost as much as a first solve, so the pass took as long.)
    Each person's priced solve starts from a roster of their own found first (found while
    the one before is solved), and keeps it when it finds nothing better within its work:
    from no shifts, the priced solve spent its work before finding any roster for most
    people of long horizons (a generated 100 staff x 8 shift types x 182 days: 32 of 100
    retried with eight times the work, the pass ended at 65 s with a roster of 52 893; from
    their own roster, 29.8 s for 43 129). False when someone has no roster of their own."""
    cover = Cover.of(search, values)
    ahead = search.options.num_workers > 1
    own: dict[int, _Solved] = {}

    def prepare(e: int) -> None:
        """Employee e's model and a roster of their own (not hinted: a hint of no
        shifts leads the search away from tight minimum minutes; a generated person of 182
        days owed 50 580-52 800 minutes: none found in 0.36 of CP-SAT's deterministic time
        from it; unhinted, everyone of that instance had one)."""
        who = person(search, e)
        own[e] = _solve_alone(search, who, None, seconds * OWN_ROSTER_FACTOR, priced=False)
        search.work_done += own[e].work

    with ThreadPoolExecutor(max_workers=1) as pool:
        if order:
            prepare(order[0])
        for k, e in enumerate(order):
            who, _ = _priced(search, e, values, cover, scarcity)
            start = own.pop(e)
            if not start.found:
                return False
            hints = start.values
            run = pool.submit(_solve_alone, search, who, hints, seconds) if ahead else None
            if k + 1 < len(order):
                prepare(order[k + 1])
            solved = run.result() if run else _solve_alone(search, who, hints, seconds)
            if not solved.found:
                search.work_done += solved.work
                solved = _Solved(True, start.values, 0.0)
            _commit(search, who, solved, values, cover)
    return True


def _option(search: Search, index: int) -> ShiftOption:
    _, d, o = search.keys[index]
    return search.rm.options[d][o]


ALONE_WALL_SECONDS = 30.0  # a guard: one person's roster takes a small fraction of a second
# A roster of a person's own (any, whatever its price) is looked for with this many times
# the work of their priced solve before the first roster is given up (a busy machine no
# longer matters: the budget is work, not seconds).
OWN_ROSTER_FACTOR = 8


def first_roster(
    search: Search,
    *,
    passes: int = 2,
    seconds: float = 0.5,
    seed: int | None = None,
    on_pass: Callable[[list[int]], None] | None = None,
) -> list[int] | None:
    """Values of the assignment variables of a roster grown one employee at a time (in a
    random order from `seed`, by default the search's), then
    `passes - 1` rounds re-solving each employee against all the others (stopped at half
    the time limit, each person keeping their shifts when theirs is not found); `on_pass`
    is told each complete roster. `seconds`: the work of one person's solve. None when the
    objective does not decompose or someone has no feasible roster of their own."""
    p = search.rm.problem
    if not decomposes(p) or not p.employees:
        return None
    values = [0] * len(search.variables)
    order = list(range(len(p.employees)))
    random.Random(search.options.seed if seed is None else seed).shuffle(order)
    # The first pass is worth any wait: LNS needs a roster to start from.
    if not _first_pass(search, order, values, seconds, scarcity(p)):
        return None
    if on_pass:
        on_pass(values)
    cover = Cover.of(search, values)
    for _ in range(passes - 1):
        for e in order:
            late = search.elapsed() >= search.options.time_limit_seconds * 0.5
            if late and not search.options.deterministic:
                return values
            _alone(search, e, values, seconds, cover=cover)
        if on_pass:
            on_pass(values)
    return values


def scarcity(problem: Problem) -> Scarcity:
    """Per headcount line, how much of what the staff could give it the lines ask for: per
    template (a night only some can work) and, when weekends worked are limited, on
    weekend days (Curtois & Qu 12: 285 weekend shifts asked of at most 258 weekend days;
    a first roster whose people work one day of a weekend wastes the other). The first
    pass weighs a line's shortfall by this, so the first people placed take the scarce
    lines before the plentiful ones."""
    demand: dict[str, int] = {}
    for line in problem.headcount_demand:
        demand[line.template] = demand.get(line.template, 0) + max(line.required, 0)
    capacity: dict[str, int] = {}
    for employee in problem.employees:
        limits = dict(employee.contract.max_shifts_per_template)
        for template in demand:
            if employee.templates is not None and template not in employee.templates:
                continue
            capacity[template] = capacity.get(template, 0) + limits.get(template, problem.days)
    per_template = {t: 1.0 + need / max(capacity.get(t, 0), 1) for t, need in demand.items()}
    weekend = _weekend_scarcity(problem)
    return {
        (line.day, line.template): per_template[line.template] * weekend.get(line.day, 1.0)
        for line in problem.headcount_demand
    }


def _weekend_scarcity(problem: Problem) -> dict[int, float]:
    """Weekend day -> 1 + the share of the weekend days the staff may work that weekend
    lines ask for, when someone's weekends are limited; empty otherwise. (Weighing it
    against the share of all shifts asked instead left first rosters of Curtois & Qu 6, 8,
    9 and 12 worse: 3274, 3503, 1321, 6424 against 3198, 3048, 1275, 6344; 10 better:
    5143 against 5228.)"""
    weekends = problem.weekends()
    if not any(problem.weekends_limited(e) for e in problem.employees):
        return {}
    limits = [e.contract.max_weekends for e in problem.employees]
    days = {d for w in weekends for d in w}
    per_weekend = len(days) / len(weekends)
    capacity = sum(len(weekends) if m is None else min(m, len(weekends)) for m in limits)
    need = sum(max(line.required, 0) for line in problem.headcount_demand if line.day in days)
    return dict.fromkeys(days, 1.0 + need / max(capacity * per_weekend, 1.0))
