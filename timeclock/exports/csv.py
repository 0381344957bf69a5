"""The payroll CSV: one row per employee, pay code and rate, hours and amounts summed from the
frozen lines; its hash is the period's export fingerprint."""

from decimal import Decimal

from django.db.models import Q, Sum

from timeclock.exports.stable import csv_bytes
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.pay import PayCode, hours_of
from timeclock.selectors.pay import period_currency

CODE_ORDER = [code.value for code in PayCode]
EXPORT_COLUMNS = [
    "employee_number",
    "employee_name",
    "period_start",
    "period_end",
    "pay_code",
    "hours",
    "rate",
    "amount",
    "currency",
    "adjusted_code",  # an ADJUSTMENT row's pay code adjusted (REGULAR, OVERTIME, ...)
]

# The lines whose minutes are paid hours: a fine's minutes (late, or the missed shift's) are
# what it was counted on, not hours paid, and its hours are 0.
HOURS_CARRIED = ~Q(hours=0)


def payroll_rows_build(*, period: PayPeriod) -> list[list[str]]:
    """One row per employee, pay code and rate (an adjustment: and the pay code it adjusts, in
    the last column), hours and amounts summed, sorted; the numbers,
    names and currency frozen at the close, so a later rename changes no export. A pay code
    paid at one rate (a period with one hourly rate) is one row; paid at two (a raise in the
    middle of the period, evening and night premiums of other shares) it is one row per
    rate, so that every row's hours times its rate is its amount (the amount is the sum of
    the lines, each rounded to the cent; the hours are the lines' minutes summed and rounded
    once, so they differ from the amount over the rate by at most the rounding of the hours
    and a cent a line: timeclock.pay.row_hours_match)."""
    grouped = (
        PayLineRecord.objects.filter(period=period)
        .values("employee_number", "employee_name", "pay_code", "rate", "adjusted_code")
        .annotate(minutes=Sum("minutes", filter=HOURS_CARRIED), amount=Sum("amount"))
        .order_by()
    )
    sums: dict[tuple[str, str, str, Decimal, str], tuple[Decimal, Decimal]] = {
        (
            row["employee_number"],
            row["employee_name"],
            row["pay_code"],
            row["rate"],
            row["adjusted_code"],
        ): (
            hours_of(row["minutes"] or 0),
            row["amount"],
        )
        for row in grouped
    }
    currency = period_currency(period)
    return [
        [
            number,
            name,
            period.start_date.isoformat(),
            period.end_date.isoformat(),
            code,
            f"{hours:.2f}",
            f"{rate:.4f}",
            f"{amount:.2f}",
            currency,
            adjusted,
        ]
        for (number, name, code, rate, adjusted), (hours, amount) in sorted(
            sums.items(),
            key=lambda kv: (kv[0][0], CODE_ORDER.index(kv[0][2]), kv[0][4], kv[0][3]),
        )
    ]


def payroll_csv(*, period: PayPeriod) -> bytes:
    return csv_bytes(EXPORT_COLUMNS, payroll_rows_build(period=period))
