"""Adjustments: when an earlier closed period's pay would come out differently now (late
punches, corrections, shifts or time off recorded after its close), the difference is booked
as ADJUSTMENT lines in the period being closed, which the closer approves (R1.4, R2.7)."""

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from organisation.models import PayRate
from organisation.sentences import Sentence, english
from scheduling.models import AvailabilityBlock, Shift
from timeclock.models import PayLineRecord, PayPeriod, Punch, PunchCorrection
from timeclock.pay import PAY_SENTENCES, RATE, SHARED_BEFORE, SHARED_REASONS, PayCode, hours_of
from timeclock.selectors.periods import period_lines, period_people
from timeclock.selectors.timesheets import punch_reach

ADJUSTABLE_PERIODS = 6  # how many closed periods back a late change is looked for

Sums = dict[tuple[str, str], list[Decimal]]  # (employee id, pay code) -> [minutes, amount]


def adjustments_brief(records: list[PayLineRecord]) -> list[dict[str, Any]]:
    return [
        {
            "employee": str(r.employee_id),
            "pay_code": r.adjusted_code,
            "hours": str(r.hours),
            "amount": str(r.amount),
            "period": str(r.adjusts_id),
        }
        for r in records
    ]


def adjustments_preview(*, period: PayPeriod) -> list[dict[str, Any]]:
    """What closing this period would book for earlier closed periods, for approval."""
    return adjustments_brief(adjustments_compute(period=period))


def adjustments_pending(*, period: PayPeriod) -> list[PayLineRecord]:
    """What closing `period` would book now if it is open (its review and payslip previews
    show them); none once it is closed (booked, or not)."""
    if period.status != PayPeriod.Status.OPEN:
        return []
    return adjustments_compute(period=period)


def adjustments_compute(*, period: PayPeriod, now: datetime | None = None) -> list[PayLineRecord]:
    """For each earlier closed period of the site: its lines as they would be `now`, less what
    was frozen for it (its own lines and the adjustments made since), per employee and code;
    unsaved rows of `period`."""
    earlier = PayPeriod.objects.filter(
        site=period.site, status=PayPeriod.Status.CLOSED, end_date__lt=period.start_date
    ).order_by("-end_date")[:ADJUSTABLE_PERIODS]
    records: list[PayLineRecord] = []
    for old in earlier:
        changed = changed_since_close(old)
        if not changed:
            continue
        paid, shared = _frozen_sums(old, changed)
        due = _due_sums(old, changed, now, shared)
        for employee_id, code in sorted(set(due) | set(paid)):
            minutes = int(due[(employee_id, code)][0] - paid[(employee_id, code)][0])
            amount = due[(employee_id, code)][1] - paid[(employee_id, code)][1]
            if minutes or amount:
                records.append(_adjustment(period, old, employee_id, code, minutes, amount))
    return records


def _frozen_sums(old: PayPeriod, changed: set[str]) -> tuple[Sums, set[str]]:
    """What was paid for `old` per employee and code, and the premiums it froze under a code
    they then shared (SHARED_REASONS: the evening premium as NIGHT_PREMIUM, Saturday's and
    Sunday's as WEEKEND_PREMIUM), whose lines due now are compared under that code."""
    paid: Sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    shared: set[str] = set()
    frozen = PayLineRecord.objects.filter(
        Q(period=old, adjusts__isnull=True) | Q(adjusts=old), employee_id__in=changed
    ).values_list(
        "employee_id", "pay_code", "adjusted_code", "minutes", "hours", "amount", "reason"
    )
    for employee_id, code, adjusted_code, minutes, hours, amount, reason in frozen:
        entry = paid[(str(employee_id), adjusted_code or code)]
        entry[0] += minutes if hours else 0  # a fine's minutes are not hours paid
        entry[1] += amount
        first = reason[0].get("code") if reason and isinstance(reason[0], dict) else None
        if (code, first) in SHARED_REASONS:
            shared.add(SHARED_REASONS[(code, first)])
    return paid, shared


def _due_sums(old: PayPeriod, changed: set[str], now: datetime | None, shared: set[str]) -> Sums:
    """What is due for `old` now per employee and code; a premium the period froze under a
    shared code is summed under that code (its adjustment goes under it, as its lines)."""
    due: Sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for employee_id, lines in period_lines(period=old, only=changed, now=now).items():
        for line in lines:
            code = str(line.pay_code)
            if code in shared:
                code = str(SHARED_BEFORE[PayCode(code)])
            entry = due[(employee_id, code)]
            entry[0] += line.minutes if line.hours else 0
            entry[1] += line.amount
    return due


def _adjustment(
    period: PayPeriod, old: PayPeriod, employee_id: str, code: str, minutes: int, amount: Decimal
) -> PayLineRecord:
    """The change of `code`'s pay for `old`: its minutes exactly (those due less those
    frozen), its hours from them rounded once, its amount, its rate the amount over the
    exact hours."""
    hours = hours_of(minutes)
    # The same hours paid differently (a back-dated raise): no hours to give a rate, so the
    # line says so rather than showing a change of 0 h.
    repriced = not minutes and amount
    why = Sentence.of(
        "adjustment_repriced" if repriced else "adjustment",
        pay_code=code,
        first=old.start_date,
        last=old.end_date,
        change_amount=amount,
        **({} if repriced else {"change_hours": hours}),
    )
    return PayLineRecord(
        period=period,
        employee_id=employee_id,
        pay_code=PayCode.ADJUSTMENT,
        minutes=minutes,
        hours=hours,
        rate=adjustment_rate(minutes=minutes, amount=amount),
        amount=amount,
        rule=english([why], PAY_SENTENCES)[:500],
        reason=[why.as_json()],
        adjusts=old,
        adjusted_code=code,
    )


def adjustment_rate(*, minutes: int, amount: Decimal) -> Decimal:
    """The adjustment's rate per hour: its amount over its exact hours (minutes / 60), to 4
    places, so that a payslip or export shows what the hours were paid at (449 min and
    134.70 give 18.0000, where the rounded 7.48 h gave 18.0080); 0 only for a change of
    amount alone (a re-priced period, a fine)."""
    if not minutes:
        return Decimal(0)
    return (amount * 60 / minutes).quantize(RATE, rounding=ROUND_HALF_UP)


def changed_since_close(old: PayPeriod) -> set[str]:
    """Employees whose punches, corrections, published shifts, approved time off or pay
    rates for the period arrived after it closed: only their pay is worked out again, each
    day at the rate in force on it (a rate from a later day is not back-paid)."""
    closed = old.closed_at
    if closed is None:
        return set()
    start, end = punch_reach(site=old.site, first=old.start_date, last=old.end_date)
    # Whoever the period paid, someone since moved to another site included.
    site = Q(employee__in=period_people(period=old).values("pk"))
    ids: set[str] = set()
    queries = [
        Punch.objects.filter(
            site, received_at__gt=closed, corrected_at__gte=start, corrected_at__lt=end
        ),
        PunchCorrection.objects.filter(site, created_at__gt=closed).filter(
            Q(occurred_at__gte=start, occurred_at__lt=end)
            | Q(punch__corrected_at__gte=start, punch__corrected_at__lt=end)
        ),
        Shift.objects.filter(
            site,
            roster__published_at__gt=closed,
            local_date__gte=old.start_date,
            local_date__lte=old.end_date,
        ),
        AvailabilityBlock.objects.filter(
            site,
            kind=AvailabilityBlock.Kind.TIME_OFF,
            created_at__gt=closed,
            start__lt=end,
            end__gt=start,
        ),
        # A rate recorded since, back-dated into the period (one from a later day is not
        # back-paid: each day is paid at the rate in force on it).
        PayRate.objects.filter(site, recorded_at__gt=closed, valid_from__lte=old.end_date),
    ]
    for query in queries:
        ids.update(str(e) for e in query.values_list("employee_id", flat=True).distinct())
    return ids
