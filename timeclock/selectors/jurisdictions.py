"""Reads for the jurisdiction packs: a site's pack, and what a pack needs of each employee
(acknowledgements of the fine rules, a day's wage, the policy's fine destination)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from organisation.models import Employee, Site
from timeclock.jurisdictions.packs import pack_for
from timeclock.jurisdictions.rules import Acknowledgement, FineFacts, Pack
from timeclock.models import FineAcknowledgement
from timeclock.pay import PayPolicy
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
        )
        result[str(e.pk)] = (site_pack(e.team.site), facts)
    return result
