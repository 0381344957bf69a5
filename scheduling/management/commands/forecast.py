"""`python manage.py forecast --history FILE --start DATE --days N --interval-minutes M
--output FILE [--method auto]`: forecast from a CSV alone, no database involved.

`--start` a date: the week-ahead forecast from that day (the history ends before it).
`--start` a local date-time inside a day of the history (`1999-03-01T13:00`): the intraday
reforecast (scheduling/reforecast.py) from that time to the end of the last day, `--days`
counted from that day; the history's calls of that day before it update the forecast.
Writes `interval_start,calls[,aht_seconds]` in the history's local wall-clock time.

A `--start` with a UTC offset means a local wall time of the history:
- a history of wall-clock times (no offsets) without `--timezone`: the start's own wall time
  (`1999-03-03T13:00+02:00` reforecasts from 13:00 of the file), the offset taken as the
  history's there, since nothing says otherwise;
- with `--timezone ZONE` (the zone the history's times are in, or to be read in when they
  carry offsets): the start is converted into ZONE (`13:00+00:00` with Europe/Amsterdam in
  winter is 14:00 of the file);
- a history with offsets without `--timezone`: read in UTC, as its times are.
A start off the `--interval-minutes` grid (13:10 with 30) is refused as bad_interval.
"""

import argparse
import csv
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from scheduling.errors import (
    BadInterval,
    ForecastInputError,
    HistoryFileError,
    ReforecastOutsideHistory,
)
from scheduling.forecast import (
    MAX_HORIZON_DAYS,
    METHODS,
    Forecast,
    history_from_frame,
    holiday_calendar,
)
from scheduling.forecast import forecast as run_forecast
from scheduling.history_csv import read_history
from scheduling.reforecast import IntradayForecast, intraday_forecast


def start_argument(text: str) -> date | datetime:
    """A date (forecast) or a local date-time with minutes (reforecast); an offset, if given,
    is read against the history's zone later (`local_start`)."""
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"bad_start: {text!r} is neither a date (YYYY-MM-DD) nor a date-time (YYYY-MM-DDTHH:MM)"
        ) from exc


def local_start(start: datetime, *, zone: str | None, history_has_offsets: bool) -> datetime:
    """The history's local wall time `start` means (see the module's docstring)."""
    if start.tzinfo is None:
        return start
    if zone is None and not history_has_offsets:
        return start.replace(tzinfo=None)
    return start.astimezone(ZoneInfo(zone or "UTC")).replace(tzinfo=None)


def _on_grid(start: datetime, minutes: int) -> None:
    if start.second or start.microsecond or (start.hour * 60 + start.minute) % minutes:
        raise BadInterval(f"The reforecast must start on a {minutes}-minute boundary, not {start}.")


def _history_reaches(frame: pd.DataFrame, source_minutes: int, start: datetime) -> None:
    """The file's rows must reach `start`: missing intervals would read as no calls."""
    last = frame["interval_start"].max().to_pydatetime() + timedelta(minutes=source_minutes)
    if last < start:
        raise ReforecastOutsideHistory(
            f"The history ends at {last:%Y-%m-%d %H:%M}, before the reforecast start {start}."
        )


class Command(BaseCommand):
    help = "Forecast calls (and AHT) per interval from a history CSV, without the database."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--history", type=Path, required=True)
        parser.add_argument("--start", type=start_argument, required=True)
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--interval-minutes", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--method", choices=METHODS, default="auto")
        parser.add_argument("--country", help="ISO country code for public holidays, e.g. IL")
        parser.add_argument(
            "--timezone",
            default=None,
            help=(
                "The history's zone: times with offsets are read in it (default UTC), and a "
                "--start with an offset is converted into it (without it, a wall-clock "
                "history takes the start's own wall time)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days, minutes = options["days"], options["interval_minutes"]
        if options["timezone"] is not None:
            try:
                ZoneInfo(options["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise CommandError(
                    f"bad_timezone: {options['timezone']!r} is not a time zone "
                    "(e.g. Europe/Amsterdam)"
                ) from None
        if not 1 <= days <= MAX_HORIZON_DAYS:
            raise CommandError(f"bad_horizon: --days must be 1-{MAX_HORIZON_DAYS}")
        if minutes < 1 or 1440 % minutes:
            raise CommandError("bad_interval: --interval-minutes must divide a day")
        try:
            counts = read_history(options["history"].read_bytes(), interval_minutes=minutes)
        except OSError as exc:
            raise CommandError(f"Cannot read {options['history']}: {exc}") from exc
        except HistoryFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"  line {error.line}: {error.message}")
            raise CommandError(f"bad_history_file: {exc}") from exc
        frame = counts.frame
        has_offsets = frame["interval_start"].dt.tz is not None
        if has_offsets:
            local = frame["interval_start"].dt.tz_convert(options["timezone"] or "UTC")
            frame = frame.assign(interval_start=local.dt.tz_localize(None))
        try:
            history = history_from_frame(
                frame, source_minutes=counts.interval_minutes, interval_minutes=minutes
            )
            start = options["start"]
            end_year = start.year + days // 365 + 1
            calendar = holiday_calendar(
                options["country"], range(history.first_day.year, end_year + 1)
            )
            if isinstance(start, datetime):
                start = local_start(
                    start, zone=options["timezone"], history_has_offsets=has_offsets
                )
                _on_grid(start, minutes)
                _history_reaches(frame, counts.interval_minutes, start)
                result: Forecast | IntradayForecast = intraday_forecast(
                    history, start=start, days=days, method=options["method"], calendar=calendar
                )
            else:
                result = run_forecast(
                    history, start=start, days=days, method=options["method"], calendar=calendar
                )
        except ForecastInputError as exc:
            raise CommandError(f"{exc.code}: {exc}") from exc
        self._write(
            options["output"],
            [pd.Timestamp(s) for s in result.interval_starts()],
            result.calls,
            result.aht_seconds,
        )
        self.stdout.write(
            f"{result.calls.size} intervals, {result.calls.sum():.0f} calls, method "
            f"{result.method} -> {options['output']}"
        )

    def _write(
        self,
        path: Path,
        starts: list[pd.Timestamp],
        calls: np.ndarray,
        aht: np.ndarray | None,
    ) -> None:
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["interval_start", "calls"] + (["aht_seconds"] if aht is not None else [])
            )
            flat_aht = aht.ravel() if aht is not None else None
            for i, (start, value) in enumerate(zip(starts, calls.ravel(), strict=True)):
                row = [start.strftime("%Y-%m-%d %H:%M"), f"{value:.2f}"]
                if flat_aht is not None:
                    row.append(f"{flat_aht[i]:.1f}")
                writer.writerow(row)
