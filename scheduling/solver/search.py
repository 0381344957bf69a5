"""Search state shared by the solve phases: options, the incumbent, CP-SAT parameters."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from scheduling.solver.build import RosterModel
from scheduling.solver.model import Assignment, LowerBounds

ProgressCallback = Callable[[float, float, float], None]  # seconds, objective, bound
SMALL_MODEL = 2000  # person-day-shift choices
# Above this, with a first roster built, LNS gets all the time: on Curtois & Qu 12 (15 600
# choices) a 3-s full solve from the first roster gained nothing and proved a bound of 0-2.
LARGE_MODEL = 4000
# Work (CP-SAT deterministic time) one CP-SAT worker does per second on an idle machine of
# this kind: 0.21-0.26 over 20-s searches of Curtois & Qu 8 and 12 (two LNS steps at once).
# Budgets are set in idle-machine seconds and converted with it.
WORK_PER_SECOND = 0.25


@dataclass(frozen=True)
class SolveOptions:
    time_limit_seconds: float = 30.0
    num_workers: int = 2
    seed: int = 0
    # Share of the time limit given to the first full solve; the rest goes to LNS. None:
    # 15 % for small models (up to SMALL_MODEL choices), where the solve can prove the
    # optimum, 5 % up to LARGE_MODEL, and none above it when a first roster was built
    # (LNS time is worth more than a bound near zero; the solution's bound is then -inf).
    full_solve_share: float | None = None
    lns: bool = True
    # None: one second per 8 000 assignment variables, from 1 to 3 s. Curtois & Qu 12 (16 800)
    # at 60 s: 4327 and 4986 with 2-s steps against 4564-4947 and 5280-5879 with 1-s ones;
    # on 9-11 (5 000-10 000) the two were within run-to-run noise.
    lns_step_seconds: float | None = None
    # Deterministic: every solve is bounded by its work (deterministic time) and the time
    # limit is read as work too (idle-machine seconds), so the same seed gives the same
    # roster on any machine, and a longer limit the same search carried further.
    deterministic: bool = False
    lns_steps: int | None = None  # at most this many LNS steps (None: as the limit allows)
    # With few workers the default portfolio proves little; an LP-heavy pair proves small
    # rosters optimal (Curtois & Qu Instances 1-3 in seconds on two cores).
    full_solve_subsolvers: tuple[str, ...] = ("max_lp", "quick_restart")
    # After this many LNS steps without gain, CP-SAT's own portfolio (feasibility jump and its
    # LNS workers) searches the whole model from the incumbent for stall_portfolio_seconds.
    # Rare: on Curtois & Qu 5, 6, 8, 9 and 12 three-second portfolio steps after 8 stalled
    # steps gained 1 in about 30 calls while taking 20-40 % of the time.
    stall_steps: int = 20
    stall_portfolio_seconds: float = 3.0
    # Outside deterministic mode, LNS runs num_workers steps at once, one worker each.
    parallel_lns: bool = True
    log: bool = False
    # Lower bounds from the LP relaxation (relax.py), each LP solve limited to lp_seconds
    # (None: a tenth of the time limit, 1 s at least; in deterministic mode the time limit,
    # so that whether it finishes does not depend on the machine).
    lp_bound: bool = True
    lp_seconds: float | None = None
    # A first roster built one employee at a time (construct.py) when the objective
    # decomposes; the full solve and LNS start from it.
    construct: bool = True


# Rosters whose break counts are kept (Search.noted): the incumbent and the steps running.
NOTED = 8


def solver_for(
    options: SolveOptions,
    seconds: float,
    seed: int,
    *,
    full: bool = False,
    workers: int | None = None,
    work: float | None = None,
) -> cp_model.CpSolver:
    """A solver with `workers` workers (default options.num_workers); `full`: the LP-heavy
    subsolvers of options.full_solve_subsolvers. Its limit: in deterministic mode the work
    of `seconds` on an idle machine (CP-SAT deterministic time, x WORK_PER_SECOND); else
    `seconds` of wall time, and when `work` is given (idle-machine seconds) no more than its
    work either, so that a busy machine takes longer over a step, not less work."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    workers = options.num_workers if workers is None else workers
    params.num_workers = workers
    if full and workers <= 4 and options.full_solve_subsolvers:
        params.subsolvers.extend(options.full_solve_subsolvers[:workers])
    params.random_seed = seed
    params.log_search_progress = options.log
    if options.deterministic:
        budget = seconds if work is None else work
        params.max_deterministic_time = max(budget * WORK_PER_SECOND, 0.01)
        params.interleave_search = workers > 1
    else:
        params.max_time_in_seconds = max(seconds, 0.05)
        if work is not None:
            params.max_deterministic_time = max(work * WORK_PER_SECOND, 0.01)
    return solver


def work_of(solver: cp_model.CpSolver) -> float:
    """The work a finished solve did, in idle-machine seconds."""
    return float(solver.response_proto.deterministic_time) / WORK_PER_SECOND


def lp_seconds(options: SolveOptions) -> float:
    if options.lp_seconds is not None:
        return options.lp_seconds
    if options.deterministic:
        return max(options.time_limit_seconds, 10.0)
    return max(1.0, options.time_limit_seconds / 10)


def solved_values(
    solver: cp_model.CpSolver, status: object, variables: list[cp_model.IntVar]
) -> tuple[list[int] | None, float]:
    """The values of `variables` in the solver's best solution and its objective, or None
    and infinity when it found none. Read once from the response, not in a callback per
    intermediate solution (which cost seconds a minute on 3 000 variables)."""
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, float("inf")
    solution = solver.response_proto.solution
    return [solution[v.index] for v in variables], solver.objective_value


@dataclass
class Search:
    rm: RosterModel
    options: SolveOptions
    progress: ProgressCallback | None
    started: float
    variables: list[cp_model.IntVar]
    keys: list[tuple[int, int, int]]  # (employee, day, option) per variable
    key_index: dict[tuple[int, int, int], int]
    indexes: list[int]  # the proto index of each variable
    # The roster LNS works from: the best found, except after a restart, when the best is
    # kept aside (kept_*) until the new one beats it or the search ends (settle()).
    best_values: list[int] | None = None
    best_objective: float = float("inf")
    bound: float = float("-inf")
    history: list[tuple[float, float, float]] = field(default_factory=list)
    kept_values: list[int] | None = None
    kept_objective: float = float("inf")
    construct_seconds: float = 0.0  # what the first roster took to build (construct.py)
    assignments: dict[tuple[int, int, int], Assignment] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)  # phase -> wall seconds spent
    work_done: float = 0.0  # idle-machine seconds of CP-SAT work so far (work_of)
    people: dict[int, Any] = field(default_factory=dict)  # alone.Person of each employee
    exhausted: bool = False  # deterministic mode: a phase did not fit in the limit
    step_work: float = 0.0  # LNS steps: work done and wall seconds taken (pace())
    # Terms of the model's linear constraints: the size LNS steps are given work by.
    model_terms: int = 0
    # LNS: per neighbourhood kind, how many times its usual work a step gets (lns._adapt).
    stretch: dict[Any, float] = field(default_factory=dict)
    # LNS: per kind, the share of the staff a step over some days frees (lns._crowd).
    crowd: dict[Any, float] = field(default_factory=dict)
    # With break counts (build._cover_with_break_counts): recent rosters and the whole
    # solution a solve gave for each, to hint a step with (fixed_copy).
    noted: list[tuple[list[int], list[int]]] = field(default_factory=list)

    def note_solution(self, values: list[int] | None, solver: cp_model.CpSolver) -> None:
        """Keep the solver's solution as the one of `values` (a roster read from it); the
        last few only."""
        if values is None or not self.rm.break_counts:
            return
        solution = list(solver.response_proto.solution)
        self.noted = [*self.noted[-(NOTED - 1) :], (list(values), solution)]

    def solution_of(self, values: list[int]) -> list[int] | None:
        """The solution noted for this roster (compared by value: a list may change)."""
        return next((full for kept, full in reversed(self.noted) if kept == values), None)

    step_wall: float = 0.0

    def count_work(self, work: float, wall_seconds: float) -> None:
        """Add a finished step's work and what it took on the clock (for pace())."""
        self.work_done += work
        self.step_work += work
        self.step_wall += wall_seconds

    def pace(self) -> float:
        """Work done per wall second by one step at a time, as measured (1 before any
        step: the idle machine's pace); about 0.5 when another process takes half the CPU."""
        if self.step_wall < 1.0:
            return 1.0
        return max(self.step_work / self.step_wall, 0.05)

    def fits(self, seconds: float) -> bool:
        """Deterministic mode: whether `seconds` more work fit in the time limit (read as
        work); once one does not, the search ends, so a shorter limit stops the very
        search a longer one continues. Always True outside deterministic mode."""
        if self.options.deterministic and (
            self.exhausted or self.work_done + seconds > self.options.time_limit_seconds
        ):
            self.exhausted = True
        return not self.exhausted

    lower_bounds: LowerBounds | None = None  # from the LP relaxation
    relaxation: Any = None  # the relax.Relaxation that gave them (for the paid bound)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    # The longest evaluation of a whole roster so far (objective_of), in wall seconds.
    evaluation_seconds: float = 0.0
    # What setting an LNS step up took on the clock before its solve (lns._in_time), recent
    # steps weighing most: building some people's problem, per person, and copying the
    # whole model.
    part_seconds_per_person: float = 0.0
    copy_seconds: float = 0.0

    def note_setup(self, people: int, seconds: float) -> None:
        """A step's setup took `seconds`: a part of `people` people, or (0) a copy."""
        if people:
            rate = seconds / people
            self.part_seconds_per_person = max(rate, 0.5 * (self.part_seconds_per_person + rate))
        else:
            self.copy_seconds = max(seconds, 0.5 * (self.copy_seconds + seconds))

    def left(self) -> float:
        """Wall seconds left to search in: up to the time limit less two evaluations of the
        whole roster (one to score a step's changes carried over to an incumbent that moved
        on, lns._accept; one to read the best roster out), so that the solve ends at its
        limit, not after it (a generated 100 staff x 8 shift types x 182 days at 60 s ended
        at 63.6 s; an evaluation of 150 x 32 x 28 takes 1.1 s)."""
        reserve = 2 * self.evaluation_seconds
        return self.options.time_limit_seconds - self.elapsed() - reserve

    _bound_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def raise_bound(self, bound: float) -> None:
        """Take a lower bound when it is better than the one held (the LP's comes from a
        thread of its own, solve._bounding)."""
        with self._bound_lock:
            self.bound = max(self.bound, bound)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Count the wall time of the block against the named phase."""
        began = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - began
            self.phases[name] = self.phases.get(name, 0.0) + spent

    def record(self, values: list[int], objective: float) -> bool:
        """Take the roster when it is no worse; True when it is better. Progress is
        reported for rosters better than any before (not the climb after a restart)."""
        if objective < self.best_objective - 1e-9:
            self.best_values, self.best_objective = values, objective
            if objective < self.kept_objective - 1e-9:
                self.kept_values, self.kept_objective = None, float("inf")
                point = (round(self.elapsed(), 3), objective, self.bound)
                self.history.append(point)
                if self.progress:
                    self.progress(*point)
            return True
        if objective <= self.best_objective + 1e-9:
            self.best_values = values  # a sideways move keeps the search moving
        return False

    def restart(self, values: list[int], objective: float) -> None:
        """Work from another roster, keeping the best so far aside."""
        if self.best_objective < self.kept_objective:
            self.kept_values, self.kept_objective = self.best_values, self.best_objective
        self.best_values, self.best_objective = values, objective

    def settle(self) -> None:
        """Back to the best roster found, when a restart never beat it."""
        if self.kept_values is not None and self.kept_objective < self.best_objective:
            self.best_values, self.best_objective = self.kept_values, self.kept_objective
        self.kept_values, self.kept_objective = None, float("inf")


def new_search(
    rm: RosterModel,
    options: SolveOptions,
    progress: ProgressCallback | None = None,
    started: float | None = None,
) -> Search:
    """A search over the model's assignment variables, in employee, day, option order."""
    keys, variables = [], []
    for e, per_day in enumerate(rm.x):
        for d, chosen in enumerate(per_day):
            for o, v in chosen.items():
                keys.append((e, d, o))
                variables.append(v)
    key_index = {key: i for i, key in enumerate(keys)}
    began = time.perf_counter() if started is None else started
    indexes = [v.index for v in variables]
    search = Search(rm, options, progress, began, variables, keys, key_index, indexes)
    search.model_terms = sum(
        len(c.linear.vars) if c.has_linear() else len(c.at_most_one.literals)
        for c in rm.model.proto.constraints
    )
    return search


def fixed_copy(search: Search, free: set[int], values: list[int] | None = None) -> cp_model.CpModel:
    """A copy of the model with every assignment variable outside `free` fixed to its value
    in `values` (by default the incumbent's), hinted with all of them. The fixing is one
    bool_and of literals, which presolve applies at once: setting each variable's domain
    from Python took longer than the copy itself on 15 000 variables."""
    values = values if values is not None else search.best_values or []
    sub = search.rm.model.clone()
    indexes = search.indexes
    fixed = [
        index if value else -index - 1
        for i, (index, value) in enumerate(zip(indexes, values, strict=True))
        if i not in free
    ]
    if fixed:
        sub.proto.constraints.add().bool_and.literals.extend(fixed)
    hint = sub.proto.solution_hint
    hint.vars.extend(indexes)
    hint.values.extend(values)
    if search.rm.break_counts:
        _break_counts(search, sub, free, values)
    return sub


def _break_counts(search: Search, sub: cp_model.CpModel, free: set[int], values: list[int]) -> None:
    """Complete the hint with the break counts: the whole solution a solve gave for `values`
    when one is known (Search.noted), with the counts fixed on the days no free variable
    starts a shift (their cover does not change: a step freeing two days solves those two
    days' breaks, not the week's); else every break at its nominal place. A step freeing two
    days of Amsterdam's week reached its hint only after its LP, 0.5-1 of CP-SAT's
    deterministic time, with the assignment alone hinted."""
    known = search.solution_of(values)
    hint = sub.proto.solution_hint
    if known is None:
        indexes, taken = break_hint(search, values)
        hint.vars.extend(indexes)
        hint.values.extend(taken)
        return
    hinted = set(search.indexes)
    rest = [i for i in range(len(known)) if i not in hinted]
    hint.vars.extend(rest)
    hint.values.extend([known[i] for i in rest])
    open_days = {search.keys[i][1] for i in free}
    variables = sub.proto.variables
    for (d, _, _), (_, counts) in search.rm.break_counts.items():
        if d in open_days:
            continue
        for _, count in counts:
            domain = variables[count.index].domain
            domain[0] = domain[1] = known[count.index]


def break_hint(search: Search, values: list[int]) -> tuple[list[int], list[int]]:
    """Proto indexes and values of the break counts (build._cover_with_break_counts) with
    every break of `values` at its nominal place: with them the hint is a complete roster,
    which CP-SAT takes at once; without them a step freeing two days of Amsterdam's week
    found no roster at all within its work in most steps."""
    rm = search.rm
    working: dict[tuple[int, int], int] = {}
    for value, (_, d, o) in zip(values, search.keys, strict=True):
        if value:
            working[(d, o)] = working.get((d, o), 0) + 1
    indexes, taken = [], []
    for (d, o, _), (rule, counts) in rm.break_counts.items():
        nominal = next(
            (
                b.start_minute
                for b in rm.options[d][o].breaks
                if b.length_minutes == rule.length_minutes
            ),
            counts[len(counts) // 2][0],
        )
        at = min(counts, key=lambda pair: abs(pair[0] - nominal))[0]
        for start, count in counts:
            indexes.append(count.index)
            taken.append(working.get((d, o), 0) if start == at else 0)
    return indexes, taken


def assignment_of(search: Search, e: int, d: int, o: int) -> Assignment:
    """The shift of variable (e, d, o), made once: a first roster of sixty people asks for
    the others' shifts 86 000 times."""
    made = search.assignments.get((e, d, o))
    if made is None:
        made = search.assignments[(e, d, o)] = search.rm.options[d][o].assign(
            search.rm.problem.employees[e].id
        )
    return made


def evaluator(options: SolveOptions) -> cp_model.CpSolver:
    """A one-worker solver for a model whose assignment is all fixed: it only propagates."""
    return solver_for(options, EVALUATION_SECONDS, options.seed, workers=1)


# Generous: a fixed model solves in milliseconds; the limit only guards against a hang.
EVALUATION_SECONDS = 30.0


def objective_of(search: Search, values: list[int]) -> float | None:
    """The objective of a complete assignment, or None when it breaks a hard rule."""
    began = time.perf_counter()
    solver = evaluator(search.options)
    status = solver.solve(fixed_copy(search, set(), values))
    search.evaluation_seconds = max(search.evaluation_seconds, time.perf_counter() - began)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    search.note_solution(values, solver)
    return float(solver.objective_value)
