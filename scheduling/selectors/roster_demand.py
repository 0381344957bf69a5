"""The demand side of the solver's input: agents to schedule per queue and interval, from the
forecast's staffing net of the cover other rosters have already published."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from organisation.local_grid import local_day_bounds, timeline_minute, wall_minute
from organisation.models import Queue, Site
from scheduling.coverage import phone_periods
from scheduling.errors import RosterNoStaffing
from scheduling.models import Activity, Roster, Shift, StaffingRequirement
from scheduling.solver.model import Assignment, Break, IntervalDemand

# An agent-interval left uncovered costs more than the paid minutes of a whole shift at the
# team's average rate, so cover comes first and cost second.
UNDER_COVER_WEIGHT = 1000


@dataclass(frozen=True)
class RosterDemand:
    interval_minutes: int  # the finest staffing interval: the grid of the whole problem
    intervals: tuple[IntervalDemand, ...]


def roster_demand_build(
    *,
    site: Site,
    queues: dict[str, Queue],
    first_day: date,
    days: int,
    exclude_series: str,
) -> RosterDemand:
    """The demand of the period on the finest staffing grid, net of the cover published by
    other rosters than the series `exclude_series` (a scope key; "" excludes none)."""
    last_day = first_day + timedelta(days=days - 1)
    staffing = _staffing(site, list(queues.values()), first_day, last_day)
    if not staffing:
        raise RosterNoStaffing(extra={"queues": sorted(q.name for q in queues.values())})
    interval_minutes = min(row.interval_minutes for row in staffing)
    other_cover = _published_cover(
        site, queues, first_day, last_day, interval_minutes, exclude_scope=exclude_series
    )
    demand = _interval_demand(
        staffing, first_day, days, interval_minutes, site.timezone, other_cover
    )
    return RosterDemand(interval_minutes=interval_minutes, intervals=demand)


@dataclass(frozen=True)
class DemandSplit:
    interval_minutes: int
    per_queue: dict[str, tuple[int, int]]  # queue id -> (required, left after other rosters)


def roster_demand_split(
    *,
    site: Site,
    queues: dict[str, Queue],
    first_day: date,
    days: int,
    exclude_series: str,
) -> DemandSplit:
    """Per queue, the agent-intervals the staffing requires over the period, and those left
    once the cover other series have published is netted out (what a build of the series
    `exclude_series` plans against), counted on the period's time line as time runs (as the
    board's coverage and the review: both of the autumn day's repeated hours, none in the
    hour the spring change skips)."""
    last_day = first_day + timedelta(days=days - 1)
    interval_minutes, _origin, needs, other = _timeline(
        site, queues, first_day, last_day, exclude_series
    )
    return DemandSplit(
        interval_minutes,
        {
            queue_id: (
                sum(by.values()),
                sum(max(0, need - other.get((queue_id, t), 0)) for t, need in by.items()),
            )
            for queue_id, by in needs.items()
        },
    )


def _staffing(
    site: Site, queues: list[Queue], first_day: date, last_day: date
) -> list[StaffingRequirement]:
    start, end = local_day_bounds(first_day=first_day, last_day=last_day, timezone=site.timezone)
    return list(
        StaffingRequirement.objects.filter(
            queue__in=queues, interval_start__gte=start, interval_start__lt=end
        ).only("queue_id", "interval_start", "interval_minutes", "scheduled_agents")
    )


def _interval_demand(
    staffing: list[StaffingRequirement],
    first_day: date,
    days: int,
    interval_minutes: int,
    tz: str,
    other_cover: dict[tuple[str, int], int],
) -> tuple[IntervalDemand, ...]:
    """Agents to schedule per queue, local day and period, net of other rosters' published
    cover. A staffing interval longer than the grid fills every grid period it spans; the
    repeated autumn hour keeps the larger need."""
    periods = 1440 // interval_minutes
    required: dict[str, list[list[int]]] = {}
    needs = _needs(
        staffing,
        interval_minutes,
        lambda at: wall_minute(instant=at, first_day=first_day, timezone=tz),
    )
    for queue_id, by_period in needs.items():
        grid = required.setdefault(queue_id, [[0] * periods for _ in range(days)])
        for t, need in by_period.items():
            d, p = divmod(t, periods)
            if 0 <= d < days:
                grid[d][p] = need
    demands = []
    for queue_id, grid in sorted(required.items()):
        for d, row_ in enumerate(grid):
            for p, need in enumerate(row_):
                row_[p] = max(0, need - other_cover.get((queue_id, d * periods + p), 0))
        demands.append(
            IntervalDemand(
                queue=queue_id,
                required=tuple(tuple(r) for r in grid),
                under_weight=UNDER_COVER_WEIGHT,
                over_weight=0,
            )
        )
    return tuple(demands)


def _needs(
    staffing: list[StaffingRequirement],
    interval_minutes: int,
    minute_of: Callable[[datetime], int],
) -> dict[str, dict[int, int]]:
    """Agents to schedule per queue and period (`minute_of` an interval's start, on the
    wall-clock axis or a time line, over `interval_minutes`). A staffing interval longer
    than the grid fills every grid period it spans; where two rows meet in one period (the
    repeated autumn hour on the wall-clock axis) the larger need."""
    needs: dict[str, dict[int, int]] = {}
    for row in staffing:
        by_period = needs.setdefault(str(row.queue_id), {})
        first = minute_of(row.interval_start) // interval_minutes
        for t in range(first, first + max(1, row.interval_minutes // interval_minutes)):
            by_period[t] = max(by_period.get(t, 0), row.scheduled_agents)
    return needs


@dataclass(frozen=True)
class TimelineDemand:
    interval_minutes: int  # the finest staffing interval
    origin: datetime  # the first day's local midnight: minute 0 of the time line
    required: dict[str, dict[int, int]]  # queue id -> agents per period of the time line


def roster_demand_timeline(
    *,
    site: Site,
    queues: dict[str, Queue],
    first_day: date,
    last_day: date,
    exclude_series: str,
) -> TimelineDemand:
    """The demand of the days as roster_demand_build plans it (the finest staffing grid, net
    of the cover other series have published), on the time line from the first day's local
    midnight as time runs: each of the autumn day's two 02:00-03:00 hours its own periods,
    none in the hour the spring change skips (for the pages; the solver works on the
    wall-clock axis)."""
    interval_minutes, origin, needs, other = _timeline(
        site, queues, first_day, last_day, exclude_series
    )
    required = {
        queue_id: {t: max(0, need - other.get((queue_id, t), 0)) for t, need in by.items()}
        for queue_id, by in needs.items()
    }
    return TimelineDemand(interval_minutes, origin, required)


def _timeline(
    site: Site, queues: dict[str, Queue], first_day: date, last_day: date, exclude_series: str
) -> tuple[int, datetime, dict[str, dict[int, int]], dict[tuple[str, int], int]]:
    """The finest staffing interval, the first day's local midnight, the staffing's agents
    per queue and period of the time line from it, and the cover other series than
    `exclude_series` have published per (queue, period) of that time line."""
    staffing = _staffing(site, list(queues.values()), first_day, last_day)
    if not staffing:
        raise RosterNoStaffing(extra={"queues": sorted(q.name for q in queues.values())})
    interval_minutes = min(row.interval_minutes for row in staffing)
    origin, _end = local_day_bounds(first_day=first_day, last_day=last_day, timezone=site.timezone)
    other = _published_cover(
        site,
        queues,
        first_day,
        last_day,
        interval_minutes,
        exclude_scope=exclude_series,
        origin=origin,
    )
    needs = _needs(staffing, interval_minutes, lambda at: timeline_minute(at, origin))
    return interval_minutes, origin, needs, other


def _published_cover(
    site: Site,
    queues: dict[str, Queue],
    first_day: date,
    last_day: date,
    interval_minutes: int,
    *,
    exclude_scope: str,
    origin: datetime | None = None,
) -> dict[tuple[str, int], int]:
    """Phone cover per (queue, period of the horizon) from other series' published shifts
    (of the time line from `origin` when given, as phone_cover)."""
    start, end = local_day_bounds(first_day=first_day, last_day=last_day, timezone=site.timezone)
    shifts = (
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            queue_id__in=list(queues),
            activity=Activity.PHONE,
            start__lt=end,
            end__gt=start,
        )
        .exclude(roster__scope_key=exclude_scope)
        .prefetch_related("breaks")
    )
    return phone_cover(
        shifts,
        first_day=first_day,
        interval_minutes=interval_minutes,
        tz=site.timezone,
        origin=origin,
    )


def phone_cover(
    shifts: Iterable[Shift],
    *,
    first_day: date,
    interval_minutes: int,
    tz: str,
    origin: datetime | None = None,
) -> dict[tuple[str, int], int]:
    """Agents on the phone per (queue id, period index from first_day) on the wall-clock axis,
    breaks excluded; a period counts when the shift covers any of it. From an `origin`
    instant: periods of the time line from it (as time runs: both autumn 02:00s apart)."""
    cover: dict[tuple[str, int], int] = defaultdict(int)
    for shift in shifts:
        for t in shift_phone_periods(
            shift, first_day=first_day, interval_minutes=interval_minutes, tz=tz, origin=origin
        ):
            cover[(str(shift.queue_id), t)] += 1
    return cover


def shift_phone_periods(
    shift: Shift,
    *,
    first_day: date,
    interval_minutes: int,
    tz: str,
    origin: datetime | None = None,
) -> list[int]:
    """The periods (from first_day's local midnight on the wall-clock axis, or from `origin`
    as time runs) a shift is on the phone for, breaks excluded; none for a shift without a
    queue."""
    if shift.queue_id is None:
        return []

    def minute(at: datetime) -> int:
        if origin is not None:
            return timeline_minute(at, origin)
        return wall_minute(instant=at, first_day=first_day, timezone=tz)

    start, end = minute(shift.start), minute(shift.end)
    breaks = tuple(
        Break(
            start_minute=(b_start := minute(b.start)),
            length_minutes=minute(b.end) - b_start,
            paid=b.paid,
        )
        for b in shift.breaks.all()
    )
    assignment = Assignment(
        employee=str(shift.employee_id),
        day=start // 1440,
        template="",
        start_minute=start,
        length_minutes=end - start,
        breaks=breaks,
        queue=str(shift.queue_id),
        activity=shift.activity,
    )
    return phone_periods(assignment, interval_minutes)
