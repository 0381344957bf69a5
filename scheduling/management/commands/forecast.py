"""`python manage.py forecast --history FILE --start DATE --days N --interval-minutes M
--output FILE [--method auto]`: forecast from a CSV alone, no database involved.

Writes `interval_start,calls[,aht_seconds]` in the history's local wall-clock time.
"""

import csv
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from scheduling.errors import ForecastInputError, HistoryFileError
from scheduling.forecast import (
    MAX_HORIZON_DAYS,
    METHODS,
    history_from_frame,
    holiday_calendar,
)
from scheduling.forecast import forecast as run_forecast
from scheduling.history_csv import read_history


class Command(BaseCommand):
    help = "Forecast calls (and AHT) per interval from a history CSV, without the database."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--history", type=Path, required=True)
        parser.add_argument("--start", type=date.fromisoformat, required=True)
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--interval-minutes", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--method", choices=METHODS, default="auto")
        parser.add_argument("--country", help="ISO country code for public holidays, e.g. IL")
        parser.add_argument(
            "--timezone", default="UTC", help="Zone to read times with offsets in (default UTC)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days, minutes = options["days"], options["interval_minutes"]
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
        if frame["interval_start"].dt.tz is not None:
            local = frame["interval_start"].dt.tz_convert(options["timezone"])
            frame = frame.assign(interval_start=local.dt.tz_localize(None))
        try:
            history = history_from_frame(
                frame, source_minutes=counts.interval_minutes, interval_minutes=minutes
            )
            end_year = options["start"].year + days // 365 + 1
            calendar = holiday_calendar(
                options["country"], range(history.first_day.year, end_year + 1)
            )
            result = run_forecast(
                history,
                start=options["start"],
                days=days,
                method=options["method"],
                calendar=calendar,
            )
        except ForecastInputError as exc:
            raise CommandError(f"{exc.code}: {exc}") from exc
        self._write(options["output"], result.interval_starts(), result.calls, result.aht_seconds)
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
