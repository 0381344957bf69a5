"""A night on the day the clocks change, for the pages that count a day's intervals (the
dashboard, the roster's day view and the board): a queue planned in half hours on the
day's time line, and a published roster of two operators on it from local midnight.

Autumn: the first operator works 00:00-06:00 local (an hour more than the wall clock says)
with a break in the first half hour of the repeated hour; the second from the start of the
repeated hour's second occurrence to 06:00. The plan asks 3 agents in the first occurrence
of the repeated hour, 2 in the second and 1 in every other half hour before 06:00, so each
occurrence has numbers of its own. Spring: the first operator works 00:00-06:00 local (an
hour less), the second 01:00-04:00; 1 agent planned in every half hour before 06:00."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from organisation.local_grid import local_day_bounds, local_grid_instants, local_instant
from organisation.models import Employee, Queue, Team
from scheduling.models import ForecastRun, Roster, Shift, ShiftBreak, StaffingRequirement
from tests.factories import employee_make, queue_make
from tests.factories.intraday import published_roster

HALF_HOUR = timedelta(minutes=30)


@dataclass
class DstDay:
    queue: Queue
    roster: Roster
    day: date
    origin: datetime  # the local midnight (UTC)
    instants: list[datetime]  # the day's half hours as time runs (UTC)
    repeated: datetime | None  # autumn: the first occurrence of the repeated hour (UTC)


def dst_day_make(*, team: Team, people: list[Employee], day: date) -> DstDay:
    tz = team.site.timezone
    zone = ZoneInfo(tz)
    queue = queue_make(site=team.site, name="Nights")
    for person in people:
        person.queues.add(queue)
    roster = published_roster(team=team, day=day)
    origin, _end = local_day_bounds(first_day=day, last_day=day, timezone=tz)
    instants = sorted(
        i.start
        for i in local_grid_instants(first_day=day, days=1, interval_minutes=30, timezone=tz)
    )
    second = [i for i in instants if i.astimezone(zone).fold == 1]
    repeated = second[0] - timedelta(hours=1) if second else None

    def need(at: datetime) -> int:
        if repeated is not None and repeated <= at < repeated + timedelta(hours=1):
            return 3
        if repeated is not None and repeated + timedelta(hours=1) <= at < repeated + timedelta(
            hours=2
        ):
            return 2
        return 1 if at.astimezone(zone).hour < 6 else 0

    run = ForecastRun.objects.create(
        queue=queue,
        start_date=day,
        days=1,
        interval_minutes=30,
        method_requested="test",
        method_used="test",
        history_last_day=day - timedelta(days=1),
    )
    StaffingRequirement.objects.bulk_create(
        StaffingRequirement(
            queue=queue,
            forecast_run=run,
            interval_start=at,
            interval_minutes=30,
            forecast_calls=need(at) * 10.0,
            calls=need(at) * 10.0,
            aht_seconds=180,
            agents=need(at),
            scheduled_agents=need(at),
            service_level=0.8,
            asa_seconds=10,
            occupancy=0.8,
        )
        for at in instants
    )
    six = local_instant(day=day, wall=time(6), timezone=tz)
    if repeated is not None:
        spans = [(origin, six), (repeated + timedelta(hours=1), six)]
    else:
        spans = [
            (origin, six),
            (
                local_instant(day=day, wall=time(1), timezone=tz),
                local_instant(day=day, wall=time(4), timezone=tz),
            ),
        ]
    shifts = [
        Shift.objects.create(
            roster=roster,
            employee=person,
            queue=queue,
            start=start,
            end=end,
            local_date=day,
            state=roster.status,
        )
        for person, (start, end) in zip(people, spans, strict=True)
    ]
    if repeated is not None:
        ShiftBreak.objects.create(shift=shifts[0], start=repeated, end=repeated + HALF_HOUR)
    return DstDay(queue, roster, day, origin, instants, repeated)


def dst_scene(org: Any, site: str, day: date) -> tuple[DstDay, Any]:
    """The scene at the conftest's Amsterdam ("amsterdam") or New York ("new_york") team, and
    the manager who sees it."""
    if site == "amsterdam":
        team, people, manager = org.team_a, [org.op_a1, org.op_a2], org.manager_a
    else:
        team, manager = org.team_b, org.manager_b
        people = [org.op_b1, employee_make(team=team, username="op_b2")]
    return dst_day_make(team=team, people=people, day=day), manager
