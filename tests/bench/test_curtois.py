"""The Curtois & Qu mapping: Instance 1 solves to its proven optimum, 607, and the independent
evaluator (bench/curtois_eval.py, no shared code) scores the roster 607 with no violations."""

from pathlib import Path

from bench.curtois import to_problem
from bench.curtois_eval import evaluate
from scheduling.rules import check
from scheduling.solver.model import Status
from scheduling.solver.solve import SolveOptions, solve

INSTANCE1 = Path(__file__).resolve().parents[2] / "fixtures" / "curtois_instance1.txt"


def test_instance1_roster_scores_607_under_the_evaluator() -> None:
    text = INSTANCE1.read_text()
    problem = to_problem(text)
    solution = solve(problem, SolveOptions(time_limit_seconds=30, num_workers=2, seed=1))
    assert solution.status == Status.OPTIMAL
    assert solution.objective == 607
    assert check(problem, solution.assignments) == []
    roster: dict[str, list[str | None]] = {e.id: [None] * problem.days for e in problem.employees}
    for a in solution.assignments:
        roster[a.employee][a.day] = a.template
    evaluation = evaluate(text, roster)
    assert evaluation.violations == []
    assert evaluation.objective == 607
    assert solution.terms == {
        "under_cover": evaluation.penalties["under_cover"],
        "over_cover": evaluation.penalties["over_cover"],
        "requests": evaluation.penalties["on_requests"] + evaluation.penalties["off_requests"],
    }


def test_evaluator_prices_an_empty_roster_at_every_cover_line_and_on_request() -> None:
    text = INSTANCE1.read_text()
    evaluation = evaluate(text, {})
    assert evaluation.objective == 7137  # 7100 under-cover + 37 unmet on-requests
    assert evaluation.violations  # everybody is below their minimum minutes
