"""The period's frozen lines as a payroll system reads them: summed per employee and pay code,
with the employee's number in that system and the site's code for each pay code. Refuses, before
anything is written, a site account not set up, a pay code without a code, or an employee
without a number, naming what is missing."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Sum

from timeclock.errors import (
    ExportAccountMissing,
    ExportCodesUnmapped,
    ExportIdentifiersMissing,
    ExportIdentifiersShared,
)
from timeclock.exports.csv import HOURS_CARRIED
from timeclock.models import (
    EarningsCode,
    EmployeePayrollIds,
    PayLineRecord,
    PayPeriod,
    PayrollSiteAccount,
    PayrollSystem,
)
from timeclock.pay import PayCode, hours_of
from timeclock.rates import rate_said

MISSING_LISTED = 50  # employees named in a refusal; the count says how many in all
ID_FIELD = {
    PayrollSystem.ADP: "adp_file_number",
    PayrollSystem.DATEV: "datev_personnel_number",
}
ACCOUNT_FIELDS = {
    PayrollSystem.ADP: ("adp_company_code", "adp_batch_id"),
    PayrollSystem.DATEV: ("datev_consultant_number", "datev_client_number"),
}


@dataclass(frozen=True)
class CodedTotal:
    """One employee's total of one pay code, with what the payroll system knows them by."""

    payroll_id: str  # file number (ADP) or personnel number (DATEV)
    cost_centre: str
    employee_number: str  # ours, frozen at the close
    pay_code: str
    minutes: int  # of the lines that carry hours (a fine's minutes are not hours paid)
    amount: Decimal
    code: str  # the payroll system's code ("" where the layout has a column of its own)
    kind: str  # EarningsCode.Kind: the system gets the hours or our amount
    # The hourly rate in force on these hours' days, where the employee's period held more
    # than one (the system prices hours at the rate it keeps, one per person); None: one rate.
    base_rate: Decimal | None = None

    @property
    def hours(self) -> Decimal:
        """The minutes summed, rounded once to hundredths of an hour (never a sum of the
        lines' rounded hours, which drifts from the amounts)."""
        return hours_of(self.minutes)


def site_account(*, period: PayPeriod, system: str) -> PayrollSiteAccount:
    """The site's account with the system, every field it needs filled in, or a refusal."""
    account = PayrollSiteAccount.objects.filter(site_id=period.site_id).first()
    missing = [f for f in ACCOUNT_FIELDS[PayrollSystem(system)] if not getattr(account, f, "")]
    if account is None or missing:
        raise ExportAccountMissing(extra={"system": system, "fields": missing})
    return account


def coded_totals(
    *, period: PayPeriod, system: str, fixed: frozenset[str] = frozenset()
) -> list[CodedTotal]:
    """Per employee and pay code, the period's hours and amounts with the system's code,
    sorted by the employee's payroll number then pay code. `fixed` are the pay codes the
    layout has columns for (they need no code)."""
    sums = list(
        PayLineRecord.objects.filter(period=period)
        .values("employee_id", "employee_number", "employee_name", "pay_code")
        .annotate(minutes=Sum("minutes", filter=HOURS_CARRIED), amount=Sum("amount"))
        .order_by()
    )
    codes = EarningsCode.objects.filter(site_id=period.site_id, system=system)
    mapping = {row.pay_code: row for row in codes}
    unmapped = sorted({s["pay_code"] for s in sums} - set(mapping) - fixed)
    if unmapped:
        raise ExportCodesUnmapped(extra={"system": system, "codes": unmapped})
    ids = _payroll_ids(period, system, sums)
    totals = [
        CodedTotal(
            payroll_id=ids[s["employee_id"]][0],
            cost_centre=ids[s["employee_id"]][1],
            employee_number=s["employee_number"],
            pay_code=s["pay_code"],
            minutes=s["minutes"] or 0,
            amount=s["amount"],
            code=mapping[s["pay_code"]].code if s["pay_code"] in mapping else "",
            kind=mapping[s["pay_code"]].kind if s["pay_code"] in mapping else "hours",
        )
        for s in sums
    ]
    totals = _split_by_rate(period, totals)
    return sorted(
        totals,
        key=lambda t: (t.payroll_id, t.employee_number, _order(t.pay_code), t.base_rate or 0),
    )


def _split_by_rate(period: PayPeriod, totals: list[CodedTotal]) -> list[CodedTotal]:
    """The hours the system prices (REGULAR, OVERTIME, codes taking hours) of an employee
    whose period held two rates, one total per rate in force on their days (the lines say
    which: timeclock.rates.rate_said); amounts, and every total of a period with one rate, as
    they are."""
    split: dict[tuple[str, str], dict[Decimal, list[Decimal]]] = {}
    rows = PayLineRecord.objects.filter(period=period, reason__icontains="rate_in_force")
    for number, code, minutes, hours, amount, reason in rows.values_list(
        "employee_number", "pay_code", "minutes", "hours", "amount", "reason"
    ):
        rate = rate_said(reason)
        if rate is not None:
            part = split.setdefault((number, code), {}).setdefault(rate, [Decimal(0)] * 2)
            part[0] += minutes if hours else 0
            part[1] += amount
    result = []
    for total in totals:
        parts = split.get((total.employee_number, total.pay_code))
        if not parts or total.kind != EarningsCode.Kind.HOURS:
            result.append(total)
            continue
        minutes = int(sum((m for m, _ in parts.values()), Decimal(0)))
        amount = sum((a for _, a in parts.values()), Decimal(0))
        if total.minutes != minutes or total.amount != amount:  # lines without a rate said
            rest = replace(total, minutes=total.minutes - minutes, amount=total.amount - amount)
            result.append(rest)
        result.extend(
            replace(total, minutes=int(m), amount=a, base_rate=rate)
            for rate, (m, a) in sorted(parts.items())
        )
    return result


def _order(pay_code: str) -> tuple[int, str]:
    """Pay codes in the order of PayCode (regular first, adjustments last)."""
    order = [code.value for code in PayCode]
    return (order.index(pay_code) if pay_code in order else len(order), pay_code)


def _payroll_ids(
    period: PayPeriod, system: str, sums: list[dict[str, object]]
) -> dict[object, tuple[str, str]]:
    """Each paid employee's number in the system and cost centre; a refusal naming those
    without a number."""
    field = ID_FIELD[PayrollSystem(system)]
    found = {
        row["employee_id"]: (row[field], row["cost_centre"])
        for row in EmployeePayrollIds.objects.filter(
            employee_id__in={s["employee_id"] for s in sums}
        ).values("employee_id", field, "cost_centre")
    }
    missing = sorted(
        {
            (str(s["employee_number"]), str(s["employee_name"]))
            for s in sums
            if not found.get(s["employee_id"], ("", ""))[0]
        }
    )
    if missing:
        raise ExportIdentifiersMissing(
            extra={
                "system": system,
                "field": field,
                "employees": [{"number": n, "name": m} for n, m in missing[:MISSING_LISTED]],
                "count": len(missing),
            }
        )
    holders: dict[str, list[tuple[str, str]]] = {}
    for s in sums:
        number = found[s["employee_id"]][0]
        who = (str(s["employee_number"]), str(s["employee_name"]))
        if who not in holders.setdefault(number, []):
            holders[number].append(who)
    shared = sorted(who for people in holders.values() if len(people) > 1 for who in people)
    if shared:  # two people under one number would be paid as one
        raise ExportIdentifiersShared(
            extra={
                "system": system,
                "field": field,
                "employees": [{"number": n, "name": m} for n, m in shared[:MISSING_LISTED]],
                "count": len(shared),
            }
        )
    return found
