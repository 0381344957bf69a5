"""The payroll review of a period: per employee the totals payroll checks before closing
(regular and overtime hours, premiums, fines, adjustments, gross) and the exceptions still
open, from one timesheet pass (an open period) or the frozen lines (a closed one)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from organisation.models import Employee
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.selectors.pay import pay_lines_build
from timeclock.selectors.periods import site_employee_list
from timeclock.selectors.timesheets import employee_timesheets

ZERO = Decimal(0)


@dataclass
class ReviewRow:
    employee: Employee
    regular_hours: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    premiums: Decimal = ZERO
    fines: Decimal = ZERO
    adjustments: Decimal = ZERO
    gross: Decimal = ZERO
    lines: int = 0
    exceptions: list[str] = field(default_factory=list)  # open, one per shift and kind

    def add(self, pay_code: str, hours: Decimal, amount: Decimal, lines: int = 1) -> None:
        if pay_code == "REGULAR":
            self.regular_hours += hours
        elif pay_code == "OVERTIME":
            self.overtime_hours += hours
        elif pay_code.endswith("_PENALTY"):
            self.fines += amount
        elif pay_code == "ADJUSTMENT":
            self.adjustments += amount
        elif pay_code.endswith("_PREMIUM"):
            self.premiums += amount
        self.gross += amount
        self.lines += lines


@dataclass(frozen=True)
class Review:
    rows: list[ReviewRow]
    people: int
    lines: int
    open_exceptions: int


def payroll_review(
    *, period: PayPeriod, team: Any = None, search: str = "", only_exceptions: bool = False
) -> Review:
    """Every paid employee of the period (of `team`, matching `search` in name or number),
    with totals and open exceptions; `only_exceptions` keeps those with some."""
    people = site_employee_list(site=period.site, first=period.start_date, last=period.end_date)
    rows = {str(p.pk): ReviewRow(p) for p in people}
    if period.status == PayPeriod.Status.CLOSED:
        _frozen(period, rows)
    else:
        _computed(period, people, rows)
    needle = search.strip().lower()
    kept = [
        r
        for r in rows.values()
        if (team is None or r.employee.team_id == team.pk)
        and (not needle or needle in f"{r.employee.full_name} {r.employee.number}".lower())
        and (r.exceptions or not only_exceptions)
        and (r.lines or r.exceptions)
    ]
    kept.sort(key=lambda r: (r.employee.full_name.lower(), r.employee.number))
    return Review(
        rows=kept,
        people=len(kept),
        lines=sum(r.lines for r in kept),
        open_exceptions=sum(len(r.exceptions) for r in kept),
    )


def _frozen(period: PayPeriod, rows: dict[str, ReviewRow]) -> None:
    sums = (
        PayLineRecord.objects.filter(period=period)
        .values("employee_id", "pay_code")
        .annotate(hours=Sum("hours"), amount=Sum("amount"), lines=Count("id"))
        .order_by()
    )
    for s in sums:
        row = rows.get(str(s["employee_id"]))
        if row is not None:
            row.add(s["pay_code"], s["hours"], s["amount"], s["lines"])


def _computed(period: PayPeriod, people: list[Employee], rows: dict[str, ReviewRow]) -> None:
    sheets = employee_timesheets(
        employees=people, site=period.site, first=period.start_date, last=period.end_date
    )
    lines = pay_lines_build(
        timesheets=sheets, employees=people, first=period.start_date, last=period.end_date
    )
    found: dict[str, list[str]] = defaultdict(list)
    for key, sheet in sheets.items():
        for shift in sheet.shifts:
            found[key].extend(e for e in shift.exceptions if e != "excused")
    for key, row in rows.items():
        for line in lines.get(key, []):
            row.add(str(line.pay_code), line.hours, line.amount)
        row.exceptions = found.get(key, [])
