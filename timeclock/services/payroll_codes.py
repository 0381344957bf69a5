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

NO_SUCH_EMPLOYEE = gettext_noop("no employee of this site has this number")
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
    problems.update(
        {
            f"{c.system}:{c.pay_code}": "up to 10 letters or digits"
            for c in codes
            if c.code and not CODE.match(c.code)
        }
    )
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
    if problems:
        raise PayrollCodesInvalid(extra={"lines": problems})
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
