"""Attendance from punches and shifts: matching, lateness, breaks, exceptions, DST nights,
and independence from delivery order (R1.14, R2.4, R2.8)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeclock.attendance import (
    AttendanceRules,
    PunchEvent,
    ScheduledBreak,
    ScheduledShift,
    attendance,
)

AMS = ZoneInfo("Europe/Amsterdam")
DAY = datetime(2026, 6, 1, tzinfo=AMS)


def at(hour: float, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour)


def shift(start: float, end: float, sid: str = "s", **fields: object) -> ScheduledShift:
    return ScheduledShift(sid, at(start), at(end), **fields)  # type: ignore[arg-type]


def p(kind: str, hour: float, pid: str = "") -> PunchEvent:
    return PunchEvent(pid or f"{kind}@{hour}", kind, at(hour))


def test_on_time_shift_with_a_scheduled_lunch() -> None:
    lunch = ScheduledBreak(at(12), at(12.5))
    (row,) = attendance([shift(8, 16, breaks=(lunch,))], [p("in", 7.9), p("out", 16.05)]).shifts
    assert row.exceptions == ()
    assert row.late_minutes == 0
    # 08:00 (time before the start is not paid) to 16:03, less the 30-min lunch.
    assert row.worked_seconds == ((8 * 60 + 3 - 30) * 60)
    assert row.unpaid_break_seconds == 30 * 60


def test_punched_breaks_replace_the_scheduled_ones() -> None:
    lunch = ScheduledBreak(at(12), at(12.5))
    punches = [p("in", 8), p("break_start", 12.25), p("break_end", 13), p("out", 16)]
    (row,) = attendance([shift(8, 16, breaks=(lunch,))], punches).shifts
    assert row.unpaid_break_seconds == 45 * 60
    assert row.worked_seconds == (8 * 60 - 45) * 60


@pytest.mark.parametrize(("arrival", "late"), [(8 + 4 / 60, 0), (8 + 5 / 60, 0), (8 + 12 / 60, 12)])
def test_late_only_past_the_grace_and_then_from_the_start(arrival: float, late: int) -> None:
    (row,) = attendance([shift(8, 16)], [p("in", arrival), p("out", 16)]).shifts
    assert row.late_minutes == late
    assert ("late" in row.exceptions) == bool(late)


def test_early_leave_absence_and_excused_absence() -> None:
    shifts = [shift(8, 16, "a"), shift(8, 16, "b"), shift(8, 16, "c")]
    sheet = attendance(shifts[:1], [p("in", 8), p("out", 15.5)])
    assert sheet.shifts[0].early_leave_minutes == 30
    assert attendance(shifts[1:2], []).shifts[0].exceptions == ("absent",)
    excused = ScheduledShift("c", at(8), at(16), excused=True)
    assert attendance([excused], []).shifts[0].exceptions == ("excused",)


def test_missing_punches_are_exceptions_not_silent_zero_hours() -> None:
    (no_out,) = attendance([shift(8, 16)], [p("in", 8)]).shifts
    (no_in,) = attendance([shift(8, 16)], [p("out", 16)]).shifts
    assert no_out.exceptions == ("missing_out",)
    assert no_in.exceptions == ("missing_in",)
    assert no_out.worked_seconds == 0


def test_repeated_taps_count_once_and_are_marked() -> None:
    punches = [
        p("in", 8, "1"),
        p("in", 8 + 20 / 3600, "2"),
        p("in", 8 + 40 / 3600, "3"),
        p("out", 16),
    ]
    (row,) = attendance([shift(8, 16)], punches).shifts
    assert row.exceptions == ("duplicate_suspect",)
    assert row.worked_seconds == 8 * 3600
    assert row.punch_ids == ("1", "2", "3", "out@16")


def test_back_to_back_shifts_split_their_punches() -> None:
    shifts = [shift(8, 12, "morning"), shift(12, 16, "afternoon")]
    punches = [p("in", 7.95), p("out", 12.0, "o1"), p("in", 12.01, "i2"), p("out", 16.1)]
    morning, afternoon = attendance(shifts, punches).shifts
    assert morning.clock_out == at(12)
    assert afternoon.clock_in == at(12.01)
    assert morning.exceptions == ()
    assert afternoon.exceptions == ()


def test_overnight_shift_belongs_to_its_start() -> None:
    night = shift(22, 30)  # 22:00 to 06:00 the next day
    (row,) = attendance([night], [p("in", 21.9), p("out", 30.1)]).shifts
    assert row.worked_seconds == int(8.1 * 3600)


@pytest.mark.parametrize(
    ("zone", "night", "hours"),
    [
        ("Europe/Paris", (2025, 3, 29), 7),
        ("Europe/Paris", (2025, 10, 25), 9),
        ("America/New_York", (2025, 3, 8), 7),
        ("America/New_York", (2025, 11, 1), 9),
    ],
)
def test_a_22_to_06_night_is_7_or_9_hours_on_change_nights(
    zone: str, night: tuple[int, int, int], hours: int
) -> None:
    tz = ZoneInfo(zone)
    start = datetime(*night, 22, tzinfo=tz)
    end = datetime(*night, 6, tzinfo=tz) + timedelta(days=1)
    end = end.astimezone(tz).replace(hour=6)
    sheet = attendance(
        [ScheduledShift("n", start, end)],
        [PunchEvent("i", "in", start), PunchEvent("o", "out", end)],
    )
    assert sheet.shifts[0].worked_seconds == hours * 3600


def test_punches_outside_any_shift_are_unscheduled_work() -> None:
    sheet = attendance([shift(8, 16)], [p("in", 8), p("out", 16), p("in", 23), p("out", 25)])
    (extra,) = sheet.unscheduled
    assert extra.start == at(23)
    assert extra.end == at(25)


def test_a_late_arriving_punch_changes_the_result() -> None:
    before = attendance([shift(8, 16)], [p("in", 8)])
    after = attendance([shift(8, 16)], [p("in", 8), p("out", 16)])
    assert before.shifts[0].exceptions == ("missing_out",)
    assert after.shifts[0].worked_seconds == 8 * 3600


kinds = st.sampled_from(["in", "out", "break_start", "break_end"])
streams = st.lists(st.tuples(kinds, st.integers(0, 30 * 60)), min_size=0, max_size=14)


@given(stream=streams, order=st.randoms(use_true_random=False), copies=st.integers(1, 3))
def test_delivery_order_and_duplicates_change_nothing(
    stream: list[tuple[str, int]], order: object, copies: int
) -> None:
    shifts = [shift(8, 16, "a"), shift(16, 24, "b"), shift(30, 38, "c")]
    punches = [
        PunchEvent(str(n), kind, at(6) + timedelta(minutes=minute))
        for n, (kind, minute) in enumerate(stream)
    ]
    delivered = [punch for punch in punches for _ in range(copies)]
    order.shuffle(delivered)  # type: ignore[attr-defined]
    assert attendance(shifts, delivered) == attendance(shifts, punches)


def test_rules_are_adjustable() -> None:
    strict = AttendanceRules(grace_minutes=0)
    (row,) = attendance([shift(8, 16)], [p("in", 8 + 1 / 60), p("out", 16)], strict).shifts
    assert row.late_minutes == 1


def test_a_shift_still_to_come_is_not_absent_and_an_open_one_not_missing_its_clock_out() -> None:
    """Absent means no clock-in by the shift's end: before then nothing is flagged, and a
    shift in progress is not missing its clock-out yet."""
    start = datetime(2026, 6, 3, 9, tzinfo=UTC)
    later = ScheduledShift(id="later", start=start, end=start + timedelta(hours=8))
    running = ScheduledShift(
        id="running", start=start - timedelta(days=1), end=start - timedelta(days=1, hours=-8)
    )
    clocked_in = PunchEvent(id="p1", kind="in", at=running.start)
    during = running.start + timedelta(hours=2)
    sheet = attendance([later, running], [clocked_in], now=during)
    by_id = {a.shift.id: a.exceptions for a in sheet.shifts}
    assert by_id == {"later": (), "running": ()}
    over = attendance([later, running], [clocked_in], now=later.end + timedelta(minutes=1))
    assert {a.shift.id: a.exceptions for a in over.shifts} == {
        "later": ("absent",),
        "running": ("missing_out",),
    }
