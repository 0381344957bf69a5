"""Hard rules that contradict each other for an employee, or a shift template no one can
work, found before any solving."""

from organisation.sentences import Sentence, english, gettext_noop
from scheduling.solver.model import Contradiction, Problem
from scheduling.solver.options import (
    ShiftOption,
    allowed,
    day_options,
    fitting_breaks,
    offsets_apart,
)

PRECHECK_SENTENCES = {
    "template_breaks_overlap": gettext_noop(
        "template {template}: its breaks can never sit apart in a shift of {length} (their "
        "windows make two of them overlap), so nobody can work it"
    ),
}


def contradictions(problem: Problem) -> list[Contradiction]:
    found: list[Contradiction] = []
    options = [day_options(problem, d) for d in range(problem.days)]
    for employee in problem.employees:
        c = employee.contract
        workable = [
            d for d in range(problem.days) if any(allowed(employee, o, problem) for o in options[d])
        ]
        longest = [
            max((o.paid_minutes for o in options[d] if allowed(employee, o, problem)), default=0)
            for d in range(problem.days)
        ]
        if c.min_minutes_total is not None:
            most = _most_minutes(longest, c.max_days_per_week, problem)
            if c.max_minutes_total is not None:
                most = min(most, c.max_minutes_total)
            if most < c.min_minutes_total:
                found.append(
                    Contradiction(
                        employee.id,
                        "min_minutes_total",
                        f"needs {c.min_minutes_total} min but availability, shift lengths and "
                        f"days per week allow at most {most}",
                    )
                )
        if c.min_minutes_per_week is not None:
            for week in problem.weeks():
                owed = c.min_minutes_per_week * len(week) // 7
                days = sorted((longest[d] for d in week), reverse=True)
                if c.max_days_per_week is not None:
                    days = days[: c.max_days_per_week]
                most = sum(days)
                if c.max_minutes_per_week is not None:
                    most = min(most, c.max_minutes_per_week)
                if most < owed:
                    found.append(
                        Contradiction(
                            employee.id,
                            "min_minutes_per_week",
                            f"week starting day {week[0]} needs {owed} min, at most {most} "
                            "can be worked",
                        )
                    )
        if (
            c.min_minutes_total is not None
            and c.max_minutes_total is not None
            and c.min_minutes_total > c.max_minutes_total
        ):
            found.append(
                Contradiction(employee.id, "minutes_total", "minimum above maximum minutes")
            )
        if not workable and (c.min_minutes_total or c.min_minutes_per_week):
            found.append(Contradiction(employee.id, "availability", "no day the employee may work"))
    found.extend(_pin_contradictions(problem, options))
    found.extend(_template_contradictions(problem))
    return found


def _template_contradictions(problem: Problem) -> list[Contradiction]:
    """A template whose breaks cannot all be placed without two at once (two fixed at the
    same time, say) for one of its lengths: the model would leave those shifts unused without
    a word (no hand-out of its break counts exists), so it is named here instead."""
    found = []
    for template in problem.templates:
        for length in sorted(set(template.lengths_minutes)):
            if (
                len(fitting_breaks(template, length)) < 2
                or offsets_apart(template, length) is not None
            ):
                continue
            reason = Sentence.of("template_breaks_overlap", template=template.id, length=length)
            message = english([reason], PRECHECK_SENTENCES)
            found.append(Contradiction(None, "template_breaks_overlap", message, reason))
    return found


def _most_minutes(longest: list[int], max_days_per_week: int | None, problem: Problem) -> int:
    total = 0
    for week in problem.weeks():
        days = sorted((longest[d] for d in week), reverse=True)
        if max_days_per_week is not None:
            days = days[:max_days_per_week]
        total += sum(days)
    return total


def _pin_contradictions(problem: Problem, options: list[list[ShiftOption]]) -> list[Contradiction]:
    found = []
    employees = {e.id: e for e in problem.employees}
    for pin in problem.pins:
        employee = employees.get(pin.employee)
        if employee is None:
            found.append(Contradiction(pin.employee, "pin", "pinned shift for an unknown employee"))
            continue
        ok = any(
            o.template == pin.template
            and o.start_minute == pin.start_minute
            and o.length_minutes == pin.length_minutes
            and allowed(employee, o, problem)
            for o in options[pin.day]
        )
        if not ok:
            found.append(
                Contradiction(
                    pin.employee,
                    "pin",
                    f"pinned {pin.template} on day {pin.day} is not an allowed shift for them "
                    "(template, time, availability or skills)",
                )
            )
    return found
