"""The two-stage path (pure interval demand): names respect every rule, capacity is planned."""

from collections import Counter
from dataclasses import replace

import pytest

from bench.roster_scale import scale_problem
from scheduling.solver import solve as solve_module
from scheduling.solver.decompose import greedy_week, short_of_minimums
from scheduling.solver.model import Contract, Employee, IntervalDemand, ShiftTemplate, Status
from scheduling.solver.options import day_options
from scheduling.solver.relax import anonymous_bounds
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


# --- Weekly minimums and several queues, named in stages (the scale path) -----------------


@pytest.fixture
def staged_with_minimums(monkeypatch: pytest.MonkeyPatch) -> None:
    """Weekly minimums take the staged path at any size (it does above 200 000 choices)."""
    monkeypatch.setattr(solve_module, "STAGED_WITH_MINIMUMS", 0)


@pytest.mark.usefixtures("staged_with_minimums")
def test_weekly_minimums_and_skills_hold_when_named_in_stages() -> None:
    p = scale_problem(24, 14, min_hours=True, queues=3)
    solution = solved(p)  # fails on any rule broken: minimums, rest, days a week
    assert "anonymous plan" in solution.phase_seconds  # it did take the staged path
    skills = {e.id: e.skills for e in p.employees}
    assert all(a.queue in skills[a.employee] for a in solution.assignments)
    assert short_of_minimums(p, list(solution.assignments)) == 0
    # Someone works every queue's demand.
    assert {a.queue for a in solution.assignments} == {"q0", "q1", "q2"}


@pytest.mark.usefixtures("staged_with_minimums")
def test_minimums_above_the_demand_add_shifts_rather_than_break_the_contract() -> None:
    p = scale_problem(12, 7, min_hours=True)
    little = tuple(
        replace(d, required=tuple(tuple(v // 4 for v in row) for row in d.required))
        for d in p.interval_demand
    )
    solution = solved(replace(p, interval_demand=little))
    worked = Counter()
    for a in solution.assignments:
        worked[a.employee] += a.paid_minutes
    for e in p.employees:
        assert worked[e.id] >= e.contract.min_minutes_per_week


def test_the_greedy_week_plan_keeps_within_the_team_capacity() -> None:
    p = scale_problem(30, 7, min_hours=True, queues=3)
    options = [day_options(p, d) for d in range(p.days)]
    counts = greedy_week(p, p.weeks()[0], options, Counter())
    for d in range(7):
        assert sum(c for (day, _), c in counts.items() if day == d) <= len(p.employees)
    shift_days = sum(e.contract.max_days_per_week or 7 for e in p.employees)
    assert sum(counts.values()) <= shift_days
    assert counts  # demand is there: it plans shifts


@pytest.mark.usefixtures("staged_with_minimums")
def test_the_anonymous_bound_is_below_every_roster() -> None:
    p = scale_problem(20, 7, min_hours=True, queues=2)
    bounds = anonymous_bounds(p, seconds=30)
    assert bounds is not None
    solution = solved(p)
    assert bounds.under_agent_intervals <= solution.under_agent_intervals
    assert bounds.objective <= solution.objective
    # Too few people for the demand: an under-cover that no roster avoids.
    few = replace(p, employees=p.employees[:4])
    short = anonymous_bounds(few, seconds=30)
    assert short is not None
    assert short.under_agent_intervals > 0
    assert short.under_agent_intervals <= solved(few).under_agent_intervals
