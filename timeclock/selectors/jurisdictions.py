"""Reads for the jurisdiction packs: a site's pack, and what a pack needs of each employee
(acknowledgements of the fine rules, a day's wage, the policy's fine destination)."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from organisation.models import Employee, Site
from timeclock.jurisdictions.packs import pack_for
from timeclock.jurisdictions.rules import (
    FINES,
    Acknowledgement,
    Elsewhere,
    FineFacts,
    Pack,
    week_of,
)
from timeclock.models import FineAcknowledgement, PayLineRecord
from timeclock.pay import AbsenceMode, LatenessMode, PayCode, PayPolicy, split_week_days
from timeclock.selectors.pay_policies import pay_policy_row_for, pay_policy_rows_in_effect

DEFAULT_DAY_MINUTES = 8 * 60


def site_pack(site: Site) -> Pack:
    """The pack the site's country (and US state) selects."""
    return pack_for(site.country_code, site.us_state)


def day_wage(employee: Employee, rate: Decimal) -> Decimal:
    """The wage for one day: the contract's weekly minutes spread over its days a week (8 h
    without a contract), at `rate`."""
    days = employee.max_days_per_week or 5
    minutes = Decimal(employee.max_weekly_minutes or DEFAULT_DAY_MINUTES * days) / days
    return minutes / 60 * rate


def fine_facts_resolve(
    *,
    employees: list[Employee],
    first: date,
    last: date,
    policies: dict[str, PayPolicy],
    rates: dict[str, Decimal] | None = None,
) -> dict[str, tuple[Pack, FineFacts]]:
    """Each employee's pack and facts for the days `first`..`last`: two queries whatever the
    head count (the acknowledgements and the policy versions' destinations). `rates`: each
    one's rate for the facts (pay passes the lowest in force in the days: the stricter cap
    and floor), else their hourly_rate."""
    received: dict[str, list[Acknowledgement]] = defaultdict(list)
    for row in FineAcknowledgement.objects.filter(
        employee__in=employees, received_on__lte=last
    ).order_by("received_on"):
        received[str(row.employee_id)].append(Acknowledgement(row.received_on, row.cap_lifted))
    found = pay_policy_rows_in_effect(
        site_ids=list({e.team.site_id for e in employees}),
        team_ids={e.team_id for e in employees},
        on=first,
    )
    result: dict[str, tuple[Pack, FineFacts]] = {}
    for e in employees:
        row: Any = pay_policy_row_for(found, site_id=e.team.site_id, team_id=e.team_id)
        policy = policies[str(e.pk)]
        rate = e.hourly_rate if rates is None else rates[str(e.pk)]
        facts = FineFacts(
            rate_per_hour=rate,
            minimum_hourly_wage=policy.minimum_hourly_wage,
            day_wage=day_wage(e, rate),
            acknowledgements=tuple(received[str(e.pk)]),
            fine_destination=row.fine_destination if row is not None else "",
            workweek_starts=policy.workweek_starts,
            overtime_multiplier=policy.overtime_multiplier,
            lateness_mode=str(policy.lateness_mode),
            absence_mode=str(policy.absence_mode),
        )
        result[str(e.pk)] = (site_pack(e.team.site), facts)
    result = _with_fines_taken(result, employees=employees, first=first, last=last)
    return _with_paid_elsewhere(result, employees=employees, first=first, last=last)


def _with_paid_elsewhere(
    found: dict[str, tuple[Pack, FineFacts]], *, employees: list[Employee], first: date, last: date
) -> dict[str, tuple[Pack, FineFacts]]:
    """Each fined employee's facts under a workweek floor (29 CFR 531.35) with the lines other
    pay periods of the site froze on the days of the workweeks `first`..`last` shares with
    them: the floor is the workweek's (29 CFR 776.4), so this period's fines get what the week
    as a whole leaves, and give back what the other period took too much of it. One query,
    none when no week is split or no such policy fines. Frozen lines only (adjustments are
    not dated to a day)."""
    floored = [e for e in employees if found[str(e.pk)][0].workweek_floor]
    floored = [e for e in floored if _fines(found[str(e.pk)][1])]
    spans = {
        (e.team.site_id, start, end)
        for e in floored
        for start, end in split_week_days(first, last, found[str(e.pk)][1].workweek_starts)
    }
    query = Q()
    for site_id, start, end in spans:  # a few a site, whatever the head count
        query |= Q(period__site_id=site_id, work_date__gte=start, work_date__lte=end)
    if not query:
        return found
    rows = (
        PayLineRecord.objects.filter(query, employee__in=floored, adjusts__isnull=True)
        .filter(Q(period__end_date__lt=first) | Q(period__start_date__gt=last))
        .exclude(pay_code=PayCode.ADJUSTMENT)
        .values_list("employee_id", "period__site_id", "work_date", "pay_code", "minutes", "amount")
        .order_by("work_date", "pk")
    )
    site_of = {str(e.pk): e.team.site_id for e in floored}
    paid: dict[str, list[Elsewhere]] = defaultdict(list)
    for employee_id, site_id, work_date, code, minutes, amount in rows:
        if site_id == site_of[str(employee_id)]:  # another site's periods pay their own weeks
            paid[str(employee_id)].append(Elsewhere(work_date, code, minutes, amount))
    return {
        key: (pack, replace(facts, paid_elsewhere=tuple(paid[key])) if key in paid else facts)
        for key, (pack, facts) in found.items()
    }


def _fines(policy: PayPolicy | FineFacts) -> bool:
    return policy.lateness_mode != LatenessMode.NONE or policy.absence_mode != AbsenceMode.NONE


def _with_fines_taken(
    found: dict[str, tuple[Pack, FineFacts]], *, employees: list[Employee], first: date, last: date
) -> dict[str, tuple[Pack, FineFacts]]:
    """Each capped employee's facts with the fines other pay periods of the site already took
    in the workweeks `first`..`last` shares with them (NL lid 5: one cap a week, however the
    periods cut it). One query, none when no week is split or no capped policy fines."""
    capped = [e for e in employees if found[str(e.pk)][0].weekly_cap_half_day]
    capped = [e for e in capped if _fines(found[str(e.pk)][1])]
    if not capped:
        return found
    outside: dict[Any, list[tuple[date, date]]] = {}  # site -> the split weeks' other days
    for e in capped:
        spans = split_week_days(first, last, found[str(e.pk)][1].workweek_starts)
        outside.setdefault(e.team.site_id, []).extend(spans)
    query = Q()
    for site_id, spans in outside.items():
        for start, end in set(spans):
            query |= _taken_in(site_id, start, end)
    if not query:
        return found
    rows = (
        # Not the period `first`..`last` itself, nor its adjustments (recomputing a closed
        # period for its adjustments: its own fines are what is being worked out again).
        PayLineRecord.objects.filter(query, employee__in=capped)
        .filter(Q(period__end_date__lt=first) | Q(period__start_date__gt=last))
        .filter(
            Q(adjusts__isnull=True)
            | Q(adjusts__end_date__lt=first)
            | Q(adjusts__start_date__gt=last)
        )
        .values_list(
            "employee_id",
            "pay_code",
            "work_date",
            "amount",
            "adjusts__start_date",
            "adjusts__end_date",
        )
    )
    taken: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for employee_id, code, work_date, amount, adjusted_first, adjusted_last in rows:
        facts = found[str(employee_id)][1]
        if code != PayCode.ADJUSTMENT:
            taken[str(employee_id)].append((work_date, -amount))
            continue
        taken[str(employee_id)] += _adjusted(facts, adjusted_first, adjusted_last, amount)
    return {
        key: (pack, replace(facts, fines_taken=tuple(taken[key])) if key in taken else facts)
        for key, (pack, facts) in found.items()
    }


def _taken_in(site_id: Any, start: date, end: date) -> Q:
    """Fine lines of the site's other periods on the days `start`..`end`, and adjustments of
    fines for periods of the site overlapping those days."""
    frozen = Q(
        pay_code__in=[str(code) for code in FINES],
        adjusts__isnull=True,
        period__site_id=site_id,
        work_date__gte=start,
        work_date__lte=end,
    )
    adjusted = Q(
        pay_code=PayCode.ADJUSTMENT,
        adjusted_code__in=[str(code) for code in FINES],
        adjusts__site_id=site_id,
        adjusts__start_date__lte=end,
        adjusts__end_date__gte=start,
    )
    return frozen | adjusted


def _adjusted(
    facts: FineFacts, first: date, last: date, amount: Decimal
) -> list[tuple[date, Decimal]]:
    """An adjustment of fines for a closed period carries no day: a period inside one week
    gives it to that week; one spanning weeks charges a fine taken since (a negative amount)
    to each of its weeks, and gives back no fine refunded (the stricter reading)."""
    week, until = week_of(first, facts.workweek_starts), week_of(last, facts.workweek_starts)
    if week == until:
        return [(week, -amount)]
    found = []
    while amount < 0 and week <= until:
        found.append((week, -amount))
        week += timedelta(days=7)
    return found
