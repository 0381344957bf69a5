"""One local day of a roster: everyone working it (shifts that start that day or run into it,
with breaks and activities), and per queue the agents required against those scheduled at
the staffing interval; who is on the phone in a given interval. A day's intervals are its
time line from the local midnight as time runs (organisation.local_grid.timeline_minute):
50 half hours on the autumn day (each 02:00-03:00 hour its own), 46 on the spring day."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from organisation.local_grid import local_day_bounds, timeline_minute
from organisation.models import Employee, Queue
from organisation.selectors.organisation import scope_employees
from scheduling.errors import RosterNoStaffing
from scheduling.models import AvailabilityBlock, Roster, Shift
from scheduling.selectors.roster_demand import (
    phone_cover,
    roster_demand_timeline,
    shift_phone_periods,
)


@dataclass(frozen=True)
class QueueDayCover:
    queue_id: str
    name: str
    required: tuple[int, ...]  # agents per period of the day's time line
    scheduled: tuple[int, ...]

    @property
    def under(self) -> int:
        return sum(max(0, r - s) for r, s in zip(self.required, self.scheduled, strict=True))


@dataclass(frozen=True)
class CoverDay:
    day: date
    origin: datetime  # the local midnight (UTC): the start of period 0
    periods: int  # intervals of the day as time runs (46, 48 or 50 half hours)
    interval_minutes: int  # the finest staffing interval of the queues
    cover: list[QueueDayCover]


@dataclass(frozen=True)
class RosterDay:
    day: date
    interval_minutes: int
    shifts: list[Shift]  # with employee, queue, template and breaks; local times via the site
    cover: list[QueueDayCover]
    on_leave: set[str]  # ids of the people with approved time off that day
    origin: datetime  # the local midnight (UTC): minute 0 of the day's time line
    periods: int  # intervals of the day as time runs

    @property
    def minutes(self) -> int:
        """The day's length in minutes: 1500 on the autumn day, 1380 on the spring one."""
        return self.periods * self.interval_minutes

    def period_start(self, period: int) -> datetime:
        return self.origin + timedelta(minutes=period * self.interval_minutes)


def roster_day(*, roster: Roster, day: date) -> RosterDay:
    """The roster's shifts overlapping the local day, and each queue's cover of that day
    against its requirement net of other published rosters (as the build planned it)."""
    tz = roster.site.timezone
    start, end = local_day_bounds(first_day=day, last_day=day, timezone=tz)
    shifts = list(
        roster.shifts.filter(start__lt=end, end__gt=start)
        .select_related("employee__user", "queue", "template")
        .prefetch_related("breaks")
        .order_by("start", "employee__number")
    )
    people = scope_employees(site=roster.site, team=roster.team, first_day=day, last_day=day)
    interval, (covered,) = roster_cover_days(
        roster=roster, first_day=day, last_day=day, shifts=shifts, people=people
    )
    away = AvailabilityBlock.objects.filter(
        employee__in=people, kind=AvailabilityBlock.Kind.TIME_OFF, start__lt=end, end__gt=start
    ).values_list("employee_id", flat=True)
    return RosterDay(
        day, interval, shifts, covered.cover, {str(e) for e in away}, start, covered.periods
    )


def roster_cover_window(*, roster: Roster, first_day: date, last_day: date) -> list[CoverDay]:
    """Each queue's cover of the roster's days `first_day` to `last_day` (the board's
    window), day by day on its time line."""
    start, end = local_day_bounds(
        first_day=first_day, last_day=last_day, timezone=roster.site.timezone
    )
    shifts = (
        roster.shifts.filter(start__lt=end, end__gt=start)
        .select_related("queue")
        .prefetch_related("breaks")
    )
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=first_day, last_day=last_day
    )
    return roster_cover_days(
        roster=roster, first_day=first_day, last_day=last_day, shifts=shifts, people=people
    )[1]


def roster_cover_days(
    *, roster: Roster, first_day: date, last_day: date, shifts: Iterable[Shift], people: Any
) -> tuple[int, list[CoverDay]]:
    """The staffing interval and, per local day of `first_day` to `last_day`, each queue's
    agents required (net of other series' published cover) and scheduled by `shifts`
    (breaks excluded) per period of the day's time line."""
    tz = roster.site.timezone
    shifts = list(shifts)
    queues = {str(q.pk): q for q in Queue.objects.filter(employees__in=people).distinct()}
    interval, origin, required = _required(roster, queues, first_day, last_day)
    scheduled = phone_cover(
        shifts, first_day=first_day, interval_minutes=interval, tz=tz, origin=origin
    )
    names = {k: q.name for k, q in queues.items()}
    others = {str(s.queue_id) for s in shifts if s.queue_id} - set(names)
    if others:  # queues worked that no one in scope is skilled for (one query, not one a shift)
        names |= {
            str(pk): name
            for pk, name in Queue.objects.filter(pk__in=others).values_list("pk", "name")
        }
    wanted = sorted(set(required) | {q for q, _t in scheduled}, key=lambda q: names.get(q, q))
    days = []
    for d in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=d)
        lo, hi = local_day_bounds(first_day=day, last_day=day, timezone=tz)
        first = timeline_minute(lo, origin) // interval
        periods = range(first, timeline_minute(hi, origin) // interval)
        cover = [
            QueueDayCover(
                queue_id=q,
                name=names.get(q, q),
                required=tuple(required.get(q, {}).get(t, 0) for t in periods),
                scheduled=tuple(scheduled.get((q, t), 0) for t in periods),
            )
            for q in wanted
        ]
        days.append(CoverDay(day, lo, len(periods), interval, cover))
    return interval, days


def _required(
    roster: Roster, queues: dict[str, Queue], first_day: date, last_day: date
) -> tuple[int, datetime, dict[str, dict[int, int]]]:
    origin = local_day_bounds(
        first_day=first_day, last_day=last_day, timezone=roster.site.timezone
    )[0]
    if not queues:
        return roster.interval_minutes, origin, {}
    try:
        demand = roster_demand_timeline(
            site=roster.site,
            queues=queues,
            first_day=first_day,
            last_day=last_day,
            exclude_series=roster.scope_key,
        )
    except RosterNoStaffing:
        return roster.interval_minutes, origin, {}
    return demand.interval_minutes, demand.origin, demand.required


@dataclass(frozen=True)
class OnPhone:
    queue: str
    people: list[tuple[Employee, datetime, datetime]]  # who, their shift's local start and end


def roster_day_on_phone(*, day: RosterDay, period: int, timezone: str) -> list[OnPhone]:
    """Who is on the phone, per queue, in the day's `period`-th interval."""
    zone = ZoneInfo(timezone)
    found: dict[str, list[tuple[Employee, datetime, datetime]]] = defaultdict(list)
    for shift in day.shifts:
        periods = shift_phone_periods(
            shift,
            first_day=day.day,
            interval_minutes=day.interval_minutes,
            tz=timezone,
            origin=day.origin,
        )
        if period in periods:
            name = shift.queue.name if shift.queue else ""
            found[name].append(
                (shift.employee, shift.start.astimezone(zone), shift.end.astimezone(zone))
            )
    return [OnPhone(q, found[q]) for q in sorted(found)]


def day_periods(day: RosterDay) -> list[tuple[int, datetime]]:
    """The day's periods as time runs, with the instant each starts (UTC)."""
    return [(t, day.period_start(t)) for t in range(day.periods)]
