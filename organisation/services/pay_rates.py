"""Recording an employee's pay rate: the one way a rate changes. Each change is a row of the
history (rate, the site's currency, first local day, perhaps a day to come), audited (the
first, at creation, is not a change), and the employee's `hourly_rate` is the rate in force
today (what everything but pay reads; pay_rates_due keeps it so once a rate's day comes);
pay reads the history, day by day (timeclock.selectors.rates). A site's currency change
records every employee's rates in the new currency (pay_rates_convert)."""

from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import CurrencyConversionMissing, InvalidInput
from organisation.models import Employee, PayRate, Site

RATE_PLACES = Decimal("0.0001")  # rates have four decimals (DESIGN.md)


def site_today(employee: Employee) -> date:
    """Today's local date at the employee's site."""
    return timezone.localtime(timezone.now(), ZoneInfo(employee.team.site.timezone)).date()


def pay_rate_record(
    *, employee: Employee, rate: Decimal, valid_from: date | None = None, actor: Any = None
) -> PayRate:
    """`rate` in the employee's site's currency from `valid_from` (default: the site's today;
    a day before it is a back-dated change, which the next close books as adjustments for
    closed periods, a closed period itself never changes; a day to come is an upcoming rate,
    a raise agreed for next month, paid from that day; one before the employment start is
    refused). A second rate for the same day and currency replaces the first. An employee's
    first rate is from their employment start, to come or not. Saves the employee's
    `hourly_rate` as the rate in force today."""
    today = site_today(employee)
    start = valid_from or today
    first = not PayRate.objects.filter(employee=employee).exists()
    if start < employee.employment_start:
        raise _invalid("the rate cannot apply before the employment starts")
    currency = employee.team.site.currency
    row, _ = PayRate.objects.update_or_create(
        employee=employee,
        valid_from=start,
        currency=currency,
        defaults={"rate": rate, "recorded_at": timezone.now(), "recorded_by": actor},
    )
    in_force = _in_force(employee, currency, today)
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


def _in_force(employee: Employee, currency: str, day: date) -> Decimal | None:
    return (
        PayRate.objects.filter(employee=employee, currency=currency, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )


def pay_rates_due(*, now: Any = None) -> int:
    """Employees whose upcoming rate's first day has come at their site get it as their
    `hourly_rate` (celery beat, hourly; idempotent). Looked at: rates recorded on or before
    their first day's UTC date (a local day is at most a day off UTC: one recorded on the
    evening before its day in New York is recorded on its UTC date), whose day came in the
    last week or comes by tomorrow (UTC); an older one was made the hourly rate by an earlier
    run, or by any later change recorded since. Returns how many changed."""
    now = now or timezone.now()
    utc_today = now.astimezone(UTC).date()
    waiting = PayRate.objects.filter(
        valid_from__gte=TruncDate("recorded_at", tzinfo=UTC),
        valid_from__range=(utc_today - timedelta(days=8), utc_today + timedelta(days=1)),
    )
    changed = 0
    people = Employee.objects.filter(pk__in=waiting.values("employee_id")).select_related(
        "team__site"
    )
    for employee in people:
        site = employee.team.site
        today = timezone.localtime(now, ZoneInfo(site.timezone)).date()
        rate = _in_force(employee, site.currency, today)
        if rate is not None and rate != employee.hourly_rate:
            Employee.objects.filter(pk=employee.pk).update(hourly_rate=rate)
            changed += 1
    return changed


def pay_rates_convert(
    *, site: Site, before: str, conversion: Decimal | None, actor: Any = None
) -> int:
    """After `site` changed its currency from `before`: every employee of it gets their
    rates in the new currency, each old one times `conversion` (new units per old unit; 1
    where only the code was wrong), half up to four decimals, recorded and audited by
    pay_rate_record: the rate in force on the first day not in a closed pay period and every
    rate from a later day (upcoming ones too). Closed periods keep their frozen lines and
    currency and the old rows stay, so the history still says what was paid before. Refused
    (nothing written: the caller's transaction) without a conversion above zero. Returns
    how many rates were recorded."""
    if conversion is None or conversion <= 0:
        raise CurrencyConversionMissing(
            extra={"fields": {"rate_conversion": [{"code": CurrencyConversionMissing.code}]}}
        )
    closed_until = site.pay_periods.filter(status="closed").aggregate(last=Max("end_date"))
    first_open = (closed_until["last"] or date.min) + timedelta(days=1)
    recorded = 0
    for employee in Employee.objects.filter(team__site=site).select_related("team__site"):
        start = max(first_open, employee.employment_start)
        old = PayRate.objects.filter(employee=employee, currency=before)
        in_force = old.filter(valid_from__lte=start).order_by("-valid_from").first()
        rates = [(start, in_force.rate if in_force else employee.hourly_rate)]
        rates += (
            old.filter(valid_from__gt=start)
            .order_by("valid_from")
            .values_list("valid_from", "rate")
        )
        for valid_from, rate in rates:
            converted = (rate * conversion).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
            pay_rate_record(employee=employee, rate=converted, valid_from=valid_from, actor=actor)
            recorded += 1
    return recorded


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid input: {message}",
        extra={"fields": {"rate_valid_from": [{"code": "invalid", "message": message}]}},
    )
