"""Each employee's pay rate history as pay reads it: the rates in the paying site's currency
from their first local days (one query whatever the head count)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from organisation.models import Employee, PayRate
from timeclock.rates import RateSchedule


def rate_schedules_resolve(*, employees: list[Employee], last: date) -> dict[str, RateSchedule]:
    """Per employee (as paid here: their team is at the paying site), the rates of their
    history in that site's currency that start on or before `last`. Someone without such a
    row (an employee written without the services, or paid in a currency they have no rate
    in: moved_site asks payroll to check) is paid their hourly_rate."""
    wanted = {str(e.pk): e.team.site.currency for e in employees}
    found: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = (
        PayRate.objects.filter(employee__in=[e.pk for e in employees], valid_from__lte=last)
        .order_by("employee_id", "valid_from")
        .values_list("employee_id", "currency", "valid_from", "rate")
    )
    for employee_id, currency, valid_from, rate in rows:
        key = str(employee_id)
        if wanted.get(key) == currency:
            found[key].append((valid_from, rate))
    result = {}
    for e in employees:
        mine = found.get(str(e.pk))
        if mine:
            starts, rates = zip(*mine, strict=True)
            result[str(e.pk)] = RateSchedule(tuple(starts), tuple(rates))
        else:
            result[str(e.pk)] = RateSchedule.flat(e.hourly_rate)
    return result
