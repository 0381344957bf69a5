"""Enumerate the shift options each employee may work each day.

An option is a template at one start with one length; its breaks sit at their nominal place
(the middle of each window) for coverage, and are re-placed per person after solving.
"""

from dataclasses import dataclass
from functools import lru_cache

from scheduling.solver.model import (
    Assignment,
    Break,
    BreakRule,
    Employee,
    Problem,
    ShiftTemplate,
)


@dataclass(frozen=True)
class ShiftOption:
    day: int
    template: str
    start_minute: int  # from the horizon's first local midnight
    length_minutes: int
    paid_minutes: int
    breaks: tuple[Break, ...]
    queue: str | None
    activity: str
    is_night: bool
    is_late: bool

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_minutes

    def assign(self, employee: str) -> Assignment:
        return Assignment(
            employee=employee,
            day=self.day,
            template=self.template,
            start_minute=self.start_minute,
            length_minutes=self.length_minutes,
            breaks=self.breaks,
            queue=self.queue,
            activity=self.activity,
        )

    def covered_intervals(self, interval_minutes: int) -> range | list[int]:
        """Global interval indexes on the phone: the shift minus its breaks."""
        first = self.start_minute // interval_minutes
        last = -(-self.end_minute // interval_minutes)
        if not self.breaks:
            return range(first, last)
        off: set[int] = set()
        for b in self.breaks:
            off.update(
                range(
                    b.start_minute // interval_minutes,
                    -(-(b.start_minute + b.length_minutes) // interval_minutes),
                )
            )
        return [t for t in range(first, last) if t not in off]


def fitting_breaks(template: ShiftTemplate, length: int) -> list[BreakRule]:
    """The template's break rules that fit a shift of `length` minutes (a short variant of a
    template may have no room for its lunch)."""
    return [r for r in template.breaks if r.earliest_offset_minutes + r.length_minutes <= length]


def break_starts(rule: BreakRule, start_minute: int, length_minutes: int) -> list[int]:
    """Every start the rule allows for a break of a shift (minutes, like start_minute)."""
    latest = min(rule.latest_offset_minutes, length_minutes - rule.length_minutes)
    offsets = range(rule.earliest_offset_minutes, latest + 1, max(rule.step_minutes, 1))
    return [start_minute + offset for offset in offsets]


def overlapping(start: int, length: int, other_start: int, other_length: int) -> bool:
    """Whether two breaks (minutes) are taken at the same time for at least a minute."""
    return start < other_start + other_length and other_start < start + length


def nominal_offsets(template: ShiftTemplate, length: int) -> tuple[int, ...]:
    """One offset from the shift start per fitting break rule, no two breaks at once, each
    as near the middle of its window as that allows (the earlier rules nearer). When the
    windows admit no such places (a template no one can work by the rules) the middles."""
    apart = offsets_apart(template, length)
    if apart is not None:
        return apart
    return tuple(_by_middle(rule, length)[0] for rule in fitting_breaks(template, length))


def _by_middle(rule: BreakRule, length: int) -> list[int]:
    """The rule's offsets, nearest the middle of its window first."""
    offsets = break_starts(rule, 0, length)
    middle = offsets[(len(offsets) - 1) // 2] if offsets else rule.earliest_offset_minutes
    return sorted(offsets or [middle], key=lambda o: (abs(o - middle), o))


@lru_cache(maxsize=1024)
def offsets_apart(template: ShiftTemplate, length: int) -> tuple[int, ...] | None:
    """nominal_offsets when the breaks can sit apart at all, else None."""
    rules = fitting_breaks(template, length)
    candidates = [_by_middle(rule, length) for rule in rules]
    chosen: list[int] = []

    def place(k: int) -> bool:  # depth-first, nearest the middle first
        if k == len(rules):
            return True
        for offset in candidates[k]:
            clear = not any(
                overlapping(offset, rules[k].length_minutes, other, rules[i].length_minutes)
                for i, other in enumerate(chosen)
            )
            if clear:
                chosen.append(offset)
                if place(k + 1):
                    return True
                chosen.pop()
        return False

    return tuple(chosen) if place(0) else None


def _nominal_breaks(template: ShiftTemplate, start: int, length: int) -> tuple[Break, ...]:
    rules = fitting_breaks(template, length)
    offsets = nominal_offsets(template, length)
    return tuple(
        Break(start + offset, rule.length_minutes, rule.paid)
        for rule, offset in zip(rules, offsets, strict=True)
    )


def day_options(problem: Problem, day: int) -> list[ShiftOption]:
    """Every option any employee could work on `day`, in a stable order."""
    options = []
    weekday = problem.weekday(day)
    for template in problem.templates:
        if weekday not in template.weekdays:
            continue
        start = template.earliest_start_minute
        while start <= template.latest_start_minute:
            for length in template.lengths_minutes:
                absolute = day * 1440 + start
                breaks = _nominal_breaks(template, absolute, length)
                unpaid = sum(b.length_minutes for b in breaks if not b.paid)
                options.append(
                    ShiftOption(
                        day=day,
                        template=template.id,
                        start_minute=absolute,
                        length_minutes=length,
                        paid_minutes=length - unpaid,
                        breaks=breaks,
                        queue=template.queue,
                        activity=template.activity,
                        is_night=template.is_night,
                        is_late=template.is_late,
                    )
                )
            start += max(template.start_step_minutes, 1)
    return options


def allowed(employee: Employee, option: ShiftOption, problem: Problem) -> bool:
    """Whether the employee may work this option at all (skills, availability, carried rest)."""
    if option.day in employee.unavailable_days:
        return False
    if employee.templates is not None and option.template not in employee.templates:
        return False
    if option.queue is not None and employee.skills and option.queue not in employee.skills:
        return False
    for span_start, span_end in employee.unavailable_spans:
        if option.start_minute < span_end and span_start < option.end_minute:
            return False
    last_end = employee.carried.last_shift_end_minute
    return last_end is None or option.start_minute >= last_end + employee.contract.min_rest_minutes
