"""Retention: time cards are kept at least 2 years and payroll records 3 (29 CFR 516.6 and
516.5). A purge asked to go closer than its floor is refused; the floors can be raised in
settings, never lowered below the law's. An allowed purge is audited."""

from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import connection, transaction

from organisation.audit import audit_record
from timeclock.errors import RetentionFloor
from timeclock.models import (
    BillableHours,
    CorrectionRequest,
    PayLineRecord,
    PayPeriod,
    Punch,
    PunchCorrection,
)

FLOORS_YEARS = {"time_cards": 2, "payroll": 3}


def retention_years(kind: str) -> int:
    configured = {
        "time_cards": settings.WFM_RETENTION_TIME_CARD_YEARS,
        "payroll": settings.WFM_RETENTION_PAYROLL_YEARS,
    }[kind]
    return max(int(configured), FLOORS_YEARS[kind])


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@transaction.atomic
def retention_purge(*, kind: str, before: date, today: date) -> int:
    """Delete records of `kind` older than `before`; refused inside the retention period."""
    years = retention_years(kind)
    limit = _years_before(today, years)
    if before > limit:
        raise RetentionFloor(
            extra={"kind": kind, "keep_years": years, "earliest_allowed_before": str(limit)}
        )
    if kind == "time_cards":
        deleted = _delete_append_only(before)
    else:
        old = PayPeriod.objects.filter(end_date__lt=before, status=PayPeriod.Status.CLOSED)
        deleted, _ = PayLineRecord.objects.filter(period__in=old).delete()
        billable, _ = BillableHours.objects.filter(period__in=old).delete()
        deleted += billable
    audit_record(
        action="retention_purge",
        actor=None,
        object_type=kind,
        object_id=str(before),
        data={"deleted": deleted, "keep_years": years},
    )
    return deleted


def _delete_append_only(before: date) -> int:
    """Punches and corrections are append-only; the purge is the one delete allowed, with
    the guard lifted for this transaction only. Operators' requests about the purged punches
    go first (they refer to the punches and to the corrections they produced)."""
    tables = ("timeclock_punchcorrection", "timeclock_punch")
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    cutoff = datetime.combine(before, time(), tzinfo=UTC)
    requests, _ = CorrectionRequest.objects.filter(punch__occurred_at__lt=cutoff).delete()
    corrections, _ = PunchCorrection.objects.filter(punch__occurred_at__lt=cutoff).delete()
    punches, _ = Punch.objects.filter(occurred_at__lt=cutoff, corrections__isnull=True).delete()
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks at ALTER
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
    return requests + corrections + punches
