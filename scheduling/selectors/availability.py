"""Availability as the people pages show it, and whether a roster already covers some days
(after which an operator's own availability for them is fixed)."""

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from organisation.models import Employee
from scheduling.models import AvailabilityBlock, Roster

LONGEST_ROSTER_DAYS = 112


def availability_list(*, employee: Employee, since: datetime) -> QuerySet[AvailabilityBlock]:
    """The employee's blocks that end after `since`, earliest first."""
    return AvailabilityBlock.objects.filter(employee=employee, end__gt=since).order_by("start")


def roster_built_for(*, employee: Employee, first_day: date, last_day: date) -> bool:
    """A draft or published roster of the employee's team (or of their whole site) covers
    some of the local days."""
    team = employee.team
    candidates = Roster.objects.filter(
        Q(team=team) | Q(team__isnull=True, site_id=team.site_id),
        status__in=[Roster.Status.DRAFT, Roster.Status.PUBLISHED],
        start_date__lte=last_day,
        start_date__gt=first_day - timedelta(days=LONGEST_ROSTER_DAYS),
    ).values_list("start_date", "days")
    return any(start + timedelta(days=days) > first_day for start, days in candidates)
