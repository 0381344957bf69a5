"""Billable hours of a pay period as they stand now: worked phone seconds per outsourced
client queue and local day (the close freezes them; a closed period's export reads those,
and later closes compare them with these to carry prior-period adjustments)."""

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q

from organisation.models import Queue
from scheduling.models import Roster, Shift
from timeclock.models import PayPeriod
from timeclock.selectors.periods import period_people
from timeclock.selectors.timesheets import employee_timesheets

BillableKey = tuple[str, str, date]  # client, queue, the shift's local day
QueueDay = tuple[str, date]  # queue id, the shift's local day


def billable_hours_text(seconds: int) -> str:
    """Seconds as the billable files and pages print hours: to two places, negative for a
    credit."""
    return f"{Decimal(seconds) / 3600:.2f}"


def billable_seconds(*, period: PayPeriod, now: datetime | None = None) -> dict[BillableKey, int]:
    """Worked seconds per (client, queue, day) of the shifts of the site's rosters on an
    outsourced client's queue, as of `now`: everyone the period pays (someone who moved to
    another site since too), and only the people who worked such a shift are timed."""
    seconds, queues = billable_by_queue(period=period, now=now)
    totals: dict[BillableKey, int] = defaultdict(int)
    for (queue_id, day), worked in seconds.items():
        queue = queues[queue_id]
        totals[(queue.client_name, queue.name, day)] += worked
    return dict(totals)


def billable_by_queue(
    *,
    period: PayPeriod,
    now: datetime | None = None,
    queue_ids: Collection[str] | None = None,
) -> tuple[dict[QueueDay, int], dict[str, Queue]]:
    """Worked seconds per (queue id, day) as billable_seconds counts them, and each queue
    counted (as it is now). Only the queues `queue_ids` when given (a closed period's client
    queues at its close, whatever they are now), else the queues of a client now."""
    which = Q(queue__client_name__gt="") if queue_ids is None else Q(queue_id__in=queue_ids)
    people = list(period_people(period=period))
    shifts = {
        str(s.origin or s.pk): s
        for s in Shift.objects.filter(
            which,
            employee__in=people,
            roster__site=period.site,
            state=Roster.Status.PUBLISHED,
            local_date__gte=period.start_date,
            local_date__lte=period.end_date,
            activity="phone",
        ).select_related("queue")
    }
    working = {s.employee_id for s in shifts.values()}
    if not working:
        return {}, {}
    sheets = employee_timesheets(
        employees=[p for p in people if p.pk in working],
        site=period.site,
        first=period.start_date,
        last=period.end_date,
        now=now,
        site_rosters_only=True,
    )
    seconds: dict[QueueDay, int] = defaultdict(int)
    queues: dict[str, Queue] = {}
    for sheet in sheets.values():
        for row in sheet.shifts:
            shift = shifts.get(row.shift.id)
            if shift is not None and shift.queue is not None:
                queues[str(shift.queue_id)] = shift.queue
                seconds[(str(shift.queue_id), shift.local_date)] += row.worked_seconds
    return dict(seconds), queues
