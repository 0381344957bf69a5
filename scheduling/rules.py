"""Check a roster against the hard rules, independently of the solver that produced it.

Pure: works on the problem dataclasses and a list of assignments, and shares no code with
scheduling/solver/ beyond those dataclasses. Used on every solver result in the tests, and by
manual edits and swaps, which must pass the same rules.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time

from organisation.sentences import Sentence, Value, english, gettext_noop
from scheduling.rules_training import TRAINING_SENTENCES, training_violations
from scheduling.solver.model import (
    Assignment,
    CarriedState,
    Employee,
    PlacedSession,
    Problem,
    ShiftTemplate,
)

# What each violation says, by sentence code (the rule's code unless a rule has several).
# Values are for people: times are local wall-clock times, durations whole minutes (written
# "10 h 50 min"); `template`, `previous` and `queue` carry the solver's ids here, which the
# rules' view of a roster (selectors/roster_problem.RosterInput) replaces with names.
RULE_SENTENCES = {
    "unknown_employee": gettext_noop("not in the roster's team or site"),
    "unknown_template": gettext_noop("its shift template is unknown or was deleted"),
    "horizon": gettext_noop("outside the roster's period"),
    "template_day": gettext_noop("{template} is not worked on this weekday"),
    "template_start": gettext_noop(
        "{template} starts between {earliest} and {latest}, not at {start}"
    ),
    "template_start_step": gettext_noop(
        "{template} starts every {step} from {earliest}, not at {start}"
    ),
    "template_length": gettext_noop("{length} is not a length of {template}"),
    "template_not_allowed": gettext_noop("{template} is not one of their shift templates"),
    "skill": gettext_noop("not skilled for {queue}"),
    "unavailable": gettext_noop("works on a day they are unavailable or on leave"),
    "unavailable_span": gettext_noop("overlaps a time they are unavailable or on leave"),
    "break_window": gettext_noop(
        "the break at {start} is outside its window, {earliest} to {latest}"
    ),
    "break_length": gettext_noop("{template} has no break of {length}"),
    "break_after_end": gettext_noop("the break at {start} ends after the shift"),
    "break_overlap": gettext_noop("the break at {start} overlaps the break at {other}"),
    "one_shift_per_day": gettext_noop("{count} shifts on one day"),
    "overlap": gettext_noop("overlaps the previous shift"),
    "min_rest": gettext_noop("{rest} of rest before this shift, {needed} required"),
    "forbidden_transition": gettext_noop("{template} may not follow {previous}"),
    "max_minutes_total": gettext_noop("{worked} in the period, {allowed} allowed"),
    "min_minutes_total": gettext_noop("{worked} in the period, {needed} required"),
    "max_minutes_per_week": gettext_noop("{worked} in the week, {allowed} allowed"),
    "min_minutes_per_week": gettext_noop("{worked} in the week, {needed} required"),
    "max_days_per_week": gettext_noop("{days} days in the week, {required} allowed"),
    "max_per_template": gettext_noop("{count} shifts of {template}, {required} allowed"),
    "max_weekends": gettext_noop("{count} weekends worked, {required} allowed"),
    "max_consecutive_days": gettext_noop("{days} days in a row, {required} allowed"),
    "min_consecutive_days": gettext_noop("{days} days worked in a row, {required} required"),
    "min_consecutive_days_off": gettext_noop("{days} days off in a row, {required} required"),
    "pin": gettext_noop("pinned shift moved or removed"),
    **TRAINING_SENTENCES,  # pairing, supervised time and sessions (rules_training.py)
}


@dataclass(frozen=True)
class Violation:
    rule: str
    employee: str | None
    day: int | None
    reason: Sentence

    @property
    def message(self) -> str:
        return english([self.reason], RULE_SENTENCES)

    def as_json(self) -> dict[str, object]:
        """The violation as the APIs and pages pass it on."""
        return {
            "rule": self.rule,
            "employee": self.employee,
            "day": self.day,
            "message": self.message,
            "reason": self.reason.as_json(),
        }


def _say(rule: str, employee: str | None, day: int | None, **values: Value) -> Violation:
    return Violation(rule, employee, day, Sentence.of(rule, **values))


def _clock(minute: int) -> time:
    """A wall-clock minute of the horizon (or of a day) as the local time of day."""
    return time((minute // 60) % 24, minute % 60)


def check(
    problem: Problem,
    assignments: Sequence[Assignment],
    *,
    sessions: Sequence[PlacedSession] | None = None,
) -> list[Violation]:
    """Every hard rule the assignments break, in a stable order. `sessions`: where the
    problem's sessions sit (Solution.sessions); None leaves sessions unchecked."""
    employees = {e.id: e for e in problem.employees}
    templates = {t.id: t for t in problem.templates}
    found: list[Violation] = []
    mine: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if a.employee not in employees:
            found.append(_say("unknown_employee", a.employee, a.day))
            continue
        template = templates.get(a.template)
        if template is None:
            found.append(_say("unknown_template", a.employee, a.day, template=a.template))
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
    found.extend(Violation(*v) for v in training_violations(problem, assignments, sessions))
    return found


def _v(rule: str, a: Assignment, **values: Value) -> Violation:
    return _say(rule, a.employee, a.day, **values)


def _shape(
    problem: Problem, employee: Employee, template: ShiftTemplate, a: Assignment
) -> Iterable[Violation]:
    """The shift itself: day, time window, length, breaks, skills, availability."""
    if not 0 <= a.day < problem.days:
        yield _v("horizon", a, index=a.day, last_index=problem.days - 1)
    local_start = a.start_minute - a.day * 1440
    if problem.weekday(a.day) not in template.weekdays:
        yield _v("template_day", a, template=template.id)
    yield from _start(template, a, local_start)
    if a.length_minutes not in template.lengths_minutes:
        yield _v("template_length", a, length=a.length_minutes, template=template.id)
    skilled = template.queue is None or not employee.skills or template.queue in employee.skills
    if not skilled:  # says why, where "not one of their templates" would follow from it
        yield _v("skill", a, queue=template.queue or "")
    elif employee.templates is not None and a.template not in employee.templates:
        yield _v("template_not_allowed", a, template=a.template)
    if a.day in employee.unavailable_days:
        yield _v("unavailable", a)
    for start, end in employee.unavailable_spans:
        if a.start_minute < end and start < a.end_minute:
            yield Violation("unavailable", a.employee, a.day, Sentence.of("unavailable_span"))
    yield from _breaks(template, a)
    yield from _break_overlaps(a)


def _start(template: ShiftTemplate, a: Assignment, local_start: int) -> Iterable[Violation]:
    """The start inside the template's window, on one of its steps."""
    earliest, latest = template.earliest_start_minute, template.latest_start_minute
    if not earliest <= local_start <= latest:
        yield _v(
            "template_start",
            a,
            template=template.id,
            start=_clock(local_start),
            earliest=_clock(earliest),
            latest=_clock(latest),
        )
    elif (local_start - earliest) % max(template.start_step_minutes, 1):
        yield Violation(
            "template_start",
            a.employee,
            a.day,
            Sentence.of(
                "template_start_step",
                template=template.id,
                start=_clock(local_start),
                earliest=_clock(earliest),
                step=template.start_step_minutes,
            ),
        )


def _breaks(template: ShiftTemplate, a: Assignment) -> Iterable[Violation]:
    """Each break one of the template's, inside its window and the shift."""
    for b in a.breaks:
        rule = next((r for r in template.breaks if r.length_minutes == b.length_minutes), None)
        offset = b.start_minute - a.start_minute
        if rule is None:
            sentence = Sentence.of("break_length", template=template.id, length=b.length_minutes)
        elif not rule.earliest_offset_minutes <= offset <= rule.latest_offset_minutes:
            sentence = Sentence.of(
                "break_window",
                start=_clock(b.start_minute),
                earliest=_clock(a.start_minute + rule.earliest_offset_minutes),
                latest=_clock(a.start_minute + rule.latest_offset_minutes),
            )
        elif b.start_minute + b.length_minutes > a.end_minute:
            sentence = Sentence.of("break_after_end", start=_clock(b.start_minute))
        else:
            continue
        yield Violation("break_window", a.employee, a.day, sentence)


def _break_overlaps(a: Assignment) -> Iterable[Violation]:
    """No two of the shift's breaks at once: a person takes one break at a time. Each break
    that starts before an earlier one (in order of start) has ended is named once."""
    ordered = sorted(a.breaks, key=lambda b: (b.start_minute, b.length_minutes))
    for i, b in enumerate(ordered[1:], start=1):
        earlier = max(ordered[:i], key=lambda x: x.start_minute + x.length_minutes)
        if b.start_minute < earlier.start_minute + earlier.length_minutes:
            yield _v(
                "break_overlap",
                a,
                start=_clock(b.start_minute),
                other=_clock(earlier.start_minute),
            )


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
            yield _say("one_shift_per_day", employee.id, day, count=len(same))
    previous_end = employee.carried.last_shift_end_minute
    previous: Assignment | None = None
    for a in shifts:
        if previous_end is not None:
            gap = a.start_minute - previous_end
            if gap < 0:
                yield _v("overlap", a)
            elif gap < rest:
                yield _v("min_rest", a, rest=gap, needed=rest)
        if (
            previous is not None
            and a.day == previous.day + 1
            and (previous.template, a.template) in problem.forbidden_transitions
        ):
            yield _v("forbidden_transition", a, template=a.template, previous=previous.template)
        previous_end = max(previous_end or a.end_minute, a.end_minute)
        previous = a


def _totals(problem: Problem, employee: Employee, shifts: list[Assignment]) -> Iterable[Violation]:
    """Minutes per week and in all, days per week, per-template counts, weekends."""
    c, who = employee.contract, employee.id
    paid = [
        a.length_minutes - sum(b.length_minutes for b in a.breaks if not b.paid) for a in shifts
    ]
    total = sum(paid)
    if c.max_minutes_total is not None and total > c.max_minutes_total:
        yield _say("max_minutes_total", who, None, worked=total, allowed=c.max_minutes_total)
    if c.min_minutes_total is not None and total < c.min_minutes_total:
        yield _say("min_minutes_total", who, None, worked=total, needed=c.min_minutes_total)
    weeks = problem.weeks()
    week_of = {day: w for w, week in enumerate(weeks) for day in week}
    minutes_in = [0] * len(weeks)
    days_in: list[set[int]] = [set() for _ in weeks]
    for a, m in zip(shifts, paid, strict=True):
        w = week_of.get(a.day)
        if w is not None:
            minutes_in[w] += m
            days_in[w].add(a.day)
    for week, minutes, days_worked in zip(weeks, minutes_in, days_in, strict=True):
        worked = len(days_worked)
        at_least = (c.min_minutes_per_week or 0) * len(week) // 7
        if c.max_minutes_per_week is not None and minutes > c.max_minutes_per_week:
            yield _say(
                "max_minutes_per_week", who, week[0], worked=minutes, allowed=c.max_minutes_per_week
            )
        if c.min_minutes_per_week is not None and minutes < at_least:
            yield _say("min_minutes_per_week", who, week[0], worked=minutes, needed=at_least)
        if c.max_days_per_week is not None and worked > c.max_days_per_week:
            yield _say("max_days_per_week", who, week[0], days=worked, required=c.max_days_per_week)
    for template, maximum in c.max_shifts_per_template:
        count = sum(1 for a in shifts if a.template == template)
        if count > maximum:
            yield _say(
                "max_per_template", who, None, count=count, template=template, required=maximum
            )
    if c.max_weekends is not None:
        days = {a.day for a in shifts}
        weekends = sum(1 for weekend in problem.weekends() if days & set(weekend))
        if weekends > c.max_weekends:
            yield _say("max_weekends", who, None, count=weekends, required=c.max_weekends)


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
            yield _say(
                "max_consecutive_days",
                employee.id,
                first,
                days=full,
                required=c.max_consecutive_days,
            )
        minimum = c.min_consecutive_days if on else c.min_consecutive_days_off
        if not minimum or full >= minimum or touches_end:
            continue
        if touches_start and (problem.min_runs_exempt_at_borders or not _known_start(carried)):
            continue
        rule = "min_consecutive_days" if on else "min_consecutive_days_off"
        yield _say(rule, employee.id, first, days=full, required=minimum)


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
            yield _say("pin", pin.employee, pin.day)
