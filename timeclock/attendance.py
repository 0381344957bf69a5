"""Attendance: punches + scheduled shifts -> what each shift was actually worked, with its
exceptions. Pure (stdlib only), derived on demand and never stored as the source of truth:
running it again with a punch that arrived late simply gives the new answer.

All instants are aware datetimes (worked in UTC); durations are elapsed time, so a
22:00-06:00 shift is 7 h and 9 h on the two DST change nights. A punch belongs to the shift
whose window (start - 2 h .. end + 4 h) holds it; where two windows hold it (back-to-back
shifts), an IN goes to the shift starting nearest to it and an OUT to the one ending nearest.
Lateness and early leave are measured on the punches as recorded (rounding, if any, is pay's
business).
"""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from operator import attrgetter

IN, OUT, BREAK_START, BREAK_END = "in", "out", "break_start", "break_end"


@dataclass(frozen=True)
class PunchEvent:
    id: str
    kind: str  # in | out | break_start | break_end
    at: datetime  # effective time (corrections and clock skew applied)


@dataclass(frozen=True)
class ScheduledBreak:
    start: datetime
    end: datetime
    paid: bool = False


@dataclass(frozen=True)
class ScheduledShift:
    id: str
    start: datetime
    end: datetime
    breaks: tuple[ScheduledBreak, ...] = ()
    excused: bool = False  # approved time off covers it
    early_start_approved: bool = False  # time before the start is paid


@dataclass(frozen=True)
class AttendanceRules:
    grace_minutes: int = 5
    window_before: timedelta = timedelta(hours=2)
    window_after: timedelta = timedelta(hours=4)
    duplicate_seconds: int = 60  # the same kind again within this is a duplicate suspect


@dataclass(frozen=True)
class WorkedSpan:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


@dataclass(frozen=True)
class ShiftAttendance:
    shift: ScheduledShift
    clock_in: datetime | None
    clock_out: datetime | None
    spans: tuple[WorkedSpan, ...]  # paid presence, unpaid breaks taken out
    unpaid_break_seconds: int
    late_minutes: int
    early_leave_minutes: int
    exceptions: tuple[str, ...]
    punch_ids: tuple[str, ...]

    @property
    def worked_seconds(self) -> int:
        return sum(span.seconds for span in self.spans)


@dataclass(frozen=True)
class UnscheduledWork:
    punch_ids: tuple[str, ...]
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class Timesheet:
    shifts: tuple[ShiftAttendance, ...]
    unscheduled: tuple[UnscheduledWork, ...] = field(default_factory=tuple)


def attendance(
    shifts: Sequence[ScheduledShift],
    punches: Iterable[PunchEvent],
    rules: AttendanceRules | None = None,
    *,
    now: datetime | None = None,
) -> Timesheet:
    """One employee's timesheet. The result does not depend on the order punches are given
    in, nor on a punch given twice (same id). A shift that has not ended by `now` is not yet
    absent or missing its clock-out (None: every shift is over, as in a closed period)."""
    rules = rules or AttendanceRules()
    # In UTC from here: Python subtracts two datetimes of the same zone by wall clock, which
    # would make every DST night 8 hours.
    unique = {
        p.id: p if p.at.tzinfo is UTC else replace(p, at=p.at.astimezone(UTC)) for p in punches
    }
    ordered = sorted(unique.values(), key=attrgetter("at", "id"))
    plan = sorted([_in_utc(s) for s in shifts], key=attrgetter("start", "id"))
    mine: dict[str, list[PunchEvent]] = {s.id: [] for s in plan}
    stray: list[PunchEvent] = []
    windows = _Windows(plan, rules)
    for punch in ordered:
        shift = _owner(windows.holding(punch.at), punch)
        if shift is None:
            stray.append(punch)
        else:
            mine[shift.id].append(punch)
    return Timesheet(
        shifts=tuple(_shift(s, mine[s.id], rules, now) for s in plan),
        unscheduled=tuple(_unscheduled(stray)),
    )


def _in_utc(shift: ScheduledShift) -> ScheduledShift:
    if (
        shift.start.tzinfo is UTC
        and shift.end.tzinfo is UTC
        and all(b.start.tzinfo is UTC and b.end.tzinfo is UTC for b in shift.breaks)
    ):
        return shift  # as the database gives them: nothing to convert
    return replace(
        shift,
        start=shift.start.astimezone(UTC),
        end=shift.end.astimezone(UTC),
        breaks=tuple(
            replace(b, start=b.start.astimezone(UTC), end=b.end.astimezone(UTC))
            for b in shift.breaks
        ),
    )


class _Windows:
    """The shifts (sorted by start) whose punch window [start - before, end + after] holds an
    instant, found by bisection instead of a scan of every shift for every punch."""

    def __init__(self, plan: list[ScheduledShift], rules: AttendanceRules) -> None:
        self.plan = plan
        self.lows = [s.start - rules.window_before for s in plan]
        self.highs = [s.end + rules.window_after for s in plan]
        self.reach = max(
            (h - lo for lo, h in zip(self.lows, self.highs, strict=True)), default=None
        )

    def holding(self, at: datetime) -> list[ScheduledShift]:
        """In plan order, as a scan of the whole plan would list them."""
        found: list[ScheduledShift] = []
        if self.reach is None:
            return found
        lows, highs, earliest = self.lows, self.highs, at - self.reach
        n = bisect_right(lows, at) - 1
        while n >= 0 and lows[n] >= earliest:
            if at <= highs[n]:
                found.append(self.plan[n])
            n -= 1
        found.reverse()
        return found


def _owner(holding: list[ScheduledShift], punch: PunchEvent) -> ScheduledShift | None:
    if len(holding) < 2:
        return holding[0] if holding else None
    if punch.kind in (IN, BREAK_START, BREAK_END):
        return min(holding, key=lambda s: (abs(s.start - punch.at), s.start))
    return min(holding, key=lambda s: (abs(s.end - punch.at), s.start))


def _shift(
    shift: ScheduledShift, punches: list[PunchEvent], rules: AttendanceRules, now: datetime | None
) -> ShiftAttendance:
    ongoing = now is not None and now < shift.end
    kept, duplicates = _without_repeats(punches, rules)
    exceptions: list[str] = ["duplicate_suspect"] if duplicates else []
    ins = [p for p in kept if p.kind == IN]
    outs = [p for p in kept if p.kind == OUT]
    clock_in = ins[0].at if ins else None
    clock_out = outs[-1].at if outs else None
    grace = timedelta(minutes=rules.grace_minutes)
    late = early = 0
    if clock_in is not None and clock_in > shift.start + grace:
        late = _minutes(clock_in - shift.start)
        exceptions.append("late")
    if clock_out is not None and clock_out < shift.end - grace:
        early = _minutes(shift.end - clock_out)
        exceptions.append("early_leave")
    spans: list[WorkedSpan] = []
    unpaid = 0
    if clock_in is None and clock_out is None:
        if not ongoing:
            exceptions.append("excused" if shift.excused else "absent")
    elif clock_in is None:
        exceptions.append("missing_in")
    elif clock_out is None:
        if not ongoing:
            exceptions.append("missing_out")
    elif clock_out > clock_in:
        start = clock_in if shift.early_start_approved else max(clock_in, shift.start)
        spans, unpaid = _presence(shift, start, clock_out, kept)
    if len(ins) > 1 or len(outs) > 1:
        exceptions.append("extra_punches")
    return ShiftAttendance(
        shift=shift,
        clock_in=clock_in,
        clock_out=clock_out,
        spans=tuple(spans),
        unpaid_break_seconds=unpaid,
        late_minutes=late,
        early_leave_minutes=early,
        exceptions=tuple(exceptions),
        punch_ids=tuple([p.id for p in punches]),
    )


def _without_repeats(
    punches: list[PunchEvent], rules: AttendanceRules
) -> tuple[list[PunchEvent], list[PunchEvent]]:
    """The same kind again within `duplicate_seconds` counts once (kept: the first)."""
    kept: list[PunchEvent] = []
    repeats: list[PunchEvent] = []
    last: dict[str, PunchEvent] = {}  # the last kept of each kind
    for punch in punches:
        previous = last.get(punch.kind)
        close = previous is not None and (punch.at - previous.at).total_seconds() <= (
            rules.duplicate_seconds
        )
        if close:
            repeats.append(punch)
        else:
            kept.append(punch)
            last[punch.kind] = punch
    return kept, repeats


def _presence(
    shift: ScheduledShift, start: datetime, end: datetime, punches: list[PunchEvent]
) -> tuple[list[WorkedSpan], int]:
    """[start, end) less unpaid breaks: the punched ones, or else the scheduled ones."""
    gaps = _punched_breaks(punches, start, end) or [
        (max(b.start, start), min(b.end, end))
        for b in shift.breaks
        if not b.paid and b.start < end and b.end > start
    ]
    spans: list[WorkedSpan] = []
    cursor = start
    for gap_start, gap_end in sorted(gaps):
        if gap_start > cursor:
            spans.append(WorkedSpan(cursor, gap_start))
        cursor = max(cursor, gap_end)
    if end > cursor:
        spans.append(WorkedSpan(cursor, end))
    worked = sum([int((s.end - s.start).total_seconds()) for s in spans])  # WorkedSpan.seconds
    return spans, int((end - start).total_seconds()) - worked


def _punched_breaks(
    punches: list[PunchEvent], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    gaps = []
    opened: datetime | None = None
    for punch in punches:
        if punch.kind == BREAK_START and opened is None:
            opened = punch.at
        elif punch.kind == BREAK_END and opened is not None:
            if punch.at > opened:
                gaps.append((max(opened, start), min(punch.at, end)))
            opened = None
    return [(a, b) for a, b in gaps if b > a]


def _unscheduled(punches: list[PunchEvent]) -> list[UnscheduledWork]:
    """Punches outside every shift's window, paired IN -> next OUT."""
    found: list[UnscheduledWork] = []
    opened: PunchEvent | None = None
    for punch in punches:
        if punch.kind == IN:
            if opened is not None:
                found.append(UnscheduledWork((opened.id,), opened.at, None))
            opened = punch
        elif punch.kind == OUT and opened is not None:
            found.append(UnscheduledWork((opened.id, punch.id), opened.at, punch.at))
            opened = None
        else:
            found.append(UnscheduledWork((punch.id,), punch.at, None))
    if opened is not None:
        found.append(UnscheduledWork((opened.id,), opened.at, None))
    return found


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
