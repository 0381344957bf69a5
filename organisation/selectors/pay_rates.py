"""An employee's pay rate history as people read it: each rate from its first local day,
newest first, with the one in force today and those to come marked."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from organisation.models import Employee, PayRate
from organisation.services.pay_rates import site_today


@dataclass(frozen=True)
class RateRow:
    valid_from: date
    rate: Decimal
    currency: str
    status: str  # "upcoming", "in_force" or "" (an earlier rate, or another currency's)


def pay_rate_history(*, employee: Employee, today: date | None = None) -> list[RateRow]:
    """The employee's rates, newest first: those from a day after the site's today are
    upcoming (pay uses them from that day), the latest before it in the site's currency is
    in force (the employee's hourly_rate)."""
    today = today or site_today(employee)
    currency = employee.team.site.currency
    rows = list(PayRate.objects.filter(employee=employee).order_by("-valid_from", "currency"))
    current = next((r for r in rows if r.currency == currency and r.valid_from <= today), None)
    return [
        RateRow(
            r.valid_from,
            r.rate,
            r.currency,
            "upcoming"
            if r.currency == currency and r.valid_from > today
            else "in_force"
            if r is current
            else "",
        )
        for r in rows
    ]
