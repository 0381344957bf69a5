"""Large-neighbourhood search outside deterministic mode: two steps at once, one worker each,
with results recorded (and progress reported) in the calling thread."""

import random
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from scheduling.rules import check
from scheduling.solver import lns
from scheduling.solver.build import build
from scheduling.solver.lns import Kind, Rates
from scheduling.solver.model import Contract, HeadcountDemand, Request
from scheduling.solver.search import Search, new_search, objective_of
from scheduling.solver.solve import SolveOptions, solve
from tests.scheduling.solver.helpers import DAY, LATE, cover, problem, staff


def tight_problem():  # type: ignore[no-untyped-def]
    demand = cover(21, "D", 4) + tuple(HeadcountDemand(d, "L", 3, 100, 1) for d in range(21))
    requests = tuple(Request(f"e{e}", (e * 5) % 21, on=False, weight=3) for e in range(10))
    contract = Contract(
        max_consecutive_days=5,
        min_consecutive_days=2,
        min_consecutive_days_off=2,
        max_weekends=2,
        min_minutes_total=12 * 480,
        max_minutes_total=15 * 480,
        min_rest_minutes=0,
    )
    return problem(
        days=21, templates=(DAY, LATE), headcount_demand=demand, requests=requests,
        employees=staff(10, contract), forbidden_transitions=frozenset({("L", "D")}),
    )  # fmt: skip


def test_parallel_steps_keep_every_rule_and_report_from_the_calling_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = tight_problem()
    ran: list[int] = []
    parallel = lns._improve_in_parallel
    monkeypatch.setattr(lns, "_improve_in_parallel", lambda s, t: ran.append(t) or parallel(s, t))
    threads: set[int] = set()
    objectives: list[float] = []

    def progress(seconds: float, objective: float, bound: float) -> None:
        threads.add(threading.get_ident())
        objectives.append(objective)

    solution = solve(p, SolveOptions(time_limit_seconds=4, num_workers=2), progress=progress)
    assert ran == [2]
    assert check(p, solution.assignments) == []
    assert threads == {threading.get_ident()}
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == solution.objective
    assert sum(solution.terms.values()) == solution.objective


def test_kinds_are_each_tried_once_then_drawn_by_recent_gain_per_second() -> None:
    kinds = (Kind.EMPLOYEES, Kind.WINDOW, Kind.WEEKENDS)
    rates = Rates(kinds)
    rng = random.Random(0)
    for kind in kinds:
        assert rates.draw(rng) == kind
        rates.update(kind, gain=100.0 if kind == Kind.WINDOW else 0.0, seconds=1.0)
    draws = [rates.draw(rng) for _ in range(1000)]
    assert draws.count(Kind.WINDOW) > 600
    assert draws.count(Kind.EMPLOYEES) > 50  # every kind keeps a share
    assert draws.count(Kind.WEEKENDS) > 50


def test_kinds_without_gain_share_the_search_time_not_its_draws() -> None:
    """A kind whose steps take ten times as long is drawn about a tenth as often while it
    gains nothing (its share of the time is what is kept), and a restart waits until every
    kind has had its turn."""
    kinds = (Kind.EMPLOYEES, Kind.WINDOW, Kind.WEEKENDS)
    seconds = {Kind.EMPLOYEES: 0.3, Kind.WINDOW: 3.0, Kind.WEEKENDS: 3.0}
    rates = Rates(kinds)
    rng = random.Random(0)
    for kind in kinds:
        assert not rates.all_tried()
        assert rates.draw(rng) == kind
        rates.update(kind, gain=3.0 if kind == Kind.EMPLOYEES else 0.0, seconds=seconds[kind])
    assert rates.all_tried()
    draws = [rates.draw(rng) for _ in range(4000)]
    slow = draws.count(Kind.WINDOW) + draws.count(Kind.WEEKENDS)
    # With the exploring half split evenly the two slow kinds would be over a fifth of the
    # draws; split by their steps' length, about a twentieth.
    assert 20 < slow < 4000 / 10
    quick_time = draws.count(Kind.EMPLOYEES) * seconds[Kind.EMPLOYEES]
    assert slow * 3.0 < quick_time


def two_weekends(max_weekends: int | None):  # type: ignore[no-untyped-def]
    """Two weeks; one person wanted on each weekend day and no one on weekdays."""
    demand = tuple(
        HeadcountDemand(d, "D", 1 if d in (5, 6, 12, 13) else 0, 100, 1) for d in range(14)
    )
    contract = Contract(max_weekends=max_weekends, min_rest_minutes=0)
    return problem(days=14, headcount_demand=demand, employees=staff(2, contract))


def assert_each_works_one_whole_weekend(search: Search, outcome: lns.Outcome) -> None:
    assert outcome.objective == 0
    assert outcome.values is not None
    worked = {(search.keys[i][0], search.keys[i][1]) for i, v in enumerate(outcome.values) if v}
    assert worked in ({(0, 5), (0, 6), (1, 12), (1, 13)}, {(1, 5), (1, 6), (0, 12), (0, 13)})


def test_the_weekend_kind_moves_a_weekend_no_window_of_days_can() -> None:
    """Both may work one weekend of two and both work the first: a step must free the first
    weekend and the second together, for everyone."""
    p = two_weekends(max_weekends=1)
    search = new_search(build(p), SolveOptions(deterministic=True))
    values = [0] * len(search.variables)
    for i, (_, d, _) in enumerate(search.keys):
        values[i] = int(d in (5, 6))
    objective = objective_of(search, values)
    assert objective == 2 * 1 + 2 * 100  # over on the first weekend, under on the second
    search.record(values, objective)

    free = lns._free_weekends(search, random.Random(0), 0.0)
    assert {search.keys[i][1] for i in free} == {4, 5, 6, 7, 11, 12, 13}
    assert {search.keys[i][0] for i in free} == {0, 1}
    step = lns.Step(Kind.WEEKENDS, values, objective, frozenset(), frozenset(free), 5.0, 0)
    assert_each_works_one_whole_weekend(search, lns._run(search, step, 1))


def test_the_weekend_kind_is_a_plain_window_when_no_one_s_weekends_are_limited() -> None:
    search = new_search(build(two_weekends(max_weekends=None)), SolveOptions(deterministic=True))
    assert lns._free_weekends(search, random.Random(0), 0.3) == set()
    free = lns._neighbourhood(search, random.Random(0), Kind.WEEKENDS, 0.3)
    days = sorted({search.keys[i][1] for i in free})
    assert len(days) == round(14 * 0.3)
    assert days == list(range(days[0], days[0] + len(days)))


def test_a_window_at_a_miss_holds_the_day_of_the_missed_line() -> None:
    p = two_weekends(max_weekends=None)
    search = new_search(build(p), SolveOptions(deterministic=True))
    values = [int(e == 0 and d in (5, 6, 13)) for e, d, _ in search.keys]  # 12 is missed
    search.record(values, objective_of(search, values) or 0.0)
    for seed in range(20):
        free = lns._free_window_at_a_miss(search, random.Random(seed), 0.25)
        days = sorted({search.keys[i][1] for i in free})
        assert 12 in days
        assert days == list(range(days[0], days[0] + round(14 * 0.25)))


def test_the_half_weekend_kind_frees_who_works_one_day_of_a_weekend_and_mends_it() -> None:
    """e0 works Saturday of the first weekend only (Sunday missed) and e1 the second one
    whole: e0's half weekend spent their one weekend on one shift. Re-solving the chosen
    people's whole horizon gives e0 the whole first weekend."""
    p = two_weekends(max_weekends=1)
    search = new_search(build(p), SolveOptions(deterministic=True))
    values = [int((e == 0 and d == 5) or (e == 1 and d in (12, 13))) for e, d, _ in search.keys]
    objective = objective_of(search, values)
    assert objective == 100
    search.record(values, objective)

    chosen = lns._pick_half_weekends(search, random.Random(0), 0.0)
    assert chosen == {0, 1}  # the one with a half weekend, and one other to trade with
    step = lns.Step(Kind.HALF_WEEKENDS, values, objective, frozenset(chosen), frozenset(), 5.0, 0)
    assert_each_works_one_whole_weekend(search, lns._run(search, step, 1))


def test_the_half_weekend_kind_needs_limited_weekends_and_a_half_one() -> None:
    unlimited = new_search(build(two_weekends(max_weekends=None)), SolveOptions())
    unlimited.record([int(d == 5) for _, d, _ in unlimited.keys], 0.0)
    assert lns._pick_half_weekends(unlimited, random.Random(0), 0.5) == set()
    whole = new_search(build(two_weekends(max_weekends=1)), SolveOptions())
    whole.record([int(e == 0 and d in (5, 6)) for e, d, _ in whole.keys], 0.0)
    assert lns._pick_half_weekends(whole, random.Random(0), 0.5) == set()


def test_steps_are_longer_on_larger_models_unless_set() -> None:
    def search(choices: int, **options: Any) -> Any:
        return SimpleNamespace(
            options=SolveOptions(time_limit_seconds=60, **options),
            model_terms=choices * 10,  # Curtois & Qu 12: 15 600 choices, 150 800 terms
            elapsed=lambda: 0.0,
            left=lambda: 60.0,
            pace=lambda: 1.0,
            stretch={Kind.WINDOW: 4.0},
        )

    assert lns._step_seconds(search(1_500)) == 1.0
    assert lns._step_seconds(search(15_000)) == 2.0
    assert lns._step_seconds(search(80_000)) == 3.0
    assert lns._step_seconds(search(15_000, lns_step_seconds=0.5)) == 0.5
    # Half-weekend steps (whole horizons of many people) run twice as long.
    assert lns._step_seconds(search(15_000), Kind.HALF_WEEKENDS) == 4.0
    assert lns._step_seconds(search(1_500), Kind.HALF_WEEKENDS) == 2.0
    # A kind whose steps were starved (lns._adapt) gets its stretch.
    assert lns._step_seconds(search(1_500), Kind.WINDOW) == 4.0
    assert lns._step_seconds(search(1_500), Kind.EMPLOYEES) == 1.0


def roster_of(days: int, employees: int) -> Any:
    """What lns._adapt reads of a search: the problem's size and the kinds' stretch."""
    problem = SimpleNamespace(days=days, employees=[None] * employees)
    return SimpleNamespace(rm=SimpleNamespace(problem=problem), stretch={}, crowd={}, model_terms=0)


def test_half_weekend_steps_keep_their_size_when_they_do_not_close() -> None:
    sizes = dict.fromkeys(lns.KINDS, 0.2)
    open_ = lns.Outcome(closed=False, values=None, objective=float("inf"))
    search = roster_of(days=28, employees=60)
    for _ in range(30):
        lns._adapt(search, sizes, Kind.HALF_WEEKENDS, open_, improved=False)
        lns._adapt(search, sizes, Kind.EMPLOYEES, open_, improved=False)
    assert sizes[Kind.HALF_WEEKENDS] == lns.HALF_WEEKENDS_MIN_SIZE
    assert sizes[Kind.EMPLOYEES] < lns.HALF_WEEKENDS_MIN_SIZE  # the others shrink further


def test_starved_steps_get_longer_up_to_a_limit_and_others_keep_theirs() -> None:
    """A step with no roster at all (it did not even reach its hint), or one that gained
    nothing at the smallest neighbourhood its kind has, gets twice the work next time."""
    week = roster_of(days=7, employees=40)
    sizes = dict.fromkeys(lns.KINDS, 0.15)  # a 7-day window of 15 %: two days, the least
    hinted = lns.Outcome(closed=False, values=[0], objective=5.0, work=1.0)
    lns._adapt(week, sizes, Kind.WINDOW, hinted, improved=False)
    assert week.stretch == {Kind.WINDOW: 2.0}
    # Six people of forty can still get smaller: the size shrinks, the work stays.
    lns._adapt(week, sizes, Kind.EMPLOYEES, hinted, improved=False)
    assert Kind.EMPLOYEES not in week.stretch
    assert sizes[Kind.EMPLOYEES] < 0.15
    nothing = lns.Outcome(closed=False, values=None, objective=float("inf"), work=1.0)
    for _ in range(5):
        lns._adapt(week, sizes, Kind.EMPLOYEES, nothing, improved=False)
    assert week.stretch[Kind.EMPLOYEES] == lns.MAX_STRETCH
    # Closed steps and steps that gained change no stretch.
    lns._adapt(week, sizes, Kind.KEEP_DAYS, lns.Outcome(True, [0], 5.0, 1.0), improved=False)
    lns._adapt(week, sizes, Kind.KEEP_DAYS, hinted, improved=True)
    assert Kind.KEEP_DAYS not in week.stretch


def test_steps_over_the_whole_model_with_no_roster_get_smaller_and_longer() -> None:
    """Days of misses over everyone (a copy of the whole model, not some people's own
    problem): a step with no roster at all halves the kind's size and doubles its work, down
    to the least size and up to MAX_STRETCH; a two-day window, the least a window frees,
    keeps its size (less a tenth) and gets the work alone."""
    month = roster_of(days=28, employees=100)
    sizes = dict.fromkeys(lns.KINDS, 0.25)
    nothing = lns.Outcome(closed=False, values=None, objective=float("inf"), work=3.0)
    lns._adapt(month, sizes, Kind.DAYS_OF_MISSES, nothing, improved=False)
    assert sizes[Kind.DAYS_OF_MISSES] == pytest.approx(0.125)
    assert month.stretch[Kind.DAYS_OF_MISSES] == 2.0
    for _ in range(5):
        lns._adapt(month, sizes, Kind.DAYS_OF_MISSES, nothing, improved=False)
    assert sizes[Kind.DAYS_OF_MISSES] == lns._floor(month, Kind.DAYS_OF_MISSES)
    assert month.stretch[Kind.DAYS_OF_MISSES] == lns.MAX_STRETCH
    # The same step as some people's own problem is halved, not stretched.
    lns._adapt(month, sizes, Kind.WINDOW, nothing, improved=False, restricted=True)
    assert sizes[Kind.WINDOW] == pytest.approx(0.125)
    assert Kind.WINDOW not in month.stretch
    week = roster_of(days=7, employees=40)
    sizes = dict.fromkeys(lns.KINDS, 0.3)
    lns._adapt(week, sizes, Kind.WINDOW, nothing, improved=False)
    assert sizes[Kind.WINDOW] == pytest.approx(0.27)
    assert week.stretch[Kind.WINDOW] == 2.0


def test_a_restart_is_due_after_a_sixth_of_the_time_without_a_real_gain() -> None:
    def due(
        now: float, last_gain: float, limit: float = 60.0, construct: float = 0.0, settled=0.0
    ) -> bool:
        search = SimpleNamespace(
            options=SolveOptions(time_limit_seconds=limit),
            elapsed=lambda: now,
            construct_seconds=construct,
        )
        return lns._restart_due(search, last_gain, settled)  # type: ignore[arg-type]

    assert not due(now=19.0, last_gain=10.0)  # 9 s stalled: under the 10 s
    assert due(now=21.0, last_gain=10.0)
    assert not due(now=51.0, last_gain=20.0)  # not enough time left for another try
    assert due(now=40.0, last_gain=20.0)
    assert not due(now=40.0, last_gain=20.0, construct=12.0)  # nor after building its roster
    assert not due(now=200.0, last_gain=170.0, limit=600.0)  # 30 s of 100
    assert due(now=200.0, last_gain=99.0, limit=600.0)
    # A search that took 12 s to settle may restart with 24 s left, not with 20.
    assert due(now=36.0, last_gain=20.0, settled=12.0)
    assert not due(now=40.0, last_gain=20.0, settled=12.0)


def test_a_trajectory_settles_when_it_first_comes_within_two_percent_of_its_best() -> None:
    trajectory = lns.Trajectory(
        10.0, [(10.0, 2000.0), (14.0, 1030.0), (25.0, 1015.0), (40.0, 1000.0)]
    )
    assert trajectory.settled() == 15.0  # 1015 at 25 s is within 2 % of 1000; 1030 is not
    assert lns.Trajectory(3.0, [(3.0, 50.0)]).settled() == 0.0
    assert lns.Trajectory(0.0, []).settled() == 0.0


def test_parallel_search_restarts_when_stalled_and_ends_on_the_best_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A roster LNS cannot improve (no gain counts): after the stall a fresh first roster
    is tried; whatever it reaches, the result is never worse than the best found."""
    p = tight_problem()
    restarts: list[tuple[float, float]] = []
    restart = lns._restart

    def logged(search: Search, seed: int) -> bool:
        best = search.best_objective
        done = restart(search, seed)
        restarts.append((best, search.best_objective))
        return done

    monkeypatch.setattr(lns, "_restart", logged)
    monkeypatch.setattr(lns, "_restart_due", lambda search, last_gain, settled: not restarts)
    solution = solve(p, SolveOptions(time_limit_seconds=4, num_workers=2))
    assert len(restarts) == 1
    best_before, _ = restarts[0]
    assert solution.objective <= best_before
    assert check(p, solution.assignments) == []
    assert sum(solution.terms.values()) == solution.objective


@pytest.mark.parametrize("threads", [1, 2])
def test_search_stops_in_time_to_read_the_roster_out(
    monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """LNS leaves the time one evaluation of the whole roster took (what reading the best
    roster out costs): with an evaluation as long as the limit, no step is started."""
    p = tight_problem()
    options = SolveOptions(time_limit_seconds=30, num_workers=threads)
    search = new_search(build(p), options)
    values = lns.first_roster(search)
    assert values is not None
    objective = objective_of(search, values)
    assert objective is not None
    assert search.evaluation_seconds > 0
    search.record(values, objective)
    steps: list[lns.Step] = []
    monkeypatch.setattr(
        lns, "_run", lambda s, step, w: steps.append(step) or lns.Outcome(False, None, float("inf"))
    )
    search.evaluation_seconds = 30.0
    lns.improve(search)
    assert steps == []
    search.evaluation_seconds = 0.0
    monkeypatch.setattr(lns, "_restart_due", lambda *a: False)
    deadline = search.elapsed() + 0.5
    monkeypatch.setattr(search, "left", lambda: deadline - search.elapsed())
    lns.improve(search)
    assert steps  # with time left, steps run


def test_on_a_model_too_large_for_a_step_over_everyone_windows_free_some_people() -> None:
    """A window over everyone is cut to the kind's crowd of people and solved as their own
    problem, with their shifts outside the window kept; a step that then finds no roster
    at all halves the crowd, and one that closes without gain grows it again."""
    p = tight_problem()
    search = new_search(build(p), SolveOptions(time_limit_seconds=30))
    values = lns.first_roster(search)
    assert values is not None
    objective = objective_of(search, values)
    assert objective is not None
    search.record(values, objective)
    search.model_terms = 5 * lns.TERMS_PER_STEP_SECOND * lns.MAX_STEP_SECONDS  # too large
    assert lns._initial_crowd(search) == pytest.approx(0.4)
    step = lns._plan(search, random.Random(0), Kind.WINDOW, 0.25, seed=1)
    assert len(step.people) == 4  # 40 % of ten
    days = {search.keys[i][1] for i in step.free}
    assert len(days) == round(21 * 0.25)
    assert {search.keys[i][0] for i in step.free} == step.people
    outcome = lns._run(search, step, 1)
    assert outcome.values is not None
    moved = {
        i for i, (was, now) in enumerate(zip(values, outcome.values, strict=True)) if was != now
    }
    assert moved <= step.free
    assert objective_of(search, outcome.values) == outcome.objective

    sizes = lns._initial_sizes(search)
    lns._adapt(search, sizes, Kind.WINDOW, lns.Outcome(False, None, float("inf"), 3.0), False)
    assert lns._crowd(search, Kind.WINDOW) == pytest.approx(0.2)
    assert Kind.WINDOW not in search.stretch  # smaller, not longer
    lns._adapt(search, sizes, Kind.WINDOW, lns.Outcome(True, values, objective, 0.1), False)
    assert lns._crowd(search, Kind.WINDOW) == pytest.approx(0.24)
    assert lns._crowd(search, Kind.KEEP_DAYS) == pytest.approx(0.4)  # each kind its own

    search.model_terms = 0  # a model a step over everyone goes through: no one left out
    search.crowd.clear()
    step = lns._plan(search, random.Random(0), Kind.WINDOW, 0.25, seed=1)
    assert step.people == frozenset()
    assert {search.keys[i][0] for i in step.free} == set(range(10))


def test_a_step_whose_setup_would_pass_the_limit_is_not_started() -> None:
    """Setups are measured as steps run (building some people's problem per person, a copy
    of the model whole), and a step is started only when its setup at that pace ends
    within the time left; in deterministic mode the clock plays no part."""
    p = tight_problem()
    search = new_search(build(p), SolveOptions(time_limit_seconds=60))
    part = lns.Step(Kind.EMPLOYEES, [], 0.0, frozenset({0, 1, 2, 3}), frozenset(), 1.0, 1)
    copy = lns.Step(Kind.WINDOW, [], 0.0, frozenset(), frozenset({0}), 1.0, 1)
    assert lns._in_time(search, part)  # nothing measured
    assert lns._in_time(search, copy)
    search.note_setup(4, 8.0)  # 2 s a person
    search.note_setup(0, 3.0)
    assert search.part_seconds_per_person == 2.0
    search.note_setup(4, 4.0)  # a quicker one weighs half
    assert search.part_seconds_per_person == 1.5
    search.started -= 50  # about 10 s left: a part of 4 people (6 s) and a copy fit
    assert lns._in_time(search, part)
    assert lns._in_time(search, copy)
    search.started -= 5  # about 5 s left
    assert not lns._in_time(search, part)
    assert lns._in_time(search, copy)
    search.started -= 3  # about 2 s left
    assert not lns._in_time(search, copy)
    deterministic = new_search(build(p), SolveOptions(time_limit_seconds=60, deterministic=True))
    deterministic.note_setup(4, 400.0)
    deterministic.started -= 59
    assert lns._in_time(deterministic, part)
