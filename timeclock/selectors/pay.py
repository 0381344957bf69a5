"""Pay from the database: the pure pay policy that applies to each employee, their pay lines
for a timesheet, and a payslip (a closed period's frozen lines, or an open one's preview)."""

import copy
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import holidays as holiday_calendars
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from organisation.models import Employee, Team
from scheduling.models import Roster, Shift
from timeclock.attendance import Timesheet
from timeclock.jurisdictions.rules import lawful_lines
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.models import PayPolicy as PolicyRow
from timeclock.pay import (
    STRAIGHT_CODES,
    AbsenceMode,
    LatenessMode,
    PayLine,
    PayPolicy,
    pay_lines,
    split_week_days,
)
from timeclock.pay_training import training_lines
from timeclock.rates import lines_at_rates
from timeclock.selectors.across_sites import across_sites
from timeclock.selectors.jurisdictions import fine_facts_resolve
from timeclock.selectors.pay_policies import pay_policy_row_for, pay_policy_rows_in_effect
from timeclock.selectors.pay_training import shift_training_resolve, training_pay_resolve
from timeclock.selectors.rates import rate_schedules_resolve
from timeclock.selectors.timesheets import employee_timesheets


def paid_here(people: Iterable[Employee], *, period: PayPeriod) -> list[Employee]:
    """The people as the period's site pays them: someone whose team is now at another site
    has the shifts of this site's rosters paid as a member of the team whose roster they are
    on (the last such shift of theirs in the period: its team's policy, else the site's,
    with this site's zone, holidays and pack), in memory only. Without a team roster here
    (a site roster, or only adjustments), a stand-in team of the site, unsaved."""
    site = period.site
    people = list(people)
    moved = [p.pk for p in people if p.team.site_id != site.pk]
    teams = _roster_teams(moved, period) if moved else {}
    here = Team(site=site, name="")
    found = []
    for person in people:
        if person.team.site_id != site.pk:
            person = copy.copy(person)  # a model's copy has its own field cache
            person.team = teams.get(str(person.pk), here)
        found.append(person)
    return found


def _roster_teams(ids: list[Any], period: PayPeriod) -> dict[str, Team]:
    """Per person, the team of the site's roster their last published shift in the period
    is on (two queries)."""
    rows = (
        Shift.objects.filter(
            employee_id__in=ids,
            roster__site=period.site,
            roster__team__isnull=False,
            state=Roster.Status.PUBLISHED,
            local_date__gte=period.start_date,
            local_date__lte=period.end_date,
        )
        .order_by("start")
        .values_list("employee_id", "roster__team_id")
    )
    last = {str(employee_id): team_id for employee_id, team_id in rows}
    teams = Team.objects.filter(pk__in=set(last.values())).select_related("site")
    by_id = {t.pk: t for t in teams}
    return {key: by_id[team_id] for key, team_id in last.items()}


def pay_policies_resolve(
    *, employees: list[Employee], first: date, last: date
) -> dict[str, PayPolicy]:
    """The pure policy of each employee: their team's, else their site's, else defaults (the
    version in effect on `first`, the period's first day), with the site's zone, minimum
    wage and public holidays. One query and one holiday calendar per site, whatever the head
    count."""
    sites = {e.team.site_id: e.team.site for e in employees}
    found = pay_policy_rows_in_effect(
        site_ids=list(sites), team_ids={e.team_id for e in employees}, on=first
    )
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
            row = pay_policy_row_for(found, site_id=e.team.site_id, team_id=e.team_id)
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
        evening_start=row.evening_start,
        evening_end=row.evening_end,
        evening_premium=row.evening_premium,
        saturday_premium=row.saturday_premium,
        sunday_premium=row.sunday_premium,
        fines_enabled=row.fines_enabled,
        grace_minutes=row.grace_minutes,
        lateness_mode=LatenessMode(row.lateness_mode),
        lateness_amount=row.lateness_amount,
        lateness_tiers=tuple((int(m), Decimal(str(a))) for m, a in row.lateness_tiers),
        absence_mode=AbsenceMode(row.absence_mode),
        absence_amount=row.absence_amount,
    )


# Up to this many people, the read of other periods' straight time names them; past it (a
# whole site's close) it reads the site's lines of those days and keeps those of the people.
NAMED_READ = 500


def straight_elsewhere_resolve(
    *, employees: list[Employee], first: date, last: date, policies: dict[str, PayPolicy]
) -> dict[str, dict[date, int]]:
    """Per employee, the straight-time minutes (REGULAR, TRAINING) other pay periods of their
    site froze, by day, on the days outside `first`..`last` of the workweeks it shares with
    them (a semi-monthly or monthly period, or any not cut at the policy's workweek): the
    week's overtime limit counts them (29 CFR 778.104). Frozen lines only (a period's lines
    are frozen when it closes; adjustments carry no day); another site's periods pay their
    own weeks. No query when no week is split; one otherwise, a clause per site and span."""
    spans = {
        (e.team.site_id, start, end)
        for e in employees
        for start, end in split_week_days(first, last, policies[str(e.pk)].workweek_starts)
    }
    if not spans:
        return {}
    query = Q()
    for site_id, start, end in spans:  # the few periods holding those days, then their lines
        query |= Q(
            period__site_id=site_id,
            period__start_date__lte=end,
            period__end_date__gte=start,
            work_date__gte=start,
            work_date__lte=end,
        )
    rows = PayLineRecord.objects.filter(
        query, adjusts__isnull=True, pay_code__in=[str(code) for code in STRAIGHT_CODES]
    ).filter(Q(period__end_date__lt=first) | Q(period__start_date__gt=last))
    if len(employees) <= NAMED_READ:
        rows = rows.filter(employee__in=[e.pk for e in employees])
    summed = (
        rows.order_by()
        .values("employee_id", "period__site_id", "work_date")
        .annotate(total=Sum("minutes"))
        .values_list("employee_id", "period__site_id", "work_date", "total")
    )
    site_of = {str(e.pk): e.team.site_id for e in employees}
    found: dict[str, dict[date, int]] = {}
    for employee_id, site_id, work_date, minutes in summed:
        if site_of.get(str(employee_id)) == site_id and minutes:
            found.setdefault(str(employee_id), {})[work_date] = int(minutes)
    return found


def pay_lines_build(
    *, timesheets: dict[str, Timesheet], employees: list[Employee], first: date, last: date
) -> dict[str, list[PayLine]]:
    """Each employee's pay lines for their timesheet, every fine capped to what the site's
    jurisdiction pack allows (the reason on the line), weekly overtime counted over a
    workweek this period shares with closed ones (straight_elsewhere_resolve)."""
    policies = pay_policies_resolve(employees=employees, first=first, last=last)
    rates = rate_schedules_resolve(employees=employees, last=last)
    lowest = {key: min(r.within(first, last)) for key, r in rates.items()}
    packs = fine_facts_resolve(
        employees=employees, first=first, last=last, policies=policies, rates=lowest
    )
    elsewhere = straight_elsewhere_resolve(
        employees=employees, first=first, last=last, policies=policies
    )
    training = shift_training_resolve(timesheets=timesheets, employees=employees)
    training_pay = (
        training_pay_resolve(employees=employees, on=first) if any(training.values()) else {}
    )
    result = {}
    for e in employees:
        key, policy = str(e.pk), policies[str(e.pk)]

        def price(rate: Decimal, key: str = key, policy: PayPolicy = policy) -> list[PayLine]:
            lines = pay_lines(
                timesheet=timesheets[key],
                rate_per_hour=rate,
                policy=policy,
                straight_elsewhere=elsewhere.get(key),
            )
            if training.get(key):
                lines = training_lines(
                    lines,
                    timesheet=timesheets[key],
                    rate_per_hour=rate,
                    policy=training_pay[key],
                    timezone=policy.timezone,
                    training=training[key],
                )
            return lines

        # Each day at the rate in force on it (the rate history), explained where it changes.
        lines = lines_at_rates(rates=rates[key], first=first, last=last, price=price)
        pack, facts = packs[str(e.pk)]
        result[str(e.pk)] = lawful_lines(lines, pack=pack, facts=facts)
    return result


def period_currency(period: PayPeriod) -> str:
    """The currency frozen at the close (the site's, for a period not closed yet)."""
    return period.currency or period.site.currency


def payslip_periods(*, employee: Employee) -> QuerySet[PayPeriod]:
    """The periods that pay `employee`, latest first, whatever site they are at now: closed,
    those holding their frozen lines; open, those of their site and of any site whose
    rosters give them a published shift in the period (someone moved keeps the old site's)."""
    rostered = Shift.objects.filter(
        employee=employee,
        roster__site=OuterRef("site"),
        state=Roster.Status.PUBLISHED,
        local_date__gte=OuterRef("start_date"),
        local_date__lte=OuterRef("end_date"),
    )
    frozen = PayLineRecord.objects.filter(employee=employee, period=OuterRef("pk"))
    is_open = Q(status=PayPeriod.Status.OPEN)
    return (
        PayPeriod.objects.filter(
            (~is_open & Exists(frozen))
            | (is_open & (Q(site_id=employee.team.site_id) | Exists(rostered)))
        )
        .select_related("site")
        .order_by("-start_date", "site__name")
    )


def payslip_get(
    *, employee: Employee, period: PayPeriod, adjustments: Iterable[PayLineRecord] = ()
) -> dict[str, Any]:
    """The frozen lines of a closed period, or a preview of an open one with the employee's
    among `adjustments` (the unsaved lines its close would book, as in the review), and what
    payroll will check before closing it (warnings: someone paid across sites)."""
    if period.status == PayPeriod.Status.CLOSED:
        lines = _frozen_lines(employee, period)
    else:
        mine = [r for r in adjustments if str(r.employee_id) == str(employee.pk)]
        lines = _preview_lines(employee, period) + [_record_line(r) for r in mine]
    warnings = across_sites(period=period, people=[employee]).values()
    return {
        "period": period.pk,
        "period_start": period.start_date,
        "period_end": period.end_date,
        "status": period.status,
        "currency": period_currency(period),
        "gross": sum((line["amount"] for line in lines), start=0),
        "lines": lines,
        "warnings": [sentence.as_json() for sentence in warnings],
    }


def _frozen_lines(employee: Employee, period: PayPeriod) -> list[dict[str, Any]]:
    return [_record_line(r) for r in PayLineRecord.objects.filter(period=period, employee=employee)]


def _record_line(r: PayLineRecord) -> dict[str, Any]:
    return {
        "pay_code": r.pay_code,
        "minutes": r.minutes,
        "hours": r.hours,
        "rate": r.rate,
        "amount": r.amount,
        "rule": r.rule,
        "reason": r.reason,
        "work_date": r.work_date,
    }


def _preview_lines(employee: Employee, period: PayPeriod) -> list[dict[str, Any]]:
    (employee,) = paid_here([employee], period=period)
    sheet = employee_timesheets(
        employees=[employee],
        site=period.site,
        first=period.start_date,
        last=period.end_date,
        site_rosters_only=True,  # what closing the period pays
    )[str(employee.pk)]
    return [
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
        for line in pay_lines_build(
            timesheets={str(employee.pk): sheet},
            employees=[employee],
            first=period.start_date,
            last=period.end_date,
        )[str(employee.pk)]
    ]
