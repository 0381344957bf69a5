"""The record-keeping file (29 CFR 516.2, R1.6): per employee and workweek, hours per day and
week, straight-time pay, overtime premium, additions, deductions and adjustments."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from timeclock.exports.stable import csv_bytes
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.pay import PayCode, hours_of, money
from timeclock.rates import rate_said
from timeclock.selectors.pay import period_currency

RECORD_COLUMNS = [
    "employee_number",
    "employee_name",
    "workweek_start",
    *[f"hours_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
    "hours_workweek",
    "straight_time_pay",
    "overtime_premium",
    "additions",
    "deductions",
    "adjustments",
    "period_start",
    "period_end",
    "pay_date",
    "currency",
]

Week = tuple[str, str, date]  # employee number, name, the workweek's Monday


def records_csv(*, period: PayPeriod) -> bytes:
    """One row per employee and workweek with what 29 CFR 516.2 asks to keep: hours per
    workday and workweek, straight-time pay, overtime premium, additions and deductions, the
    period and the pay date (R1.6). From the frozen lines, so it never changes either."""
    weeks = _weeks(period)
    pay_date = period.pay_date or period.end_date
    rows = [
        [
            number,
            name,
            week.isoformat(),
            *(f"{hours_of(m):.2f}" for m in row["days"]),
            f"{hours_of(sum(row['days'])):.2f}",
            f"{row['straight']:.2f}",
            f"{row['premium']:.2f}",
            f"{row['additions']:.2f}",
            f"{row['deductions']:.2f}",
            f"{row['adjustments']:.2f}",
            period.start_date.isoformat(),
            period.end_date.isoformat(),
            pay_date.isoformat(),
            period_currency(period),
        ]
        for (number, name, week), row in sorted(weeks.items())
    ]
    return csv_bytes(RECORD_COLUMNS, rows)


def _weeks(period: PayPeriod) -> dict[Week, dict[str, Any]]:
    """The period's frozen lines summed per employee and workweek."""
    weeks: dict[Week, dict[str, Any]] = {}
    base_rate: dict[str, Decimal] = {}
    # Plain rows in the lines' order, read once (10,000 people x a month: 300,000 lines).
    lines = [
        _Line(*row)
        for row in PayLineRecord.objects.filter(period=period).values_list(
            "employee_number",
            "employee_name",
            "pay_code",
            "work_date",
            "minutes",
            "hours",
            "rate",
            "amount",
        )
    ]
    for line in lines:
        if line.pay_code == PayCode.REGULAR:
            base_rate[line.employee_number] = line.rate
    said = _overtime_rates_said(period)
    for line in lines:
        day = line.work_date or period.start_date
        week = day - timedelta(days=day.weekday())
        key = (line.employee_number, line.employee_name, week)
        row = weeks.get(key) or weeks.setdefault(key, _empty_week())
        base = said.get((line.employee_number, line.work_date))
        _add_line(row, line, day, base or base_rate.get(line.employee_number, line.rate))
    return weeks


def _overtime_rates_said(period: PayPeriod) -> dict[tuple[str, date | None], Decimal]:
    """Per employee and day, the rate in force that the overtime lines of a period with two
    rates say they were priced at (pay: a shift at the rate of the local day it starts on).
    A period with one rate has none: its overtime splits at the employee's regular rate."""
    rows = PayLineRecord.objects.filter(
        period=period, pay_code=PayCode.OVERTIME, reason__icontains="rate_in_force"
    ).values_list("employee_number", "work_date", "reason")
    found = {}
    for number, day, reason in rows:
        rate = rate_said(reason)
        if rate is not None:
            found[(number, day)] = rate
    return found


class _Line(NamedTuple):
    employee_number: str
    employee_name: str
    pay_code: str
    work_date: date | None
    minutes: int
    hours: Decimal
    rate: Decimal
    amount: Decimal


def _empty_week() -> dict[str, Any]:
    return {
        "days": [0] * 7,  # minutes: each day's and the week's hours are rounded once
        "straight": Decimal(0),
        "premium": Decimal(0),
        "additions": Decimal(0),
        "deductions": Decimal(0),
        "adjustments": Decimal(0),
    }


def _add_line(row: dict[str, Any], line: "_Line", day: date, base_rate: Decimal) -> None:
    """Overtime splits into its straight-time part, at the base rate, and the premium."""
    code = line.pay_code
    if code in (PayCode.REGULAR, PayCode.OVERTIME):
        row["days"][day.weekday()] += line.minutes
    if code == PayCode.REGULAR:
        row["straight"] += line.amount
    elif code == PayCode.OVERTIME:
        straight = money(Decimal(line.minutes) / 60 * base_rate)  # as the lines are priced
        row["straight"] += straight
        row["premium"] += line.amount - straight
    elif code.endswith("_PREMIUM"):
        row["additions"] += line.amount
    elif code.endswith("_PENALTY"):
        row["deductions"] += line.amount
    else:
        row["adjustments"] += line.amount
