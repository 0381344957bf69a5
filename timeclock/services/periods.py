"""Pay periods: open -> closed, once; frozen lines; adjustments for closed periods; exports.

Closing computes every employee's lines for the period from the current punches and shifts,
adds ADJUSTMENT lines for whatever changed since earlier periods of the site were closed
(late punches, corrections: R1.4, R2.7), and freezes them. A closed period's lines and its
export never change; a second close (a retried task, a second beat) has no effect (R3.8).
"""

import csv
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import DomainError, InvalidInput
from organisation.models import Employee, Site
from organisation.selectors.organisation import scope_employees
from organisation.sentences import Sentence, english
from organisation.services.organisation import save_validated
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy, PayrollExport, PeriodAction
from timeclock.pay import PAY_SENTENCES, PayCode, PayLine, rounding_effect_seconds
from timeclock.periods import next_period
from timeclock.timesheets import employee_timesheets, employees_pay_lines, pay_policies

PAY_LAG_DAYS = 5  # pay date after the period's end
ADJUSTABLE_PERIODS = 6  # how many closed periods back a late change is looked for
BLOCKING = ("missing_in", "missing_out")
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


class PeriodNotOpen(DomainError):
    code = "period_not_open"
    http_status = 409
    default_message = "The pay period is already closed."


class PeriodNotClosed(DomainError):
    code = "period_not_closed"
    http_status = 409
    default_message = "Only a closed pay period can be exported."


class PeriodHasExceptions(DomainError):
    code = "period_has_exceptions"
    http_status = 409
    default_message = "Resolve the missing punches first, or close with force and a reason."


class AdjustmentsNeedApproval(DomainError):
    code = "adjustments_need_approval"
    http_status = 409
    default_message = (
        "Earlier closed periods changed since they were closed; review the adjustments and "
        "close with approve_adjustments."
    )


class PeriodOverlaps(DomainError):
    code = "pay_period_overlaps"
    http_status = 409
    default_message = "The site already has a pay period covering some of these days."


def employees_of(site: Site, first: date, last: date) -> list[Employee]:
    return list(scope_employees(site=site, team=None, first_day=first, last_day=last))


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
    from timeclock.models import PayPolicy

    policy = PayPolicy.objects.filter(site=site, team__isnull=True).first()
    latest = PayPeriod.objects.filter(site=site).order_by("-end_date").first()
    start, end = next_period(
        policy.pay_frequency if policy else "weekly",
        after=latest.end_date if latest else None,
        anchor=anchor,
    )
    return period_create(site=site, start_date=start, end_date=end)


@transaction.atomic
def pay_policy_save(*, policy: PayPolicy, fields: dict[str, Any]) -> PayPolicy:
    """Create or change a pay policy; bad values (negative amounts, an empty night window,
    tiers that are not [minutes, amount] pairs) answer 400 with the field, nothing saved."""
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.team is not None and policy.team.site_id != policy.site_id:
        raise InvalidInput("The team is at another site.", extra={"fields": ["team"]})
    tiers = policy.lateness_tiers
    if not isinstance(tiers, list) or not all(
        isinstance(t, list) and len(t) == 2 and isinstance(t[0], int) and t[0] >= 0 for t in tiers
    ):
        raise InvalidInput(
            "Lateness tiers are [[from minutes, amount], ...].",
            extra={"fields": ["lateness_tiers"]},
        )
    save_validated(policy)
    return policy


@dataclass(frozen=True)
class PeriodException:
    employee: Employee
    shift_id: str
    work_date: date
    exceptions: tuple[str, ...]


def period_exceptions(*, period: PayPeriod) -> list[PeriodException]:
    """What payroll should look at before closing (missing punches block the close)."""
    people = employees_of(period.site, period.start_date, period.end_date)
    sheets = employee_timesheets(
        employees=people, site=period.site, first=period.start_date, last=period.end_date
    )
    found = []
    for person in people:
        for row in sheets[str(person.pk)].shifts:
            interesting = tuple(e for e in row.exceptions if e != "excused")
            if interesting:
                found.append(
                    PeriodException(
                        person,
                        row.shift.id,
                        timezone.localtime(row.shift.start, _zone(period.site)).date(),
                        interesting,
                    )
                )
    return found


def _zone(site: Site) -> ZoneInfo:
    return ZoneInfo(site.timezone)


ROUNDING_ALERT_PERIODS = 3


@dataclass(frozen=True)
class RoundingRow:
    employee: Employee
    net_seconds: list[int]  # per period, oldest first, ending with the period asked about
    alert: bool  # in the employer's favour in each of the last three periods


def rounding_report(*, period: PayPeriod) -> list[RoundingRow]:
    """Per employee, the net effect of rounding in this period and the ones before it; an
    alert when it favoured the employer three periods running (R1.8)."""
    periods = list(
        PayPeriod.objects.filter(site=period.site, end_date__lte=period.end_date).order_by(
            "-end_date"
        )[:ROUNDING_ALERT_PERIODS]
    )[::-1]
    people = employees_of(period.site, periods[0].start_date, period.end_date)
    nets: dict[str, list[int]] = {str(p.pk): [] for p in people}
    for p in periods:
        sheets = employee_timesheets(
            employees=people, site=period.site, first=p.start_date, last=p.end_date
        )
        policies = pay_policies(employees=people, first=p.start_date, last=p.end_date)
        for person in people:
            key = str(person.pk)
            nets[key].append(rounding_effect_seconds(timesheet=sheets[key], policy=policies[key]))
    return [
        RoundingRow(
            person,
            nets[str(person.pk)],
            len(nets[str(person.pk)]) == ROUNDING_ALERT_PERIODS
            and all(n < 0 for n in nets[str(person.pk)]),
        )
        for person in people
    ]


def period_lines(*, period: PayPeriod, only: set[str] | None = None) -> dict[str, list[PayLine]]:
    """Every employee's lines for the period (or those in `only`), from what is stored now."""
    people = employees_of(period.site, period.start_date, period.end_date)
    if only is not None:
        people = [p for p in people if str(p.pk) in only]
    sheets = employee_timesheets(
        employees=people, site=period.site, first=period.start_date, last=period.end_date
    )
    return employees_pay_lines(
        timesheets=sheets, employees=people, first=period.start_date, last=period.end_date
    )


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
    blocking = [e for e in period_exceptions(period=period) if set(e.exceptions) & set(BLOCKING)]
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
    PeriodAction.objects.create(period=period, action="close")
    records = [
        _record(period, employee_id, line)
        for employee_id, lines in period_lines(period=period).items()
        for line in lines
    ]
    adjustments = _adjustments(period)
    if adjustments and not approve_adjustments:
        raise AdjustmentsNeedApproval(extra={"adjustments": adjustments_brief(adjustments)})
    records += adjustments
    PayLineRecord.objects.bulk_create(records)
    period.status = PayPeriod.Status.CLOSED
    period.closed_at = now
    period.closed_by = user  # type: ignore[assignment]
    period.export_sha256 = hashlib.sha256(payroll_csv(period=period)).hexdigest()
    period.save(update_fields=["status", "closed_at", "closed_by", "export_sha256"])
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
        },
    )
    return period


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
    return adjustments_brief(_adjustments(period))


def _record(period: PayPeriod, employee_id: str, line: PayLine, **extra: Any) -> PayLineRecord:
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
        **extra,
    )


def _changed_since_close(old: PayPeriod) -> set[str]:
    """Employees whose punches, corrections, published shifts or approved time off for the
    period arrived after it closed: only their pay is worked out again (a rate raised since
    is not back-paid through the others)."""
    from organisation.local_grid import local_day_bounds
    from scheduling.models import AvailabilityBlock, Shift
    from timeclock.models import Punch, PunchCorrection

    closed = old.closed_at
    if closed is None:
        return set()
    start, end = local_day_bounds(
        first_day=old.start_date, last_day=old.end_date, timezone=old.site.timezone
    )
    start, end = start - timedelta(hours=4), end + timedelta(hours=4)
    site = Q(employee__team__site=old.site)
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
    ]
    for query in queries:
        ids.update(str(e) for e in query.values_list("employee_id", flat=True).distinct())
    return ids


def _adjustments(period: PayPeriod) -> list[PayLineRecord]:
    """For each earlier closed period of the site: its lines as they would be now, less what
    was frozen for it (its own lines and the adjustments made since), per employee and code."""
    earlier = PayPeriod.objects.filter(
        site=period.site, status=PayPeriod.Status.CLOSED, end_date__lt=period.start_date
    ).order_by("-end_date")[:ADJUSTABLE_PERIODS]
    records: list[PayLineRecord] = []
    for old in earlier:
        changed = _changed_since_close(old)
        if not changed:
            continue
        paid: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        frozen = PayLineRecord.objects.filter(
            Q(period=old, adjusts__isnull=True) | Q(adjusts=old), employee_id__in=changed
        ).values_list("employee_id", "pay_code", "adjusted_code", "hours", "amount")
        for employee_id, code, adjusted_code, hours, amount in frozen:
            entry = paid[(str(employee_id), adjusted_code or code)]
            entry[0] += hours
            entry[1] += amount
        due: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for employee_id, lines in period_lines(period=old, only=changed).items():
            for line in lines:
                entry = due[(employee_id, str(line.pay_code))]
                entry[0] += line.hours
                entry[1] += line.amount
        for employee_id, code in sorted(set(due) | set(paid)):
            hours = due[(employee_id, code)][0] - paid[(employee_id, code)][0]
            amount = due[(employee_id, code)][1] - paid[(employee_id, code)][1]
            if hours or amount:
                why = Sentence.of(
                    "adjustment",
                    pay_code=code,
                    first=old.start_date,
                    last=old.end_date,
                    change_hours=hours,
                    change_amount=amount,
                )
                records.append(
                    PayLineRecord(
                        period=period,
                        employee_id=employee_id,
                        pay_code=PayCode.ADJUSTMENT,
                        minutes=int(hours * 60),
                        hours=hours,
                        rate=Decimal(0),
                        amount=amount,
                        rule=english([why], PAY_SENTENCES)[:500],
                        reason=[why.as_json()],
                        adjusts=old,
                        adjusted_code=code,
                    )
                )
    return records


# --- Exports -------------------------------------------------------------------------------


def export_rows(*, period: PayPeriod) -> list[list[str]]:
    """One row per employee per pay code, hours and amounts summed, sorted."""
    grouped = (
        PayLineRecord.objects.filter(period=period)
        .values("employee_id", "pay_code")
        .annotate(hours=Sum("hours"), amount=Sum("amount"), rate=Max("rate"))
        .order_by()
    )
    people = {
        e.pk: (e.number, e.full_name)
        for e in Employee.objects.filter(pay_lines__period=period).distinct().select_related("user")
    }
    sums: dict[tuple[str, str, str], list[Decimal]] = {
        (*people[row["employee_id"]], row["pay_code"]): [row["hours"], row["amount"], row["rate"]]
        for row in grouped
    }
    currency = period.site.currency
    rows = []
    for (number, name, code), (hours, amount, rate) in sorted(
        sums.items(), key=lambda kv: (kv[0][0], CODE_ORDER.index(kv[0][2]))
    ):
        rows.append(
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
        )
    return rows


def payroll_csv(*, period: PayPeriod) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(period=period))
    return out.getvalue().encode()


def payroll_xlsx(*, period: PayPeriod) -> bytes:
    """The same columns as the CSV, in a workbook whose bytes depend only on its content."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Payroll"
    sheet.append(EXPORT_COLUMNS)
    for row in export_rows(period=period):
        sheet.append([*row[:5], Decimal(row[5]), Decimal(row[6]), Decimal(row[7]), row[8]])
    stamp = datetime.combine(period.end_date, datetime.min.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue(), stamp)


_STAMPED = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)([^<]*)(</dcterms:)")


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with a fixed timestamp on every entry (openpyxl stamps the time of
    writing), so that re-exporting gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save
                content = _STAMPED.sub(
                    lambda m: m.group(1) + stamp.strftime("%Y-%m-%dT%H:%M:%SZ") + m.group(3),
                    content.decode(),
                ).encode()
            target.writestr(fixed, content)
    return out.getvalue()


def billable_hours_csv(*, period: PayPeriod) -> bytes:
    """Worked phone hours per outsourced client queue and day, for invoicing the client."""
    from scheduling.models import Shift

    people = employees_of(period.site, period.start_date, period.end_date)
    sheets = employee_timesheets(
        employees=people, site=period.site, first=period.start_date, last=period.end_date
    )
    shifts = {
        str(s.origin or s.pk): s
        for s in Shift.objects.filter(
            employee__in=people,
            state="published",
            local_date__gte=period.start_date,
            local_date__lte=period.end_date,
            queue__client_name__gt="",
            activity="phone",
        ).select_related("queue")
    }
    totals: dict[tuple[str, str, date], int] = defaultdict(int)
    for sheet in sheets.values():
        for row in sheet.shifts:
            shift = shifts.get(row.shift.id)
            if shift is not None and shift.queue is not None:
                totals[(shift.queue.client_name, shift.queue.name, shift.local_date)] += (
                    row.worked_seconds
                )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["client", "queue", "date", "hours"])
    for (client, queue, day), seconds in sorted(totals.items()):
        writer.writerow([client, queue, day.isoformat(), f"{Decimal(seconds) / 3600:.2f}"])
    return out.getvalue().encode()


def next_period_dates(period: PayPeriod) -> tuple[date, date]:
    length = (period.end_date - period.start_date).days + 1
    start = period.end_date + timedelta(days=1)
    return start, start + timedelta(days=length - 1)


RECORD_COLUMNS = [
    "employee_number",
    "employee_name",
    "workweek_start",
    *[f"hours_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
    "hours_workweek",
    "straight_time_pay",
    "overtime_premium",
    "additions",
    "deductions",
    "adjustments",
    "period_start",
    "period_end",
    "pay_date",
    "currency",
]


def records_csv(*, period: PayPeriod) -> bytes:
    """One row per employee and workweek with what 29 CFR 516.2 asks to keep: hours per
    workday and workweek, straight-time pay, overtime premium, additions and deductions, the
    period and the pay date (R1.6). From the frozen lines, so it never changes either."""
    weeks: dict[tuple[str, str, date], dict[str, Any]] = {}
    base_rate: dict[str, Decimal] = {}
    lines = PayLineRecord.objects.filter(period=period).select_related("employee__user")
    for line in lines:
        if line.pay_code == PayCode.REGULAR:
            base_rate[line.employee.number] = line.rate
    for line in lines:
        day = line.work_date or period.start_date
        week = day - timedelta(days=day.weekday())
        key = (line.employee.number, line.employee.full_name, week)
        row = weeks.setdefault(
            key,
            {
                "days": [Decimal(0)] * 7,
                "straight": Decimal(0),
                "premium": Decimal(0),
                "additions": Decimal(0),
                "deductions": Decimal(0),
                "adjustments": Decimal(0),
            },
        )
        code = line.pay_code
        if code in (PayCode.REGULAR, PayCode.OVERTIME):
            row["days"][day.weekday()] += line.hours
        if code == PayCode.REGULAR:
            row["straight"] += line.amount
        elif code == PayCode.OVERTIME:
            straight = _money(line.hours * base_rate.get(line.employee.number, line.rate))
            row["straight"] += straight
            row["premium"] += line.amount - straight
        elif code.endswith("_PREMIUM"):
            row["additions"] += line.amount
        elif code.endswith("_PENALTY"):
            row["deductions"] += line.amount
        else:
            row["adjustments"] += line.amount
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    pay_date = period.pay_date or period.end_date
    for (number, name, week), row in sorted(weeks.items()):
        writer.writerow(
            [
                number,
                name,
                week.isoformat(),
                *(f"{h:.2f}" for h in row["days"]),
                f"{sum(row['days']):.2f}",
                f"{row['straight']:.2f}",
                f"{row['premium']:.2f}",
                f"{row['additions']:.2f}",
                f"{row['deductions']:.2f}",
                f"{row['adjustments']:.2f}",
                period.start_date.isoformat(),
                period.end_date.isoformat(),
                pay_date.isoformat(),
                period.site.currency,
            ]
        )
    return out.getvalue().encode()


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


EXPORTERS = {
    "csv": payroll_csv,
    "xlsx": payroll_xlsx,
    "billable": billable_hours_csv,
    "records": records_csv,
}


def payroll_export(*, period: PayPeriod, format: str) -> PayrollExport:
    """Write (once) and return the export of a closed period in a format."""
    period = PayPeriod.objects.get(pk=period.pk)
    if period.status != PayPeriod.Status.CLOSED:
        raise PeriodNotClosed()
    existing = PayrollExport.objects.filter(period=period, format=format).first()
    if existing is not None:
        return existing
    content = EXPORTERS[format](period=period)
    try:
        with transaction.atomic():
            return PayrollExport.objects.create(
                period=period,
                format=format,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    except IntegrityError:  # a concurrent job wrote the same bytes first
        return PayrollExport.objects.get(period=period, format=format)
