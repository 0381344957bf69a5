"""Pay by the rate in force on each worked day (issue 25 review, timeclock/rates.py, pure): a
rate change in the middle of a week splits its lines by rate, weekly overtime still counts
the whole week, the local day a shift starts on decides its rate (a night over a DST change
and over the day the new rate starts), the lines priced by the rate say which rate, and
fines never take more than the day's rate would."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from timeclock.attendance import PunchEvent, ScheduledShift, Timesheet, attendance
from timeclock.pay import AbsenceMode, PayCode, PayLine, PayPolicy, pay_lines
from timeclock.rates import RateSchedule, lines_at_rates, rate_said

AMS = ZoneInfo("Europe/Amsterdam")
POLICY = PayPolicy(timezone="Europe/Amsterdam", minimum_hourly_wage=Decimal("10.0000"))
OLD, NEW = Decimal("16.0000"), Decimal("18.5000")


def _sheet(shifts: list[tuple[datetime, datetime]], absent: int | None = None) -> Timesheet:
    scheduled, punches = [], []
    for n, (start, end) in enumerate(shifts):
        scheduled.append(ScheduledShift(f"s{n}", start, end))
        if n != absent:
            punches += [PunchEvent(f"i{n}", "in", start), PunchEvent(f"o{n}", "out", end)]
    return attendance(scheduled, punches, now=shifts[-1][1] + timedelta(days=2))


def _price(sheet: Timesheet, policy: PayPolicy = POLICY):  # type: ignore[no-untyped-def]
    return lambda rate: pay_lines(timesheet=sheet, rate_per_hour=rate, policy=policy)


def _day(line: PayLine) -> date:
    assert line.work_date is not None
    return line.work_date


def test_a_schedule_gives_the_rate_in_force_on_a_day() -> None:
    rates = RateSchedule((date(2026, 1, 1), date(2026, 6, 3)), (OLD, NEW))
    assert rates.on(date(2025, 12, 1)) == OLD  # before the first: the first
    assert rates.on(date(2026, 6, 2)) == OLD
    assert rates.on(date(2026, 6, 3)) == NEW
    assert rates.since(date(2026, 6, 5)) == date(2026, 6, 3)
    assert rates.varies(date(2026, 6, 1), date(2026, 6, 7))
    assert not rates.varies(date(2026, 6, 3), date(2026, 6, 7))
    assert not RateSchedule.flat(OLD).varies(date.min, date.max)


def test_a_raise_on_wednesday_splits_the_week_and_overtime_counts_the_whole_week() -> None:
    """Five 9-hour days from Monday 1 June 2026, 16.00 until Tuesday, 18.50 from Wednesday:
    40 h regular, then Friday's last 5 h overtime at the new rate."""
    monday = datetime(2026, 6, 1, 8, tzinfo=AMS)
    sheet = _sheet(
        [(monday + timedelta(days=d), monday + timedelta(days=d, hours=9)) for d in range(5)]
    )
    rates = RateSchedule((date(2026, 1, 1), date(2026, 6, 3)), (OLD, NEW))
    lines = lines_at_rates(
        rates=rates, first=date(2026, 6, 1), last=date(2026, 6, 7), price=_price(sheet)
    )
    regular = [line for line in lines if line.pay_code == PayCode.REGULAR]
    assert [(_day(r).day, r.minutes, r.rate, r.amount) for r in regular] == [
        (1, 540, OLD, Decimal("144.00")),
        (2, 540, OLD, Decimal("144.00")),
        (3, 540, NEW, Decimal("166.50")),
        (4, 540, NEW, Decimal("166.50")),
        (5, 240, NEW, Decimal("74.00")),
    ]
    (overtime,) = [line for line in lines if line.pay_code == PayCode.OVERTIME]
    assert (overtime.minutes, overtime.rate, overtime.amount) == (
        300,
        Decimal("27.7500"),
        Decimal("138.75"),
    )
    # Each line priced by the rate says which rate and from when; the English rule too.
    assert regular[0].rule.endswith("at 16.0000 an hour, the rate from Thu 01 Jan")
    assert regular[2].rule.endswith("at 18.5000 an hour, the rate from Wed 03 Jun")
    assert overtime.rule.endswith("at 18.5000 an hour, the rate from Wed 03 Jun")
    # One rate in the week: the lines as pay_lines gives them, nothing added.
    flat = lines_at_rates(
        rates=RateSchedule.flat(NEW),
        first=date(2026, 6, 1),
        last=date(2026, 6, 7),
        price=_price(sheet),
    )
    assert flat == pay_lines(timesheet=sheet, rate_per_hour=NEW, policy=POLICY)


def test_the_local_day_a_night_starts_on_decides_its_rate_across_dst() -> None:
    """Saturday 24 October 2026 22:00 to Sunday 06:00 in Amsterdam is 9 h (the clocks go
    back); the new rate starts on Sunday: the whole night is paid at Saturday's rate, night
    premium included, and Sunday's day shift at the new one."""
    saturday = datetime(2026, 10, 24, 22, tzinfo=AMS)
    sunday = datetime(2026, 10, 25, 12, tzinfo=AMS)
    sunday_six = datetime(2026, 10, 25, 6, tzinfo=AMS)  # 9 h after Saturday 22:00
    sheet = _sheet([(saturday, sunday_six), (sunday, sunday + timedelta(hours=4))])
    rates = RateSchedule((date(2026, 1, 1), date(2026, 10, 25)), (OLD, NEW))
    lines = lines_at_rates(
        rates=rates, first=date(2026, 10, 19), last=date(2026, 10, 25), price=_price(sheet)
    )
    regular = {(_day(line), line.pay_code): line for line in lines}
    night = regular[(date(2026, 10, 24), PayCode.REGULAR)]
    assert (night.minutes, night.rate, night.amount) == (540, OLD, Decimal("144.00"))
    premium = regular[(date(2026, 10, 24), PayCode.NIGHT_PREMIUM)]
    assert premium.rate == OLD * POLICY.night_premium
    day = regular[(date(2026, 10, 25), PayCode.REGULAR)]
    assert (day.minutes, day.rate, day.amount) == (240, NEW, Decimal("74.00"))


def test_fines_in_a_week_of_two_rates_never_take_more_than_the_days_rate() -> None:
    """An absence fined at the shift's pay: at the lower of the week's rates."""
    policy = PayPolicy(
        timezone="Europe/Amsterdam",
        minimum_hourly_wage=Decimal("10.0000"),
        absence_mode=AbsenceMode.SHIFT_PAY_MULTIPLE,
        absence_amount=Decimal("0.5"),
    )
    monday = datetime(2026, 6, 1, 8, tzinfo=AMS)
    sheet = _sheet(
        [(monday + timedelta(days=d), monday + timedelta(days=d, hours=8)) for d in range(4)],
        absent=3,
    )
    rates = RateSchedule((date(2026, 1, 1), date(2026, 6, 3)), (OLD, NEW))
    lines = lines_at_rates(
        rates=rates, first=date(2026, 6, 1), last=date(2026, 6, 7), price=_price(sheet, policy)
    )
    (fine,) = [line for line in lines if line.pay_code == PayCode.ABSENCE_PENALTY]
    assert fine.amount == Decimal("-64.00")  # 8 h x 16.00 x 0.5, not x 18.50
    worked = [line for line in lines if line.pay_code == PayCode.REGULAR]
    assert sum(line.amount for line in worked) == Decimal("128.00") * 2 + Decimal("148.00")


def test_a_frozen_line_says_its_rate_only_where_its_period_held_two() -> None:
    """What the exports read back from a closed period's lines (their reason as JSON): the
    rate in force on the line's day where the period held two rates, else nothing (and the
    exports keep their one-rate layout)."""
    rates = RateSchedule((date(2026, 1, 1), date(2026, 6, 3)), (OLD, NEW))
    week = [
        (datetime(2026, 6, d, 9, tzinfo=AMS), datetime(2026, 6, d, 17, tzinfo=AMS))
        for d in (1, 2, 3)
    ]
    lines = lines_at_rates(
        rates=rates, first=date(2026, 6, 1), last=date(2026, 6, 7), price=_price(_sheet(week))
    )
    said = [rate_said([s.as_json() for s in line.reason]) for line in lines]
    assert said == [OLD, OLD, NEW]
    assert all(line.rate == rate for line, rate in zip(lines, said, strict=True))
    flat = RateSchedule.flat(OLD)
    one = lines_at_rates(
        rates=flat, first=date(2026, 6, 1), last=date(2026, 6, 7), price=_price(_sheet(week))
    )
    assert [rate_said([s.as_json() for s in line.reason]) for line in one] == [None] * 3
    assert rate_said([]) is None
