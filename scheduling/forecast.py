"""Forecast call volume and average handle time per interval for a horizon of local days.

Methods, behind one `forecast()` function:
- `seasonal_naive`: the same interval on the latest same weekday (the baseline);
- `weekday_profile`: the average of the last 8 normal same-weekday days, interval by interval;
- `daily_profile`: a robust day-level forecast per weekday (recent normal days, broken days
  dropped) times that weekday's intraday shares over a longer window — the stronger model;
- `auto`: whichever of those had the lowest WAPE in a rolling-origin backtest on the history;
- `fallback`: used whatever is asked when there are fewer than 14 days of history.

Public holidays (from the site's country calendar) and the eves before them are special days:
they are kept out of every weekday's level and profile, and a special day in the horizon is
forecast from the week's closed day (holidays) or short day (eves), scaled by what past special
days did. Only `history_from_frame` touches pandas; the models see numpy arrays (days x periods).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays as holidays_package
import numpy as np
import pandas as pd

from scheduling.errors import (
    BadHorizon,
    BadInterval,
    NoHistory,
    StartBeforeHistoryEnd,
    UnknownMethod,
)

HOLIDAY = 7  # day types: 0-6 are Monday-Sunday
EVE = 8
METHODS = ("seasonal_naive", "weekday_profile", "daily_profile", "auto")
MAX_HORIZON_DAYS = 366
MIN_HISTORY_DAYS = 14
LEVEL_WEEKS = 8
PROFILE_WEEKS = 12
BACKTEST_ORIGINS = 4
OUTLIER_RATIO = 2.0  # a day below half or above twice its weekday's median is not normal
AHT_CREDIBILITY_CALLS = 5.0


@dataclass(frozen=True)
class DayCalendar:
    """Public holidays of the site's country; the day before one is its eve."""

    holidays: frozenset[date] = frozenset()

    def day_type(self, day: date) -> int:
        if day in self.holidays:
            return HOLIDAY
        if day + timedelta(days=1) in self.holidays:
            return EVE
        return day.weekday()


def holiday_calendar(
    country_code: str | None, years: Iterable[int], *, categories: Sequence[str] = ("public",)
) -> DayCalendar:
    """The `holidays` package's calendar for a country (empty for None)."""
    if not country_code:
        return DayCalendar()
    supported = holidays_package.country_holidays(country_code).supported_categories
    chosen = tuple(c for c in categories if c in supported) or ("public",)
    days = holidays_package.country_holidays(country_code, years=list(years), categories=chosen)
    return DayCalendar(frozenset(days.keys()))


@dataclass(frozen=True)
class History:
    """Interval history on a local-day grid; a day without any data is NaN throughout."""

    first_day: date
    interval_minutes: int
    calls: np.ndarray  # (days, periods)
    handled_calls: np.ndarray
    handle_seconds: np.ndarray

    @property
    def periods_per_day(self) -> int:
        return 1440 // self.interval_minutes

    @property
    def days(self) -> int:
        return int(self.calls.shape[0])

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    def until(self, day: date) -> "History":
        """The history strictly before `day`."""
        n = max(0, (day - self.first_day).days)
        return History(
            self.first_day,
            self.interval_minutes,
            self.calls[:n],
            self.handled_calls[:n],
            self.handle_seconds[:n],
        )


@dataclass(frozen=True)
class Forecast:
    first_day: date
    interval_minutes: int
    method: str
    calls: np.ndarray  # (days, periods)
    aht_seconds: np.ndarray | None
    backtest_wape: dict[str, float] = field(default_factory=dict)

    def interval_starts(self) -> list[pd.Timestamp]:
        """Local wall-clock start of every interval, row-major (day, period)."""
        first = pd.Timestamp(self.first_day)
        step = pd.Timedelta(minutes=self.interval_minutes)
        return [first + step * i for i in range(self.calls.size)]


# --- Building the history ------------------------------------------------------------------


def rebin(values: np.ndarray, source_minutes: int, target_minutes: int) -> np.ndarray:
    """Re-cut additive per-interval values (days x periods) to another interval length.

    Each source interval is spread evenly over pieces of gcd(source, target) minutes, which
    are then summed into the target intervals (6-minute counts into 15-minute intervals, say).
    """
    if source_minutes == target_minutes:
        return values
    piece = math.gcd(source_minutes, target_minutes)
    fine = np.repeat(values / (source_minutes // piece), source_minutes // piece, axis=1)
    days, pieces = fine.shape
    return np.asarray(fine.reshape(days, pieces // (target_minutes // piece), -1).sum(axis=2))


def history_from_frame(
    frame: pd.DataFrame, *, source_minutes: int, interval_minutes: int
) -> History:
    """Interval rows (naive local `interval_start`, calls, handled_calls, handle_seconds) to a
    History at `interval_minutes`. Missing intervals inside a day with data count as zero."""
    if 1440 % interval_minutes or interval_minutes % 1:
        raise BadInterval("interval_minutes must divide a day")
    if frame.empty:
        raise NoHistory("There is no history to forecast from.")
    starts = pd.DatetimeIndex(frame["interval_start"])
    day = starts.normalize()
    first, last = day.min(), day.max()
    n_days = (last - first).days + 1
    periods = 1440 // source_minutes
    row = np.asarray((day - first).days)
    col = np.asarray((starts.hour * 60 + starts.minute) // source_minutes)
    grids = []
    for name in ("calls", "handled_calls", "handle_seconds"):
        grid = np.zeros((n_days, periods))
        np.add.at(grid, (row, col), frame[name].to_numpy(dtype=float))
        grids.append(grid)
    has_data = np.zeros(n_days, dtype=bool)
    has_data[row] = True
    calls, handled, seconds = (rebin(g, source_minutes, interval_minutes) for g in grids)
    for grid in (calls, handled, seconds):
        grid[~has_data] = np.nan
    return History(first.date(), interval_minutes, calls, handled, seconds)


# --- Day classification --------------------------------------------------------------------


@dataclass(frozen=True)
class _Days:
    """Per history day: its type, its total, and whether it is a normal day for its weekday."""

    types: np.ndarray
    totals: np.ndarray
    normal: np.ndarray


def _rolling_median(values: np.ndarray, half_width: int) -> np.ndarray:
    """Median of each value with up to `half_width` neighbours either side (fewer at the ends)."""
    padded = np.concatenate((np.full(half_width, np.nan), values, np.full(half_width, np.nan)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half_width + 1)
    return np.asarray(np.nanmedian(windows, axis=1))


def _classify(history: History, calendar: DayCalendar) -> _Days:
    n = history.days
    types = (history.first_day.weekday() + np.arange(n)) % 7
    for i in range(n):
        kind = calendar.day_type(history.first_day + timedelta(days=i))
        if kind >= HOLIDAY:
            types[i] = kind
    totals = history.calls.sum(axis=1)  # NaN for days without data
    normal = np.zeros(n, dtype=bool)
    for weekday in range(7):
        idx = np.flatnonzero((types == weekday) & ~np.isnan(totals))
        if not len(idx):
            continue
        median = _rolling_median(totals[idx], 4)  # about four weeks either side
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(median > 0, totals[idx] / median, 1.0)
        normal[idx] = (median == 0) | ((ratio >= 1 / OUTLIER_RATIO) & (ratio <= OUTLIER_RATIO))
    return _Days(types, totals, normal)


def _recent(days: _Days, weekday: int, count: int) -> np.ndarray:
    return np.flatnonzero((days.types == weekday) & days.normal)[-count:]


@dataclass(frozen=True)
class _Proxy:
    """How a day type is forecast: from which weekday, scaled by how much."""

    weekday: int
    ratio: float
    own_days: np.ndarray  # past days of this special type, to blend their shape in


def _proxies(days: _Days) -> dict[int, _Proxy]:
    levels = {}
    for weekday in range(7):
        recent = _recent(days, weekday, LEVEL_WEEKS)
        levels[weekday] = float(days.totals[recent].mean()) if len(recent) else 0.0
    order = sorted(levels, key=lambda w: levels[w])
    busiest = max(levels.values()) or 1.0
    closed = order[0]
    short = next((w for w in order if levels[w] >= 0.15 * busiest), closed)
    proxies = {w: _Proxy(w, 1.0, np.array([], dtype=int)) for w in range(7)}
    for special, weekday in ((HOLIDAY, closed), (EVE, short)):
        past = np.flatnonzero((days.types == special) & ~np.isnan(days.totals))
        ratio = 1.0
        if len(past) and levels[weekday] > 0:
            ratio = float(np.median(days.totals[past] / levels[weekday]))
        proxies[special] = _Proxy(weekday, ratio, past)
    return proxies


@dataclass(frozen=True)
class _Context:
    """What every model needs, computed once per forecast."""

    history: History
    calendar: DayCalendar
    days: _Days
    proxies: dict[int, _Proxy]

    @classmethod
    def build(cls, history: History, calendar: DayCalendar) -> "_Context":
        days = _classify(history, calendar)
        return cls(history, calendar, days, _proxies(days))

    def horizon_types(self, start: date, n_days: int) -> list[int]:
        return [self.calendar.day_type(start + timedelta(days=i)) for i in range(n_days)]


# --- Methods -------------------------------------------------------------------------------

Method = Callable[[_Context, date, int], np.ndarray]


def _shape(history: History, idx: np.ndarray) -> np.ndarray:
    total = np.nansum(history.calls[idx], axis=0)
    s = float(total.sum())
    return total / s if s > 0 else np.full(history.periods_per_day, 1 / history.periods_per_day)


def seasonal_naive(ctx: _Context, start: date, n_days: int) -> np.ndarray:
    history = ctx.history
    out = np.zeros((n_days, history.periods_per_day))
    for i in range(n_days):
        day = start + timedelta(days=i)
        lag = ((day - history.last_day).days + 6) // 7 * 7
        source = (day - timedelta(days=lag) - history.first_day).days
        while source >= 0 and np.isnan(history.calls[source]).any():
            source -= 7
        out[i] = history.calls[source] if source >= 0 else 0.0
    return out


def _special_aware(
    ctx: _Context, start: date, n_days: int, weekday_forecast: Callable[[int], np.ndarray]
) -> np.ndarray:
    cache: dict[int, np.ndarray] = {}
    out = np.zeros((n_days, ctx.history.periods_per_day))
    for i, kind in enumerate(ctx.horizon_types(start, n_days)):
        proxy = ctx.proxies[kind]
        if proxy.weekday not in cache:
            cache[proxy.weekday] = weekday_forecast(proxy.weekday)
        base = cache[proxy.weekday] * proxy.ratio
        if len(proxy.own_days):
            # Past special days show their own intraday shape; average it with the proxy's.
            base = 0.5 * base + 0.5 * base.sum() * _shape(ctx.history, proxy.own_days)
        out[i] = base
    return out


def weekday_profile(ctx: _Context, start: date, n_days: int) -> np.ndarray:
    def by_weekday(weekday: int) -> np.ndarray:
        recent = _recent(ctx.days, weekday, LEVEL_WEEKS)
        if not len(recent):
            return np.zeros(ctx.history.periods_per_day)
        return np.asarray(ctx.history.calls[recent].mean(axis=0))

    return _special_aware(ctx, start, n_days, by_weekday)


def daily_profile(ctx: _Context, start: date, n_days: int) -> np.ndarray:
    def by_weekday(weekday: int) -> np.ndarray:
        level_days = _recent(ctx.days, weekday, LEVEL_WEEKS)
        if not len(level_days):
            return np.zeros(ctx.history.periods_per_day)
        level = float(ctx.days.totals[level_days].mean())
        return level * _shape(ctx.history, _recent(ctx.days, weekday, PROFILE_WEEKS))

    return _special_aware(ctx, start, n_days, by_weekday)


def fallback(ctx: _Context, start: date, n_days: int) -> np.ndarray:
    """Short histories: each interval's mean over the days there are."""
    mean = np.nanmean(ctx.history.calls, axis=0)
    return np.tile(np.nan_to_num(mean), (n_days, 1))


MODELS: dict[str, Method] = {
    "seasonal_naive": seasonal_naive,
    "weekday_profile": weekday_profile,
    "daily_profile": daily_profile,
}


# --- Handle time ---------------------------------------------------------------------------


def forecast_aht(ctx: _Context, start: date, n_days: int) -> np.ndarray | None:
    """AHT per interval: handle seconds over handled calls of recent same-weekday normal days,
    shrunk towards that weekday's daily AHT where an interval has few calls."""
    history = ctx.history
    if not np.nansum(history.handled_calls) > 0:
        return None
    overall = float(np.nansum(history.handle_seconds) / np.nansum(history.handled_calls))
    out = np.zeros((n_days, history.periods_per_day))
    for i, kind in enumerate(ctx.horizon_types(start, n_days)):
        recent = _recent(ctx.days, ctx.proxies[kind].weekday, PROFILE_WEEKS)
        seconds = np.nansum(history.handle_seconds[recent], axis=0)
        handled = np.nansum(history.handled_calls[recent], axis=0)
        daily = float(seconds.sum() / handled.sum()) if handled.sum() > 0 else overall
        k = AHT_CREDIBILITY_CALLS
        out[i] = (seconds + k * daily) / (handled + k)
    return out


# --- Backtest and the public entry point ---------------------------------------------------


@dataclass(frozen=True)
class BacktestScore:
    """Error sums over origins; WAPE = abs_error / actual."""

    abs_error: float = 0.0
    actual: float = 0.0
    predicted: float = 0.0
    daily_abs_error: float = 0.0
    open_abs_error: float = 0.0
    open_actual: float = 0.0

    @property
    def wape(self) -> float:
        return self.abs_error / self.actual if self.actual else math.inf

    @property
    def daily_wape(self) -> float:
        return self.daily_abs_error / self.actual if self.actual else math.inf

    @property
    def open_wape(self) -> float:
        return self.open_abs_error / self.open_actual if self.open_actual else math.inf

    @property
    def bias(self) -> float:
        return (self.predicted - self.actual) / self.actual if self.actual else 0.0

    def add(
        self, actual: np.ndarray, predicted: np.ndarray, open_mask: np.ndarray
    ) -> "BacktestScore":
        error = np.abs(actual - predicted)
        return BacktestScore(
            self.abs_error + float(error.sum()),
            self.actual + float(actual.sum()),
            self.predicted + float(predicted.sum()),
            self.daily_abs_error + float(np.abs(actual.sum(1) - predicted.sum(1)).sum()),
            self.open_abs_error + float(error[open_mask].sum()),
            self.open_actual + float(actual[open_mask].sum()),
        )


def open_hours(history: History, start: date, n_days: int) -> np.ndarray:
    """Intervals that averaged at least one call an hour on the same weekday lately."""
    mask = np.zeros((n_days, history.periods_per_day), dtype=bool)
    weekdays = (history.first_day.weekday() + np.arange(history.days)) % 7
    threshold = history.interval_minutes / 60
    for i in range(n_days):
        same = np.flatnonzero(weekdays == (start + timedelta(days=i)).weekday())[-LEVEL_WEEKS:]
        if len(same):
            mask[i] = np.nanmean(history.calls[same], axis=0) >= threshold
    return mask


def backtest(
    history: History,
    calendar: DayCalendar,
    *,
    method: str,
    origins: Sequence[date],
    horizon_days: int = 7,
) -> BacktestScore:
    """Rolling-origin evaluation: forecast `horizon_days` from each origin with only the
    history before it, and sum the errors against what happened."""
    score = BacktestScore()
    for origin in origins:
        past = history.until(origin)
        offset = (origin - history.first_day).days
        actual = history.calls[offset : offset + horizon_days]
        if len(actual) < horizon_days or np.isnan(actual).any():
            continue
        result = forecast(past, start=origin, days=horizon_days, method=method, calendar=calendar)
        score = score.add(actual, result.calls, open_hours(past, origin, horizon_days))
    return score


def _choose_method(history: History, calendar: DayCalendar) -> tuple[str, dict[str, float]]:
    """Pick the model with the lowest WAPE over the last few weekly origins of the history."""
    last_origin = history.last_day - timedelta(days=6)
    origins = [last_origin - timedelta(days=7 * k) for k in range(BACKTEST_ORIGINS)]
    origins = [o for o in origins if (o - history.first_day).days >= 5 * 7]
    if not origins:
        return "daily_profile", {}
    scores = {
        name: backtest(history, calendar, method=name, origins=origins).wape for name in MODELS
    }
    return min(scores, key=lambda name: (scores[name], name)), scores


def forecast(
    history: History,
    *,
    start: date,
    days: int,
    method: str = "auto",
    calendar: DayCalendar | None = None,
) -> Forecast:
    """Forecast calls and AHT per interval for `days` local days from `start`.

    `history` ends before `start`; results are arrays of shape (days, 1440 / interval_minutes).
    """
    calendar = calendar or DayCalendar()
    if method not in METHODS:
        raise UnknownMethod(f"method must be one of {', '.join(METHODS)}")
    if not 1 <= days <= MAX_HORIZON_DAYS:
        raise BadHorizon(f"days must be 1-{MAX_HORIZON_DAYS}")
    if history.days == 0 or np.isnan(history.calls).all():
        raise NoHistory("There is no history to forecast from.")
    if start <= history.last_day:
        raise StartBeforeHistoryEnd(
            f"The forecast must start after the history ends ({history.last_day}).",
        )
    scores: dict[str, float] = {}
    ctx = _Context.build(history, calendar)
    if int((~np.isnan(history.calls[:, 0])).sum()) < MIN_HISTORY_DAYS:
        chosen = "fallback"
        calls = fallback(ctx, start, days)
    else:
        chosen = method
        if method == "auto":
            chosen, scores = _choose_method(history, calendar)
        calls = MODELS[chosen](ctx, start, days)
    return Forecast(
        first_day=start,
        interval_minutes=history.interval_minutes,
        method=chosen,
        calls=np.clip(calls, 0.0, None),
        aht_seconds=forecast_aht(ctx, start, days),
        backtest_wape=scores,
    )
