"""Pay lines: rounding (R1.7-R1.10), Decimal vectors (R1.18), overtime per workweek, premiums
across DST, penalties with explanations, the minimum-wage floor (R1.19), and properties."""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeclock.attendance import PunchEvent, ScheduledShift, attendance
from timeclock.pay import (
    AbsenceMode,
    LatenessMode,
    PayCode,
    PayPolicy,
    pay_lines,
    round_instant,
)

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 6, 1, tzinfo=PARIS)  # a Monday
POLICY = PayPolicy(timezone="Europe/Paris", minimum_hourly_wage=Decimal("11.6500"))


def worked(days: list[tuple[float, float]], first: datetime = MONDAY) -> object:
    """One shift per (start hour, end hour) on consecutive days, punched exactly."""
    shifts, punches = [], []
    for n, (start, end) in enumerate(days):
        s = first + timedelta(days=n, hours=start)
        e = first + timedelta(days=n, hours=end)
        shifts.append(ScheduledShift(f"s{n}", s, e))
        punches += [PunchEvent(f"i{n}", "in", s), PunchEvent(f"o{n}", "out", e)]
    return attendance(shifts, punches)


def by_code(lines: list, code: PayCode) -> list:  # type: ignore[type-arg]
    return [line for line in lines if line.pay_code == code]


def test_seven_hours_twenty_five_at_a_four_decimal_rate_is_exact_to_the_cent() -> None:
    sheet = worked([(8, 8 + 7 + 25 / 60)])
    (regular,) = pay_lines(timesheet=sheet, rate_per_hour=Decimal("15.3333"), policy=POLICY)  # type: ignore[arg-type]
    assert regular.minutes == 445
    assert regular.hours == Decimal("7.42")
    assert regular.amount == Decimal("113.72")  # 445/60 x 15.3333 = 113.7219...


@pytest.mark.parametrize(
    ("increment", "seconds", "expected_minutes"),
    [
        (5, 2 * 60 + 29, 0),
        (5, 2 * 60 + 30, 5),
        (6, 2 * 60 + 59, 0),
        (6, 3 * 60, 6),
        (15, 7 * 60 + 29, 0),
        (15, 7 * 60 + 30, 15),
        (15, 22 * 60 + 29, 15),
        (15, 22 * 60 + 30, 30),
    ],
)
def test_rounding_is_to_the_nearest_increment_half_up(
    increment: int, seconds: int, expected_minutes: int
) -> None:
    base = datetime(2026, 6, 1, 8, tzinfo=UTC)
    rounded = round_instant(base + timedelta(seconds=seconds), increment)
    assert rounded == base + timedelta(minutes=expected_minutes)


def test_rounding_is_neutral_over_many_punches() -> None:
    rng = random.Random(7)
    base = datetime(2026, 6, 1, 8, tzinfo=UTC)
    for increment in (5, 6, 15):
        errors = []
        for _ in range(10_000):
            instant = base + timedelta(seconds=rng.uniform(0, 3600))
            errors.append((round_instant(instant, increment) - instant).total_seconds())
        mean = sum(errors) / len(errors)
        assert abs(mean) <= 0.01 * increment * 60


def test_exact_time_jurisdictions_ignore_the_rounding_setting() -> None:
    sheet = worked([(8 + 7 / 60, 16)])
    rounding = PayPolicy(
        timezone="Europe/Paris", minimum_hourly_wage=Decimal(0), rounding_minutes=15
    )
    exact = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(0),
        rounding_minutes=15,
        exact_time_only=True,
    )
    rounded = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=rounding)  # type: ignore[arg-type]
    precise = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=exact)  # type: ignore[arg-type]
    assert rounded[0].minutes == 8 * 60
    assert precise[0].minutes == 8 * 60 - 7


def test_lateness_comes_from_the_raw_punch_whatever_the_rounding() -> None:
    policy = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(0),
        rounding_minutes=15,
        lateness_mode=LatenessMode.PER_MINUTE,
        lateness_amount=Decimal("0.50"),
    )
    for arrival, late in ((2, 0), (8, 8)):
        start = MONDAY + timedelta(hours=8)
        sheet = attendance(
            [ScheduledShift("s", start, start + timedelta(hours=8))],
            [
                PunchEvent("i", "in", start + timedelta(minutes=arrival)),
                PunchEvent("o", "out", start + timedelta(hours=8)),
            ],
        )
        lines = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=policy)
        penalties = by_code(lines, PayCode.LATENESS_PENALTY)
        assert [p.minutes for p in penalties] == ([late] if late else [])
    assert penalties[0].amount == Decimal("-4.00")
    assert penalties[0].rule == "late 8 min on 01 Jun, grace 5, 0.50 per minute"


def test_overtime_per_workweek_never_averaged() -> None:
    first = [(8, 17)] * 5  # 45 h
    second = [(8, 15)] * 5  # 35 h
    sheet = worked([*first, (0, 0), (0, 0), *second])
    lines = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=POLICY)  # type: ignore[arg-type]
    regular = by_code(lines, PayCode.REGULAR)
    overtime = by_code(lines, PayCode.OVERTIME)
    assert sum(r.minutes for r in regular if r.work_date < date(2026, 6, 8)) == 40 * 60
    assert sum(r.minutes for r in regular if r.work_date >= date(2026, 6, 8)) == 35 * 60
    # Friday of the first week: 4 h regular, then 5 h overtime; the second week has none.
    assert [(o.work_date, o.minutes, o.rate, o.amount) for o in overtime] == [
        (date(2026, 6, 5), 5 * 60, Decimal("30.0000"), Decimal("150.00"))
    ]
    assert "beyond 40 h in the week from 01 Jun" in overtime[0].rule


def test_daily_overtime_is_counted_before_the_weekly_one() -> None:
    policy = PayPolicy(
        timezone="Europe/Paris", minimum_hourly_wage=Decimal(0), daily_overtime_hours=Decimal(8)
    )
    sheet = worked([(8, 18), (8, 16)])
    lines = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=policy)  # type: ignore[arg-type]
    (overtime,) = by_code(lines, PayCode.OVERTIME)
    assert overtime.minutes == 120
    assert "beyond 8 h that day" in overtime.rule
    assert sum(r.minutes for r in by_code(lines, PayCode.REGULAR)) == 16 * 60


@pytest.mark.parametrize(
    ("night", "minutes"), [(date(2025, 3, 29), 7 * 60), (date(2025, 10, 25), 9 * 60)]
)
def test_night_premium_counts_elapsed_minutes_across_dst(night: date, minutes: int) -> None:
    start = datetime.combine(night, time(22), tzinfo=PARIS)
    end = datetime.combine(night + timedelta(days=1), time(6), tzinfo=PARIS)
    sheet = attendance(
        [ScheduledShift("n", start, end)],
        [PunchEvent("i", "in", start), PunchEvent("o", "out", end)],
    )
    lines = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=POLICY)
    (night_line,) = by_code(lines, PayCode.NIGHT_PREMIUM)
    (regular,) = by_code(lines, PayCode.REGULAR)
    assert night_line.minutes == minutes
    assert regular.minutes == minutes
    assert night_line.amount == Decimal(minutes) / 60 * 5


def test_weekend_and_holiday_premiums_from_the_local_calendar() -> None:
    policy = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(0),
        weekend_premium=Decimal("0.5"),
        holiday_premium=Decimal("1"),
        holidays=frozenset({date(2026, 6, 1)}),
    )
    sheet = worked([(8, 12), (0, 0), (0, 0), (0, 0), (0, 0), (8, 12)])  # Monday holiday, Saturday
    lines = pay_lines(timesheet=sheet, rate_per_hour=Decimal(20), policy=policy)  # type: ignore[arg-type]
    assert [(line.minutes, line.amount) for line in by_code(lines, PayCode.HOLIDAY_PREMIUM)] == [
        (240, Decimal("80.00"))
    ]
    assert [(line.minutes, line.amount) for line in by_code(lines, PayCode.WEEKEND_PREMIUM)] == [
        (240, Decimal("40.00"))
    ]


def _absent_week(policy: PayPolicy) -> list:  # type: ignore[type-arg]
    shifts = [
        ScheduledShift(
            f"s{n}", MONDAY + timedelta(days=n, hours=8), MONDAY + timedelta(days=n, hours=16)
        )
        for n in range(2)
    ]
    punches = [PunchEvent("i", "in", shifts[0].start), PunchEvent("o", "out", shifts[0].end)]
    return pay_lines(
        timesheet=attendance(shifts, punches), rate_per_hour=Decimal(20), policy=policy
    )


def test_absence_penalties_fixed_or_a_multiple_of_the_shift() -> None:
    fixed = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(10),
        absence_mode=AbsenceMode.FIXED,
        absence_amount=Decimal(25),
    )
    multiple = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(10),
        absence_mode=AbsenceMode.SHIFT_PAY_MULTIPLE,
        absence_amount=Decimal("0.5"),
    )
    assert by_code(_absent_week(fixed), PayCode.ABSENCE_PENALTY)[0].amount == Decimal("-25.00")
    assert by_code(_absent_week(multiple), PayCode.ABSENCE_PENALTY)[0].amount == Decimal("-80.00")
    off = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(10),
        fines_enabled=False,
        absence_mode=AbsenceMode.FIXED,
        absence_amount=Decimal(25),
    )
    assert not by_code(_absent_week(off), PayCode.ABSENCE_PENALTY)


def test_penalties_never_break_the_minimum_wage_nor_touch_overtime() -> None:
    policy = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal(15),
        absence_mode=AbsenceMode.FIXED,
        absence_amount=Decimal(1000),
    )
    shifts = [
        ScheduledShift(
            f"s{n}", MONDAY + timedelta(days=n, hours=6), MONDAY + timedelta(days=n, hours=16)
        )
        for n in range(6)
    ]
    punches = [
        p
        for s in shifts[:5]
        for p in (PunchEvent(s.id + "i", "in", s.start), PunchEvent(s.id + "o", "out", s.end))
    ]
    lines = pay_lines(
        timesheet=attendance(shifts, punches), rate_per_hour=Decimal(20), policy=policy
    )
    regular = sum(line.amount for line in by_code(lines, PayCode.REGULAR))
    overtime = sum(line.amount for line in by_code(lines, PayCode.OVERTIME))
    (penalty,) = by_code(lines, PayCode.ABSENCE_PENALTY)
    # 50 h worked: 40 regular (800.00) + 10 overtime (300.00, of which 100.00 premium);
    # straight time 1000.00, floor 50 h x 15 = 750.00: at most 250.00 can be taken.
    assert overtime == Decimal("300.00")
    assert regular == Decimal("800.00")
    assert penalty.amount == Decimal("-250.00")
    assert "reduced" in penalty.rule


def _sheet(minutes: list[int]) -> object:
    shifts, punches = [], []
    for n, length in enumerate(minutes):
        start = MONDAY + timedelta(days=n, hours=20)
        shifts.append(ScheduledShift(f"s{n}", start, start + timedelta(hours=8)))
        punches += [
            PunchEvent(f"i{n}", "in", start),
            PunchEvent(f"o{n}", "out", start + timedelta(minutes=length)),
        ]
    return attendance(shifts, punches)


GENEROUS = PayPolicy(
    timezone="Europe/Paris",
    minimum_hourly_wage=Decimal(12),
    daily_overtime_hours=Decimal(8),
    weekend_premium=Decimal("0.3"),
    lateness_mode=LatenessMode.PER_OCCURRENCE,
    lateness_amount=Decimal(10),
)


@settings(max_examples=200, deadline=None)
@given(
    # Up to 12 h for an 8-h shift: a clock-out beyond end + 4 h is outside its window.
    minutes=st.lists(st.integers(1, 10 * 60), min_size=1, max_size=9),
    extra=st.integers(1, 120),
    which=st.integers(0, 8),
)
def test_more_worked_time_never_lowers_gross_pay(
    minutes: list[int], extra: int, which: int
) -> None:
    longer = list(minutes)
    longer[which % len(longer)] += extra
    before = pay_lines(timesheet=_sheet(minutes), rate_per_hour=Decimal("17.25"), policy=GENEROUS)  # type: ignore[arg-type]
    after = pay_lines(timesheet=_sheet(longer), rate_per_hour=Decimal("17.25"), policy=GENEROUS)  # type: ignore[arg-type]
    assert sum(line.amount for line in after) >= sum(line.amount for line in before)
    assert before == pay_lines(
        timesheet=_sheet(minutes), rate_per_hour=Decimal("17.25"), policy=GENEROUS
    )  # type: ignore[arg-type]


FINED = PayPolicy(
    timezone="Europe/Paris",
    minimum_hourly_wage=Decimal("15"),
    lateness_mode=LatenessMode.PER_MINUTE,
    lateness_amount=Decimal("2"),
    absence_mode=AbsenceMode.FIXED,
    absence_amount=Decimal("200"),
)


@settings(max_examples=200, deadline=None)
@given(
    days=st.lists(
        st.one_of(st.none(), st.tuples(st.integers(0, 90), st.integers(6 * 60, 11 * 60))),
        min_size=1,
        max_size=7,
    )
)
def test_penalties_keep_the_floor_and_the_overtime_premium_and_vanish_where_forbidden(
    days: list[tuple[int, int] | None],
) -> None:
    """R1.19 (c) and (d): whatever the lateness and absences."""
    shifts, punches = [], []
    for n, day in enumerate(days):
        start = MONDAY + timedelta(days=n, hours=7)
        shifts.append(ScheduledShift(f"s{n}", start, start + timedelta(hours=11)))
        if day is not None:
            late, length = day
            punches += [
                PunchEvent(f"i{n}", "in", start + timedelta(minutes=late)),
                PunchEvent(f"o{n}", "out", start + timedelta(minutes=late + length)),
            ]
    sheet = attendance(shifts, punches)
    rate = Decimal("20")
    lines = pay_lines(timesheet=sheet, rate_per_hour=rate, policy=FINED)
    minutes = sum(
        line.minutes for line in lines if line.pay_code in (PayCode.REGULAR, PayCode.OVERTIME)
    )
    overtime = by_code(lines, PayCode.OVERTIME)
    for line in overtime:  # the premium is never reduced
        assert line.amount == (Decimal(line.minutes) / 60 * rate * Decimal("1.5")).quantize(
            Decimal("0.01")
        )
    straight = sum(
        (line.amount / Decimal("1.5") if line.pay_code == PayCode.OVERTIME else line.amount)
        for line in lines
    )
    assert straight >= (Decimal(minutes) / 60 * FINED.minimum_hourly_wage).quantize(
        Decimal("0.01")
    ) - Decimal("0.01")
    lawful = PayPolicy(**{**FINED.__dict__, "fines_enabled": False})
    assert not [
        line
        for line in pay_lines(timesheet=sheet, rate_per_hour=rate, policy=lawful)
        if line.amount < 0
    ]


def test_a_remote_operator_in_chicago_is_late_against_the_lisbon_schedule_in_utc() -> None:
    """R1.16: the punch carries Chicago's offset, the shift Lisbon's; lateness is the instant
    difference."""
    lisbon = ZoneInfo("Europe/Lisbon")
    chicago = ZoneInfo("America/Chicago")
    start = datetime(2026, 6, 1, 14, tzinfo=lisbon)  # 13:00 UTC
    punch_in = datetime(2026, 6, 1, 8, 10, tzinfo=chicago)  # 13:10 UTC
    sheet = attendance(
        [ScheduledShift("s", start, start + timedelta(hours=8))],
        [PunchEvent("i", "in", punch_in), PunchEvent("o", "out", start + timedelta(hours=8))],
    )
    (row,) = sheet.shifts
    assert row.late_minutes == 10
    assert row.clock_in.utcoffset() == timedelta(0)
