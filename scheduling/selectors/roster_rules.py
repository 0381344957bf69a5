"""The rules' view of a roster: its period as the rules see it and its shifts on the solver's
wall-clock axis, for rules.check, the cover count, the review, edits and swap checks; and the
violations rules.check finds in it."""

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

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


def shift_assignments(
    built: RosterInput, shifts: Iterable[Shift], *, origin: datetime | None = None
) -> list[Assignment]:
    """Shifts on the solver's wall-clock axis, for rules.check and the cover count; or, from
    an `origin` instant, on a time line (minutes as time runs: the two autumn 02:30s apart),
    each on the day the wall-clock axis gives it."""
    wall = partial(wall_minute, first_day=built.first_day, timezone=built.timezone)
    minute = _minute_of(built, origin)
    result = []
    for s in shifts:
        start, end = minute(s.start), minute(s.end)
        breaks = tuple(
            Break(
                start_minute=minute(b.start),
                length_minutes=int((b.end - b.start).total_seconds() // 60),
                paid=b.paid,
            )
            for b in s.breaks.all()
        )
        template = solver_template_id(s.template, s.queue_id) if s.template else "manual"
        result.append(
            Assignment(
                employee=str(s.employee_id),
                day=(start if origin is None else wall(instant=s.start)) // 1440,
                template=template,
                start_minute=start,
                length_minutes=end - start,
                breaks=breaks,
                queue=str(s.queue_id) if s.queue_id else None,
                activity=s.activity,
            )
        )
    return result


def _minute_of(built: RosterInput, origin: datetime | None) -> Callable[[datetime], int]:
    """An instant on the wall-clock axis of the roster's period, or on the time line from
    `origin`."""
    if origin is None:
        return lambda at: wall_minute(
            instant=at, first_day=built.first_day, timezone=built.timezone
        )
    return lambda at: int((at - origin).total_seconds() // 60)


def roster_placed_sessions(
    roster: Roster, built: RosterInput, *, origin: datetime | None = None
) -> list[PlacedSession] | None:
    """The sessions and meetings the roster placed, as rules.check reads them (who attends,
    when; from `origin`: on that time line, as shift_assignments); None for a roster that
    placed none (its sessions then go unchecked, as before training existed)."""
    rows = list(roster.placed.order_by("start", "employee_id"))
    if not rows:
        return None
    minute = _minute_of(built, origin)
    grouped: dict[str, list[PlacedActivity]] = {}
    for row in rows:
        key = f"session:{row.session_id}" if row.session_id else f"meeting:{row.meeting_id}"
        grouped.setdefault(key, []).append(row)
    wanted = {s.id: s.attendees for s in built.problem.sessions}
    placed = []
    for key, group in grouped.items():
        start, end = minute(group[0].start), minute(group[0].end)
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
