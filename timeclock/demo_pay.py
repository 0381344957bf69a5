"""Demo stage "pay": pay policies for the demo sites, attendance and pay for the simulated
week, the week's pay period closed, and its exports written."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from organisation.models import Site
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy
from timeclock.selectors.periods import period_exceptions
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.periods import period_close, period_create

POLICIES = {
    # Amsterdam: no fines (switched off), weekend and night premiums, exact time.
    "Amsterdam": {
        "fines_enabled": False,
        "weekend_premium": Decimal("0.50"),
        "night_premium": Decimal("0.25"),
    },
    # New York: neutral quarter-hour rounding, a lateness fine per minute past the grace and a
    # fixed absence fine; the minimum wage caps them.
    "New York": {
        "rounding_minutes": 15,
        "lateness_mode": "per_minute",
        "lateness_amount": Decimal("0.25"),
        "absence_mode": "fixed",
        "absence_amount": Decimal("20.00"),
    },
}


@dataclass(frozen=True)
class SitePay:
    site: str
    period: str
    employees: int
    gross: Decimal
    currency: str
    exceptions: int
    penalties: tuple[str, ...]
    csv: Path
    xlsx: Path


def demo_pay_stage(*, start: date, out_dir: Path) -> list[SitePay]:
    results = []
    for site in Site.objects.order_by("name"):
        PayPolicy.objects.update_or_create(site=site, team=None, defaults=POLICIES[site.name])
        period = PayPeriod.objects.filter(site=site, start_date=start).first() or period_create(
            site=site, start_date=start, end_date=start + timedelta(days=6)
        )
        exceptions = period_exceptions(period=period)
        period = period_close(
            period=period,
            user=None,
            force_reason="Demo: the missing clock-out was confirmed with the team lead",
        )
        slug = site.name.lower().replace(" ", "-")
        paths = []
        for kind, suffix in (("csv", "csv"), ("xlsx", "xlsx")):
            path = out_dir / f"payroll_{slug}_{start}.{suffix}"
            path.write_bytes(bytes(payroll_export(period=period, format=kind).content))
            paths.append(path)
        lines = PayLineRecord.objects.filter(period=period)
        penalties = tuple(
            f"{line.employee.full_name}: {line.amount} — {line.rule}"
            for line in lines.filter(pay_code__endswith="PENALTY")
            .select_related("employee__user")
            .order_by("pay_code", "work_date", "id")[:4]
        )
        results.append(
            SitePay(
                site=site.name,
                period=f"{period.start_date}..{period.end_date}",
                employees=lines.values("employee").distinct().count(),
                gross=sum((line.amount for line in lines), Decimal(0)),
                currency=site.currency,
                exceptions=len(exceptions),
                penalties=penalties,
                csv=paths[0],
                xlsx=paths[1],
            )
        )
    return results
