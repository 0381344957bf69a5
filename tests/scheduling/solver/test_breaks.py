"""Breaks are placed per person inside their windows so that coverage stays best."""

from scheduling.solver.model import BreakRule, Employee, IntervalDemand, ShiftTemplate, Status
from tests.scheduling.solver.helpers import problem, solved

LUNCH = BreakRule(
    length_minutes=60, earliest_offset_minutes=180, latest_offset_minutes=300, step_minutes=60
)
NINE_HOURS = ShiftTemplate("N", 8 * 60, 8 * 60, (540,), queue="q", breaks=(LUNCH,))


def demand(hour_needs: dict[int, int]) -> IntervalDemand:
    return IntervalDemand("q", (tuple(hour_needs.get(h, 0) for h in range(24)),), 100, 1)


def test_two_lunches_are_staggered_to_keep_one_agent_on_the_phones() -> None:
    # Two agents 08:00-17:00; one is enough from 12:00 to 14:00, when they should lunch.
    needs = {h: 2 for h in range(8, 17)} | {12: 1, 13: 1}
    p = problem(
        days=1, templates=(NINE_HOURS,), employees=(Employee("a"), Employee("b")),
        interval_demand=(demand(needs),),
    )  # fmt: skip
    solution = solved(p)
    assert solution.unmet_intervals == ()
    lunches = sorted(b.start_minute // 60 for a in solution.assignments for b in a.breaks)
    assert lunches == [12, 13]
    assert solution.status == Status.OPTIMAL


def test_a_lunch_goes_where_it_costs_the_least() -> None:
    needs = {h: 1 for h in range(8, 17)} | {11: 0}
    p = problem(
        days=1, templates=(NINE_HOURS,), employees=(Employee("a"),),
        interval_demand=(demand(needs),),
    )  # fmt: skip
    solution = solved(p)
    assert [b.start_minute // 60 for b in solution.assignments[0].breaks] == [11]
    assert solution.unmet_intervals == ()
