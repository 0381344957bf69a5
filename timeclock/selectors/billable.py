"""Billable hours of a pay period as they stand now: worked phone seconds per outsourced
client queue and local day (the close freezes them; a closed period's export reads those)."""

from collections import defaultdict
from datetime import date, datetime

from scheduling.models import Roster, Shift
from timeclock.models import PayPeriod
from timeclock.selectors.periods import period_people
from timeclock.selectors.timesheets import employee_timesheets

BillableKey = tuple[str, str, date]  # client, queue, the shift's local day


def billable_seconds(*, period: PayPeriod, now: datetime | None = None) -> dict[BillableKey, int]:
    """Worked seconds per (client, queue, day) of the shifts of the site's rosters on an
    outsourced client's queue, as of `now`: everyone the period pays (someone who moved to
    another site since too), and only the people who worked such a shift are timed."""
    people = list(period_people(period=period))
    shifts = {
        str(s.origin or s.pk): s
        for s in Shift.objects.filter(
            employee__in=people,
            roster__site=period.site,
            state=Roster.Status.PUBLISHED,
            local_date__gte=period.start_date,
            local_date__lte=period.end_date,
            queue__client_name__gt="",
            activity="phone",
        ).select_related("queue")
    }
    working = {s.employee_id for s in shifts.values()}
    sheets = employee_timesheets(
        employees=[p for p in people if p.pk in working],
        site=period.site,
        first=period.start_date,
        last=period.end_date,
        now=now,
        site_rosters_only=True,
    )
    totals: dict[BillableKey, int] = defaultdict(int)
    for sheet in sheets.values():
        for row in sheet.shifts:
            shift = shifts.get(row.shift.id)
            if shift is not None and shift.queue is not None:
                totals[(shift.queue.client_name, shift.queue.name, shift.local_date)] += (
                    row.worked_seconds
                )
    return dict(totals)
