"""Billable hours: worked phone hours per outsourced client queue and day, for invoicing the
client, then the prior-period adjustments the period carries. A closed period prints what its
close froze (BillableHours): a punch corrected or received since changes no invoice of it,
and reaches the client as an adjustment row of the next period that closes; an open period
(a preview), what is stored now and the adjustments its close would carry.

Columns: client, queue, date, hours, then `line` (WORKED: hours worked on that day of this
period; ADJUSTMENT: the change since it was billed of the hours of that day of an earlier
closed period, negative for a credit) and the first and last day of the period adjusted
(empty on a WORKED row). Worked rows first, then adjustments, each by client, queue and day.
Adjustment rows name the client and queue as the adjusted period's close froze them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from timeclock.exports.stable import csv_bytes
from timeclock.models import BillableHours, PayPeriod
from timeclock.selectors.billable import billable_hours_text, billable_seconds
from timeclock.services.billable_adjustments import billable_adjustments_compute

BILLABLE_COLUMNS = [
    "client",
    "queue",
    "date",
    "hours",
    "line",
    "adjusts_period_start",
    "adjusts_period_end",
]
WORKED, ADJUSTMENT = "WORKED", "ADJUSTMENT"


@dataclass(frozen=True)
class BillableRow:
    client: str
    queue: str
    day: date
    seconds: int
    adjusts_start: date | None = None  # an adjustment: the period it adjusts
    adjusts_end: date | None = None

    @property
    def hours(self) -> str:
        return billable_hours_text(self.seconds)

    @property
    def hours_number(self) -> Decimal:
        """The hours as a number, for pages (which print it in their language)."""
        return Decimal(self.hours)


def billable_rows(*, period: PayPeriod) -> list[BillableRow]:
    """The rows of the period's billable file, in its order."""
    if period.status == PayPeriod.Status.CLOSED and period.billable_frozen:
        totals = {
            (row.client_name, row.queue_name, row.work_date): row.seconds
            for row in BillableHours.objects.filter(period=period, adjusts__isnull=True)
        }
    else:  # open; or closed before the close froze billable hours (migration 0014)
        totals = billable_seconds(period=period)
    worked = [BillableRow(c, q, d, s) for (c, q, d), s in sorted(totals.items())]
    return worked + billable_adjustment_rows(period=period)


def billable_adjustment_rows(*, period: PayPeriod) -> list[BillableRow]:
    """The prior-period adjustments the period carries (closed: as its close booked them;
    open: what closing it now would book), by client, queue and day."""
    if period.status == PayPeriod.Status.CLOSED:
        found = list(
            BillableHours.objects.filter(period=period, adjusts__isnull=False).select_related(
                "adjusts"
            )
        )
    else:
        found = billable_adjustments_compute(period=period)
    rows = [
        BillableRow(
            r.client_name,
            r.queue_name,
            r.work_date,
            r.seconds,
            r.adjusts.start_date,
            r.adjusts.end_date,
        )
        for r in found
    ]
    return sorted(rows, key=lambda r: (r.client, r.queue, r.day))


def billable_hours_csv(*, period: PayPeriod) -> bytes:
    """Worked phone hours per outsourced client queue and day, for invoicing the client,
    and the prior-period adjustments the period carries."""
    return csv_bytes(
        BILLABLE_COLUMNS,
        [
            [
                r.client,
                r.queue,
                r.day.isoformat(),
                r.hours,
                WORKED if r.adjusts_start is None else ADJUSTMENT,
                r.adjusts_start.isoformat() if r.adjusts_start else "",
                r.adjusts_end.isoformat() if r.adjusts_end else "",
            ]
            for r in billable_rows(period=period)
        ],
    )
