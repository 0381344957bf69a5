"""The rules' view of a roster: its period as the rules see it and its shifts on the solver's
wall-clock axis, for rules.check, the cover count, the review, edits and swap checks; and the
violations rules.check finds in it."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from organisation.local_grid import wall_minute
from scheduling.models import Roster, Shift
from scheduling.rules import Violation, check
from scheduling.selectors.roster_problem import (
    RosterInput,
    roster_problem_build,
    solver_template_id,
)
from scheduling.solver.model import Assignment, Break


def roster_rules_input(
    roster: Roster, *, now: datetime, only: set[str] | None = None, demand: bool = True
) -> RosterInput:
    """The rules' view of the roster's period (of `only` these employees, when given);
    `demand=False` leaves out the staffing, which the rules alone never read."""
    return roster_problem_build(
        site=roster.site,
        team=roster.team,
        first_day=roster.start_date,
        days=roster.days,
        now=now,
        exclude_series=roster.scope_key,
        inactive_templates=True,
        only=only,
        demand_minutes=None if demand else roster.interval_minutes,
    )


def shift_assignments(built: RosterInput, shifts: Iterable[Shift]) -> list[Assignment]:
    """Shifts on the solver's wall-clock axis, for rules.check and the cover count."""
    first, tz = built.first_day, built.timezone
    result = []
    for s in shifts:
        start = wall_minute(instant=s.start, first_day=first, timezone=tz)
        end = wall_minute(instant=s.end, first_day=first, timezone=tz)
        breaks = tuple(
            Break(
                start_minute=wall_minute(instant=b.start, first_day=first, timezone=tz),
                length_minutes=int((b.end - b.start).total_seconds() // 60),
                paid=b.paid,
            )
            for b in s.breaks.all()
        )
        template = solver_template_id(s.template, s.queue_id) if s.template else "manual"
        result.append(
            Assignment(
                employee=str(s.employee_id),
                day=start // 1440,
                template=template,
                start_minute=start,
                length_minutes=end - start,
                breaks=breaks,
                queue=str(s.queue_id) if s.queue_id else None,
                activity=s.activity,
            )
        )
    return result


def roster_violations(roster: Roster, *, now: datetime | None = None) -> list[Violation]:
    built = roster_rules_input(roster, now=now or timezone.now())
    shifts = roster.shifts.select_related("template", "queue").prefetch_related("breaks")
    return check(built.problem, shift_assignments(built, shifts))


def violations_for(roster: Roster, built: RosterInput, employees: set[str]) -> list[Violation]:
    shifts = (
        roster.shifts.filter(employee_id__in=employees)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    return [
        v for v in check(built.problem, shift_assignments(built, shifts)) if v.employee in employees
    ]
