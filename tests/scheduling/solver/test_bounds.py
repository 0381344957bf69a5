"""Lower bounds from the LP relaxation (relax.py): never above what a roster reaches, exact
where the rules leave no choice, valid when breaks move after solving; and the gap."""

import math
from dataclasses import replace

import pytest

from bench.curtois_gen import generate
from bench.curtois_read import read_problem
from scheduling.solver.model import (
    BreakRule,
    Contract,
    Employee,
    IntervalDemand,
    Problem,
    Request,
    ShiftTemplate,
    Solution,
    Status,
    Weights,
)
from scheduling.solver.relax import aggregate, bounds_for
from tests.scheduling.solver.helpers import DAY, LATE, cover, problem, solved, staff
from tests.scheduling.solver.test_search import busy_problem


def test_one_person_cannot_work_seven_days_in_a_row_so_eight_shifts_are_short() -> None:
    """Two wanted a day for a week, one person with at most five days in a row: six shifts
    at the most (days 0-4 and 6), so eight short, which the LP proves."""
    p = problem(
        employees=staff(1, Contract(max_consecutive_days=5, min_rest_minutes=0)),
        headcount_demand=cover(7, "D", 2),
    )
    solution = solved(p)
    assert solution.under_shifts == 8
    assert solution.lower_bounds is not None
    assert solution.lower_bounds.under_shifts == 8
    assert solution.status == Status.OPTIMAL


def generated(staff: int, shifts: int, seed: int) -> Problem:
    return read_problem(generate(staff, shifts, 14, seed).text)


@pytest.mark.parametrize(
    "p",
    [
        replace(busy_problem(), weights=Weights(request=1)),
        generated(10, 1, seed=0),
        generated(12, 2, seed=2),
    ],
    ids=["busy", "curtois-like 10x1", "curtois-like 12x2"],
)
def test_the_bound_is_never_above_an_optimal_roster(p: Problem) -> None:
    solution = solved(p, lns=False, time_limit_seconds=30)
    assert solution.status == Status.OPTIMAL
    assert solution.lower_bounds is not None
    assert solution.lower_bounds.objective <= solution.objective
    assert solution.lower_bounds.under_shifts <= solution.under_shifts
    assert solution.bound <= solution.objective


def test_alike_employees_are_one_lp_variable_per_shift_with_the_same_bound() -> None:
    """Six alike people aggregate into one representative; making each one different (a
    request of weight 0) keeps them apart, and both LPs give the same bound."""
    contract = Contract(max_days_per_week=4, max_consecutive_days=3, min_rest_minutes=0)
    alike = problem(
        days=14, templates=(DAY, LATE), employees=staff(6, contract),
        headcount_demand=cover(14, "D", 3) + cover(14, "L", 2),
    )  # fmt: skip
    apart = replace(alike, requests=tuple(Request(f"e{i}", 0, True, 0) for i in range(6)))
    assert len(aggregate(alike)[0].employees) == 1
    assert len(aggregate(apart)[0].employees) == 6
    _, together = bounds_for(alike, seconds=10)
    _, separate = bounds_for(apart, seconds=10)
    assert together is not None
    assert separate is not None
    assert together.objective == separate.objective
    assert together.under_shifts == separate.under_shifts == 14 * 5 - 6 * 8  # 8 days each


LUNCH = BreakRule(30, 180, 300, 30)  # nominally at 12:00 on an 08:00 shift
SHIFT = ShiftTemplate("S", 8 * 60, 8 * 60, (480,), breaks=(LUNCH,))


@pytest.mark.parametrize("minimum", [None, 60], ids=["in stages", "one model"])
def test_the_interval_bound_holds_when_breaks_move_after_solving(minimum: int | None) -> None:
    """One agent wanted 08:00-16:00 except at 11:00: the lunch moves there and nothing is
    short. A bound counting the lunch at its nominal 12:00 would say one interval is."""
    row = [1 if 16 <= period < 32 and period != 22 else 0 for period in range(48)]
    p = problem(
        days=1, interval_minutes=30, templates=(SHIFT,),
        employees=(Employee("a", Contract(min_minutes_per_week=minimum)),),
        interval_demand=(IntervalDemand("calls", (tuple(row),), 100, 1),),
    )  # fmt: skip
    solution = solved(p)
    assert [b.start_minute for a in solution.assignments for b in a.breaks] == [11 * 60]
    assert solution.under_agent_intervals == 0
    bounds = solution.lower_bounds
    assert bounds is not None
    assert bounds.under_agent_intervals == 0
    assert bounds.objective <= solution.objective
    assert bounds.paid_minutes == 450  # covering it all takes the shift


def test_the_paid_bound_is_what_the_cover_reached_costs_at_the_least() -> None:
    """Three wanted all day, two people: at least 16 intervals short; covering all but
    those takes both shifts."""
    row = [3 if 16 <= period < 32 else 0 for period in range(48)]
    shift = ShiftTemplate("S", 8 * 60, 8 * 60, (480,))
    p = problem(
        days=1, interval_minutes=30, templates=(shift,), employees=staff(2),
        interval_demand=(IntervalDemand("calls", (tuple(row),), 100, 1),),
    )  # fmt: skip
    solution = solved(p)
    assert solution.under_agent_intervals == 16
    assert solution.lower_bounds is not None
    assert solution.lower_bounds.under_agent_intervals == 16
    assert solution.lower_bounds.paid_minutes == 2 * 480


def answer(objective: float, bound: float) -> Solution:
    return Solution(Status.FEASIBLE, (), objective, bound, {}, 0.0)


def test_the_gap_is_unknown_without_a_useful_bound() -> None:
    assert answer(200.0, 150.0).gap == pytest.approx(0.25)
    assert answer(200.0, 200.0).gap == 0.0
    assert answer(0.0, 0.0).gap == 0.0
    assert math.isnan(answer(200.0, float("-inf")).gap)
    assert math.isnan(answer(190.0, 0.0).gap)  # "bound 0" proves nothing


def test_alike_employees_may_be_over_in_numbers_no_single_one_can() -> None:
    """Ten alike people wanted in the first hour of their only shift and by no one after:
    all ten work, nothing is short, and the aggregated LP must allow ten over at once."""
    row = [10 if hour == 8 else 0 for hour in range(24)]
    p = problem(
        days=1, employees=staff(10),
        interval_demand=(IntervalDemand("calls", (tuple(row),), 100, 1),),
    )  # fmt: skip
    solution = solved(p)
    assert solution.under_agent_intervals == 0
    assert solution.lower_bounds is not None
    assert solution.lower_bounds.under_agent_intervals == 0
    assert solution.lower_bounds.objective <= solution.objective == 70


def test_interval_rosters_on_one_model_are_bounded_by_the_anonymous_lp() -> None:
    # Weekly minimums keep this small roster on the one model (not the staged path).
    from bench.roster_scale import scale_problem

    p = scale_problem(10, 7, min_hours=True, queues=2)
    solution = solved(p)
    assert "lns" in solution.phase_seconds or "full solve" in solution.phase_seconds
    bounds = solution.lower_bounds
    assert bounds is not None
    assert bounds.under_agent_intervals <= solution.under_agent_intervals
    assert bounds.objective <= solution.objective
    # Paid minutes: what a roster with no more under-cover than this one must pay.
    assert bounds.paid_minutes is not None
    assert bounds.paid_minutes <= sum(a.paid_minutes for a in solution.assignments)
    # Fewer people than the demand needs: an under-cover nobody avoids.
    few = solved(replace(p, employees=p.employees[:2]))
    assert few.lower_bounds is not None
    assert 0 < few.lower_bounds.under_agent_intervals <= few.under_agent_intervals
