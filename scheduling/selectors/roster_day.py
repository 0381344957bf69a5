"""One local day of a roster: everyone working it (shifts that start that day or run into it,
with breaks and activities), and per queue the agents required against those scheduled at
the staffing interval; who is on the phone in a given interval."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Queue
from organisation.selectors.organisation import scope_employees
from scheduling.errors import RosterNoStaffing
from scheduling.models import AvailabilityBlock, Roster, Shift
from scheduling.selectors.roster_demand import roster_demand_build, shift_phone_periods


@dataclass(frozen=True)
class QueueDayCover:
    queue_id: str
    name: str
    required: tuple[int, ...]  # agents per period of the day
    scheduled: tuple[int, ...]

    @property
    def under(self) -> int:
        return sum(max(0, r - s) for r, s in zip(self.required, self.scheduled, strict=True))


@dataclass(frozen=True)
class RosterDay:
    day: date
    interval_minutes: int
    shifts: list[Shift]  # with employee, queue, template and breaks; local times via the site
    cover: list[QueueDayCover]
    on_leave: set[str]  # ids of the people with approved time off that day


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
    queues = {str(q.pk): q for q in Queue.objects.filter(employees__in=people).distinct()}
    interval, required = _required(roster, queues, day)
    scheduled: dict[str, list[int]] = defaultdict(lambda: [0] * (1440 // interval))
    for shift in shifts:
        for t in shift_phone_periods(shift, first_day=day, interval_minutes=interval, tz=tz):
            if 0 <= t < 1440 // interval:
                scheduled[str(shift.queue_id)][t] += 1
    names = {
        **{k: q.name for k, q in queues.items()},
        **{str(s.queue_id): s.queue.name for s in shifts if s.queue},
    }
    cover = [
        QueueDayCover(
            queue_id=q,
            name=names.get(q, q),
            required=tuple(required.get(q, [0] * (1440 // interval))),
            scheduled=tuple(scheduled[q]),
        )
        for q in sorted(set(required) | set(scheduled), key=lambda q: names.get(q, q))
    ]
    away = AvailabilityBlock.objects.filter(
        employee__in=people, kind=AvailabilityBlock.Kind.TIME_OFF, start__lt=end, end__gt=start
    ).values_list("employee_id", flat=True)
    return RosterDay(day, interval, shifts, cover, {str(e) for e in away})


def _required(
    roster: Roster, queues: dict[str, Queue], day: date
) -> tuple[int, dict[str, list[int]]]:
    if not queues:
        return roster.interval_minutes, {}
    try:
        demand = roster_demand_build(
            site=roster.site, queues=queues, first_day=day, days=1, exclude_series=roster.scope_key
        )
    except RosterNoStaffing:
        return roster.interval_minutes, {}
    return demand.interval_minutes, {d.queue: list(d.required[0]) for d in demand.intervals}


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
            shift, first_day=day.day, interval_minutes=day.interval_minutes, tz=timezone
        )
        if period in periods:
            name = shift.queue.name if shift.queue else ""
            found[name].append(
                (shift.employee, shift.start.astimezone(zone), shift.end.astimezone(zone))
            )
    return [OnPhone(q, found[q]) for q in sorted(found)]


def day_periods(day: RosterDay) -> list[tuple[int, str]]:
    """The day's periods with their local wall-clock start ("08:15")."""
    step = day.interval_minutes
    return [(t, f"{t * step // 60:02d}:{t * step % 60:02d}") for t in range(1440 // step)]
