"""The first roster built one employee at a time, and the restricted problem it solves."""

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from scheduling.rules import check
from scheduling.solver import construct
from scheduling.solver.build import build
from scheduling.solver.construct import _alone, first_roster, restricted, scarcity
from scheduling.solver.model import (
    Contract,
    Employee,
    HeadcountDemand,
    Request,
    ShiftTemplate,
    Weights,
)
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


NIGHT = ShiftTemplate("N", 22 * 60, 22 * 60, (480,), is_night=True)


def night_problem():  # type: ignore[no-untyped-def]
    """e0 may work four nights at most and is the only one who can; e1 works days only.
    Cover: one day shift and one night shift on each of four days."""
    night_limited = Contract(max_shifts_per_template=(("N", 4),), min_rest_minutes=0)
    return problem(
        days=4, templates=(DAY, NIGHT),
        headcount_demand=cover(4, "D", 1) + cover(4, "N", 1),
        employees=(
            Employee("e0", contract=night_limited),
            Employee("e1", contract=night_limited, templates=frozenset({"D"})),
        ),
    )  # fmt: skip


def test_scarcity_weighs_the_lines_few_can_work_above_the_plentiful_ones() -> None:
    factors = scarcity(night_problem())
    # Nights: 4 asked of the 4 e0 may work. Days: 4 asked of the 8 both could work.
    assert factors == {**{(d, "D"): 1.5 for d in range(4)}, **{(d, "N"): 2.0 for d in range(4)}}


def test_scarcity_weighs_weekend_lines_when_weekends_worked_are_limited() -> None:
    """Two weeks, one line a day; three people may each work one weekend of the two: 4
    weekend shifts asked of 3 weekends x 2 days."""
    contract = Contract(max_weekends=1, min_rest_minutes=0)
    limited = problem(days=14, headcount_demand=cover(14, "D", 1), employees=staff(3, contract))
    factors = scarcity(limited)
    plain = 1.0 + 14 / (3 * 14)  # the template's own factor
    assert factors[(0, "D")] == pytest.approx(plain)
    for day in (5, 6, 12, 13):
        assert factors[(day, "D")] == pytest.approx(plain * (1 + 4 / 6))
    unlimited = replace(limited, employees=staff(3, Contract(min_rest_minutes=0)))
    assert list(scarcity(unlimited).values()) == [pytest.approx(plain)] * 14


def test_the_first_pass_gives_the_scarce_line_to_the_one_who_can_work_it() -> None:
    """e0 placed first: days and nights cost the same shortfall to leave open, so only the
    scarcity weight tells e0 to take the nights that e1 cannot."""
    p = night_problem()
    search = new_search(build(p), options())
    values = [0] * len(search.variables)
    assert _alone(search, 0, values, 1.0, scarcity(p))
    nights = [
        search.keys[i][1]
        for i, value in enumerate(values)
        if value and search.rm.options[search.keys[i][1]][search.keys[i][2]].template == "N"
    ]
    assert nights == [0, 1, 2, 3]


def test_one_person_priced_against_the_cover_gets_what_their_restricted_problem_gets() -> None:
    """alone.py prices each shift by what it changes in under- and over-cover, with no
    demand variables: the roster it gives the last person is as good as the one the
    restricted problem (with its demand lines) gives."""
    p = busy_problem()
    search = new_search(build(p), options(seed=1))
    values = first_roster(search, passes=1)
    assert values is not None
    mine = [i for i, (e, _, _) in enumerate(search.keys) if e == 3]
    for i in mine:
        values[i] = 0
    priced = list(values)
    assert _alone(search, 3, priced, 5.0)
    part = restricted(search, {3}, values)
    solver = cp_model.CpSolver()
    assert solver.solve(part.rm.model) == cp_model.OPTIMAL
    exact = list(values)
    for variable, index in zip(part.variables, part.indexes, strict=True):
        exact[index] = int(solver.value(variable))
    assert objective_of(search, priced) == objective_of(search, exact)


def test_the_first_pass_gives_the_same_roster_with_the_next_model_built_meanwhile() -> None:
    """Two workers build the next person's model while one is solved: same roster."""
    p = busy_problem()
    alone = first_roster(new_search(build(p), options(seed=3, num_workers=1)), passes=1)
    ahead = first_roster(new_search(build(p), options(seed=3, num_workers=2)), passes=1)
    assert alone is not None
    assert alone == ahead


MODEL_DIGEST = """
import hashlib
from tests.scheduling.solver.helpers import DAY, LATE, cover, problem, staff
from tests.scheduling.solver.test_construct import NIGHT
from scheduling.solver.build import build
from scheduling.solver.model import Contract
p = problem(
    days=7, templates=(DAY, LATE, NIGHT), headcount_demand=cover(7, "D", 2),
    employees=staff(3, Contract(min_rest_minutes=0)),
    forbidden_transitions=frozenset({("L", "D"), ("N", "D"), ("N", "L"), ("L", "N")}),
)
print(hashlib.sha256(str(build(p).model.proto).encode()).hexdigest())
"""


def test_the_model_is_the_same_whatever_the_hash_seed() -> None:
    """Forbidden transitions are a set of pairs of names, whose order is the string hash's
    and so changes from process to process: the model must not follow it (a seeded solve
    gave another roster in every run)."""
    root = Path(__file__).resolve().parents[3]
    digests = {
        subprocess.run(
            [sys.executable, "-c", MODEL_DIGEST],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_a_person_whose_priced_solve_runs_out_of_work_keeps_a_roster_of_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each person is first given any roster of their own rules (objective-free) and the
    priced solve starts from it: when the priced solve finds nothing within its work (as on
    long horizons, where from no shifts it spent its work before finding any roster), the
    pass still ends with a roster keeping every hard rule, each person on their own."""
    solve_alone = construct._solve_alone
    priced_calls = []

    def out_of_work(search, who, hints, seconds, *, priced=True):  # type: ignore[no-untyped-def]
        solved = solve_alone(search, who, hints, seconds, priced=priced)
        if priced:
            priced_calls.append(hints)
            return construct._Solved(False, [], solved.work)
        return solved

    monkeypatch.setattr(construct, "_solve_alone", out_of_work)
    p = busy_problem()
    search = new_search(build(p), options(seed=5))
    values = first_roster(search, passes=1)
    assert values is not None
    assert len(priced_calls) == len(p.employees)
    assert all(any(hints) for hints in priced_calls)  # each started from a roster of theirs
    assignments = [
        assignment_of(search, e, d, o)
        for value, (e, d, o) in zip(values, search.keys, strict=True)
        if value
    ]
    assert check(p, assignments) == []
    assert {a.employee for a in assignments} == {e.id for e in p.employees}
