"""The rest-of-day break moves of a queue (issue 26, item 5), read from the published rosters
that staff it today: each roster's people on the day's time line, minutes from its local
midnight as time runs, with the clock that turns it into the rules' wall-clock axis
(scheduling/intraday_moves), and the moves mapped back to their shifts and instants."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from organisation.local_grid import local_date, local_day_bounds, timeline_minute, wall_minute
from organisation.models import Employee, Queue
from organisation.selectors.organisation import User
from scheduling.errors import RosterNoOperators
from scheduling.intraday_moves import (
    BreakMove,
    Clock,
    Crew,
    MovePlan,
    SessionMove,
    break_moves_propose,
)
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
    origin: datetime  # the day's local midnight: minute 0 of the time line, of period 0

    def period_start(self, period: int) -> datetime:
        return self.origin + timedelta(minutes=period * self.interval_minutes)


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
    origin, end = local_day_bounds(first_day=day, last_day=day, timezone=tz)
    periods = timeline_minute(end, origin) // interval_minutes  # 50 half hours in autumn
    required, scheduled = [0] * periods, [0] * periods
    for start, need, cover in intervals:
        t = timeline_minute(start, origin) // interval_minutes
        if 0 <= t < periods:
            required[t], scheduled[t] = need, cover
    crews, shifts, found = _crews(queue, origin, end, now, user)
    plan = break_moves_propose(
        crews=crews,
        queue=str(queue.pk),
        required=required,
        scheduled=scheduled,
        interval_minutes=interval_minutes,
        now_minute=timeline_minute(now, origin),
    )

    def at(minute: int) -> datetime:
        return origin + timedelta(minutes=minute)

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
        plan=plan,
        moves=moves,
        interval_minutes=interval_minutes,
        sessions=sessions,
        origin=origin,
    )


def roster_crew(roster: Roster, built: RosterInput, people: set[str], *, origin: datetime) -> Crew:
    """The roster's `people` on the time line from `origin`: all their shifts of its period,
    the sessions it placed, and the clock to the rules' axis."""
    theirs = (
        roster.shifts.filter(employee_id__in=people)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    placed = roster_placed_sessions(roster, built, origin=origin)
    return Crew(
        key=str(roster.pk),
        problem=built.problem,
        assignments=tuple(shift_assignments(built, theirs, origin=origin)),
        sessions=None if placed is None else tuple(placed),
        clock=_clock(built, origin),
    )


def _clock(built: RosterInput, origin: datetime) -> Clock:
    """The time line from `origin` against the wall-clock axis of the roster's period (a day
    either side): their difference, and each change of it (the zone's offset changes on the
    quarter hour)."""
    tz, first = built.timezone, built.first_day
    start, end = local_day_bounds(
        first_day=first - timedelta(days=1),
        last_day=first + timedelta(days=built.problem.days),
        timezone=tz,
    )

    def offset(at: datetime) -> int:
        return wall_minute(instant=at, first_day=first, timezone=tz) - timeline_minute(at, origin)

    base = last = offset(start)
    changes = []
    for quarter in range(1, timeline_minute(end, start) // 15 + 1):
        at = start + timedelta(minutes=15 * quarter)
        if offset(at) != last:
            last = offset(at)
            changes.append((timeline_minute(at, origin), last))
    return Clock(base, tuple(changes))


Found = dict[str, tuple[Roster, dict[str, ClassroomSession | Meeting], dict[str, Employee]]]


def _crews(
    queue: Queue, start: datetime, end: datetime, now: datetime, user: User
) -> tuple[list[Crew], dict[tuple[str, str, int], Shift], Found]:
    """Per published roster `user` manages with phone shifts on the queue today (`start` to
    `end`), its people (and those in the sessions it placed today) on the day's time line;
    those shifts by (roster, person, start minute); per roster, its sessions' rows and its
    people by id."""
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
        crews.append(roster_crew(roster, built, people, origin=start))
        for s in group:
            shifts[(key, str(s.employee_id), timeline_minute(s.start, start))] = s
    return crews, shifts, found
