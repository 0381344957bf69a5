"""Pay periods: open -> closed, once; frozen lines; adjustments for closed periods.

Closing computes every employee's lines for the period from the current punches and shifts,
adds ADJUSTMENT lines for whatever changed since earlier periods of the site were closed
(late punches, corrections: R1.4, R2.7), and freezes them, with the billable hours per client
queue and day and the prior-period billable adjustments of the same changes. A closed
period's lines, billable hours and exports never change; a second close (a retried task, a
second beat) has no effect (R3.8). Closes of one site's periods run one at a time, so that
two closes at once never both book the same change of an earlier period.
"""

import hashlib
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import DomainError
from organisation.models import Employee, Queue, Site
from timeclock.errors import (
    AdjustmentsNeedApproval,
    PeriodHasExceptions,
    PeriodNotEnded,
    PeriodOverlaps,
)
from timeclock.exports.csv import payroll_csv
from timeclock.models import BillableHours, PayLineRecord, PayPeriod, PeriodAction
from timeclock.pay import PayLine
from timeclock.periods import next_period
from timeclock.selectors.across_sites import MOVED_SITE
from timeclock.selectors.billable import billable_by_queue
from timeclock.selectors.pay import paid_here
from timeclock.selectors.pay_policies import pay_policy_rows_in_effect
from timeclock.selectors.periods import period_ends_at, period_exceptions, period_lines
from timeclock.services.adjustments import adjustments_brief, adjustments_compute
from timeclock.services.billable_adjustments import (
    billable_adjustments_brief,
    billable_adjustments_compute,
)

PAY_LAG_DAYS = 5  # pay date after the period's end
BLOCKING = ("missing_in", "missing_out", MOVED_SITE)
# PostgreSQL advisory lock class ('WFMP') of a site's period closes; the key is the site.
CLOSE_LOCK_CLASS = 0x57464D50


@transaction.atomic
def period_create(*, site: Site, start_date: date, end_date: date) -> PayPeriod:
    if end_date < start_date:
        raise DomainError("The period ends before it starts.")
    list(PayPeriod.objects.select_for_update().filter(site=site))  # serialise creations
    if PayPeriod.objects.filter(site=site, start_date__lte=end_date, end_date__gte=start_date):
        raise PeriodOverlaps()
    return PayPeriod.objects.create(
        site=site,
        start_date=start_date,
        end_date=end_date,
        pay_date=end_date + timedelta(days=PAY_LAG_DAYS),
    )


def period_next(*, site: Site, anchor: date) -> PayPeriod:
    """The site's next pay period by its policy's frequency (weekly by default), after the
    latest one; the first starts on `anchor`."""
    latest = PayPeriod.objects.filter(site=site).order_by("-end_date").first()
    found = pay_policy_rows_in_effect(
        site_ids=[site.pk],
        team_ids=[],
        on=latest.end_date + timedelta(days=1) if latest else anchor,
    )
    policy = found.get((site.pk, None))
    start, end = next_period(
        policy.pay_frequency if policy else "weekly",
        after=latest.end_date if latest else None,
        anchor=anchor,
    )
    return period_create(site=site, start_date=start, end_date=end)


def period_close(
    *,
    period: PayPeriod,
    user: AbstractBaseUser | None,
    force_reason: str = "",
    approve_adjustments: bool = False,
    now: datetime | None = None,
) -> PayPeriod:
    """Freeze the period's lines (and adjustments for earlier closed periods, which the
    closer must approve: R2.7). Closing a closed period again returns it unchanged."""
    try:
        return _close(
            period=period,
            user=user,
            force_reason=force_reason,
            approve_adjustments=approve_adjustments,
            now=now or timezone.now(),
        )
    except IntegrityError:  # the (period, close) row exists: someone closed it meanwhile
        return PayPeriod.objects.get(pk=period.pk)


@transaction.atomic
def _close(
    *,
    period: PayPeriod,
    user: AbstractBaseUser | None,
    force_reason: str,
    approve_adjustments: bool,
    now: datetime,
) -> PayPeriod:
    period = PayPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status == PayPeriod.Status.CLOSED:
        return period
    _serialise_site_closes(period)
    _refuse_early_close(period, force_reason, now)
    _refuse_blocking_exceptions(period, force_reason, now)
    PeriodAction.objects.create(period=period, action="close")
    records = [
        pay_line_record_build(period=period, employee_id=employee_id, line=line)
        for employee_id, lines in period_lines(period=period, now=now).items()
        for line in lines
    ]
    adjustments = adjustments_compute(period=period, now=now)
    billable_adjustments = billable_adjustments_compute(period=period, now=now)
    if (adjustments or billable_adjustments) and not approve_adjustments:
        raise AdjustmentsNeedApproval(
            extra={
                "adjustments": adjustments_brief(adjustments),
                "billable_adjustments": billable_adjustments_brief(billable_adjustments),
            }
        )
    records += adjustments
    _freeze_people(period, records)
    PayLineRecord.objects.bulk_create(records)
    billable = billable_records_build(period=period, now=now)
    BillableHours.objects.bulk_create(billable + billable_adjustments)
    period.billable_queues = _client_queues(period, billable)
    period.status = PayPeriod.Status.CLOSED
    period.closed_at = now
    period.closed_by = user  # type: ignore[assignment]
    period.currency = period.site.currency
    period.billable_frozen = True
    period.export_sha256 = hashlib.sha256(payroll_csv(period=period)).hexdigest()
    period.save(
        update_fields=[
            "status",
            "closed_at",
            "closed_by",
            "currency",
            "billable_frozen",
            "billable_queues",
            "export_sha256",
        ]
    )
    audit_record(
        action="pay_period_closed",
        actor=user,
        object_type="pay_period",
        object_id=str(period.pk),
        data={
            "lines": len(records),
            "export_sha256": period.export_sha256,
            "forced": force_reason,
            "adjustments_approved": adjustments_brief(adjustments),
            "billable_adjustments_approved": billable_adjustments_brief(billable_adjustments),
        },
    )
    return period


def period_close_check(
    *, period: PayPeriod, force_reason: str = "", now: datetime | None = None
) -> None:
    """What closing would refuse, before anyone confirms it (a period not ended, missing
    punches, each unless forced with a reason); writes nothing."""
    now = now or timezone.now()
    _refuse_early_close(period, force_reason, now)
    _refuse_blocking_exceptions(period, force_reason, now)


def _serialise_site_closes(period: PayPeriod) -> None:
    """Wait for any other close of the site's periods to commit (PostgreSQL: a transaction
    advisory lock per site, taken after the period's own row): the adjustments worked out
    next then read what that close booked for the earlier periods, so a change is booked
    once, by one of them. Only closes take it, each holding no other lock of the site's
    periods but its own (a closed period is not closed again): no cycle. SQLite runs one
    writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                [CLOSE_LOCK_CLASS, str(period.site_id)],
            )


def _refuse_early_close(period: PayPeriod, force_reason: str, now: datetime) -> None:
    """A period closes once its last day is over and every shift starting in it has ended;
    earlier only when forced with a reason (its later punches become adjustments)."""
    ends_at = period_ends_at(period=period)
    if now < ends_at and not force_reason.strip():
        local = ends_at.astimezone(ZoneInfo(period.site.timezone))
        raise PeriodNotEnded(extra={"ends_at": local.isoformat()})


def _freeze_people(period: PayPeriod, records: list[PayLineRecord]) -> None:
    """The employees' numbers and names as they are at the close, and the team each is paid
    in (as paid_here pays them: someone moved to another site, the team whose roster they
    were on here, or none), on each line: what every export and the review of the period
    show, whatever happens to the employees later."""
    ids = {str(r.employee_id) for r in records}
    found = Employee.objects.filter(pk__in=ids).select_related("user", "team")
    frozen = {
        str(e.pk): (e.number, e.full_name, None if e.team._state.adding else e.team.pk)
        for e in paid_here(found, period=period)  # a stand-in team is unsaved: none
    }
    for record in records:
        record.employee_number, record.employee_name, record.team_id = frozen[
            str(record.employee_id)
        ]


def _refuse_blocking_exceptions(period: PayPeriod, force_reason: str, now: datetime) -> None:
    """Missing punches and people paid across sites (the rate, weekly overtime) block the
    close unless it is forced with a reason."""
    found = period_exceptions(period=period, now=now)
    blocking = [e for e in found if set(e.exceptions) & set(BLOCKING)]
    if blocking and not force_reason.strip():
        raise PeriodHasExceptions(
            extra={
                "exceptions": [
                    {
                        "employee": e.employee.number,
                        "work_date": str(e.work_date),
                        "exceptions": list(e.exceptions),
                    }
                    for e in blocking[:50]
                ],
                "count": len(blocking),
            }
        )


def billable_records_build(*, period: PayPeriod, now: datetime) -> list[BillableHours]:
    """The unsaved frozen rows of the period's billable hours (client queue and day) as of
    `now`, with the queue and its names of now: what its billable export prints once it is
    closed."""
    seconds, queues = billable_by_queue(period=period, now=now)
    return [
        BillableHours(
            period=period,
            queue=queues[queue_id],
            client_name=queues[queue_id].client_name,
            queue_name=queues[queue_id].name,
            work_date=day,
            seconds=worked,
        )
        for (queue_id, day), worked in seconds.items()
    ]


def _client_queues(period: PayPeriod, billable: list[BillableHours]) -> list[str]:
    """The site's outsourced client queues at the close, and any other queue it froze hours
    of: the queues later billable adjustments of the period look at (a queue made a client's
    after the close bills nothing of this period)."""
    clients = Queue.objects.filter(site=period.site).exclude(client_name="")
    ids = {str(pk) for pk in clients.values_list("pk", flat=True)}
    return sorted(ids | {str(row.queue_id) for row in billable})


def pay_line_record_build(*, period: PayPeriod, employee_id: Any, line: PayLine) -> PayLineRecord:
    """The unsaved frozen row of one pay line of an employee in a period."""
    return PayLineRecord(
        period=period,
        employee_id=employee_id,
        pay_code=str(line.pay_code),
        minutes=line.minutes,
        hours=line.hours,
        rate=line.rate,
        amount=line.amount,
        rule=line.rule[:500],
        reason=[sentence.as_json() for sentence in line.reason],
        work_date=line.work_date,
        shift_id=line.shift_id or "",
    )
