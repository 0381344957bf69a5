"""Intraday reforecast: re-estimate the rest of today and tomorrow from today's arrivals so far.

Method (a credibility-weighted level update of the planned intraday profile):
- the base is a forecast per interval for today and the following days (the plan, or a fresh
  forecast from every full day before today);
- a recorded gap in the day so far (GAP_INTERVALS or more intervals in a row that
  recorded no call where the base expected at least GAP_MIN_BASE_CALLS each: the feed or the
  switch was down, not the customers) means the day so far says nothing: no update;
- the level so far blends the whole day's ratio with the recent one: m = (1 - RECENT_SHARE)
  x actual / base over the elapsed intervals + RECENT_SHARE x actual / base over the last
  RECENT_HOURS of them (the last hours describe the afternoon better than the early
  morning), bounded to MULTIPLIER_BOUNDS;
- how far to believe m grows with the share f of the day's planned calls that has already
  arrived: w = f / (f + DAY_SHARE_HALF_WEIGHT) x n / (n + POISSON_CALLS), with n the base calls so
  far. The first factor is Buhlmann credibility in units of "share of the day": after a sixth of
  the day's calls the morning's level carries half the weight, because a morning that runs above
  plan is only partly followed by an afternoon that does (on the Anonymous Bank's January and
  February 1999 the log ratios of morning and rest-of-day to plan correlate about 0.7 with similar
  spreads, which gives the weights of about 0.55 at 10:00 and 0.7 at 13:00 that this formula
  yields). The second factor keeps a quiet queue's few calls from moving its forecast much;
- the rest of today is the base times 1 + w (m - 1); tomorrow keeps DAY_PERSISTENCE of that
  change (a busy day is followed by a busier than planned day, less so), later days none.

RECENT_HOURS, RECENT_SHARE, the bounds and the weights were chosen on the Anonymous Bank's
January-February 1999 weekdays only (bench/intraday_accuracy.py --first-day 1999-01-11
--last-day 1999-02-26), among recent windows of 0-3 hours, blends of 0.5-1 and half weights
of 1/12-1/3; the figures on March-June are in the README.

Pure: numpy only; inputs are (days, periods) arrays of calls per interval.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from scheduling.errors import BadInterval, ReforecastOutsideHistory
from scheduling.forecast import DayCalendar, Forecast, History, forecast

DAY_SHARE_HALF_WEIGHT = 1 / 6
POISSON_CALLS = 20.0
DAY_PERSISTENCE = 0.5
MULTIPLIER_BOUNDS = (0.5, 2.0)
RECENT_HOURS = 3.0
RECENT_SHARE = 0.5
GAP_INTERVALS = 3
GAP_MIN_BASE_CALLS = 5.0


@dataclass(frozen=True)
class LevelUpdate:
    """How the rest of the day was re-estimated: the level so far and the weight it was given."""

    periods_elapsed: int
    actual_so_far: float
    base_so_far: float
    day_share_elapsed: float  # f: share of today's base calls in the elapsed intervals
    weight: float  # w in 0..1
    multiplier_today: float  # 1 + w (m - 1), applied to the rest of today
    multiplier_tomorrow: float
    ratio: float = 1.0  # m: the blended, bounded level so far
    gap: bool = False  # a recorded gap in the day so far: no update


def recent_intervals(periods_per_day: int) -> int:
    """The intervals of the last RECENT_HOURS (6 at 30 minutes, 12 at 15), at least one."""
    return max(1, round(periods_per_day * RECENT_HOURS / 24))


def recorded_gap(actual_so_far: np.ndarray, base_so_far: np.ndarray) -> bool:
    """Whether GAP_INTERVALS or more elapsed intervals in a row recorded no call (or nothing)
    where the base expected at least GAP_MIN_BASE_CALLS each."""
    silent = ~(np.nan_to_num(actual_so_far) > 0) & (base_so_far >= GAP_MIN_BASE_CALLS)
    run = 0
    for quiet in silent:
        run = run + 1 if quiet else 0
        if run >= GAP_INTERVALS:
            return True
    return False


@dataclass(frozen=True)
class Reforecast:
    """`calls` has the shape of `base` (today first); today's elapsed intervals hold the actual
    calls, the rest the re-estimate."""

    calls: np.ndarray
    update: LevelUpdate


def level_update(actual_so_far: np.ndarray, base_today: np.ndarray) -> LevelUpdate:
    """The level update from today's elapsed intervals (`actual_so_far`, length k) against
    today's base (length periods_per_day). Calls per interval, floats; NaN is an interval
    whose figures have not arrived: it is left out of the actual and the base alike (and of
    the recorded-gap check), so a missing interval never reads as a quiet one. On complete
    data (no NaN) nothing changes."""
    k = len(actual_so_far)
    if not 0 <= k <= len(base_today):
        raise ReforecastOutsideHistory("The reforecast time lies outside the day.")
    seen = ~np.isnan(actual_so_far)
    base_seen = np.where(seen, base_today[:k], 0.0)
    actual = float(np.nansum(actual_so_far))
    base = float(base_seen.sum())
    total = float(base_today.sum())
    share = base / total if total > 0 else 0.0
    if base <= 0:
        return LevelUpdate(k, actual, base, share, 0.0, 1.0, 1.0)
    if recorded_gap(actual_so_far[seen], base_today[:k][seen]):
        return LevelUpdate(k, actual, base, share, 0.0, 1.0, 1.0, gap=True)
    low, high = MULTIPLIER_BOUNDS
    ratio = actual / base
    first = max(k - recent_intervals(len(base_today)), 0)
    recent_base = float(base_seen[first:k].sum())
    if recent_base > 0:
        recent = float(np.nansum(actual_so_far[first:])) / recent_base
        ratio = (1 - RECENT_SHARE) * ratio + RECENT_SHARE * recent
    ratio = min(max(ratio, low), high)
    weight = share / (share + DAY_SHARE_HALF_WEIGHT) * base / (base + POISSON_CALLS)
    today = 1.0 + weight * (ratio - 1.0)
    tomorrow = 1.0 + DAY_PERSISTENCE * (today - 1.0)
    return LevelUpdate(k, actual, base, share, weight, today, tomorrow, ratio)


def reforecast(base: np.ndarray, actual_so_far: np.ndarray) -> Reforecast:
    """Re-estimate `base` (days x periods, today first) from today's first k intervals of
    actual calls. Today's elapsed intervals become the actuals (one whose figures are missing,
    NaN, is re-estimated like the rest); the rest of today is scaled by the updated level,
    tomorrow by part of it, later days are left as they were."""
    if base.ndim != 2 or base.shape[0] < 1:
        raise ReforecastOutsideHistory("The base forecast must cover today.")
    update = level_update(actual_so_far, base[0])
    k = update.periods_elapsed
    calls = np.array(base, dtype=float, copy=True)
    calls[0, :k] = np.where(
        np.isnan(actual_so_far), calls[0, :k] * update.multiplier_today, actual_so_far
    )
    calls[0, k:] *= update.multiplier_today
    if calls.shape[0] > 1:
        calls[1] *= update.multiplier_tomorrow
    return Reforecast(calls=calls, update=update)


@dataclass(frozen=True)
class IntradayForecast:
    """The reforecast from `start` (naive local wall clock, on an interval boundary) to the end
    of the last day: `calls` and `aht_seconds` are flat, one value per interval from `start`."""

    start: datetime
    interval_minutes: int
    method: str
    calls: np.ndarray
    aht_seconds: np.ndarray | None
    base: Forecast  # the forecast from every full day before `start`'s day
    update: LevelUpdate

    def interval_starts(self) -> list[datetime]:
        step = timedelta(minutes=self.interval_minutes)
        return [self.start + step * i for i in range(len(self.calls))]


def intraday_forecast(
    history: History,
    *,
    start: datetime,
    days: int,
    method: str = "auto",
    calendar: DayCalendar | None = None,
) -> IntradayForecast:
    """Reforecast from `start` (naive local time inside the history's last day, or any day it
    covers: what follows `start` is ignored) for the rest of that day and `days` - 1 more.

    The base is `forecast()` of the same method from the full days before `start`'s day; the
    calls of that day before `start` update its level (`reforecast`)."""
    day = start.date()
    minutes_in = start.hour * 60 + start.minute
    if start.second or start.microsecond or minutes_in % history.interval_minutes:
        raise BadInterval(
            f"The reforecast must start on a {history.interval_minutes}-minute boundary."
        )
    if not history.first_day < day <= history.last_day or minutes_in == 0:
        raise ReforecastOutsideHistory(
            "The reforecast must start inside a day the history covers, after its first day "
            f"({history.first_day} to {history.last_day}) and after midnight.",
        )
    row = history.calls[(day - history.first_day).days]
    k = minutes_in // history.interval_minutes
    if np.isnan(row[:k]).any():
        raise ReforecastOutsideHistory(f"The history has no calls for {day} before {start}.")
    base = forecast(history.until(day), start=day, days=days, method=method, calendar=calendar)
    result = reforecast(base.calls, row[:k])
    aht = base.aht_seconds.ravel()[k:] if base.aht_seconds is not None else None
    return IntradayForecast(
        start=start,
        interval_minutes=history.interval_minutes,
        method=base.method,
        calls=result.calls.ravel()[k:],
        aht_seconds=aht,
        base=base,
        update=result.update,
    )
