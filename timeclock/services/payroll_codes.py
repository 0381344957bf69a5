"""Writes of the payroll codes: a site's account with the payroll systems and its
earnings-code map (saved together, all or nothing), and employees' payroll numbers imported
as lines (every bad line reported, nothing written unless all are good)."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from organisation.audit import audit_record
from organisation.models import Employee, Site
from timeclock.errors import PayrollCodesInvalid
from timeclock.models import EarningsCode, EmployeePayrollIds, PayrollSiteAccount
from timeclock.pay import PayCode

NO_SUCH_EMPLOYEE = gettext_noop("no employee of this site has this number")
NUMBER_TAKEN = gettext_noop("another employee of this site has this number")
AMOUNT_ONLY = gettext_noop("an amount: this pay code can have no hours")
KIND_UNKNOWN = gettext_noop("hours or amount")
# Pay codes whose lines may have no hours (a fine, an amount-only adjustment) go as amounts:
# a payroll system pricing their 0 hours would drop them. Premiums carry their minutes and
# may go as hours (an hours-coded differential the payroll system prices).
AMOUNT_ONLY_CODES = {PayCode.LATENESS_PENALTY, PayCode.ABSENCE_PENALTY, PayCode.ADJUSTMENT}
CODE = re.compile(r"^[A-Za-z0-9_]{1,10}$")
ACCOUNT_RULES = {  # field: (pattern, what it must be)
    "adp_company_code": (r"^[A-Za-z0-9_]{3}$", gettext_noop("three letters or digits")),
    "adp_batch_id": (r"^[A-Za-z0-9_]{1,10}$", gettext_noop("up to 10 letters or digits")),
    "datev_consultant_number": (r"^[0-9]{1,7}$", gettext_noop("up to 7 digits")),
    "datev_client_number": (r"^[0-9]{1,5}$", gettext_noop("up to 5 digits")),
}
ID_RULES = {
    "adp_file_number": (r"^[0-9]{1,6}$", gettext_noop("up to 6 digits")),
    "datev_personnel_number": (r"^[0-9]{1,5}$", gettext_noop("up to 5 digits")),
    "cost_centre": (r"^[A-Za-z0-9_]{1,13}$", gettext_noop("up to 13 letters or digits")),
}


@dataclass(frozen=True)
class CodeInput:
    system: str
    pay_code: str
    code: str  # "" removes the mapping
    kind: str


@transaction.atomic
def payroll_codes_save(
    *, site: Site, account: dict[str, str], codes: list[CodeInput], actor: Any = None
) -> None:
    """Save the site's account and map; any bad value refuses the whole save, naming it."""
    problems = {
        name: rule
        for name, (pattern, rule) in ACCOUNT_RULES.items()
        if account.get(name) and not re.match(pattern, account[name])
    }
    for c in codes:
        key = f"{c.system}:{c.pay_code}"
        if c.code and not CODE.match(c.code):
            problems[key] = "up to 10 letters or digits"
        elif c.code and c.kind not in EarningsCode.Kind.values:
            problems[key] = KIND_UNKNOWN
        elif c.code and c.kind == EarningsCode.Kind.HOURS and c.pay_code in AMOUNT_ONLY_CODES:
            problems[key] = AMOUNT_ONLY
    if problems:
        raise PayrollCodesInvalid(extra={"fields": problems})
    PayrollSiteAccount.objects.update_or_create(
        site=site, defaults={name: account.get(name, "") for name in ACCOUNT_RULES}
    )
    for c in codes:
        if c.code:
            EarningsCode.objects.update_or_create(
                site=site,
                system=c.system,
                pay_code=c.pay_code,
                defaults={"code": c.code, "kind": c.kind},
            )
        else:
            EarningsCode.objects.filter(site=site, system=c.system, pay_code=c.pay_code).delete()
    audit_record(
        action="payroll_codes_saved",
        actor=actor,
        object_type="site",
        object_id=str(site.pk),
        data={"account": account, "codes": [[c.system, c.pay_code, c.code, c.kind] for c in codes]},
    )


@transaction.atomic
def payroll_ids_import(*, site: Site, text: str, actor: Any = None) -> int:
    """Lines `employee number; ADP file number; DATEV personnel number; cost centre` (comma
    or semicolon, empty fields kept as they are) for the site's employees. Any bad line
    refuses the import with every bad line and why; returns how many employees changed."""
    people = {e.number: e for e in Employee.objects.filter(team__site=site)}
    problems: list[dict[str, object]] = []
    changes: list[tuple[Employee, dict[str, str]]] = []
    lines: dict[object, int] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in re.split(r"[;,\t]", raw)] + ["", "", ""]
        employee = people.get(parts[0])
        values = dict(zip(ID_RULES, parts[1:4], strict=True))
        bad = [
            rule
            for name, (pattern, rule) in ID_RULES.items()
            if values[name] and not re.match(pattern, values[name])
        ]
        if employee is None:
            problems.append({"line": n, "problems": [NO_SUCH_EMPLOYEE]})
        elif bad:
            problems.append({"line": n, "problems": bad})
        else:
            changes.append((employee, {k: v for k, v in values.items() if v}))
            lines[employee.pk] = n
    problems += _numbers_taken(site, changes, lines)
    if problems:
        raise PayrollCodesInvalid(
            extra={"lines": sorted(problems, key=lambda p: int(str(p["line"])))}
        )
    for employee, values in changes:
        EmployeePayrollIds.objects.update_or_create(employee=employee, defaults=values)
    audit_record(
        action="payroll_ids_imported",
        actor=actor,
        object_type="site",
        object_id=str(site.pk),
        data={"employees": len(changes)},
    )
    return len(changes)


def _numbers_taken(
    site: Site, changes: list[tuple[Employee, dict[str, str]]], lines: dict[object, int]
) -> list[dict[str, object]]:
    """Lines that would give an ADP file number or a DATEV personnel number to two employees of
    the site (the ids as they would be after the import)."""
    after = {
        row.employee_id: {
            "adp_file_number": row.adp_file_number,
            "datev_personnel_number": row.datev_personnel_number,
        }
        for row in EmployeePayrollIds.objects.filter(employee__team__site=site)
    }
    for employee, values in changes:
        after.setdefault(employee.pk, {}).update(values)
    taken: list[dict[str, object]] = []
    for field in ("adp_file_number", "datev_personnel_number"):
        holders: dict[str, list[object]] = {}
        for employee_id, ids in after.items():
            if ids.get(field):
                holders.setdefault(ids[field], []).append(employee_id)
        for people in holders.values():
            if len(people) > 1:
                taken += [
                    {"line": lines[p], "problems": [NUMBER_TAKEN]} for p in people if p in lines
                ]
    return taken
