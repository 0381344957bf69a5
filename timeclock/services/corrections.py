"""Managers' corrections of punches: a missed punch added, one voided or moved, always as a
new audited row with a reason; the punch itself never changes (R1.2)."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.models import Employee
from timeclock.models import Punch, PunchCorrection


@transaction.atomic
def _correction(**fields: Any) -> PunchCorrection:
    if not str(fields.get("reason", "")).strip():
        raise InvalidInput("A correction needs a reason.", extra={"fields": ["reason"]})
    row = PunchCorrection.objects.create(**fields)
    audit_record(
        action=f"punch_{row.action}",
        actor=row.actor,
        object_type="punch_correction",
        object_id=str(row.pk),
        data={
            "punch": row.punch_id,
            "employee": str(row.employee_id),
            "kind": row.kind,
            "occurred_at": row.occurred_at,
            "reason": row.reason,
        },
    )
    return row


def correction_add(
    *, employee: Employee, kind: str, occurred_at: datetime, reason: str, actor: AbstractBaseUser
) -> PunchCorrection:
    return _correction(
        action=PunchCorrection.Action.ADD,
        employee=employee,
        kind=kind,
        occurred_at=occurred_at,
        reason=reason,
        actor=actor,
    )


def correction_void(*, punch: Punch, reason: str, actor: AbstractBaseUser) -> PunchCorrection:
    return _correction(
        action=PunchCorrection.Action.VOID,
        punch=punch,
        employee=punch.employee,
        kind=punch.kind,
        reason=reason,
        actor=actor,
    )


def correction_move(
    *, punch: Punch, occurred_at: datetime, reason: str, actor: AbstractBaseUser
) -> PunchCorrection:
    return _correction(
        action=PunchCorrection.Action.MOVE,
        punch=punch,
        employee=punch.employee,
        kind=punch.kind,
        occurred_at=occurred_at,
        reason=reason,
        actor=actor,
    )
