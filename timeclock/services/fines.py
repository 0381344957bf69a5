"""Fine rules received by an employee (BW art. 7:650): recorded with the day, refused when a
fine was already taken before that day, or when a cap lift is agreed at the minimum wage."""

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.local_grid import local_date
from organisation.models import Employee
from organisation.services.organisation import save_validated
from timeclock.errors import (
    FineAcknowledgementAfterFine,
    FineAcknowledgementRecorded,
    FineCapLiftAtMinimumWage,
    FineReceiptToCome,
)
from timeclock.jurisdictions.rules import FINES
from timeclock.models import FineAcknowledgement, PayLineRecord


@transaction.atomic
def fine_acknowledgement_record(
    *,
    employee: Employee,
    received_on: date,
    document: str,
    cap_lifted: bool = False,
    by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> FineAcknowledgement:
    """The employee received the written rules naming the fines on `received_on`. Refused
    (nothing written) for a day still to come, a receipt already recorded, a day after a fine
    already taken from them, or a cap lift for someone paid at or below the site's minimum
    wage. Audited."""
    now = now or timezone.now()
    site = employee.team.site
    if received_on > local_date(instant=now, timezone=site.timezone):
        raise FineReceiptToCome(extra={"fields": ["received_on"]})
    if not document.strip():
        raise InvalidInput("Name the contract or staff rules.", extra={"fields": ["document"]})
    if FineAcknowledgement.objects.filter(
        employee=employee, received_on=received_on, document=document.strip()
    ).exists():  # the constraint fine_ack_once, said in words
        raise FineAcknowledgementRecorded(extra={"fields": ["received_on", "document"]})
    earlier = (
        PayLineRecord.objects.filter(
            employee=employee, pay_code__in=list(FINES), amount__lt=0, work_date__lt=received_on
        )
        .order_by("work_date")
        .values_list("work_date", flat=True)
        .first()
    )
    if earlier is not None:
        raise FineAcknowledgementAfterFine(
            extra={"fields": ["received_on"], "fined_on": earlier.isoformat()}
        )
    if cap_lifted and employee.hourly_rate <= site.minimum_hourly_wage:
        raise FineCapLiftAtMinimumWage(extra={"fields": ["cap_lifted"]})
    row = FineAcknowledgement(
        employee=employee,
        received_on=received_on,
        document=document.strip(),
        cap_lifted=cap_lifted,
        recorded_by=by,
        recorded_at=now,
    )
    save_validated(row, exclude=["recorded_by"])  # a service may record it (no user)
    audit_record(
        action="fine_rules_received",
        actor=by,
        object_type="fine_acknowledgement",
        object_id=str(row.pk),
        data={
            "employee": employee.number,
            "received_on": received_on.isoformat(),
            "document": row.document,
            "cap_lifted": cap_lifted,
        },
    )
    return row
