"""The payroll CSV: one row per employee and pay code, hours and amounts summed from the
frozen lines; its hash is the period's export fingerprint."""

from decimal import Decimal

from django.db.models import Max, Sum

from timeclock.exports.stable import csv_bytes
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.pay import PayCode
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
]


def payroll_rows_build(*, period: PayPeriod) -> list[list[str]]:
    """One row per employee per pay code, hours and amounts summed, sorted; the numbers,
    names and currency frozen at the close, so a later rename changes no export."""
    grouped = (
        PayLineRecord.objects.filter(period=period)
        .values("employee_number", "employee_name", "pay_code")
        .annotate(hours=Sum("hours"), amount=Sum("amount"), rate=Max("rate"))
        .order_by()
    )
    sums: dict[tuple[str, str, str], list[Decimal]] = {
        (row["employee_number"], row["employee_name"], row["pay_code"]): [
            row["hours"],
            row["amount"],
            row["rate"],
        ]
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
        ]
        for (number, name, code), (hours, amount, rate) in sorted(
            sums.items(), key=lambda kv: (kv[0][0], CODE_ORDER.index(kv[0][2]))
        )
    ]


def payroll_csv(*, period: PayPeriod) -> bytes:
    return csv_bytes(EXPORT_COLUMNS, payroll_rows_build(period=period))
