"""Reads of a queue's call history for the planning pages: what an upload would import (a
preview that writes nothing), and what is stored (span, missing days, calls per week)."""

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max, Min, QuerySet

from organisation.models import Queue
from scheduling.errors import HistoryFileError, RowError
from scheduling.history_csv import read_history
from scheduling.models import CallVolume, HistoryImport
from scheduling.selectors.forecasting import stored_interval_minutes

PREVIEW_LINES = 6
PREVIEW_INTERVALS = 8
MAX_GAPS = 20


@dataclass(frozen=True)
class PreviewInterval:
    start: datetime  # local, in the site's zone
    calls: float
    aht_seconds: float | None


@dataclass(frozen=True)
class HistoryPreview:
    """A file as the import would read it. `problem` is empty when it can be imported."""

    header: list[str]
    lines: list[list[str]]  # the first rows of the file as written
    layout: str = ""
    interval_minutes: int | None = None
    rows_read: int = 0
    intervals: int = 0
    calls: float = 0.0
    first: datetime | None = None  # local
    last: datetime | None = None
    sample: list[PreviewInterval] = field(default_factory=list)
    problem: str = ""
    errors: list[RowError] = field(default_factory=list)
    stored_interval_minutes: int | None = None
    already_imported: bool = False

    @property
    def importable(self) -> bool:
        return not self.problem and not self.interval_mismatch

    @property
    def interval_mismatch(self) -> bool:
        return bool(
            self.stored_interval_minutes
            and self.interval_minutes
            and self.stored_interval_minutes != self.interval_minutes
        )


def _head(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = data[:8192].decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))[: PREVIEW_LINES + 1]
    return (rows[0], rows[1:]) if rows else ([], [])


def history_preview(
    *, queue: Queue, data: bytes, interval_minutes: int | None = None
) -> HistoryPreview:
    """Read the file as `history_import` would, without writing anything: its layout and
    interval, the first rows and intervals, and every bad row the reader reports."""
    header, lines = _head(data)
    stored = stored_interval_minutes(queue=queue)
    seen = HistoryImport.objects.filter(
        queue=queue, file_sha256=hashlib.sha256(data).hexdigest()
    ).exists()
    try:
        counts = read_history(data, interval_minutes=interval_minutes, timezone=queue.site.timezone)
    except HistoryFileError as exc:
        return HistoryPreview(
            header, lines, problem=exc.problem, errors=exc.errors, stored_interval_minutes=stored
        )
    zone = ZoneInfo(queue.site.timezone)
    frame = counts.frame
    starts = [t.to_pydatetime().astimezone(zone) for t in frame["interval_start"]]
    sample = [
        PreviewInterval(
            start=starts[i],
            calls=float(frame["calls"].iloc[i]),
            aht_seconds=float(frame["handle_seconds"].iloc[i] / frame["handled_calls"].iloc[i])
            if frame["handled_calls"].iloc[i] > 0
            else None,
        )
        for i in range(min(PREVIEW_INTERVALS, len(frame)))
    ]
    return HistoryPreview(
        header,
        lines,
        layout=counts.layout,
        interval_minutes=counts.interval_minutes,
        rows_read=counts.rows_read,
        intervals=len(frame),
        calls=float(frame["calls"].sum()),
        first=starts[0] if starts else None,
        last=starts[-1] if starts else None,
        sample=sample,
        stored_interval_minutes=stored,
        already_imported=seen,
    )


@dataclass(frozen=True)
class HistorySummary:
    first_day: date | None
    last_day: date | None
    interval_minutes: int | None
    days_with_calls: int
    missing_days: int
    gaps: list[tuple[date, date]]  # runs of local days with no stored interval (first MAX_GAPS)
    weeks: list[tuple[date, float]]  # Monday of each local week, calls that week
    imports: list[HistoryImport]


def history_summary(*, queue: Queue) -> HistorySummary:
    """The stored history of a queue by local day of its site: span, gaps and weekly calls."""
    zone = ZoneInfo(queue.site.timezone)
    per_day: dict[date, float] = defaultdict(float)
    minutes = None
    for start, calls, interval in CallVolume.objects.filter(queue=queue).values_list(
        "interval_start", "calls", "interval_minutes"
    ):
        per_day[start.astimezone(zone).date()] += calls
        minutes = interval
    imports = list(HistoryImport.objects.filter(queue=queue).order_by("-created_at")[:5])
    if not per_day:
        return HistorySummary(None, None, None, 0, 0, [], [], imports)
    first, last = min(per_day), max(per_day)
    gaps: list[tuple[date, date]] = []
    missing = 0
    day = first
    while day <= last:
        if day not in per_day:
            missing += 1
            if gaps and gaps[-1][1] == day - timedelta(days=1):
                gaps[-1] = (gaps[-1][0], day)
            elif len(gaps) < MAX_GAPS:
                gaps.append((day, day))
        day += timedelta(days=1)
    weeks: dict[date, float] = defaultdict(float)
    for day, calls in per_day.items():
        weeks[day - timedelta(days=day.weekday())] += calls
    return HistorySummary(
        first_day=first,
        last_day=last,
        interval_minutes=minutes,
        days_with_calls=len(per_day),
        missing_days=missing,
        gaps=gaps,
        weeks=sorted(weeks.items()),
        imports=imports,
    )


def queue_list_with_history(*, queues: QuerySet[Queue]) -> QuerySet[Queue]:
    """Queues with the first and last stored interval (UTC) as history_first, history_last."""
    return queues.annotate(
        history_first=Min("call_volumes__interval_start"),
        history_last=Max("call_volumes__interval_start"),
    )
