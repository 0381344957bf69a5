"""EU working-time rules for the people of a roster about to be published, over the reference
period before it (scheduling/working_time.py does the arithmetic)."""

from datetime import timedelta
from typing import Any

from django.db.models import Q

from organisation.models import Employee
from scheduling.models import Roster, Shift
from scheduling.working_time import WorkingTimeLimits, WorkPeriod, working_time_issues


def roster_working_time_check(
    *, roster: Roster, previous: Roster | None, only: set[str] | None = None
) -> list[dict[str, str]]:
    """EU working-time rules for the people of a roster about to be published (or `only`
    those ids: a trade changes nobody else), over the reference period before it and with
    the roster in place of its previous version."""
    first = roster.start_date
    last = first + timedelta(days=roster.days - 1)
    since = first - timedelta(weeks=WorkingTimeLimits().reference_weeks)
    staff = Employee.objects.filter(shifts__roster=roster).distinct().select_related("user")
    if only is not None:
        staff = staff.filter(pk__in=only)
    people = {e.pk: e for e in staff}
    shifts = (
        Shift.objects.filter(employee__in=list(people), local_date__gte=since, local_date__lte=last)
        .filter(Q(roster=roster) | Q(state=Roster.Status.PUBLISHED))
        .exclude(roster=previous)
        .prefetch_related("breaks")
    )
    periods: dict[Any, list[WorkPeriod]] = {}
    for s in shifts:
        breaks = sum(int((b.end - b.start).total_seconds() // 60) for b in s.breaks.all())
        periods.setdefault(s.employee_id, []).append(WorkPeriod(s.start, s.end, breaks))
    found = []
    for employee_id, mine in sorted(periods.items(), key=lambda kv: people[kv[0]].number):
        person = people[employee_id]
        for issue in working_time_issues(
            mine,
            first=first,
            last=last,
            timezone=roster.site.timezone,
            opted_out_of_48h=person.opted_out_of_48h,
        ):
            found.append(
                {
                    "employee": person.number,
                    "name": person.full_name,
                    "rule": issue.rule,
                    "day": issue.day.isoformat(),
                    "message": issue.message,
                    "reason": issue.reason.as_json(),
                }
            )
    return found
