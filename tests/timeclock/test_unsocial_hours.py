"""Unsocial hours apart (issue 25, item 2): a Dutch week with evening, night, Saturday, Sunday
and public-holiday hours, the holidays from the site's country calendar (the `holidays`
package, as the product uses). The percentages are test inputs, NOT the collective
agreement's figures, which the product could not retrieve (see cao_contactcenters.py)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays

from timeclock.attendance import PunchEvent, ScheduledShift, attendance
from timeclock.jurisdictions.cao_contactcenters import CAO_CONTACTCENTERS, PRESET_FIELDS
from timeclock.pay import PayCode, PayPolicy, pay_lines

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 5, 11)  # Thursday 14 May 2026 is Ascension Day (Hemelvaartsdag)
POLICY = PayPolicy(
    timezone="Europe/Amsterdam",
    minimum_hourly_wage=Decimal("14.7100"),
    night_start=time(22),
    night_end=time(6),
    night_premium=Decimal("0.40"),
    evening_start=time(20),
    evening_end=time(22),
    evening_premium=Decimal("0.20"),
    weekend_premium=Decimal("0.99"),  # set apart below: never paid
    saturday_premium=Decimal("0.30"),
    sunday_premium=Decimal("0.50"),
    holiday_premium=Decimal("1.00"),
    holidays=frozenset(holidays.country_holidays("NL", years=2026)),
)


def _week() -> object:
    shifts, punches = [], []
    for n, (day, start, hours) in enumerate(
        ((0, 14, 9), (1, 22, 8), (3, 9, 8), (5, 9, 8), (6, 9, 8))
    ):
        begin = datetime.combine(MONDAY + timedelta(days=day), time(start), AMSTERDAM)
        end = begin + timedelta(hours=hours)
        shifts.append(ScheduledShift(f"s{n}", begin, end))
        punches += [PunchEvent(f"i{n}", "in", begin), PunchEvent(f"o{n}", "out", end)]
    return attendance(shifts, punches)


def test_a_week_of_evening_night_saturday_sunday_and_holiday_hours() -> None:
    assert date(2026, 5, 14) in POLICY.holidays
    lines = pay_lines(timesheet=_week(), rate_per_hour=Decimal(20), policy=POLICY)  # type: ignore[arg-type]
    # Each premium under a code of its own (a payroll system maps each to its own wage type).
    premiums = [
        (line.work_date, line.pay_code, line.reason[0].code, line.minutes, line.amount)
        for line in lines
        if line.pay_code.endswith("_PREMIUM")
    ]
    assert premiums == [
        (date(2026, 5, 11), PayCode.NIGHT_PREMIUM, "night_premium", 60, Decimal("8.00")),
        (date(2026, 5, 11), PayCode.EVENING_PREMIUM, "evening_premium", 120, Decimal("8.00")),
        (date(2026, 5, 12), PayCode.NIGHT_PREMIUM, "night_premium", 480, Decimal("64.00")),
        (date(2026, 5, 14), PayCode.HOLIDAY_PREMIUM, "holiday_premium", 480, Decimal("160.00")),
        (date(2026, 5, 16), PayCode.SATURDAY_PREMIUM, "saturday_premium", 480, Decimal("48.00")),
        (date(2026, 5, 17), PayCode.SUNDAY_PREMIUM, "sunday_premium", 480, Decimal("80.00")),
    ]
    evening = next(line for line in lines if line.reason[0].code == "evening_premium")
    assert evening.rule == "120 min inside 20:00-22:00 on 11 May, +20 %"


def test_without_saturday_and_sunday_apart_the_weekend_premium_pays_both_days() -> None:
    policy = PayPolicy(
        timezone="Europe/Amsterdam",
        minimum_hourly_wage=Decimal("14.7100"),
        weekend_premium=Decimal("0.50"),
        night_premium=Decimal(0),
    )
    lines = pay_lines(timesheet=_week(), rate_per_hour=Decimal(20), policy=policy)  # type: ignore[arg-type]
    weekend = [line for line in lines if line.pay_code == PayCode.WEEKEND_PREMIUM]
    assert [(w.reason[0].code, w.minutes) for w in weekend] == [
        ("weekend_premium", 480),
        ("weekend_premium", 480),
    ]


def test_the_contact_centre_preset_cites_the_agreement_and_invents_no_figure() -> None:
    assert "Facilitaire Contactcenters" in CAO_CONTACTCENTERS.name
    assert "art. 22" in CAO_CONTACTCENTERS.article
    assert CAO_CONTACTCENTERS.missing() == PRESET_FIELDS
