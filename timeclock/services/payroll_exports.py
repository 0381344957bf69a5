"""Payroll exports of a closed period: written once per format and kept, so that every
download of it is the same bytes."""

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction

from timeclock.errors import PeriodNotClosed
from timeclock.exports.adp import FIXED as ADP_FIXED
from timeclock.exports.adp import adp_paydata_csv
from timeclock.exports.billable import billable_hours_csv
from timeclock.exports.coded import coded_totals, site_account
from timeclock.exports.csv import payroll_csv
from timeclock.exports.datev import datev_lodas_txt
from timeclock.exports.records import records_csv
from timeclock.exports.xlsx import payroll_xlsx
from timeclock.models import PayPeriod, PayrollExport, PayrollSystem

EXPORTERS: dict[str, Callable[..., bytes]] = {
    "csv": payroll_csv,
    "xlsx": payroll_xlsx,
    "billable": billable_hours_csv,
    "records": records_csv,
    "adp": adp_paydata_csv,
    "datev": datev_lodas_txt,
}


def payroll_export_check(*, period: PayPeriod, format: str) -> None:
    """Refuse at once (before a job is made) an export that cannot be written: the period
    not closed; for a payroll system, its site account, a pay code's code or an employee's
    number missing (the refusal names them)."""
    if period.status != PayPeriod.Status.CLOSED:
        raise PeriodNotClosed()
    if format in (PayrollSystem.ADP, PayrollSystem.DATEV):
        site_account(period=period, system=format)
        fixed = ADP_FIXED if format == PayrollSystem.ADP else frozenset()
        coded_totals(period=period, system=format, fixed=fixed)


def payroll_export(*, period: PayPeriod, format: str) -> PayrollExport:
    """Write (once) and return the export of a closed period in a format; a format that
    cannot be written is refused with nothing stored (the exporter raises before the row)."""
    period = PayPeriod.objects.get(pk=period.pk)
    if period.status != PayPeriod.Status.CLOSED:
        raise PeriodNotClosed()
    existing = PayrollExport.objects.filter(period=period, format=format).first()
    if existing is not None:
        return existing
    content = EXPORTERS[format](period=period)
    try:
        with transaction.atomic():
            return PayrollExport.objects.create(
                period=period,
                format=format,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    except IntegrityError:  # a concurrent job wrote the same bytes first
        return PayrollExport.objects.get(period=period, format=format)
