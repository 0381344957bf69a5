"""Demand: headcount per day and template, and agents per interval; shortfalls are reported."""

from scheduling.solver.build import build
from scheduling.solver.model import (
    BreakRule,
    HeadcountDemand,
    IntervalDemand,
    ShiftTemplate,
    Status,
)
from tests.scheduling.solver.helpers import DAY, cover, problem, solved, staff


def test_exact_headcount_cover_is_optimal() -> None:
    solution = solved(problem(employees=staff(3), headcount_demand=cover(7, "D", 2)))
    assert solution.status == Status.OPTIMAL
    assert solution.terms["under_cover"] == 0
    assert solution.terms["over_cover"] == 0
    per_day = [sum(1 for a in solution.assignments if a.day == d) for d in range(7)]
    assert per_day == [2] * 7


def test_not_enough_staff_gives_a_roster_with_the_shortfall_listed() -> None:
    solution = solved(problem(employees=staff(1), headcount_demand=cover(3, "D", 2, under=10)))
    assert solution.status == Status.OPTIMAL  # the best possible roster, not "infeasible"
    assert solution.terms["under_cover"] == 3 * 10
    assert sorted(solution.unmet_headcount) == [(d, "D", 2, 1) for d in range(3)]


def test_over_cover_is_avoided_when_it_costs() -> None:
    demand = (HeadcountDemand(0, "D", 0, under_weight=100, over_weight=5),)
    solution = solved(problem(days=1, employees=staff(2), headcount_demand=demand))
    assert solution.assignments == ()
    assert solution.objective == 0


def test_interval_demand_is_covered_by_shift_starts() -> None:
    template = ShiftTemplate("P", 8 * 60, 12 * 60, (240,), start_step_minutes=60, queue="q")
    required = tuple(tuple(1 if 9 <= h < 15 else 0 for h in range(24)) for _ in range(1))
    p = problem(
        days=1,
        templates=(template,),
        employees=staff(3),
        interval_demand=(IntervalDemand("q", required, under_weight=100, over_weight=1),),
    )
    solution = solved(p)
    assert solution.unmet_intervals == ()
    # Six hours of demand need two 4-hour shifts, which must overlap it by two agent-hours.
    assert len(solution.assignments) == 2
    assert solution.terms["over_cover"] == 2
    assert solution.status == Status.OPTIMAL


def test_breaks_take_agents_off_the_phones() -> None:
    lunch = BreakRule(length_minutes=60, earliest_offset_minutes=240, latest_offset_minutes=240)
    template = ShiftTemplate("P", 8 * 60, 8 * 60, (540,), queue="q", breaks=(lunch,))
    required = (tuple(1 if 8 <= h < 17 else 0 for h in range(24)),)
    p = problem(
        days=1,
        templates=(template,),
        employees=staff(1),
        interval_demand=(IntervalDemand("q", required, under_weight=10, over_weight=0),),
    )
    solution = solved(p)
    assert [(u.day, u.period) for u in solution.unmet_intervals] == [(0, 12)]
    assert solution.assignments[0].paid_minutes == 480


def test_unmet_intervals_are_listed_when_nobody_can_work() -> None:
    template = ShiftTemplate("P", 8 * 60, 8 * 60, (240,), queue="q")
    required = (tuple(2 if 8 <= h < 12 else 0 for h in range(24)),)
    p = problem(
        days=1,
        templates=(template,),
        employees=staff(1),
        interval_demand=(IntervalDemand("q", required),),
    )
    solution = solved(p)
    assert len(solution.unmet_intervals) == 4
    assert {(u.required, u.scheduled) for u in solution.unmet_intervals} == {(2, 1)}
    assert solution.status in (Status.OPTIMAL, Status.FEASIBLE)


def test_headcount_and_templates_both_count() -> None:
    p = problem(days=2, templates=(DAY,), employees=staff(2), headcount_demand=cover(2, "D", 1))
    solution = solved(p)
    assert len(solution.assignments) == 2


def test_cover_variables_are_named_after_their_line() -> None:
    rm = build(problem(days=2, headcount_demand=cover(2, "D", 1)))
    names = {getattr(v, "name", None) for v in rm.headcount_short.values()}
    assert names == {"under_0_D", "under_1_D"}
    model_names = {v.name for v in rm.model.proto.variables}
    assert {"over_0_D", "over_1_D", "x_0_0_0", "w_0_0"} <= model_names
