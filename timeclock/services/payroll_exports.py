"""Payroll exports of a closed period: written once per format and kept, so that every
download of it is the same bytes."""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.audit import audit_record
from timeclock.errors import (
    ExportNotMade,
    ExportReissueFormat,
    ExportReissueUnchanged,
    PeriodNotClosed,
)
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
    existing = current_export(period=period, format=format)
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
        return PayrollExport.objects.get(period=period, format=format, superseded_at__isnull=True)


def current_export(*, period: PayPeriod, format: str) -> PayrollExport | None:
    """The export of a period in a format that downloads serve (not superseded)."""
    return PayrollExport.objects.filter(
        period=period, format=format, superseded_at__isnull=True
    ).first()


REISSUED = (PayrollSystem.ADP, PayrollSystem.DATEV)


@transaction.atomic
def payroll_export_reissue(
    *, period: PayPeriod, format: str, actor: Any = None, now: datetime | None = None
) -> PayrollExport:
    """A payroll system's file of a closed period written again from the same locked pay
    lines with the site's account, earnings codes and employees' numbers as they are now
    (after the officer corrected them), stored as the next version; the current one is kept,
    superseded, and still downloads as it was. Audited (who, when, both versions' hashes).
    Refused with nothing written: not ADP or DATEV (export_reissue_format), the period open,
    no export made yet (export_not_made), the map, account or numbers still incomplete (the
    export's own refusals: export_codes_unmapped, export_identifiers_missing, ...), or the
    same bytes as the current file (export_reissue_unchanged)."""
    if format not in REISSUED:
        raise ExportReissueFormat(extra={"format": format})
    period = PayPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != PayPeriod.Status.CLOSED:
        raise PeriodNotClosed()
    current = (
        PayrollExport.objects.select_for_update()
        .filter(period=period, format=format, superseded_at__isnull=True)
        .first()
    )
    if current is None:
        raise ExportNotMade(extra={"format": format})
    content = EXPORTERS[format](period=period)  # refuses before anything is written
    digest = hashlib.sha256(content).hexdigest()
    if digest == current.sha256:
        raise ExportReissueUnchanged(extra={"format": format, "version": current.version})
    now = now or timezone.now()
    current.superseded_at = now
    current.save(update_fields=["superseded_at"])
    issued = PayrollExport.objects.create(
        period=period,
        format=format,
        content=content,
        sha256=digest,
        version=current.version + 1,
        created_by=actor,
    )
    audit_record(
        action="payroll_export_reissued",
        actor=actor,
        object_type="pay_period",
        object_id=str(period.pk),
        data={
            "format": format,
            "version": issued.version,
            "sha256": digest,
            "supersedes": current.version,
            "superseded_sha256": current.sha256,
        },
    )
    return issued
