"""Contract limits: minutes, days per week, consecutive days, days off, weekends, templates."""

import pytest

from scheduling.solver.model import CarriedState, Contract, HeadcountDemand, Status
from tests.scheduling.solver.helpers import DAY, LATE, cover, days_worked, problem, solved, staff


def test_max_days_per_week_leaves_demand_unmet_rather_than_break_it() -> None:
    p = problem(
        employees=staff(1, Contract(max_days_per_week=5)), headcount_demand=cover(7, "D", 1)
    )
    solution = solved(p)
    assert len(days_worked(solution, "e0")) == 5
    assert len(solution.unmet_headcount) == 2


def test_max_minutes_per_week() -> None:
    p = problem(
        employees=staff(1, Contract(max_minutes_per_week=3 * 480)),
        headcount_demand=cover(7, "D", 1),
    )
    assert len(solved(p).assignments) == 3


def test_min_minutes_total_makes_people_work_without_demand() -> None:
    p = problem(employees=staff(2, Contract(min_minutes_total=2 * 480)))
    solution = solved(p)
    assert all(len(days_worked(solution, e)) >= 2 for e in ("e0", "e1"))


def test_min_minutes_above_availability_is_reported_before_solving() -> None:
    contract = Contract(min_minutes_total=6 * 480, max_days_per_week=5)
    p = problem(employees=staff(1, contract))
    solution = solved(p)
    assert solution.status == Status.INFEASIBLE
    assert [(c.employee, c.rule) for c in solution.contradictions] == [("e0", "min_minutes_total")]
    assert solution.assignments == ()


def test_unavailable_days_cut_into_the_minimum_and_are_reported() -> None:
    contract = Contract(min_minutes_total=5 * 480)
    p = problem(employees=staff(1, contract, unavailable_days=frozenset({0, 1, 2})))
    solution = solved(p)
    assert solution.status == Status.INFEASIBLE
    assert solution.contradictions[0].rule == "min_minutes_total"


def test_max_consecutive_days_counts_days_carried_in() -> None:
    contract = Contract(max_consecutive_days=3)
    fresh = solved(problem(days=4, employees=staff(1, contract), headcount_demand=cover(4, "D", 1)))
    assert days_worked(fresh, "e0") in ([0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3])
    tired = staff(1, contract, carried=CarriedState(consecutive_days_worked=3))
    solution = solved(problem(days=4, employees=tired, headcount_demand=cover(4, "D", 1)))
    assert 0 not in days_worked(solution, "e0")


def test_min_consecutive_days_forbids_single_days_inside_the_horizon() -> None:
    # Demand on days 2 and 4 only: working just those would be two one-day runs.
    demand = tuple(h for h in cover(7, "D", 1, over=1) if h.day in (2, 4))
    p = problem(employees=staff(1, Contract(min_consecutive_days=2)), headcount_demand=demand)
    worked = days_worked(solved(p), "e0")
    runs = _runs(worked)
    assert all(length >= 2 for first, length in runs if first > 0 and first + length < 7)


def test_min_consecutive_days_off() -> None:
    demand = cover(7, "D", 1, under=10)
    p = problem(
        employees=staff(1, Contract(min_consecutive_days_off=2, max_days_per_week=5)),
        headcount_demand=demand,
    )
    worked = set(days_worked(solved(p), "e0"))
    off_runs = _runs([d for d in range(7) if d not in worked])
    assert all(length >= 2 for first, length in off_runs if first > 0 and first + length < 7)


def test_runs_touching_the_horizon_ends_are_exempt_only_when_asked() -> None:
    # One person wanted on day 0 only; every other day costs over-cover.
    demand = tuple(HeadcountDemand(d, "D", 1 if d == 0 else 0, 100, 1) for d in range(7))
    contract = Contract(min_consecutive_days=3)
    exempt = solved(problem(employees=staff(1, contract), headcount_demand=demand))
    assert days_worked(exempt, "e0") == [0]
    rested = staff(1, contract, carried=CarriedState(consecutive_days_off=2))
    strict = solved(
        problem(employees=rested, headcount_demand=demand, min_runs_exempt_at_borders=False)
    )
    assert days_worked(strict, "e0") in ([], [0, 1, 2])
    assert strict.objective == min(100, 2)  # working days 0-2 costs two over-covers


def test_max_weekends() -> None:
    p = problem(
        days=14,
        employees=staff(1, Contract(max_weekends=1)),
        headcount_demand=tuple(h for h in cover(14, "D", 1) if h.day in (5, 6, 12, 13)),
    )
    worked = days_worked(solved(p), "e0")
    assert not (set(worked) & {5, 6} and set(worked) & {12, 13})
    assert len(worked) == 2


def test_max_shifts_per_template() -> None:
    contract = Contract(max_shifts_per_template=(("L", 2),))
    p = problem(
        templates=(DAY, LATE), employees=staff(1, contract), headcount_demand=cover(7, "L", 1)
    )
    assert sum(1 for a in solved(p).assignments if a.template == "L") == 2


@pytest.mark.parametrize(("skills", "expected"), [(frozenset({"q"}), 1), (frozenset({"other"}), 0)])
def test_skills_limit_templates_of_a_queue(skills: frozenset[str], expected: int) -> None:
    from dataclasses import replace

    template = replace(DAY, queue="q")
    p = problem(
        days=1,
        templates=(template,),
        employees=staff(1, skills=skills),
        headcount_demand=cover(1, "D", 1),
    )
    assert len(solved(p).assignments) == expected


def _runs(days: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for d in days:
        if runs and runs[-1][0] + runs[-1][1] == d:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((d, 1))
    return runs


def test_unmet_demand_names_the_rules_that_bind() -> None:
    p = problem(
        employees=staff(2, Contract(max_days_per_week=5)), headcount_demand=cover(7, "D", 2)
    )
    solution = solved(p)
    assert sum(required - got for _, _, required, got in solution.unmet_headcount) == 4
    assert solution.binding_rules
    assert solution.binding_rules[0].startswith("max_days_per_week")
