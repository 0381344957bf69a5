"""Billable hours: worked phone hours per outsourced client queue and day, for invoicing the
client. A closed period prints what its close froze (BillableHours): a punch corrected or
received since changes no invoice; an open period (a preview), what is stored now."""

from decimal import Decimal

from timeclock.exports.stable import csv_bytes
from timeclock.models import BillableHours, PayPeriod
from timeclock.selectors.billable import billable_seconds

BILLABLE_COLUMNS = ["client", "queue", "date", "hours"]


def billable_hours_csv(*, period: PayPeriod) -> bytes:
    """Worked phone hours per outsourced client queue and day, for invoicing the client."""
    if period.status == PayPeriod.Status.CLOSED and period.billable_frozen:
        totals = {
            (row.client_name, row.queue_name, row.work_date): row.seconds
            for row in BillableHours.objects.filter(period=period)
        }
    else:  # open; or closed before the close froze billable hours (migration 0014)
        totals = billable_seconds(period=period)
    rows = [
        [client, queue, day.isoformat(), f"{Decimal(seconds) / 3600:.2f}"]
        for (client, queue, day), seconds in sorted(totals.items())
    ]
    return csv_bytes(BILLABLE_COLUMNS, rows)
