"""Reads of a pay period: who is paid at the site, the exceptions to look at before closing,
every employee's pay lines as they stand now, and the rounding report (R1.8)."""

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Site
from organisation.selectors.organisation import employee_list_visible, scope_employees
from organisation.sentences import Sentence
from scheduling.models import Roster, Shift
from timeclock.attendance import Timesheet
from timeclock.models import PayPeriod
from timeclock.pay import PayLine, rounding_effect_seconds
from timeclock.selectors.across_sites import MOVED_SITE, across_sites
from timeclock.selectors.pay import paid_here, pay_lines_build, pay_policies_resolve
from timeclock.selectors.timesheets import employee_timesheets

ROUNDING_ALERT_PERIODS = 3


def site_employee_list(*, site: Site, first: date, last: date, user: Any = None) -> list[Employee]:
    """The site's employees employed on some day of first..last (those `user` may see, when
    given: a manager sees their own teams only, payroll everyone)."""
    # Pay reads no one's queues: not prefetched (10,000 people: seconds of querysets).
    people = scope_employees(site=site, team=None, first_day=first, last_day=last)
    people = people.prefetch_related(None)
    if user is not None:
        people = people.filter(pk__in=employee_list_visible(user=user).values("pk"))
    return list(people)


def period_people(
    *, period: PayPeriod, also: Iterable[Any] = (), user: Any = None
) -> QuerySet[Employee]:
    """Who is paid in the period: the site's employees employed on some day of it, anyone
    with a published shift of the site's rosters starting in it (someone who left or moved
    to another site since keeps the shifts worked here), and the employees in `also` (those
    of the period's adjustments). Punches alone add no one: time off any shift is not paid.
    Only the people `user` may see, when given. One query when evaluated."""
    site, first, last = period.site, period.start_date, period.end_date
    members = scope_employees(site=site, team=None, first_day=first, last_day=last)
    rostered = Shift.objects.filter(
        roster__site=site,
        state=Roster.Status.PUBLISHED,
        local_date__gte=first,
        local_date__lte=last,
    ).values("employee_id")
    people = Employee.objects.filter(
        Q(pk__in=members.values("pk")) | Q(pk__in=rostered) | Q(pk__in=list(also))
    )
    if user is not None:
        people = people.filter(pk__in=employee_list_visible(user=user).values("pk"))
    return people.select_related("user", "team__site").order_by("number")


@dataclass(frozen=True)
class PeriodException:
    employee: Employee
    shift_id: str
    work_date: date
    exceptions: tuple[str, ...]
    note: Sentence | None = None  # what to check (moved_site: the rate, overtime across sites)


def period_exceptions(
    *, period: PayPeriod, user: Any = None, now: datetime | None = None
) -> list[PeriodException]:
    """What payroll should look at before closing (missing punches and people paid across
    sites block the close) as of `now`; only the people `user` may see, when given."""
    found = list(period_people(period=period, user=user))
    people = paid_here(found, period=period)
    sheets = period_timesheets(period=period, people=people, now=now)
    zone = ZoneInfo(period.site.timezone)
    moved = across_sites(period=period, people=found)
    exceptions = []
    for person in people:
        for row in sheets[str(person.pk)].shifts:
            interesting = tuple(e for e in row.exceptions if e != "excused")
            if interesting:
                work_date = timezone.localtime(row.shift.start, zone).date()
                exceptions.append(PeriodException(person, row.shift.id, work_date, interesting))
    for person in found:
        note = moved.get(str(person.pk))
        if note is not None:
            exceptions.append(PeriodException(person, "", period.start_date, (MOVED_SITE,), note))
    return exceptions


def period_lines(
    *, period: PayPeriod, only: set[str] | None = None, now: datetime | None = None
) -> dict[str, list[PayLine]]:
    """Every employee's lines for the period (or those in `only`), from what is stored now."""
    found = period_people(period=period)
    people = paid_here(found if only is None else found.filter(pk__in=list(only)), period=period)
    with cyclic_gc_paused():
        sheets = period_timesheets(period=period, people=people, now=now)
        return pay_lines_build(
            timesheets=sheets, employees=people, first=period.start_date, last=period.end_date
        )


def period_timesheets(
    *, period: PayPeriod, people: list[Employee], now: datetime | None
) -> dict[str, Timesheet]:
    """The people's timesheets over the period, from the site's own rosters only (pay is
    per site; shifts on another site's rosters are that site's)."""
    return employee_timesheets(
        employees=people,
        site=period.site,
        first=period.start_date,
        last=period.end_date,
        now=now,
        site_rosters_only=True,
    )


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Millions of small acyclic objects (a site's month: 220,000 shifts, 880,000 punches)
    make the cycle collector run over and over for nothing: reference counting frees them.
    It runs again after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def period_ends_at(*, period: PayPeriod) -> datetime:
    """When the period is over: the end of its last local day, or the end of the last
    published shift of the site's rosters starting in it (a night shift on the last day),
    whichever is later: the shifts the period pays, someone's who moved to another site
    since too."""
    _, end = local_day_bounds(
        first_day=period.start_date, last_day=period.end_date, timezone=period.site.timezone
    )
    last_shift = Shift.objects.filter(
        roster__site=period.site,
        state=Roster.Status.PUBLISHED,
        local_date__gte=period.start_date,
        local_date__lte=period.end_date,
    ).aggregate(end=Max("end"))["end"]
    return max(end, last_shift) if last_shift is not None else end


@dataclass(frozen=True)
class RoundingRow:
    employee: Employee
    net_seconds: list[int]  # per period, oldest first, ending with the period asked about
    alert: bool  # in the employer's favour in each of the last three periods


def rounding_report(*, period: PayPeriod, user: Any = None) -> list[RoundingRow]:
    """Per employee, the net effect of rounding in this period and the ones before it; an
    alert when it favoured the employer three periods running (R1.8). Only the people
    `user` may see, when given."""
    periods = list(
        PayPeriod.objects.filter(site=period.site, end_date__lte=period.end_date).order_by(
            "-end_date"
        )[:ROUNDING_ALERT_PERIODS]
    )[::-1]
    people = site_employee_list(
        site=period.site, first=periods[0].start_date, last=period.end_date, user=user
    )
    nets: dict[str, list[int]] = {str(p.pk): [] for p in people}
    for p in periods:
        sheets = employee_timesheets(
            employees=people, site=period.site, first=p.start_date, last=p.end_date
        )
        policies = pay_policies_resolve(employees=people, first=p.start_date, last=p.end_date)
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
