"""Reads for scheduling: a queue's history as the forecaster's input, staffing by local days."""

from datetime import date, datetime

import pandas as pd
from django.db.models import QuerySet

from organisation.local_grid import local_day_bounds
from organisation.models import Queue
from organisation.selectors.organisation import User, queue_list_visible
from scheduling.forecast import History, history_from_frame
from scheduling.models import CallVolume, ForecastOverride, ForecastRun, StaffingRequirement


def history_load(*, queue: Queue, interval_minutes: int) -> History | None:
    """The queue's stored history on its site's local-day grid, or None when it has none."""
    rows = list(
        CallVolume.objects.filter(queue=queue)
        .order_by("interval_start")
        .values_list(
            "interval_start", "interval_minutes", "calls", "handled_calls", "handle_seconds"
        )
    )
    if not rows:
        return None
    frame = pd.DataFrame(
        rows,
        columns=["interval_start", "minutes", "calls", "handled_calls", "handle_seconds"],
    )
    local = pd.DatetimeIndex(pd.to_datetime(frame["interval_start"], utc=True))
    frame["interval_start"] = local.tz_convert(queue.site.timezone).tz_localize(None)
    return history_from_frame(
        frame, source_minutes=int(frame["minutes"].iloc[0]), interval_minutes=interval_minutes
    )


def history_last_instant(*, queue: Queue) -> datetime | None:
    """The start of the queue's last stored interval (UTC), or None without history."""
    return (
        CallVolume.objects.filter(queue=queue)
        .order_by("-interval_start")
        .values_list("interval_start", flat=True)
        .first()
    )


def stored_interval_minutes(*, queue: Queue) -> int | None:
    return CallVolume.objects.filter(queue=queue).values_list("interval_minutes", flat=True).first()


def override_factors(*, queue: Queue, first_day: date, last_day: date) -> dict[date, float]:
    """Product of the override factors covering each local day (1.0 where none)."""
    factors: dict[date, float] = {}
    overrides = ForecastOverride.objects.filter(
        queue=queue, start_date__lte=last_day, end_date__gte=first_day
    )
    for override in overrides:
        day = max(override.start_date, first_day)
        while day <= min(override.end_date, last_day):
            factors[day] = factors.get(day, 1.0) * float(override.factor)
            day = date.fromordinal(day.toordinal() + 1)
    return factors


def staffing_list(
    *, queue: Queue, first_day: date, last_day: date
) -> QuerySet[StaffingRequirement]:
    start, end = local_day_bounds(
        first_day=first_day, last_day=last_day, timezone=queue.site.timezone
    )
    return StaffingRequirement.objects.filter(
        queue=queue, interval_start__gte=start, interval_start__lt=end
    ).order_by("interval_start")


def forecast_run_list_visible(*, user: User) -> QuerySet[ForecastRun]:
    return ForecastRun.objects.filter(queue__in=queue_list_visible(user=user)).select_related(
        "queue"
    )


def forecast_override_list_visible(*, user: User) -> QuerySet[ForecastOverride]:
    return ForecastOverride.objects.filter(queue__in=queue_list_visible(user=user))
