"""Check a roster against the hard rules, independently of the solver that produced it.

Pure: works on the problem dataclasses and a list of assignments, and shares no code with
scheduling/solver/ beyond those dataclasses. Used on every solver result in the tests, and by
manual edits and swaps, which must pass the same rules.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scheduling.solver.model import Assignment, CarriedState, Employee, Problem, ShiftTemplate


@dataclass(frozen=True)
class Violation:
    rule: str
    employee: str | None
    day: int | None
    message: str


def check(problem: Problem, assignments: Sequence[Assignment]) -> list[Violation]:
    """Every hard rule the assignments break, in a stable order."""
    employees = {e.id: e for e in problem.employees}
    templates = {t.id: t for t in problem.templates}
    found: list[Violation] = []
    mine: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if a.employee not in employees:
            found.append(Violation("unknown_employee", a.employee, a.day, "not in the problem"))
            continue
        template = templates.get(a.template)
        if template is None:
            found.append(Violation("unknown_template", a.employee, a.day, a.template))
            continue
        found.extend(_shape(problem, employees[a.employee], template, a))
        mine[a.employee].append(a)
    for employee_id, shifts in sorted(mine.items()):
        shifts.sort(key=lambda a: a.start_minute)
        employee = employees[employee_id]
        found.extend(_sequence(problem, employee, shifts))
        found.extend(_totals(problem, employee, shifts))
        found.extend(_runs(problem, employee, {a.day for a in shifts}))
    for employee in problem.employees:
        if employee.id not in mine:
            found.extend(_totals(problem, employee, []))
    found.extend(_pins(problem, mine))
    return found


def _v(rule: str, a: Assignment, message: str) -> Violation:
    return Violation(rule, a.employee, a.day, message)


def _shape(
    problem: Problem, employee: Employee, template: ShiftTemplate, a: Assignment
) -> Iterable[Violation]:
    """The shift itself: day, time window, length, breaks, skills, availability."""
    if not 0 <= a.day < problem.days:
        yield _v("horizon", a, f"day {a.day} outside 0..{problem.days - 1}")
    local_start = a.start_minute - a.day * 1440
    if problem.weekday(a.day) not in template.weekdays:
        yield _v("template_day", a, f"{template.id} is not worked on this weekday")
    if not template.earliest_start_minute <= local_start <= template.latest_start_minute or (
        (local_start - template.earliest_start_minute) % max(template.start_step_minutes, 1)
    ):
        yield _v("template_start", a, f"start {local_start} min is not a start of {template.id}")
    if a.length_minutes not in template.lengths_minutes:
        yield _v("template_length", a, f"{a.length_minutes} min is not a length of {template.id}")
    if employee.templates is not None and a.template not in employee.templates:
        yield _v("template_not_allowed", a, f"{a.template} is not one of their templates")
    if template.queue is not None and employee.skills and template.queue not in employee.skills:
        yield _v("skill", a, f"not skilled for {template.queue}")
    if a.day in employee.unavailable_days:
        yield _v("unavailable", a, "works on a day they are unavailable")
    for start, end in employee.unavailable_spans:
        if a.start_minute < end and start < a.end_minute:
            yield _v("unavailable", a, f"overlaps unavailability {start}-{end}")
    for b in a.breaks:
        rule = next((r for r in template.breaks if r.length_minutes == b.length_minutes), None)
        offset = b.start_minute - a.start_minute
        if (
            rule is None
            or not (rule.earliest_offset_minutes <= offset <= rule.latest_offset_minutes)
            or b.start_minute + b.length_minutes > a.end_minute
        ):
            yield _v("break_window", a, f"break at +{offset} min is outside its window")


def _sequence(
    problem: Problem, employee: Employee, shifts: list[Assignment]
) -> Iterable[Violation]:
    """One shift a day, no overlap, rest between shifts, forbidden transitions."""
    rest = employee.contract.min_rest_minutes
    by_day: dict[int, list[Assignment]] = defaultdict(list)
    for a in shifts:
        by_day[a.day].append(a)
    for day, same in sorted(by_day.items()):
        if len(same) > 1:
            yield Violation("one_shift_per_day", employee.id, day, f"{len(same)} shifts")
    previous_end = employee.carried.last_shift_end_minute
    previous: Assignment | None = None
    for a in shifts:
        if previous_end is not None:
            gap = a.start_minute - previous_end
            if gap < 0:
                yield _v("overlap", a, "overlaps the previous shift")
            elif gap < rest:
                yield _v("min_rest", a, f"{gap} min of rest, {rest} required")
        if (
            previous is not None
            and a.day == previous.day + 1
            and (previous.template, a.template) in problem.forbidden_transitions
        ):
            yield _v("forbidden_transition", a, f"{a.template} after {previous.template}")
        previous_end = max(previous_end or a.end_minute, a.end_minute)
        previous = a


def _totals(problem: Problem, employee: Employee, shifts: list[Assignment]) -> Iterable[Violation]:
    """Minutes per week and in all, days per week, per-template counts, weekends."""
    c = employee.contract
    paid = [
        a.length_minutes - sum(b.length_minutes for b in a.breaks if not b.paid) for a in shifts
    ]
    total = sum(paid)
    if c.max_minutes_total is not None and total > c.max_minutes_total:
        yield Violation("max_minutes_total", employee.id, None, f"{total} > {c.max_minutes_total}")
    if c.min_minutes_total is not None and total < c.min_minutes_total:
        yield Violation("min_minutes_total", employee.id, None, f"{total} < {c.min_minutes_total}")
    for week in problem.weeks():
        days = set(week)
        minutes = sum(m for a, m in zip(shifts, paid, strict=True) if a.day in days)
        worked = len({a.day for a in shifts if a.day in days})
        if c.max_minutes_per_week is not None and minutes > c.max_minutes_per_week:
            yield Violation("max_minutes_per_week", employee.id, week[0], f"{minutes} min")
        if c.min_minutes_per_week is not None and minutes < c.min_minutes_per_week * len(week) // 7:
            yield Violation("min_minutes_per_week", employee.id, week[0], f"{minutes} min")
        if c.max_days_per_week is not None and worked > c.max_days_per_week:
            yield Violation("max_days_per_week", employee.id, week[0], f"{worked} days")
    for template, maximum in c.max_shifts_per_template:
        count = sum(1 for a in shifts if a.template == template)
        if count > maximum:
            yield Violation("max_per_template", employee.id, None, f"{count} x {template}")
    if c.max_weekends is not None:
        days = {a.day for a in shifts}
        weekends = sum(1 for weekend in problem.weekends() if days & set(weekend))
        if weekends > c.max_weekends:
            yield Violation("max_weekends", employee.id, None, f"{weekends} weekends")


def _runs(problem: Problem, employee: Employee, worked: set[int]) -> Iterable[Violation]:
    """Consecutive worked days and days off, counting what was carried in."""
    c = employee.contract
    carried = employee.carried
    status = [d in worked for d in range(problem.days)]
    runs: list[tuple[bool, int, int]] = []  # (working, first day, length)
    for d, on in enumerate(status):
        if runs and runs[-1][0] == on:
            runs[-1] = (on, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((on, d, 1))
    for on, first, length in runs:
        touches_start, touches_end = first == 0, first + length == problem.days
        before = carried.consecutive_days_worked if on else carried.consecutive_days_off
        full = length + (before if touches_start else 0)
        if on and c.max_consecutive_days is not None and full > c.max_consecutive_days:
            yield Violation("max_consecutive_days", employee.id, first, f"{full} days in a row")
        minimum = c.min_consecutive_days if on else c.min_consecutive_days_off
        if not minimum or full >= minimum or touches_end:
            continue
        if touches_start and (problem.min_runs_exempt_at_borders or not _known_start(carried)):
            continue
        rule = "min_consecutive_days" if on else "min_consecutive_days_off"
        yield Violation(rule, employee.id, first, f"run of {full}, {minimum} required")


def _known_start(carried: CarriedState) -> bool:
    """Whether the state carried in says how the day before day 0 was spent."""
    return bool(carried.consecutive_days_worked or carried.consecutive_days_off)


def _pins(problem: Problem, mine: dict[str, list[Assignment]]) -> Iterable[Violation]:
    for pin in problem.pins:
        kept = any(
            a.day == pin.day
            and a.template == pin.template
            and a.start_minute == pin.start_minute
            and a.length_minutes == pin.length_minutes
            for a in mine.get(pin.employee, [])
        )
        if not kept:
            yield Violation("pin", pin.employee, pin.day, "pinned shift moved or removed")
