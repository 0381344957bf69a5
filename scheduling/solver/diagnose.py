"""Why demand is unmet: for a sample of unmet lines, which rules stop each employee from
taking a shift that would cover it (counted across employees, most frequent first)."""

from collections import Counter
from dataclasses import replace

from scheduling.rules import check
from scheduling.solver.model import Assignment, Employee, Problem, UnmetInterval
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


def _alone(problem: Problem, employee: Employee) -> Problem:
    """The problem of one employee's own rules (no demand, requests or pins)."""
    return replace(
        problem,
        employees=(employee,),
        interval_demand=(),
        headcount_demand=(),
        requests=(),
        pins=(),
    )


def _blocking(
    solo: Problem, mine: list[Assignment], broken_already: set[str], candidates: list[ShiftOption]
) -> set[str]:
    """Rules every candidate breaks for the one employee of `solo` beyond those their
    shifts `mine` already break (empty: one of them would fit)."""
    who = solo.employees[0].id
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
        broken = {v.rule for v in check(solo, [*mine, extra])} - broken_already
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
    # Each employee alone, and the rules their own shifts break already: made once, not per
    # line (on 60 people x 182 days the diagnosis took 3 s, half of it re-checking these).
    alone = {e.id: _alone(problem, e) for e in problem.employees}
    already = {who: {v.rule for v in check(solo, by_employee[who])} for who, solo in alone.items()}
    counts: Counter[str] = Counter()
    for day, period, template in lines:
        candidates = _covering(problem, day, period, template)
        if not candidates:
            counts["no_shift_template_covers_it"] += 1
            continue
        for who, solo in alone.items():
            for rule in _blocking(solo, by_employee[who], already[who], candidates):
                counts[rule] += 1
    return tuple(f"{rule}: {count}" for rule, count in counts.most_common())
