"""Recording an employee's pay rate: the one way a rate changes. Each change is a row of the
history (rate, the site's currency, first local day), audited (the first, at creation, is
not a change), and the employee's `hourly_rate` becomes the rate in force today (what
everything but pay reads); pay reads the history, day by day (timeclock.selectors.rates)."""

from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.models import Employee, PayRate


def site_today(employee: Employee) -> date:
    """Today's local date at the employee's site."""
    return timezone.localtime(timezone.now(), ZoneInfo(employee.team.site.timezone)).date()


def pay_rate_record(
    *, employee: Employee, rate: Decimal, valid_from: date | None = None, actor: Any = None
) -> PayRate:
    """`rate` in the employee's site's currency from `valid_from` (default: the site's today;
    a day before it is a back-dated change, which the next close books as adjustments for
    closed periods; a day to come is refused, as is one before the employment start). A
    second rate for the same day and currency replaces the first. An employee's first rate
    is from their employment start, to come or not. Saves the employee's
    `hourly_rate` as the rate in force today."""
    today = site_today(employee)
    start = valid_from or today
    first = not PayRate.objects.filter(employee=employee).exists()
    if start > today and not first:  # the first: from the employment start, perhaps to come
        raise _invalid("a rate applies from today or a day gone by, not from a day to come")
    if start < employee.employment_start:
        raise _invalid("the rate cannot apply before the employment starts")
    currency = employee.team.site.currency
    row, _ = PayRate.objects.update_or_create(
        employee=employee,
        valid_from=start,
        currency=currency,
        defaults={"rate": rate, "recorded_at": timezone.now(), "recorded_by": actor},
    )
    in_force = (
        PayRate.objects.filter(employee=employee, currency=currency, valid_from__lte=today)
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )
    employee.hourly_rate = rate if in_force is None else in_force
    Employee.objects.filter(pk=employee.pk).update(hourly_rate=employee.hourly_rate)
    if first:  # the rate the employee was created with: no change to audit
        return row
    audit_record(
        action="pay_rate_recorded",
        actor=actor,
        object_type="employee",
        object_id=str(employee.pk),
        data={"rate": str(rate), "currency": currency, "valid_from": str(start)},
    )
    return row


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid input: {message}",
        extra={"fields": {"rate_valid_from": [{"code": "invalid", "message": message}]}},
    )
