"""The manager's dashboard per queue and local day: forecast vs actual calls, and agents
required vs scheduled (published phone cover), from the stored staffing and history."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from organisation.local_grid import local_day_bounds, timeline_minute
from organisation.models import Queue
from scheduling.models import CallVolume, Roster, Shift
from scheduling.selectors.forecasting import staffing_list
from scheduling.selectors.roster_demand import phone_cover
from web.charts import LineChart, line_chart
from web.labels import time_label


@dataclass(frozen=True)
class QueueDay:
    queue: Queue
    calls: LineChart
    agents: LineChart
    forecast_total: float
    actual_total: float | None
    required_peak: int
    scheduled_peak: int
    labels: tuple[str, ...] = ()  # per interval as time runs: "02:00", "02:00 (2nd)"
    required: tuple[int, ...] = ()
    scheduled: tuple[int, ...] = ()


def queue_day(*, queue: Queue, day: date) -> QueueDay | None:
    rows = list(staffing_list(queue=queue, first_day=day, last_day=day))
    if not rows:
        return None
    zone = ZoneInfo(queue.site.timezone)
    interval = timedelta(minutes=rows[0].interval_minutes)
    start, end = local_day_bounds(first_day=day, last_day=day, timezone=queue.site.timezone)
    index = {row.interval_start: i for i, row in enumerate(rows)}
    actual: list[float | None] = [None] * len(rows)
    for volume in CallVolume.objects.filter(
        queue=queue, interval_start__gte=start, interval_start__lt=end
    ).only("interval_start", "calls"):
        slot = volume.interval_start - (volume.interval_start - start) % interval
        i = index.get(slot)
        if i is not None:
            actual[i] = (actual[i] or 0.0) + volume.calls
    shifts = Shift.objects.filter(
        state=Roster.Status.PUBLISHED, queue=queue, start__lt=end, end__gt=start
    ).prefetch_related("breaks")
    minutes = rows[0].interval_minutes
    # Cover on the day's time line from its local midnight: the autumn day's two 02:00
    # hours are intervals of their own (the staffing rows are instants already).
    cover = phone_cover(
        shifts, first_day=day, interval_minutes=minutes, tz=queue.site.timezone, origin=start
    )
    periods = [timeline_minute(row.interval_start, start) // minutes for row in rows]
    scheduled = [cover.get((str(queue.pk), p), 0) for p in periods]
    required = [row.scheduled_agents for row in rows]
    labels = [time_label(row.interval_start.astimezone(zone)) for row in rows]
    every = max(1, len(rows) // 8)
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    has_actual = any(v is not None for v in actual)
    return QueueDay(
        queue=queue,
        calls=line_chart(
            labels=labels,
            series=[
                (_("Forecast"), "series-a", [row.calls for row in rows], False),
                (_("Actual"), "series-b", actual, True),
            ],
            label_every=every,
            decimal=decimal,
        ),
        agents=line_chart(
            labels=labels,
            series=[
                (_("Required"), "series-a", [float(v) for v in required], False),
                (_("Scheduled"), "series-c", [float(v) for v in scheduled], False),
            ],
            label_every=every,
            decimal=decimal,
        ),
        forecast_total=round(sum(row.calls for row in rows), 1),
        actual_total=round(sum(v or 0.0 for v in actual), 1) if has_actual else None,
        required_peak=max(required),
        scheduled_peak=max(scheduled),
        labels=tuple(labels),
        required=tuple(required),
        scheduled=tuple(scheduled),
    )
