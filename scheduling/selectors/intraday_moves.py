"""The rest-of-day break moves of a queue (issue 26, item 5), read from the published rosters
that staff it today: each roster's people as the rules see them (scheduling/intraday_moves)
and the moves mapped back to their shifts and local times."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from organisation.local_grid import local_date, local_day_bounds, wall_instant, wall_minute
from organisation.models import Employee, Queue
from organisation.selectors.organisation import User
from scheduling.errors import RosterNoOperators
from scheduling.intraday_moves import BreakMove, Crew, MovePlan, SessionMove, break_moves_propose
from scheduling.models import Activity, ClassroomSession, Meeting, Roster, Shift
from scheduling.selectors.roster_problem import RosterInput
from scheduling.selectors.roster_rules import (
    roster_placed_sessions,
    roster_rules_input,
    shift_assignments,
)
from scheduling.selectors.rosters import roster_is_managed


@dataclass(frozen=True)
class ProposedMove:
    move: BreakMove
    shift: Shift  # the published shift whose break moves
    break_start: datetime  # aware instants
    break_end: datetime
    new_start: datetime
    new_end: datetime


@dataclass(frozen=True)
class ProposedSession:
    move: SessionMove
    roster: Roster  # the published version that placed it
    row: ClassroomSession | Meeting
    attending: list[Employee]
    start: datetime  # aware instants
    end: datetime
    new_start: datetime
    new_end: datetime


@dataclass(frozen=True)
class BreakMovePlan:
    plan: MovePlan
    moves: list[ProposedMove]
    interval_minutes: int
    sessions: list[ProposedSession]


def break_moves_plan(
    *,
    queue: Queue,
    now: datetime,
    interval_minutes: int,
    intervals: Sequence[tuple[datetime, int, int]],
    user: User,
) -> BreakMovePlan:
    """The moves for the rest of `now`'s local day of the rosters `user` manages (the others'
    people still count in the cover); `intervals`: (start, required, scheduled) of each
    interval of the day on the queue (the intraday page's figures)."""
    tz = queue.site.timezone
    day = local_date(instant=now, timezone=tz)
    periods = 1440 // interval_minutes
    required, scheduled = [0] * periods, [0] * periods
    for start, need, cover in intervals:
        t = wall_minute(instant=start, first_day=day, timezone=tz) // interval_minutes
        if 0 <= t < periods:
            required[t], scheduled[t] = need, cover
    crews, shifts, found = _crews(queue, day, now, user)
    plan = break_moves_propose(
        crews=crews,
        queue=str(queue.pk),
        required=required,
        scheduled=scheduled,
        interval_minutes=interval_minutes,
        now_minute=wall_minute(instant=now, first_day=day, timezone=tz),
    )

    def at(minute: int) -> datetime:
        return wall_instant(minute=minute, first_day=day, timezone=tz)

    moves = [
        ProposedMove(
            move=m,
            shift=shifts[(m.crew, m.employee, m.shift_start_minute)],
            break_start=at(m.break_start_minute),
            break_end=at(m.break_start_minute) + timedelta(minutes=m.length_minutes),
            new_start=at(m.new_start_minute),
            new_end=at(m.new_start_minute) + timedelta(minutes=m.length_minutes),
        )
        for m in plan.moves
    ]
    sessions = []
    for m in plan.sessions:
        roster, rows, people = found[m.crew]
        length = timedelta(minutes=m.length_minutes)
        sessions.append(
            ProposedSession(
                move=m,
                roster=roster,
                row=rows[m.session],
                attending=[people[p] for p in m.attending if p in people],
                start=at(m.start_minute),
                end=at(m.start_minute) + length,
                new_start=at(m.new_start_minute),
                new_end=at(m.new_start_minute) + length,
            )
        )
    return BreakMovePlan(
        plan=plan, moves=moves, interval_minutes=interval_minutes, sessions=sessions
    )


def roster_crew(
    roster: Roster, built: RosterInput, people: set[str], *, day_offset_minutes: int
) -> Crew:
    """The roster's `people` as the rules see them: all their shifts of its period, the
    sessions it placed."""
    theirs = (
        roster.shifts.filter(employee_id__in=people)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    placed = roster_placed_sessions(roster, built)
    return Crew(
        key=str(roster.pk),
        problem=built.problem,
        assignments=tuple(shift_assignments(built, theirs)),
        sessions=None if placed is None else tuple(placed),
        day_offset_minutes=day_offset_minutes,
    )


Found = dict[str, tuple[Roster, dict[str, ClassroomSession | Meeting], dict[str, Employee]]]


def _crews(
    queue: Queue, day: date, now: datetime, user: User
) -> tuple[list[Crew], dict[tuple[str, str, int], Shift], Found]:
    """Per published roster `user` manages with phone shifts on the queue today, its people
    (and those in the sessions it placed today) as the rules see them; those shifts by
    (roster, person, start minute of the day); per roster, its sessions' rows and its people
    by id."""
    tz = queue.site.timezone
    start, end = local_day_bounds(first_day=day, last_day=day, timezone=tz)
    today = Shift.objects.filter(
        state=Roster.Status.PUBLISHED,
        queue=queue,
        activity=Activity.PHONE,
        start__lt=end,
        end__gt=start,
    ).select_related("roster__site", "roster__team", "employee")
    by_roster: dict[str, list[Shift]] = defaultdict(list)
    for shift in today:
        by_roster[str(shift.roster_id)].append(shift)
    crews, shifts, found = [], {}, {}
    for key, group in sorted(by_roster.items()):
        roster = group[0].roster
        if not roster_is_managed(user=user, roster=roster):
            continue
        people = {str(s.employee_id) for s in group}
        people |= {
            str(e)
            for e in roster.placed.filter(start__lt=end, end__gt=start).values_list(
                "employee_id", flat=True
            )
        }
        try:
            built = roster_rules_input(roster, now=now, only=people, demand=False, sessions=True)
        except RosterNoOperators:  # its people left the team: nothing of it to move
            continue
        found[key] = (roster, built.sessions, built.employees)
        offset = wall_minute(instant=start, first_day=built.first_day, timezone=tz)
        crews.append(roster_crew(roster, built, people, day_offset_minutes=offset))
        for s in group:
            minute = wall_minute(instant=s.start, first_day=day, timezone=tz)
            shifts[(key, str(s.employee_id), minute)] = s
    return crews, shifts, found
