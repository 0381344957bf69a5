"""Why demand is unmet: for a sample of unmet lines, which rules stop each employee from
taking a shift that would cover it (counted across employees, most frequent first)."""

from collections import Counter
from dataclasses import replace

from scheduling.rules import check
from scheduling.solver.model import Assignment, Problem, UnmetInterval
from scheduling.solver.options import ShiftOption, day_options

SAMPLE = 20


def _covering(
    problem: Problem, day: int, period: int | None, template: str | None
) -> list[ShiftOption]:
    minute = day * 1440 + (period or 0) * problem.interval_minutes
    found = []
    for option in day_options(problem, day):
        if template is not None and option.template != template:
            continue
        if period is not None and not option.start_minute <= minute < option.end_minute:
            continue
        found.append(option)
    return found[:3]


def _blocking(
    problem: Problem, mine: list[Assignment], candidates: list[ShiftOption], who: str
) -> set[str]:
    """Rules every candidate breaks for this employee (empty: one of them would fit)."""
    solo = replace(
        problem,
        employees=tuple(e for e in problem.employees if e.id == who),
        interval_demand=(), headcount_demand=(), requests=(), pins=(),
    )  # fmt: skip
    common: set[str] | None = None
    for option in candidates:
        extra = Assignment(
            who,
            option.day,
            option.template,
            option.start_minute,
            option.length_minutes,
            option.breaks,
            option.queue,
            option.activity,
        )
        broken = {v.rule for v in check(solo, [*mine, extra])} - {v.rule for v in check(solo, mine)}
        if any(a.day == option.day for a in mine):
            broken.add("already_working_that_day")
        common = broken if common is None else common & broken
        if not common:
            return set()
    return common or set()


def binding_rules(
    problem: Problem,
    assignments: tuple[Assignment, ...] | list[Assignment],
    *,
    unmet_intervals: tuple[UnmetInterval, ...] | list[UnmetInterval] = (),
    unmet_headcount: tuple[tuple[int, str, int, int], ...] | list[tuple[int, str, int, int]] = (),
) -> tuple[str, ...]:
    """E.g. ("max_days_per_week: 12", "min_rest: 5") over the sampled unmet lines."""
    lines: list[tuple[int, int | None, str | None]] = [
        (u.day, u.period, None) for u in list(unmet_intervals)[:SAMPLE]
    ] + [(day, None, template) for day, template, _, _ in list(unmet_headcount)[:SAMPLE]]
    if not lines:
        return ()
    by_employee: dict[str, list[Assignment]] = {e.id: [] for e in problem.employees}
    for a in assignments:
        by_employee.setdefault(a.employee, []).append(a)
    counts: Counter[str] = Counter()
    for day, period, template in lines:
        candidates = _covering(problem, day, period, template)
        if not candidates:
            counts["no_shift_template_covers_it"] += 1
            continue
        for employee in problem.employees:
            for rule in _blocking(problem, by_employee[employee.id], candidates, employee.id):
                counts[rule] += 1
    return tuple(f"{rule}: {count}" for rule, count in counts.most_common())
