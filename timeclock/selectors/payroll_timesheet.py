"""One employee's timesheet in one pay period, for payroll: day by day in the site's local
time the scheduled shifts, the punches (corrections marked), worked and paid minutes and the
exceptions still open, with the pay lines of the payslip (a closed period's frozen lines, an
open one's preview with the adjustments its close would book) and their totals. A fixed
number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from organisation.models import Employee
from organisation.selectors.organisation import employee_list_visible
from timeclock.attendance import ShiftAttendance
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.pay import PayCode
from timeclock.selectors.pay import paid_here, payslip_get
from timeclock.selectors.periods import period_people, period_timesheets
from timeclock.selectors.punches import punch_list_effective
from timeclock.selectors.timesheets import punch_reach

# The lines whose minutes are paid time (premiums, fines and adjustments are not more time).
PAID_TIME = {PayCode.REGULAR.value, PayCode.OVERTIME.value, PayCode.TRAINING.value}


@dataclass
class TimesheetShift:
    row: ShiftAttendance
    punches: list[dict[str, Any]]  # punch_list_effective's rows; "corrections" when changed
    exceptions: list[str]  # open ones (not "excused")

    @property
    def worked_minutes(self) -> int:
        return self.row.worked_seconds // 60


@dataclass
class TimesheetDay:
    day: date | None  # None: lines tied to no day (adjustments for earlier periods)
    shifts: list[TimesheetShift] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def worked_minutes(self) -> int:
        return sum(s.worked_minutes for s in self.shifts)

    @property
    def paid_minutes(self) -> int:
        return sum(line["minutes"] for line in self.lines if line["pay_code"] in PAID_TIME)


@dataclass(frozen=True)
class PayrollTimesheet:
    employee: Employee
    name: str  # as frozen at the close, for a closed period
    number: str
    days: list[TimesheetDay]
    slip: dict[str, Any]  # payslip_get's: currency, gross, lines
    hours: Decimal  # of every line
    worked_minutes: int
    paid_minutes: int
    open_exceptions: int


def payroll_timesheet_people(*, period: PayPeriod, user: Any = None) -> Any:
    """Whose timesheet the period has: those it pays (open) or paid (closed: its frozen
    lines' people), among those `user` may see when given."""
    if period.status == PayPeriod.Status.CLOSED:
        ids = PayLineRecord.objects.filter(period=period).values("employee_id")
        people = Employee.objects.filter(pk__in=ids).select_related("user", "team__site")
        if user is not None:
            people = people.filter(pk__in=employee_list_visible(user=user).values("pk"))
        return people
    return period_people(period=period, user=user)


def payroll_timesheet_get(
    *,
    period: PayPeriod,
    employee: Employee,
    adjustments: list[PayLineRecord] | tuple[()] = (),
    now: datetime | None = None,
) -> PayrollTimesheet:
    """The timesheet of `employee` (one of payroll_timesheet_people) in `period`. The shifts
    and punches are as they stand now (a closed period's pay lines are frozen: what changed
    since is paid as adjustments in a later period)."""
    (paid,) = paid_here([employee], period=period)
    sheet = period_timesheets(period=period, people=[paid], now=now)[str(employee.pk)]
    zone = ZoneInfo(period.site.timezone)
    start, end = punch_reach(site=period.site, first=period.start_date, last=period.end_date)
    punches = {_key(p): p for p in punch_list_effective(employee=employee, start=start, end=end)}
    days: dict[date | None, TimesheetDay] = {}
    for row in sheet.shifts:
        day = row.shift.start.astimezone(zone).date()
        found = [punches[i] for i in row.punch_ids if i in punches]
        open_ = [e for e in row.exceptions if e != "excused"]
        days.setdefault(day, TimesheetDay(day)).shifts.append(TimesheetShift(row, found, open_))
    slip = payslip_get(employee=employee, period=period, adjustments=adjustments)
    for line in slip["lines"]:
        day = line["work_date"]
        days.setdefault(day, TimesheetDay(day)).lines.append(line)
    ordered = sorted(days.values(), key=lambda d: (d.day is None, d.day or date.min))
    name, number = _names(period, employee, slip)
    return PayrollTimesheet(
        employee=employee,
        name=name,
        number=number,
        days=ordered,
        slip=slip,
        hours=sum((line["hours"] for line in slip["lines"]), start=Decimal(0)),
        worked_minutes=sum(d.worked_minutes for d in ordered),
        paid_minutes=sum(d.paid_minutes for d in ordered),
        open_exceptions=sum(len(s.exceptions) for d in ordered for s in d.shifts),
    )


def _key(punch: dict[str, Any]) -> str:
    """The id attendance gives the punch: the punch's own, or 'c' and the added one's."""
    return str(punch["punch"]) if punch["punch"] is not None else f"c{punch['correction']}"


def _names(period: PayPeriod, employee: Employee, slip: dict[str, Any]) -> tuple[str, str]:
    if period.status == PayPeriod.Status.CLOSED:
        frozen = (
            PayLineRecord.objects.filter(period=period, employee=employee)
            .values_list("employee_name", "employee_number")
            .first()
        )
        if frozen is not None:
            return frozen[0], frozen[1]
    return employee.full_name, employee.number
