"""Billable hours: worked phone hours per outsourced client queue and day, for invoicing the
client."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from scheduling.models import Shift
from timeclock.exports.stable import csv_bytes
from timeclock.models import PayPeriod
from timeclock.selectors.periods import period_people
from timeclock.selectors.timesheets import employee_timesheets


def billable_hours_csv(*, period: PayPeriod) -> bytes:
    """Worked phone hours per outsourced client queue and day, for invoicing the client."""
    # Everyone the period pays (someone who moved to another site since too), the site's
    # rosters' shifts only.
    people = list(period_people(period=period))
    shifts = {
        str(s.origin or s.pk): s
        for s in Shift.objects.filter(
            employee__in=people,
            roster__site=period.site,
            state="published",
            local_date__gte=period.start_date,
            local_date__lte=period.end_date,
            queue__client_name__gt="",
            activity="phone",
        ).select_related("queue")
    }
    # Only the people who worked a client's queue: their timesheets, nobody else's.
    working = {s.employee_id for s in shifts.values()}
    sheets = employee_timesheets(
        employees=[p for p in people if p.pk in working],
        site=period.site,
        first=period.start_date,
        last=period.end_date,
        site_rosters_only=True,
    )
    totals: dict[tuple[str, str, date], int] = defaultdict(int)
    for sheet in sheets.values():
        for row in sheet.shifts:
            shift = shifts.get(row.shift.id)
            if shift is not None and shift.queue is not None:
                totals[(shift.queue.client_name, shift.queue.name, shift.local_date)] += (
                    row.worked_seconds
                )
    rows = [
        [client, queue, day.isoformat(), f"{Decimal(seconds) / 3600:.2f}"]
        for (client, queue, day), seconds in sorted(totals.items())
    ]
    return csv_bytes(["client", "queue", "date", "hours"], rows)
