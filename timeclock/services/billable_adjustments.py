"""Prior-period billable adjustments: when an earlier closed period's billable hours (worked
phone seconds per outsourced client queue and day) come out differently now than its close
froze them (a punch corrected or received since, a shift published since), the close of a
later period carries the difference, positive or negative, as adjustment rows of its own
billable hours, naming the period and day they adjust. Each difference is billed once: the
rows carried by closed periods count as billed, so a later change carries only what changed
since (the same rule as the pay side's ADJUSTMENT lines, services/adjustments.py)."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Q

from organisation.models import Queue
from timeclock.models import BillableHours, PayPeriod
from timeclock.selectors.billable import QueueDay, billable_by_queue, billable_hours_text
from timeclock.services.adjustments import ADJUSTABLE_PERIODS, changed_since_close


def billable_adjustments_compute(
    *, period: PayPeriod, now: datetime | None = None
) -> list[BillableHours]:
    """For each earlier closed period of the site (as far back as pay adjustments look):
    its billable seconds per client queue and day as they would be `now`, less what its
    close froze and the adjustments carried for it since; unsaved rows of `period`, sorted
    by the period adjusted, client, queue and day. Periods closed before billable hours were
    frozen (0014) have nothing to compare with and are skipped."""
    earlier = PayPeriod.objects.filter(
        site=period.site,
        status=PayPeriod.Status.CLOSED,
        end_date__lt=period.start_date,
        billable_frozen=True,
    ).order_by("-end_date")[:ADJUSTABLE_PERIODS]
    rows: list[BillableHours] = []
    for old in sorted(earlier, key=lambda p: p.start_date):
        if changed_since_close(old):
            rows += _adjustments_of(period, old, now)
    return rows


def _adjustments_of(period: PayPeriod, old: PayPeriod, now: datetime | None) -> list[BillableHours]:
    billed: dict[QueueDay, int] = defaultdict(int)
    names: dict[str, tuple[str, str]] = {}
    frozen = BillableHours.objects.filter(
        Q(period=old, adjusts__isnull=True) | Q(adjusts=old), queue__isnull=False
    ).order_by("adjusts_id", "id")  # the close's own rows first: their names win
    for row in frozen:
        queue_id = str(row.queue_id)
        billed[(queue_id, row.work_date)] += row.seconds
        names.setdefault(queue_id, (row.client_name, row.queue_name))
    # The client queues at the close (before 0015: those it froze hours of).
    scope = old.billable_queues
    if scope is None:
        scope = sorted({queue_id for queue_id, _ in billed})
    due, queues = billable_by_queue(period=old, now=now, queue_ids=scope)
    rows = []
    for queue_id, day in set(due) | set(billed):
        change = due.get((queue_id, day), 0) - billed.get((queue_id, day), 0)
        if not change:
            continue
        client, queue_name = names.get(queue_id) or _today(queues.get(queue_id), queue_id)
        rows.append(
            BillableHours(
                period=period,
                adjusts=old,
                queue_id=queue_id,
                client_name=client,
                queue_name=queue_name,
                work_date=day,
                seconds=change,
            )
        )
    return sorted(rows, key=lambda r: (r.client_name, r.queue_name, r.work_date))


def _today(queue: Queue | None, queue_id: str) -> tuple[str, str]:
    """The names of a queue the period froze no hours of: as they are now."""
    if queue is None:
        queue = Queue.objects.get(pk=queue_id)
    return queue.client_name, queue.name


def billable_adjustments_brief(rows: list[BillableHours]) -> list[dict[str, Any]]:
    """The rows as the close's refusal and the API show them."""
    return [
        {
            "client": r.client_name,
            "queue": r.queue_name,
            "date": r.work_date.isoformat(),
            "hours": billable_hours_text(r.seconds),
            "period": str(r.adjusts_id),
            "period_start": r.adjusts.start_date.isoformat(),
            "period_end": r.adjusts.end_date.isoformat(),
        }
        for r in rows
    ]
