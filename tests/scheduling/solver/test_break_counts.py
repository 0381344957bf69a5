"""Interval rosters searched with their breaks placed by the model (build's break counts):
the model counts cover as the roster has it once breaks are placed, its optimum is the
roster's, and LNS steps start from a complete hint."""

import itertools

from ortools.sat.python import cp_model

from scheduling.solver.build import build
from scheduling.solver.model import (
    BreakRule,
    Contract,
    Employee,
    IntervalDemand,
    Problem,
    ShiftTemplate,
    Status,
)
from scheduling.solver.options import break_starts, day_options, fitting_breaks
from scheduling.solver.relax import anonymous_bounds, bounds_for
from scheduling.solver.search import SolveOptions, fixed_copy, new_search, objective_of
from tests.scheduling.solver.helpers import problem, solved

# A 30-minute lunch 2-4 h into a 6-hour shift starting 08:00 or 09:00 (half-hour intervals).
LUNCH = BreakRule(30, 120, 240, 30)
SIX = ShiftTemplate("S", 8 * 60, 9 * 60, (360,), start_step_minutes=60, breaks=(LUNCH,))


def calls(rows: list[list[int]]) -> IntervalDemand:
    return IntervalDemand("calls", tuple(tuple(row) for row in rows), 100, 0)


def week(needs: list[int], days: int, people: int) -> Problem:
    """`people` agents, the same need per half hour (periods 16-31, 08:00-16:00) each day."""
    row = [0] * 16 + needs + [0] * (48 - 16 - len(needs))
    return problem(
        days=days, interval_minutes=30, templates=(SIX,),
        employees=tuple(Employee(f"e{i}", Contract(min_rest_minutes=0)) for i in range(people)),
        interval_demand=(calls([row] * days),),
    )  # fmt: skip


def shortest(p: Problem) -> int:
    """The least under-cover of any roster of one day, by trying every shift and every lunch
    of every person (the instances here are tiny)."""
    per_person: list[list[tuple[int, ...]]] = []
    for _ in p.employees:
        covers: list[tuple[int, ...]] = [()]  # off
        for option in day_options(p, 0):
            rule = fitting_breaks(SIX, option.length_minutes)[0]
            for start in break_starts(rule, option.start_minute, option.length_minutes):
                lunch = range(start // 30, (start + rule.length_minutes) // 30)
                span = range(option.start_minute // 30, option.end_minute // 30)
                covers.append(tuple(t for t in span if t not in lunch))
        per_person.append(covers)
    need = p.interval_demand[0].required[0]
    best = sum(need)
    for choice in itertools.product(*per_person):
        got = [0] * 48
        for covered in choice:
            for t in covered:
                got[t] += 1
        best = min(best, sum(max(0, n - g) for n, g in zip(need, got, strict=True)))
    return best


def model_optimum(p: Problem, *, break_choices: bool) -> int:
    rm = build(p, break_choices=break_choices)
    rm.model.minimize(sum(rm.interval_short.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


NEEDS = [
    [1, 2, 2, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 0],  # two lunches to stagger
    [2, 2, 3, 3, 2, 2, 2, 3, 3, 2, 2, 1, 1, 0, 0, 0],  # more than three can cover
    [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0],  # a gap the lunch should take
]


def test_counts_of_breaks_per_shift_give_the_optimum_of_a_choice_per_person() -> None:
    """On every instance the model with break counts reaches exactly the least under-cover
    found by trying every shift and lunch of every person; with lunches at their nominal
    place (11:00 for an 08:00 start) it is worse on the second: 0 against 2."""
    optima = []
    for needs in NEEDS:
        p = week(needs, days=1, people=3)
        assert model_optimum(p, break_choices=True) == shortest(p)
        optima.append(model_optimum(p, break_choices=False))
    assert optima[1] == 2
    assert shortest(week(NEEDS[1], days=1, people=3)) == 0


def test_the_lp_bound_of_the_counts_model_is_never_above_the_optimum() -> None:
    for needs in NEEDS:
        p = week(needs, days=1, people=3)
        _, bounds = bounds_for(p, seconds=10)
        assert bounds is not None
        assert bounds.under_agent_intervals <= shortest(p)


def test_an_interval_roster_is_searched_with_its_breaks_placed_and_proven_optimal() -> None:
    """The solve's roster is as short as the optimum, its breaks are where the model put
    them (the rules checker in solved() passes them), and the bound from the model with its
    breaks placed proves it."""
    for needs in NEEDS:
        p = week(needs, days=1, people=3)
        solution = solved(p, time_limit_seconds=10)
        assert solution.under_agent_intervals == shortest(p)
        assert solution.status == Status.OPTIMAL
        assert solution.bound <= solution.objective + 1e-9
        for a in solution.assignments:
            assert len(a.breaks) == 1


def test_a_step_is_hinted_with_the_whole_solution_and_fixes_the_breaks_of_closed_days() -> None:
    p = week(NEEDS[0], days=3, people=3)
    rm = build(p, break_choices=True)
    search = new_search(rm, SolveOptions(time_limit_seconds=10))
    values = [int(o == 0 and e < 2) for e, _, o in search.keys]  # two at 08:00 each day
    objective = objective_of(search, values)
    assert objective is not None
    search.record(values, objective)
    assert search.solution_of(values) is not None
    free = {i for i, (_, d, _) in enumerate(search.keys) if d == 1}
    sub = fixed_copy(search, free)
    hinted = set(sub.proto.solution_hint.vars)
    assert hinted == set(range(len(sub.proto.variables)))
    for (d, _, _), (_, counts) in rm.break_counts.items():
        for _, count in counts:
            low, high = list(sub.proto.variables[count.index].domain)[:2]
            assert (low == high) == (d != 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(sub) == cp_model.OPTIMAL
    assert solver.objective_value <= objective
    # A roster with no solution noted is hinted with every break at its nominal place.
    other = [int(o == 1 and e == 0) for e, _, o in search.keys]
    assert search.solution_of(other) is None
    assert len(fixed_copy(search, set(), other).proto.solution_hint.vars) > len(values)


def test_one_model_interval_rosters_report_the_model_lp_when_it_is_stronger() -> None:
    """One agent, needed 08:00-14:00 three days running, may work two days in a row: a day
    is short whatever the roster. The anonymous LP (shift counts per day) knows nothing of
    runs of days and says none need be; the model's LP, with breaks placed by counts, finds
    the day, and the roster meets it (proven optimal)."""
    row = [0] * 16 + [1] * 12 + [0] * 20
    p = problem(
        days=3, interval_minutes=30, templates=(SIX,),
        employees=(
            Employee("a", Contract(min_rest_minutes=0, max_consecutive_days=2,
                                   min_minutes_per_week=60)),
        ),
        interval_demand=(calls([row] * 3),),
    )  # fmt: skip
    anonymous = anonymous_bounds(p, seconds=10)
    assert anonymous is not None
    solution = solved(p, time_limit_seconds=10)
    bounds = solution.lower_bounds
    assert bounds is not None
    assert bounds.under_agent_intervals > anonymous.under_agent_intervals
    assert bounds.under_agent_intervals == solution.under_agent_intervals
    assert solution.status == Status.OPTIMAL
