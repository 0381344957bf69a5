"""The two-stage path (pure interval demand): names respect every rule, capacity is planned."""

from scheduling.solver.model import Contract, Employee, IntervalDemand, ShiftTemplate, Status
from tests.scheduling.solver.helpers import problem, solved

LATE = ShiftTemplate("L", 15 * 60, 15 * 60, (480,), queue="q")
EARLY = ShiftTemplate("E", 6 * 60, 6 * 60, (480,), queue="q")


def need(days: list[dict[int, int]]) -> IntervalDemand:
    rows = tuple(tuple(day.get(h, 0) for h in range(24)) for day in days)
    return IntervalDemand("q", rows, under_weight=1000, over_weight=1)


def test_naming_keeps_eleven_hours_rest_between_a_late_and_an_early() -> None:
    late_then_early = [{h: 1 for h in range(15, 23)}, {h: 1 for h in range(6, 14)}]
    alone = problem(days=2, templates=(LATE, EARLY), employees=(Employee("a"),),
                    interval_demand=(need(late_then_early),))  # fmt: skip
    solution = solved(alone)
    assert len(solution.assignments) == 1
    assert len(solution.unmet_intervals) == 8
    assert solution.binding_rules
    assert solution.binding_rules[0].startswith("min_rest")
    pair = problem(days=2, templates=(LATE, EARLY), employees=(Employee("a"), Employee("b")),
                   interval_demand=(need(late_then_early),))  # fmt: skip
    both = solved(pair)
    assert both.unmet_intervals == ()
    assert {a.employee for a in both.assignments} == {"a", "b"}


def test_weekly_capacity_is_planned_before_naming() -> None:
    # Seven days of demand for one agent, two people who may each work 4 days a week.
    week = [{h: 1 for h in range(6, 14)} for _ in range(7)]
    contract = Contract(max_days_per_week=4, max_consecutive_days=3)
    staff = (Employee("a", contract), Employee("b", contract))
    p = problem(days=7, templates=(EARLY,), employees=staff, interval_demand=(need(week),))
    solution = solved(p)
    assert solution.unmet_intervals == ()
    assert len(solution.assignments) == 7
    assert solution.status == Status.OPTIMAL
