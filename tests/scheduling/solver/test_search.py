"""Search behaviour: determinism with a seed, progress reports, named objective terms."""

import pytest

import scheduling.solver.solve as solve_module
from scheduling.solver.build import build
from scheduling.solver.model import Contract, HeadcountDemand, Request, Weights
from scheduling.solver.search import LARGE_MODEL, new_search
from scheduling.solver.solve import SolveOptions, solve
from tests.scheduling.solver.helpers import DAY, EARLY, LATE, cover, problem, solved, staff


def busy_problem():  # type: ignore[no-untyped-def]
    demand = cover(14, "D", 3, under=50) + tuple(
        HeadcountDemand(d, "L", 2, 50, 1) for d in range(14)
    )
    requests = tuple(Request(f"e{e}", (e * 3) % 14, on=False, weight=5) for e in range(8))
    return problem(
        days=14, templates=(DAY, LATE), headcount_demand=demand, requests=requests,
        employees=staff(8, Contract(max_days_per_week=5, max_consecutive_days=4, max_weekends=1)),
        weights=Weights(request=1, fairness_weekends=3),
    )  # fmt: skip


def test_the_same_seed_gives_the_same_roster_in_deterministic_mode() -> None:
    options = SolveOptions(
        time_limit_seconds=2, deterministic=True, lns_steps=6, lns_step_seconds=0.3, seed=3
    )
    first = solve(busy_problem(), options)
    second = solve(busy_problem(), options)
    assert first.assignments == second.assignments
    assert first.objective == second.objective


def test_progress_is_reported_and_the_objective_is_the_sum_of_named_terms() -> None:
    seen: list[tuple[float, float, float]] = []
    solution = solve(
        busy_problem(),
        SolveOptions(time_limit_seconds=3, num_workers=2),
        progress=lambda *p: seen.append(p),
    )
    assert seen
    assert [objective for _, objective, _ in seen] == sorted(
        (objective for _, objective, _ in seen), reverse=True
    )
    assert seen[-1][1] == solution.objective
    assert set(solution.terms) >= {"under_cover", "over_cover", "requests", "fair_weekends"}
    assert sum(solution.terms.values()) == solution.objective
    assert solution.bound <= solution.objective
    assert 0 <= solution.gap <= 1


def test_requests_are_granted_when_they_cost_nothing() -> None:
    requests = (
        Request("e0", 2, on=False, weight=9),
        Request("e1", 4, on=True, weight=9, template="D"),
    )
    p = problem(
        employees=staff(2), headcount_demand=cover(7, "D", 1, under=100, over=1), requests=requests
    )
    solution = solved(p)
    assert solution.terms["requests"] == 0
    assert not any(a.employee == "e0" and a.day == 2 for a in solution.assignments)
    assert any(a.employee == "e1" and a.day == 4 for a in solution.assignments)


def test_paid_cost_prefers_the_cheaper_employee() -> None:
    from scheduling.solver.model import Employee

    employees = (Employee("dear", cost_per_hour=30.0), Employee("cheap", cost_per_hour=15.0))
    p = problem(
        days=1,
        employees=employees,
        headcount_demand=cover(1, "D", 1, under=100_000),  # on the scale of minutes x rate
        weights=Weights(paid_minute=1),
    )
    solution = solved(p)
    assert [a.employee for a in solution.assignments] == ["cheap"]
    assert solution.terms["paid"] == 480 * 15


def test_a_restart_keeps_the_best_aside_and_reports_only_what_beats_it() -> None:
    seen: list[float] = []
    search = new_search(
        build(problem(headcount_demand=cover(7, "D", 1))),
        SolveOptions(),
        progress=lambda seconds, objective, bound: seen.append(objective),
    )
    a, b, c, d = ([i] * len(search.variables) for i in range(4))
    assert search.record(a, 10.0)
    search.restart(b, 20.0)
    assert search.best_values is b  # LNS works from the new roster ...
    assert search.record(c, 15.0)  # ... and its gains count as gains,
    assert seen == [10.0]  # but none is reported while it is worse than the best
    search.settle()
    assert (search.best_values, search.best_objective) == (a, 10.0)

    search.restart(b, 20.0)
    assert search.record(d, 5.0)
    assert seen == [10.0, 5.0]
    search.settle()
    assert (search.best_values, search.best_objective) == (d, 5.0)
    assert search.kept_values is None


def test_large_models_skip_the_full_solve_once_a_first_roster_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above LARGE_MODEL choices LNS gets the whole time limit (the bound is then the LP's);
    small models still get their full solve, which proves them optimal."""
    full_solves: list[float] = []
    real = solve_module.solver_for

    def counted(options, seconds, seed, **kwargs):  # type: ignore[no-untyped-def]
        full_solves.append(seconds)
        return real(options, seconds, seed, **kwargs)

    monkeypatch.setattr(solve_module, "solver_for", counted)
    large = problem(
        days=28, templates=(EARLY, DAY, LATE), employees=staff(50),
        headcount_demand=cover(28, "D", 20) + cover(28, "L", 10) + cover(28, "E", 10),
    )  # fmt: skip
    assert len(new_search(build(large), SolveOptions()).variables) > LARGE_MODEL
    solution = solved(large, steps=2, time_limit_seconds=10)
    assert full_solves == []
    assert solution.lower_bounds is not None
    assert solution.bound == solution.lower_bounds.objective
    assert solution.terms["under_cover"] == 0

    small = solved(busy_problem(), steps=2)
    assert len(full_solves) == 1
    assert small.bound <= small.objective


def test_in_deterministic_mode_a_longer_limit_never_gives_a_worse_roster() -> None:
    """The limit is read as work (idle-machine seconds), and a phase or step that does not
    fit ends the search: a longer limit runs the very same search further."""
    from tests.scheduling.solver.test_lns import tight_problem

    p = tight_problem()
    objectives = []
    for limit in (1.0, 2.0, 3.0):
        options = SolveOptions(
            time_limit_seconds=limit, deterministic=True, seed=3, lns_step_seconds=0.25
        )
        objectives.append(solve(p, options).objective)
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] < objectives[0]  # the longer searches did get further
