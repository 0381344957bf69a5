"""The rules' view of a roster: its period as the rules see it and its shifts on the solver's
wall-clock axis, for rules.check, the cover count, the review, edits and swap checks; and the
violations rules.check finds in it."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from organisation.local_grid import wall_minute
from scheduling.models import PlacedActivity, Roster, Shift
from scheduling.rules import Violation, check
from scheduling.selectors.roster_problem import (
    RosterInput,
    roster_problem_build,
    solver_template_id,
)
from scheduling.solver.model import Assignment, Break, PlacedSession


def roster_rules_input(
    roster: Roster,
    *,
    now: datetime,
    only: set[str] | None = None,
    demand: bool = True,
    sessions: bool | None = None,
) -> RosterInput:
    """The rules' view of the roster's period (of `only` these employees, when given);
    `demand=False` leaves out the staffing, which the rules alone never read, and the
    sessions to place unless `sessions=True` (their windows, for moving a placed one)."""
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
        sessions=sessions,
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


def roster_placed_sessions(roster: Roster, built: RosterInput) -> list[PlacedSession] | None:
    """The sessions and meetings the roster placed, as rules.check reads them (who attends,
    when); None for a roster that placed none (its sessions then go unchecked, as before
    training existed)."""
    rows = list(roster.placed.order_by("start", "employee_id"))
    if not rows:
        return None
    first, tz = built.first_day, built.timezone
    grouped: dict[str, list[PlacedActivity]] = {}
    for row in rows:
        key = f"session:{row.session_id}" if row.session_id else f"meeting:{row.meeting_id}"
        grouped.setdefault(key, []).append(row)
    wanted = {s.id: s.attendees for s in built.problem.sessions}
    placed = []
    for key, group in grouped.items():
        start = wall_minute(instant=group[0].start, first_day=first, timezone=tz)
        end = wall_minute(instant=group[0].end, first_day=first, timezone=tz)
        attending = tuple(sorted(str(r.employee_id) for r in group))
        absent = tuple(a for a in wanted.get(key, ()) if a and a not in attending)
        placed.append(PlacedSession(key, start, end - start, attending, absent))
    return placed


def roster_violations(roster: Roster, *, now: datetime | None = None) -> list[Violation]:
    built = roster_rules_input(roster, now=now or timezone.now())
    shifts = roster.shifts.select_related("template", "queue").prefetch_related("breaks")
    return check(
        built.problem,
        shift_assignments(built, shifts),
        sessions=roster_placed_sessions(roster, built),
    )


def violations_for(roster: Roster, built: RosterInput, employees: set[str]) -> list[Violation]:
    shifts = (
        roster.shifts.filter(employee_id__in=employees)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    found = check(
        built.problem,
        shift_assignments(built, shifts),
        sessions=roster_placed_sessions(roster, built),
    )
    return [v for v in found if v.employee in employees]
