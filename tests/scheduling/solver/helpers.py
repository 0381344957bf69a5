"""Small roster problems and a solve that always re-checks the result with rules.py."""

from dataclasses import replace
from typing import Any

from scheduling.rules import check
from scheduling.solver.model import (
    Contract,
    Employee,
    HeadcountDemand,
    Problem,
    ShiftTemplate,
    Solution,
    Status,
)
from scheduling.solver.solve import SolveOptions, solve

DAY = ShiftTemplate("D", 8 * 60, 8 * 60, (480,))
LATE = ShiftTemplate("L", 15 * 60, 15 * 60, (480,), is_late=True)
EARLY = ShiftTemplate("E", 6 * 60, 6 * 60, (480,))


def staff(n: int, contract: Contract | None = None, **fields: Any) -> tuple[Employee, ...]:
    return tuple(Employee(id=f"e{i}", contract=contract or Contract(), **fields) for i in range(n))


def cover(
    days: int, template: str, required: int, *, under: int = 100, over: int = 1
) -> tuple[HeadcountDemand, ...]:
    return tuple(HeadcountDemand(d, template, required, under, over) for d in range(days))


def problem(**fields: Any) -> Problem:
    base = Problem(
        days=7, first_weekday=0, interval_minutes=60, templates=(DAY,), employees=staff(3)
    )
    return replace(base, **fields)


def solved(p: Problem, *, steps: int = 15, **options: Any) -> Solution:
    """Solve deterministically and fail on any hard-rule violation of the result."""
    settings = SolveOptions(
        time_limit_seconds=options.pop("time_limit_seconds", 5.0),
        num_workers=options.pop("num_workers", 2),
        deterministic=True,
        lns_steps=steps,
        lns_step_seconds=0.5,
        **options,
    )
    solution = solve(p, settings)
    if solution.status != Status.INFEASIBLE:
        violations = check(p, solution.assignments)
        assert violations == [], violations
    return solution


def days_worked(solution: Solution, employee: str) -> list[int]:
    return sorted(a.day for a in solution.assignments if a.employee == employee)
