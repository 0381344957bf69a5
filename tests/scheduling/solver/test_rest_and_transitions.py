"""Rest between shifts, forbidden transitions, carried-in rest."""

from dataclasses import replace

from scheduling.solver.model import CarriedState, Contract, HeadcountDemand, Status
from tests.scheduling.solver.helpers import EARLY, LATE, problem, solved, staff

# A late shift (15:00-23:00) then an early one (06:00-14:00) leaves 7 h of rest.
LATE_THEN_EARLY = (HeadcountDemand(0, "L", 1, 100, 0), HeadcountDemand(1, "E", 1, 100, 0))


def test_one_person_cannot_do_late_then_early_with_eleven_hours_rest() -> None:
    p = problem(
        days=2, templates=(EARLY, LATE), employees=staff(1), headcount_demand=LATE_THEN_EARLY
    )
    solution = solved(p)
    assert len(solution.assignments) == 1
    assert solution.terms["under_cover"] == 100
    assert len(solution.unmet_headcount) == 1


def test_two_people_share_the_late_and_the_early() -> None:
    p = problem(
        days=2, templates=(EARLY, LATE), employees=staff(2), headcount_demand=LATE_THEN_EARLY
    )
    solution = solved(p)
    assert solution.terms["under_cover"] == 0
    assert len({a.employee for a in solution.assignments}) == 2


def test_shorter_rest_rule_allows_it() -> None:
    p = problem(
        days=2,
        templates=(EARLY, LATE),
        employees=staff(1, Contract(min_rest_minutes=7 * 60)),
        headcount_demand=LATE_THEN_EARLY,
    )
    assert solved(p).terms["under_cover"] == 0


def test_rest_counts_from_the_shift_before_the_horizon() -> None:
    carried = CarriedState(last_shift_end_minute=-60)  # ended 23:00 the day before
    p = problem(
        days=1,
        templates=(EARLY,),
        employees=staff(1, carried=carried),
        headcount_demand=(HeadcountDemand(0, "E", 1, 100, 0),),
    )
    solution = solved(p)
    assert solution.assignments == ()
    assert solution.terms["under_cover"] == 100


def test_forbidden_transition_is_respected_and_relaxed_without_it() -> None:
    demand = (HeadcountDemand(0, "E", 1, 100, 0), HeadcountDemand(1, "L", 1, 100, 0))
    base = problem(days=2, templates=(EARLY, LATE), employees=staff(1), headcount_demand=demand)
    blocked = solved(replace(base, forbidden_transitions=frozenset({("E", "L")})))
    assert blocked.terms["under_cover"] == 100
    assert solved(base).terms["under_cover"] == 0
    assert solved(base).status == Status.OPTIMAL
