"""Demo stage "pay": pay policies for the demo sites, attendance and pay for the simulated
week, the week's pay period closed, and its exports written."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from organisation.models import Site
from timeclock.errors import PayPolicyFinesNoPack, PayPolicyUnlawful
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy
from timeclock.selectors.periods import PeriodException, period_exceptions
from timeclock.services.pay_policies import pay_policy_save
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.periods import period_close, period_create

POLICIES = {
    # Amsterdam: no fines (switched off), weekend and night premiums, exact time; a mentor
    # earns a premium per hour beside a trainee (the demo's Retail NL trainees).
    "Amsterdam": {
        "fines_enabled": False,
        "weekend_premium": Decimal("0.50"),
        "night_premium": Decimal("0.25"),
        "mentoring_premium_per_hour": Decimal("1.50"),
    },
    # New York: neutral quarter-hour rounding and no fines: NY Labor Law s. 193 and 12 NYCRR
    # 195-4.5(e) forbid fines for tardiness or absence (timeclock/jurisdictions/us_ny.py). Late
    # minutes are simply not paid, as time not worked.
    "New York": {
        "rounding_minutes": 15,
        "lateness_mode": "none",
        "absence_mode": "none",
    },
}
# What the New York policy fined before the packs: tried again, to show the refusal.
UNLAWFUL = {
    "New York": {
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
    law: tuple[str, ...] = ()  # what the site's rule pack refused or capped, and why


def demo_pay_stage(*, start: date, out_dir: Path) -> list[SitePay]:
    results = []
    for site in Site.objects.order_by("name"):
        law = _unlawful_refused(site)
        policy = PayPolicy.objects.filter(site=site, team=None, effective_from=None).first()
        pay_policy_save(policy=policy or PayPolicy(site=site), fields=POLICIES[site.name])
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
        law += _capped_and_docked(period, exceptions)
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
                law=law,
            )
        )
    return results


def _unlawful_refused(site: Site) -> tuple[str, ...]:
    """The fines the site used to set, offered to its rule pack again: the refusal, naming
    the article (nothing is written)."""
    fields = UNLAWFUL.get(site.name)
    if fields is None:
        return ()
    try:
        with transaction.atomic():
            pay_policy_save(policy=PayPolicy(site=site, effective_from=date.max), fields=fields)
            raise RuntimeError(f"{site.name}: the rule pack took fines it should refuse")
    except (PayPolicyUnlawful, PayPolicyFinesNoPack) as refused:
        return (f"fines of the old policy refused: {refused.message}",)


def _capped_and_docked(period: PayPeriod, exceptions: list[PeriodException]) -> tuple[str, ...]:
    """Every payslip line the pack capped (its reason), and the late arrivals whose minutes
    were docked as time not worked (no fine)."""
    capped = tuple(
        f"capped: {line.employee_name}: {line.rule}"
        for line in PayLineRecord.objects.filter(
            period=period, pay_code__endswith="PENALTY"
        ).order_by("work_date", "id")
        if "not deducted" in line.rule or "reduced to" in line.rule
    )
    late = [e for e in exceptions if "late" in e.exceptions]
    docked = (
        (
            f"{len(late)} late arrivals: the minutes not worked are not paid (allowed), "
            "no fine taken",
        )
        if late
        else ()
    )
    return capped + docked
