"""From the database to attendance and pay: an employee's published shifts, effective punches
and approved time off as attendance input, and the pay policy that applies to them."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import holidays as holiday_calendars
from django.utils import timezone

from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Site
from scheduling.models import AvailabilityBlock, Roster, Shift
from timeclock.attendance import (
    AttendanceRules,
    PunchEvent,
    ScheduledBreak,
    ScheduledShift,
    Timesheet,
    attendance,
)
from timeclock.models import PayPolicy as PolicyRow
from timeclock.models import Punch, PunchCorrection
from timeclock.pay import AbsenceMode, LatenessMode, PayLine, PayPolicy, pay_lines

WINDOW = timedelta(hours=4)


def pay_policies(*, employees: list[Employee], first: date, last: date) -> dict[str, PayPolicy]:
    """The pure policy of each employee: their team's, else their site's, else defaults, with
    the site's zone, minimum wage and public holidays. One query and one holiday calendar
    per site, whatever the head count."""
    sites = {e.team.site_id: e.team.site for e in employees}
    rows = PolicyRow.objects.filter(site_id__in=list(sites))
    by_team = {r.team_id: r for r in rows if r.team_id is not None}
    by_site = {r.site_id: r for r in rows if r.team_id is None}
    common: dict[Any, dict[str, Any]] = {}
    for site_id, site in sites.items():
        calendar = holiday_calendars.country_holidays(
            site.country_code, years=range(first.year, last.year + 1)
        )
        common[site_id] = {
            "timezone": site.timezone,
            "minimum_hourly_wage": site.minimum_hourly_wage,
            "holidays": frozenset(calendar.keys()),
        }
    policies: dict[Any, PayPolicy] = {}
    result = {}
    for e in employees:
        key = e.team_id
        if key not in policies:
            row = by_team.get(e.team_id) or by_site.get(e.team.site_id)
            base = common[e.team.site_id]
            policies[key] = PayPolicy(**base) if row is None else _from_row(row, base)
        result[str(e.pk)] = policies[key]
    return result


def _from_row(row: PolicyRow, common: dict[str, Any]) -> PayPolicy:
    return PayPolicy(
        **common,
        rounding_minutes=row.rounding_minutes,
        exact_time_only=row.exact_time_only,
        weekly_overtime_hours=row.weekly_overtime_hours,
        daily_overtime_hours=row.daily_overtime_hours,
        overtime_multiplier=row.overtime_multiplier,
        night_start=row.night_start,
        night_end=row.night_end,
        night_premium=row.night_premium,
        weekend_premium=row.weekend_premium,
        holiday_premium=row.holiday_premium,
        fines_enabled=row.fines_enabled,
        grace_minutes=row.grace_minutes,
        lateness_mode=LatenessMode(row.lateness_mode),
        lateness_amount=row.lateness_amount,
        lateness_tiers=tuple((int(m), Decimal(str(a))) for m, a in row.lateness_tiers),
        absence_mode=AbsenceMode(row.absence_mode),
        absence_amount=row.absence_amount,
    )


def employee_timesheets(
    *, employees: list[Employee], site: Site, first: date, last: date, now: datetime | None = None
) -> dict[str, Timesheet]:
    """Each employee's timesheet for the shifts starting on local days first..last (in bulk:
    a fixed number of queries whatever the head count); shifts still to come by `now` are not
    absent yet."""
    now = now or timezone.now()
    start, end = local_day_bounds(first_day=first, last_day=last, timezone=site.timezone)
    shifts = (
        Shift.objects.filter(
            employee__in=employees,
            state=Roster.Status.PUBLISHED,
            local_date__gte=first,
            local_date__lte=last,
        )
        .prefetch_related("breaks")
        .order_by("start")
    )
    by_employee: dict[str, list[ScheduledShift]] = defaultdict(list)
    off = _time_off(employees, start, end)
    for s in shifts:
        key = str(s.employee_id)
        by_employee[key].append(
            ScheduledShift(
                id=str(s.origin or s.pk),
                start=s.start,
                end=s.end,
                breaks=tuple(ScheduledBreak(b.start, b.end, b.paid) for b in s.breaks.all()),
                excused=any(a <= s.start and s.end <= b for a, b in off.get(key, [])),
            )
        )
    punches = _effective_punches(employees, start - WINDOW, end + WINDOW)
    rules = AttendanceRules()
    return {
        str(e.pk): attendance(
            by_employee.get(str(e.pk), []), punches.get(str(e.pk), []), rules, now=now
        )
        for e in employees
    }


def _time_off(employees: list[Employee], start: Any, end: Any) -> dict[str, list[tuple[Any, Any]]]:
    blocks: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    rows = AvailabilityBlock.objects.filter(
        employee__in=employees, kind=AvailabilityBlock.Kind.TIME_OFF, start__lt=end, end__gt=start
    ).values_list("employee_id", "start", "end")
    for employee_id, a, b in rows:
        blocks[str(employee_id)].append((a, b))
    return blocks


def _effective_punches(
    employees: list[Employee], start: Any, end: Any
) -> dict[str, list[PunchEvent]]:
    """Punches at their corrected time, moved or voided by corrections, plus added ones."""
    moves: dict[int, Any] = {}
    voided: set[int] = set()
    corrections = PunchCorrection.objects.filter(employee__in=employees).order_by(
        "created_at", "id"
    )
    added: dict[str, list[PunchEvent]] = defaultdict(list)
    for c in corrections.filter(punch__isnull=False):
        if c.action == PunchCorrection.Action.VOID:
            voided.add(c.punch_id or 0)
            moves.pop(c.punch_id or 0, None)
        elif c.action == PunchCorrection.Action.MOVE:
            voided.discard(c.punch_id or 0)
            moves[c.punch_id or 0] = c.occurred_at
    for c in corrections.filter(
        action=PunchCorrection.Action.ADD, occurred_at__gte=start, occurred_at__lt=end
    ):
        added[str(c.employee_id)].append(PunchEvent(f"c{c.pk}", c.kind, c.occurred_at))  # type: ignore[arg-type]
    found: dict[str, list[PunchEvent]] = defaultdict(list)
    rows = Punch.objects.filter(
        employee__in=employees, corrected_at__gte=start, corrected_at__lt=end
    ).values_list("id", "employee_id", "kind", "corrected_at")
    for pk, employee_id, kind, at in rows:
        if pk in voided:
            continue
        found[str(employee_id)].append(PunchEvent(str(pk), kind, moves.get(pk, at)))
    for key, extra in added.items():
        found[key].extend(extra)
    return found


def employees_pay_lines(
    *, timesheets: dict[str, Timesheet], employees: list[Employee], first: date, last: date
) -> dict[str, list[PayLine]]:
    """Each employee's pay lines for their timesheet."""
    policies = pay_policies(employees=employees, first=first, last=last)
    return {
        str(e.pk): pay_lines(
            timesheet=timesheets[str(e.pk)], rate_per_hour=e.hourly_rate, policy=policies[str(e.pk)]
        )
        for e in employees
    }
