"""The first roster built one employee at a time, and the restricted problem it solves."""

from dataclasses import replace

from scheduling.rules import check
from scheduling.solver.build import build
from scheduling.solver.construct import first_roster, restricted
from scheduling.solver.model import Contract, HeadcountDemand, Request, Weights
from scheduling.solver.search import SolveOptions, assignment_of, new_search, objective_of
from tests.scheduling.solver.helpers import DAY, LATE, cover, problem, staff


def busy_problem():  # type: ignore[no-untyped-def]
    demand = cover(14, "D", 3, under=50) + tuple(
        HeadcountDemand(d, "L", 2, 50, 1) for d in range(14)
    )
    requests = tuple(Request(f"e{e}", (e * 3) % 14, on=False, weight=5) for e in range(8))
    contract = Contract(
        max_days_per_week=5, max_consecutive_days=4, min_consecutive_days=2, max_weekends=1,
        min_minutes_total=6 * 480,
    )  # fmt: skip
    return problem(
        days=14, templates=(DAY, LATE), headcount_demand=demand, requests=requests,
        employees=staff(8, contract), forbidden_transitions=frozenset({("L", "D")}),
    )  # fmt: skip


def options(**fields):  # type: ignore[no-untyped-def]
    return SolveOptions(time_limit_seconds=10, deterministic=True, **fields)


def test_first_roster_keeps_every_hard_rule_and_beats_an_empty_roster() -> None:
    p = busy_problem()
    search = new_search(build(p), options(seed=4))
    values = first_roster(search)
    assert values is not None
    assignments = [
        assignment_of(search, e, d, o)
        for value, (e, d, o) in zip(values, search.keys, strict=True)
        if value
    ]
    assert check(p, assignments) == []
    objective = objective_of(search, values)
    assert objective is not None
    empty = sum(line.under_weight * line.required for line in p.headcount_demand)
    assert objective < empty / 2


def test_first_roster_is_the_same_for_the_same_seed() -> None:
    p = busy_problem()
    first = first_roster(new_search(build(p), options(seed=2)))
    second = first_roster(new_search(build(p), options(seed=2)))
    assert first is not None
    assert first == second


def test_no_first_roster_when_fairness_ties_employees_together() -> None:
    p = replace(busy_problem(), weights=Weights(request=1, fairness_weekends=2))
    assert first_roster(new_search(build(p), options())) is None


def test_restricted_problem_frees_only_the_chosen_employees() -> None:
    p = busy_problem()
    search = new_search(build(p), options())
    values = [0] * len(search.variables)
    part = restricted(search, {2, 5}, values)
    freed = {search.keys[i][0] for i in part.indexes}
    assert freed == {2, 5}
    assert sorted(part.indexes) == [i for i, (e, _, _) in enumerate(search.keys) if e in {2, 5}]
    assert [e.id for e in part.rm.problem.employees] == ["e2", "e5"]
