"""Payroll exports of a closed period: written once per format and kept, so that every
download of it is the same bytes."""

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction

from timeclock.errors import PeriodNotClosed
from timeclock.exports.billable import billable_hours_csv
from timeclock.exports.csv import payroll_csv
from timeclock.exports.records import records_csv
from timeclock.exports.xlsx import payroll_xlsx
from timeclock.models import PayPeriod, PayrollExport

EXPORTERS: dict[str, Callable[..., bytes]] = {
    "csv": payroll_csv,
    "xlsx": payroll_xlsx,
    "billable": billable_hours_csv,
    "records": records_csv,
}


def payroll_export(*, period: PayPeriod, format: str) -> PayrollExport:
    """Write (once) and return the export of a closed period in a format."""
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
