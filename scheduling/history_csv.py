"""Read call-history CSV files into interval counts, reporting every bad row with its line number.

Two layouts, detected from the header:
- interval counts: `interval_start,calls[,aht_seconds]` at any interval length dividing a day;
- per-call records: the Anonymous Bank layout (`date`, `vru_entry`, `outcome`, `ser_time`: arrival
  at vru_entry, handle time ser_time, abandoned calls offered too, PHANTOM records ignored), or
  the generic `arrived_at,handle_seconds[,abandoned]`.

Timestamps without an offset are local wall-clock times of the queue's site. Pure: no Django.
"""

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from scheduling.errors import HistoryFileError, RowError

MAX_ERRORS_REPORTED = 50
INTERVAL_COLUMNS = {"interval_start", "calls"}
BANK_COLUMNS = {"date", "vru_entry", "outcome", "ser_time"}
GENERIC_CALL_COLUMNS = {"arrived_at", "handle_seconds"}


@dataclass(frozen=True)
class IntervalCounts:
    """Calls per interval. `frame` columns: interval_start (naive local, or aware when the file
    gave offsets), calls, handled_calls, handle_seconds; sorted, one row per interval."""

    interval_minutes: int
    layout: str
    frame: pd.DataFrame = field(repr=False)
    rows_read: int = 0


def read_history(
    data: bytes | str, *, interval_minutes: int | None = None, timezone: str | None = None
) -> IntervalCounts:
    """Parse a history file. `interval_minutes` sets the bins for per-call files (default 15).

    With `timezone`, wall-clock times are placed in that zone and interval_start comes back in
    UTC: in the repeated autumn hour the first row of a label is the earlier instant and the
    second the later one; rows in the skipped spring hour must hold no calls and are dropped.
    """
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise HistoryFileError("The file is not UTF-8 text.") from exc
    if not text.strip():
        raise HistoryFileError("The file is empty.")
    try:
        raw = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise HistoryFileError(f"Not a readable CSV file ({exc}).") from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if raw.empty:
        raise HistoryFileError("The file has a header but no rows.")
    columns = set(raw.columns)
    if columns >= INTERVAL_COLUMNS:
        counts = _interval_layout(raw, zone=ZoneInfo(timezone) if timezone else None)
    elif columns >= BANK_COLUMNS:
        counts = _per_call_layout(raw, interval_minutes or 15, layout="anonymous_bank")
    elif columns >= GENERIC_CALL_COLUMNS:
        counts = _per_call_layout(raw, interval_minutes or 15, layout="per_call")
    else:
        raise HistoryFileError(
            f"Unknown columns {sorted(columns)}: expected interval_start,calls[,aht_seconds] "
            "or per-call records (date,vru_entry,outcome,ser_time or arrived_at,handle_seconds)."
        )
    if timezone is None:
        return counts
    return IntervalCounts(
        counts.interval_minutes,
        counts.layout,
        _to_utc(counts.frame, timezone),
        rows_read=counts.rows_read,
    )


def _to_utc(frame: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """Place naive wall-clock interval starts in `timezone` and convert them to UTC."""
    starts = frame["interval_start"]
    if starts.dt.tz is not None:
        return frame.assign(interval_start=starts.dt.tz_convert("UTC"))
    zone = ZoneInfo(timezone)
    errors: list[RowError] = []
    instants: list[datetime | None] = []
    seen: dict[datetime, int] = {}
    for naive, calls, line in zip(
        starts.dt.to_pydatetime(), frame["calls"], frame["line"], strict=True
    ):
        fold = seen.get(naive, 0)
        seen[naive] = fold + 1
        earlier = naive.replace(tzinfo=zone)
        skipped = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive
        if skipped:
            if calls > 0:
                errors.append(RowError(int(line), f"{naive} does not exist in {timezone}"))
            instants.append(None)
        else:
            # Repeats were validated already: a second pass is the later of the two instants.
            instants.append(naive.replace(tzinfo=zone, fold=min(fold, 1)).astimezone(UTC))
        if len(errors) >= MAX_ERRORS_REPORTED:
            break
    if errors:
        raise HistoryFileError("Bad rows in the history file", errors)
    result = frame.assign(
        interval_start=pd.to_datetime(pd.Series(instants, index=frame.index), utc=True)
    )
    return result.dropna(subset=["interval_start"]).sort_values("interval_start", ignore_index=True)


def _line_numbers(frame: pd.DataFrame) -> np.ndarray:
    return np.asarray(frame.index, dtype=int) + 2  # header is line 1


def _collect(errors: list[RowError], mask: pd.Series, lines: np.ndarray, message: str) -> None:
    for line in lines[np.asarray(mask)][: MAX_ERRORS_REPORTED - len(errors)]:
        errors.append(RowError(int(line), message))


def _parse_times(values: pd.Series) -> pd.Series:
    """Datetimes; offset-aware values become UTC, naive ones stay naive. NaT where unreadable."""
    has_offset = values.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True)
    if has_offset.all():
        return pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    if has_offset.any():
        # Mixed files are refused row by row: the offset-less rows are ambiguous.
        parsed = pd.to_datetime(values.where(~has_offset), errors="coerce", format="mixed")
        return parsed.where(~has_offset)
    return pd.to_datetime(values, errors="coerce", format="mixed")


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.strip().replace("", np.nan), errors="coerce")


def _is_ambiguous(naive: datetime, zone: ZoneInfo) -> bool:
    """A wall-clock time that happens twice (the autumn hour)."""
    earlier, later = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    exists = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
    return exists and earlier.utcoffset() != later.utcoffset()


def _repeats(starts: pd.Series, zone: ZoneInfo | None) -> pd.Series:
    """Rows repeating an earlier interval_start, except the second pass of an autumn hour."""
    occurrence = starts.groupby(starts).cumcount()
    repeated = (occurrence > 0) & starts.notna()
    if zone is None:
        return repeated
    second_pass = (occurrence == 1) & starts.map(
        lambda t: not pd.isna(t) and t.tzinfo is None and _is_ambiguous(t.to_pydatetime(), zone)
    )
    return repeated & ~second_pass


def _interval_layout(raw: pd.DataFrame, *, zone: ZoneInfo | None) -> IntervalCounts:
    lines = _line_numbers(raw)
    errors: list[RowError] = []
    starts = _parse_times(raw["interval_start"].str.strip())
    calls = _number(raw["calls"])
    has_aht = "aht_seconds" in raw.columns
    aht = _number(raw["aht_seconds"]) if has_aht else pd.Series(np.nan, index=raw.index)
    _collect(errors, starts.isna(), lines, "interval_start is not a date and time")
    _collect(errors, calls.isna(), lines, "calls is not a number")
    _collect(errors, calls < 0, lines, "calls is negative")
    if has_aht:
        bad_aht = (raw["aht_seconds"].str.strip() != "") & (aht.isna() | (aht < 0))
        _collect(errors, bad_aht, lines, "aht_seconds is not a non-negative number")
    _collect(errors, _repeats(starts, zone), lines, "duplicate interval_start")
    if errors:
        raise HistoryFileError("Bad rows in the history file", errors)
    minutes = _interval_length(starts, lines)
    handled = calls.where(aht.notna(), 0.0) if has_aht else pd.Series(0.0, index=raw.index)
    frame = pd.DataFrame(
        {
            "interval_start": starts,
            "calls": calls.astype(float),
            "handled_calls": handled.astype(float),
            "handle_seconds": (handled * aht.fillna(0.0)).astype(float),
            "line": lines,
        }
    ).sort_values("interval_start", ignore_index=True, kind="stable")
    return IntervalCounts(minutes, "interval_counts", frame, rows_read=len(raw))


def _interval_length(starts: pd.Series, lines: np.ndarray) -> int:
    ordered = starts.drop_duplicates().sort_values()
    steps = ordered.diff().dropna().dt.total_seconds() / 60
    if steps.empty:
        raise HistoryFileError("A history needs at least two intervals to know their length.")
    minutes = int(steps.min())
    if minutes <= 0 or 1440 % minutes:
        raise HistoryFileError(f"Interval length {minutes} min does not divide a day.")
    offset = (starts.dt.hour * 60 + starts.dt.minute) % minutes
    misaligned = (offset != 0) | (starts.dt.second != 0)
    if misaligned.any():
        errors: list[RowError] = []
        _collect(errors, misaligned, lines, f"not on the {minutes}-minute grid")
        raise HistoryFileError("Intervals of different lengths in one file", errors)
    return minutes


def _per_call_layout(raw: pd.DataFrame, interval_minutes: int, *, layout: str) -> IntervalCounts:
    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise HistoryFileError(f"Interval length {interval_minutes} min does not divide a day.")
    lines = _line_numbers(raw)
    errors: list[RowError] = []
    if layout == "anonymous_bank":
        keep = raw["outcome"].str.strip().str.upper() != "PHANTOM"
        raw, lines = raw[keep], lines[np.asarray(keep)]
        arrived = pd.to_datetime(
            raw["date"].str.strip() + " " + raw["vru_entry"].str.strip(),
            errors="coerce",
            format="mixed",
        )
        handle = _number(raw["ser_time"])
        served = raw["outcome"].str.strip().str.upper() == "AGENT"
    else:
        arrived = _parse_times(raw["arrived_at"].str.strip())
        handle = _number(raw["handle_seconds"]).fillna(0.0)
        abandoned = (
            raw["abandoned"].str.strip().str.lower().isin({"1", "true", "yes", "y"})
            if "abandoned" in raw.columns
            else pd.Series(False, index=raw.index)
        )
        served = ~abandoned & (handle > 0)
    _collect(errors, arrived.isna(), lines, "arrival time is not a date and time")
    _collect(
        errors, handle.isna() | (handle < 0), lines, "handle time is not a non-negative number"
    )
    if errors:
        raise HistoryFileError("Bad rows in the history file", errors)
    if raw.empty:
        raise HistoryFileError("The file holds no calls.")
    bins = arrived.dt.floor(f"{interval_minutes}min")
    calls = pd.DataFrame(
        {
            "interval_start": bins,
            "calls": 1.0,
            "handled_calls": served.astype(float),
            "handle_seconds": handle.where(served, 0.0).astype(float),
            "line": lines,
        }
    )
    frame = (
        calls.groupby("interval_start", sort=True)
        .agg(
            calls=("calls", "sum"),
            handled_calls=("handled_calls", "sum"),
            handle_seconds=("handle_seconds", "sum"),
            line=("line", "min"),
        )
        .reset_index()
    )
    return IntervalCounts(interval_minutes, layout, frame, rows_read=len(raw))
