"""What operators, managers and payroll read: a timesheet with exceptions, a payslip with the
explanation of every line, attendance points. All derived from the stored events."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from organisation.models import Employee
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.points import PointsStatus, points_status
from timeclock.timesheets import employee_timesheets, employees_pay_lines

MAX_DAYS = 62


def timesheet_rows(*, employee: Employee, first: date, last: date) -> list[dict[str, Any]]:
    site = employee.team.site
    zone = ZoneInfo(site.timezone)
    sheet = employee_timesheets(employees=[employee], site=site, first=first, last=last)[
        str(employee.pk)
    ]
    return [
        {
            "shift": row.shift.id,
            "work_date": row.shift.start.astimezone(zone).date(),
            "scheduled_start": row.shift.start,
            "scheduled_end": row.shift.end,
            "clock_in": row.clock_in,
            "clock_out": row.clock_out,
            "worked_minutes": row.worked_seconds // 60,
            "unpaid_break_minutes": row.unpaid_break_seconds // 60,
            "late_minutes": row.late_minutes,
            "early_leave_minutes": row.early_leave_minutes,
            "exceptions": list(row.exceptions),
            # The punches the row was made of (not the added ones), for asking to move one.
            "punches": [int(p) for p in row.punch_ids if p.isdigit()],
        }
        for row in sheet.shifts
    ]


def payslip(*, employee: Employee, period: PayPeriod) -> dict[str, Any]:
    """The frozen lines of a closed period, or a preview of an open one."""
    if period.status == PayPeriod.Status.CLOSED:
        lines = [
            {
                "pay_code": r.pay_code,
                "minutes": r.minutes,
                "hours": r.hours,
                "rate": r.rate,
                "amount": r.amount,
                "rule": r.rule,
                "reason": r.reason,
                "work_date": r.work_date,
            }
            for r in PayLineRecord.objects.filter(period=period, employee=employee)
        ]
    else:
        sheet = employee_timesheets(
            employees=[employee], site=period.site, first=period.start_date, last=period.end_date
        )[str(employee.pk)]
        lines = [
            {
                "pay_code": str(line.pay_code),
                "minutes": line.minutes,
                "hours": line.hours,
                "rate": line.rate,
                "amount": line.amount,
                "rule": line.rule,
                "reason": [sentence.as_json() for sentence in line.reason],
                "work_date": line.work_date,
            }
            for line in employees_pay_lines(
                timesheets={str(employee.pk): sheet},
                employees=[employee],
                first=period.start_date,
                last=period.end_date,
            )[str(employee.pk)]
        ]
    return {
        "period": period.pk,
        "period_start": period.start_date,
        "period_end": period.end_date,
        "status": period.status,
        "currency": period.site.currency,
        "gross": sum((line["amount"] for line in lines), start=0),
        "lines": lines,
    }


def points(*, employee: Employee, on: date) -> PointsStatus:
    window = timedelta(days=90)
    rows = timesheet_rows(employee=employee, first=on - window, last=on)
    incidents = [
        (row["work_date"], kind)
        for row in rows
        for kind in ("late", "absent")
        if kind in row["exceptions"]
    ]
    return points_status(incidents, on=on)
