"""Reads for attendance-points cases: each employee's points as of a day (from their
timesheets, in bulk) and the cases a manager may see."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from organisation.models import Employee, Site
from organisation.selectors.organisation import team_list_managed
from timeclock.models import PointsCase
from timeclock.points import PointsRules, PointsStatus, points_status
from timeclock.selectors.timesheets import employee_timesheets


def points_status_many(
    *, employees: list[Employee], site: Site, on: date, rules: PointsRules | None = None
) -> dict[str, PointsStatus]:
    """Each employee's points over the window ending on `on` (their late arrivals and
    absences on the local days of the shifts), one timesheet read for all of them."""
    rules = rules or PointsRules()
    first = on - timedelta(days=rules.window_days - 1)
    sheets = employee_timesheets(employees=employees, site=site, first=first, last=on)
    zone = ZoneInfo(site.timezone)
    result = {}
    for e in employees:
        incidents = [
            (timezone.localtime(row.shift.start, zone).date(), kind)
            for row in sheets[str(e.pk)].shifts
            for kind in ("late", "absent")
            if kind in row.exceptions
        ]
        result[str(e.pk)] = points_status(incidents, on=on, rules=rules)
    return result


def points_case_list(*, user: object, open_only: bool = True) -> QuerySet[PointsCase]:
    """The cases of the teams the user manages, open first then newest."""
    cases = PointsCase.objects.filter(employee__team__in=team_list_managed(user=user))  # type: ignore[arg-type]
    if open_only:
        cases = cases.filter(decision="")
    return cases.select_related("employee__user", "employee__team", "decided_by").order_by(
        "-opened_on", "employee__number"
    )
