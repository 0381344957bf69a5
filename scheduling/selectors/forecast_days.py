"""A forecast by local day beside the calls that came: what the planning pages chart and
compare (the model's calls, the calls planned with today's overrides, the actual calls)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from organisation.local_grid import local_day_bounds
from organisation.models import Queue
from scheduling.models import CallVolume, ForecastOverride, ForecastRun, StaffingRequirement
from scheduling.selectors.forecasting import override_factors, staffing_list


@dataclass(frozen=True)
class ForecastDay:
    day: date
    actual: float | None  # calls that came (None: none stored)
    forecast: float | None  # the model's calls (None: no staffing that day)
    planned: float | None  # the model's calls with the overrides as they are now
    staffed: float | None  # the calls the stored staffing was computed for
    factor: float  # product of today's overrides on the day (1.0: none)


def forecast_days(*, queue: Queue, first_day: date, last_day: date) -> list[ForecastDay]:
    zone = ZoneInfo(queue.site.timezone)
    start, end = local_day_bounds(
        first_day=first_day, last_day=last_day, timezone=queue.site.timezone
    )
    actual: dict[date, float] = defaultdict(float)
    for instant, calls in CallVolume.objects.filter(
        queue=queue, interval_start__gte=start, interval_start__lt=end
    ).values_list("interval_start", "calls"):
        actual[instant.astimezone(zone).date()] += calls
    model: dict[date, float] = defaultdict(float)
    staffed: dict[date, float] = defaultdict(float)
    for instant, forecast_calls, calls in staffing_list(
        queue=queue, first_day=first_day, last_day=last_day
    ).values_list("interval_start", "forecast_calls", "calls"):
        day = instant.astimezone(zone).date()
        model[day] += forecast_calls
        staffed[day] += calls
    factors = override_factors(queue=queue, first_day=first_day, last_day=last_day)
    days = []
    day = first_day
    while day <= last_day:
        factor = factors.get(day, 1.0)
        days.append(
            ForecastDay(
                day=day,
                actual=actual.get(day),
                forecast=model.get(day),
                planned=model[day] * factor if day in model else None,
                staffed=staffed.get(day),
                factor=factor,
            )
        )
        day += timedelta(days=1)
    return days


def forecast_run_latest(*, queue: Queue, start: date | None = None) -> ForecastRun | None:
    """The queue's latest forecast run, or the latest one that covers `start`."""
    runs = ForecastRun.objects.filter(queue=queue).order_by("-created_at")
    if start is not None:
        runs = runs.filter(start_date__lte=start)
        return next((r for r in runs[:50] if start < r.start_date + timedelta(days=r.days)), None)
    return runs.first()


def forecast_override_list(*, queue: Queue, since: date) -> QuerySet[ForecastOverride]:
    """The queue's overrides that end on or after `since`, earliest first."""
    return ForecastOverride.objects.filter(queue=queue, end_date__gte=since).order_by(
        "start_date", "created_at"
    )


def forecast_run_list_recent(*, queues: QuerySet[Queue]) -> QuerySet[ForecastRun]:
    """Forecast runs of the queues, newest first, with their queue and site."""
    return (
        ForecastRun.objects.filter(queue__in=queues)
        .select_related("queue__site")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class PlannedDay:
    """The latest local day before a moment that one of the queues has a plan (staffing) for,
    and the moment on it to replay the intraday page at: REPLAY_AT local, or the end of the
    day's last planned interval when that comes first."""

    queue: Queue
    day: date
    at: datetime


REPLAY_AT = time(13)


def latest_planned_day(*, queues: QuerySet[Queue], before: datetime) -> PlannedDay | None:
    """None when none of `queues` has a staffing interval before `before`."""
    row = (
        StaffingRequirement.objects.filter(queue__in=queues, interval_start__lt=before)
        .select_related("queue__site")
        .order_by("-interval_start")
        .first()
    )
    if row is None:
        return None
    zone = ZoneInfo(row.queue.site.timezone)
    day = row.interval_start.astimezone(zone).date()
    replay = datetime.combine(day, REPLAY_AT, tzinfo=zone)
    last_end = row.interval_start + timedelta(minutes=row.interval_minutes)
    return PlannedDay(row.queue, day, min(replay, last_end).astimezone(zone))
