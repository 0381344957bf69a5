"""Weekly overtime per workweek across two pay periods (29 CFR 778.104: each workweek stands
alone, however the pay periods cut it). A semi-monthly or monthly period splits a week: the
straight time the other (closed) period paid on the week's days counts toward the week's
limit, so 24 h in the first period and 24 h in the second pay 8 h of overtime in the second.
Pure golden cases and a Hypothesis property on timeclock/pay.py, then the same through the
period selectors from the database."""

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Org
from tests.factories.punches import past_shift
from timeclock.attendance import PunchEvent, ScheduledShift, Timesheet, attendance
from timeclock.pay import STRAIGHT_CODES, PayCode, PayLine, PayPolicy, pay_lines, split_week_days
from timeclock.rates import RateSchedule, lines_at_rates

PARIS = ZoneInfo("Europe/Paris")
POLICY = PayPolicy(timezone="Europe/Paris", minimum_hourly_wage=Decimal("11.6500"))
RATE = Decimal("20.0000")
# July 2026, paid semi-monthly: 1-15 and 16-31. The workweek Mon 13 - Sun 19 Jul is split
# after Wednesday the 15th.
MONDAY = date(2026, 7, 13)


def sheet(hours: dict[date, float], start: int = 8) -> Timesheet:
    """One shift a day from `start` o'clock for the given hours, punched exactly."""
    shifts, punches = [], []
    for day, length in sorted(hours.items()):
        s = datetime.combine(day, time(start), tzinfo=PARIS)
        e = s + timedelta(hours=length)
        shifts.append(ScheduledShift(f"s{day}", s, e))
        punches += [PunchEvent(f"i{day}", "in", s), PunchEvent(f"o{day}", "out", e)]
    return attendance(shifts, punches)


def days(first: date, *lengths: float) -> dict[date, float]:
    return {first + timedelta(days=n): h for n, h in enumerate(lengths) if h}


def straight(lines: list[PayLine]) -> dict[date, int]:
    """The straight-time minutes of lines by day, as a closed period's frozen lines give
    them to the next (timeclock.selectors.pay.straight_elsewhere_resolve)."""
    found: dict[date, int] = defaultdict(int)
    for line in lines:
        if line.pay_code in STRAIGHT_CODES and line.work_date is not None:
            found[line.work_date] += line.minutes
    return dict(found)


def overtime(lines: list[PayLine]) -> int:
    return sum(line.minutes for line in lines if line.pay_code == PayCode.OVERTIME)


def test_a_semi_monthly_period_shares_its_first_and_last_workweeks() -> None:
    """1-15 Jul 2026 (Wednesday to Wednesday): Mon 29 - Tue 30 Jun before it, Thu 16 - Sun
    19 Jul after; a period cut at the workweek shares none."""
    assert split_week_days(date(2026, 7, 1), date(2026, 7, 15), 0) == [
        (date(2026, 6, 29), date(2026, 6, 30)),
        (date(2026, 7, 16), date(2026, 7, 19)),
    ]
    assert split_week_days(MONDAY, MONDAY + timedelta(days=6), 0) == []
    # A week from Sunday: 12-18 Jul is whole, the 19th begins the next one.
    assert split_week_days(date(2026, 7, 12), date(2026, 7, 18), 6) == []
    assert split_week_days(date(2026, 7, 16), date(2026, 7, 31), 6) == [
        (date(2026, 7, 12), date(2026, 7, 15)),
        (date(2026, 8, 1), date(2026, 8, 1)),
    ]


def test_24_and_24_hours_of_a_split_week_pay_8_hours_of_overtime_in_the_later_period() -> None:
    """Mon-Wed 8 h each in the first period (closed: 24 h regular, nothing over 40); Thu-Sat
    8 h each in the second: Thursday and Friday bring the week to 40 h, Saturday's 8 h are
    overtime at 1.5x, the reason saying what the other period paid."""
    first = pay_lines(timesheet=sheet(days(MONDAY, 8, 8, 8)), rate_per_hour=RATE, policy=POLICY)
    assert overtime(first) == 0
    assert straight(first) == {MONDAY + timedelta(days=n): 480 for n in range(3)}
    second = pay_lines(
        timesheet=sheet(days(MONDAY + timedelta(days=3), 8, 8, 8)),
        rate_per_hour=RATE,
        policy=POLICY,
        straight_elsewhere=straight(first),
    )
    (over,) = [line for line in second if line.pay_code == PayCode.OVERTIME]
    assert (over.work_date, over.minutes, over.rate, over.amount) == (
        MONDAY + timedelta(days=5),
        480,
        Decimal("30.0000"),
        Decimal("240.00"),
    )
    assert over.rule == (
        "Sat 18 Jul: 480 min beyond 40 h in the week from 13 Jul (24 h of it paid in "
        "another pay period), x1.5"
    )
    regular = [line for line in second if line.pay_code == PayCode.REGULAR]
    assert sum(line.minutes for line in regular) == 960


def test_a_week_all_in_one_period_is_unchanged() -> None:
    """The second period's next week (Mon 20 - Sat 25 Jul, 48 h) pays 8 h of overtime on
    Saturday whatever the first period paid in the week before: the same lines as without
    it; and a first period's own whole week is not touched by the days after it."""
    next_week = days(MONDAY + timedelta(days=7), 8, 8, 8, 8, 8, 8)
    alone = pay_lines(timesheet=sheet(next_week), rate_per_hour=RATE, policy=POLICY)
    beside = pay_lines(
        timesheet=sheet(next_week),
        rate_per_hour=RATE,
        policy=POLICY,
        straight_elsewhere={MONDAY + timedelta(days=n): 480 for n in range(3)},
    )
    assert beside == alone
    assert overtime(alone) == 480
    assert alone[-1].rule == "Sat 25 Jul: 480 min beyond 40 h in the week from 20 Jul, x1.5"


def test_daily_overtime_is_not_counted_again() -> None:
    """A daily limit of 8 h, 10 h a day Mon-Sat: each day's 2 h over are daily overtime (not
    toward the week's 40 h); the week's 48 straight hours give 8 h of weekly overtime on
    Saturday. Split after Wednesday: 6 h in the first period, 14 h in the second, the 20 h
    of the week computed whole."""
    policy = PayPolicy(
        timezone="Europe/Paris", minimum_hourly_wage=Decimal("11.6500"), daily_overtime_hours=8
    )
    week = days(MONDAY, 10, 10, 10, 10, 10, 10)
    whole = pay_lines(timesheet=sheet(week), rate_per_hour=RATE, policy=policy)
    before = {d: h for d, h in week.items() if d <= MONDAY + timedelta(days=2)}
    after = {d: h for d, h in week.items() if d not in before}
    first = pay_lines(timesheet=sheet(before), rate_per_hour=RATE, policy=policy)
    second = pay_lines(
        timesheet=sheet(after),
        rate_per_hour=RATE,
        policy=policy,
        straight_elsewhere=straight(first),
    )
    assert (overtime(first), overtime(second), overtime(whole)) == (360, 840, 1200)


def test_overtime_is_priced_at_the_rate_of_the_day_it_is_worked() -> None:
    """A raise from Saturday 18 Jul (20.00 to 22.00): the split week's Saturday overtime is
    paid at 33.00 (1.5 x 22.00), Thursday and Friday at 20.00, as pay prices each day."""
    first = pay_lines(timesheet=sheet(days(MONDAY, 8, 8, 8)), rate_per_hour=RATE, policy=POLICY)
    later = sheet(days(MONDAY + timedelta(days=3), 8, 8, 8))
    rates = RateSchedule((date.min, MONDAY + timedelta(days=5)), (RATE, Decimal("22.0000")))

    def price(rate: Decimal) -> list[PayLine]:
        return pay_lines(
            timesheet=later, rate_per_hour=rate, policy=POLICY, straight_elsewhere=straight(first)
        )

    lines = lines_at_rates(
        rates=rates, first=MONDAY + timedelta(days=3), last=date(2026, 7, 31), price=price
    )
    (over,) = [line for line in lines if line.pay_code == PayCode.OVERTIME]
    assert (over.minutes, over.rate, over.amount) == (480, Decimal("33.0000"), Decimal("264.00"))
    regular = {line.rate for line in lines if line.pay_code == PayCode.REGULAR}
    assert regular == {RATE}


@settings(max_examples=200, deadline=None)
@given(
    hours=st.lists(st.integers(min_value=0, max_value=13 * 4), min_size=7, max_size=7),
    split=st.integers(min_value=1, max_value=6),
    starts=st.integers(min_value=0, max_value=6),
    weekly=st.sampled_from([Decimal(40), Decimal(38), Decimal("37.5")]),
    daily=st.sampled_from([None, Decimal(8), Decimal(10)]),
)
def test_a_week_split_at_any_day_pays_the_overtime_of_the_week_whole(
    hours: list[int], split: int, starts: int, weekly: Decimal, daily: Decimal | None
) -> None:
    """Random quarter hours each day of a workweek (starting on any weekday), split across
    two periods after a random day: the overtime minutes of the two periods add up to the
    week's computed whole, and so do the straight minutes, whichever period is closed
    first (the other reads its straight time)."""
    policy = PayPolicy(
        timezone="Europe/Paris",
        minimum_hourly_wage=Decimal("11.6500"),
        workweek_starts=starts,
        weekly_overtime_hours=weekly,
        daily_overtime_hours=daily,
    )
    first_day = MONDAY + timedelta(days=starts)
    week = days(first_day, *(q / 4 for q in hours))
    before = {d: h for d, h in week.items() if d < first_day + timedelta(days=split)}
    after = {d: h for d, h in week.items() if d not in before}

    def pay(part: dict[date, float], elsewhere: dict[date, int] | None = None) -> list[PayLine]:
        return pay_lines(
            timesheet=sheet(part), rate_per_hour=RATE, policy=policy, straight_elsewhere=elsewhere
        )

    whole = pay(week)
    earlier = pay(before)
    later = pay(after, straight(earlier))
    assert overtime(earlier) + overtime(later) == overtime(whole)
    assert sum(straight(earlier).values()) + sum(straight(later).values()) == sum(
        straight(whole).values()
    )
    # Out of order: the later period closed first, the earlier one counts its straight time.
    later_first = pay(after)
    earlier_after = pay(before, straight(later_first))
    assert overtime(later_first) + overtime(earlier_after) == overtime(whole)


# From the database: Amsterdam's default policy (40 h a week from Monday), op_a1 8 h a day.

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _worked(org: Org, day: date) -> None:
    """op_a1's 09:00-17:00 shift on `day`, punched on time."""
    from timeclock.models import Punch
    from timeclock.services.punches import PunchInput, punches_ingest

    shift = past_shift(employee=org.op_a1, day=day)
    for kind, at in (("in", shift.start), ("out", shift.end)):
        item = PunchInput(
            event_id=uuid.uuid4(), kind=kind, occurred_at=at, employee_number=org.op_a1.number
        )
        punches_ingest(items=[item], source=Punch.Source.REMOTE, device=None, now=at)


def _overtime(slip: dict) -> list[tuple[date, int]]:  # type: ignore[type-arg]
    return [
        (line["work_date"], line["minutes"])
        for line in slip["lines"]
        if line["pay_code"] == "OVERTIME"
    ]


@pytest.mark.django_db
def test_semi_monthly_periods_pay_the_split_weeks_overtime_in_the_later_one(org: Org) -> None:
    """1-15 Jul closed with Mon-Wed 13-15 Jul (24 h, no overtime); 16-31 Jul pays Thu-Sat's
    24 h as 16 h regular and Saturday's 8 h as overtime, the reason naming the 24 h paid in
    the first period; closed, the week's frozen overtime is 8 h."""
    from timeclock.models import PayLineRecord
    from timeclock.selectors.pay import payslip_get
    from timeclock.services.periods import period_close, period_create

    for n in range(6):
        _worked(org, MONDAY + timedelta(days=n))
    site = org.amsterdam
    first = period_create(site=site, start_date=date(2026, 7, 1), end_date=date(2026, 7, 15))
    period_close(period=first, user=None, now=datetime(2026, 7, 16, 9, tzinfo=AMSTERDAM))
    assert not first.lines.filter(pay_code="OVERTIME").exists()
    second = period_create(site=site, start_date=date(2026, 7, 16), end_date=date(2026, 7, 31))
    slip = payslip_get(employee=org.op_a1, period=second)
    assert _overtime(slip) == [(date(2026, 7, 18), 480)]
    (over,) = [line for line in slip["lines"] if line["pay_code"] == "OVERTIME"]
    assert "(24 h of it paid in another pay period)" in over["rule"]
    assert over["rate"] == org.op_a1.hourly_rate * Decimal("1.5")
    period_close(period=second, user=None, now=datetime(2026, 8, 1, 9, tzinfo=AMSTERDAM))
    frozen = PayLineRecord.objects.filter(employee=org.op_a1, pay_code="OVERTIME")
    assert [(r.period_id, r.work_date, r.minutes) for r in frozen] == [
        (second.pk, date(2026, 7, 18), 480)
    ]


@pytest.mark.django_db
def test_the_later_period_closed_first_leaves_the_overtime_to_the_earlier(org: Org) -> None:
    """Out of order: 16-31 Jul closed first sees only its own 24 h (no overtime); 1-15 Jul,
    computed after, counts them and pays Wednesday's 8 h as overtime: the week's 8 h, on
    the earlier period's last day."""
    from timeclock.selectors.pay import payslip_get
    from timeclock.services.periods import period_close, period_create

    for n in range(6):
        _worked(org, MONDAY + timedelta(days=n))
    site = org.amsterdam
    later = period_create(site=site, start_date=date(2026, 7, 16), end_date=date(2026, 7, 31))
    period_close(period=later, user=None, now=datetime(2026, 8, 1, 9, tzinfo=AMSTERDAM))
    assert not later.lines.filter(pay_code="OVERTIME").exists()
    earlier = period_create(site=site, start_date=date(2026, 7, 1), end_date=date(2026, 7, 15))
    assert _overtime(payslip_get(employee=org.op_a1, period=earlier)) == [(date(2026, 7, 15), 480)]


@pytest.mark.django_db
def test_no_query_for_other_periods_when_no_week_is_split(
    org: Org, django_assert_num_queries: object
) -> None:
    """A period cut at the workweek reads nothing of other periods; a split one reads them
    in one query."""
    from timeclock.pay import PayPolicy as Policy
    from timeclock.selectors.pay import straight_elsewhere_resolve

    people = [org.op_a1]
    policies = {str(org.op_a1.pk): Policy(timezone="Europe/Amsterdam", minimum_hourly_wage=1)}
    with django_assert_num_queries(0):  # type: ignore[operator]
        found = straight_elsewhere_resolve(
            employees=people, first=MONDAY, last=MONDAY + timedelta(days=6), policies=policies
        )
    assert found == {}
    with django_assert_num_queries(1):  # type: ignore[operator]
        straight_elsewhere_resolve(
            employees=people, first=date(2026, 7, 1), last=date(2026, 7, 15), policies=policies
        )
