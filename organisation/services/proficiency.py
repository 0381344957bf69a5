"""Recording a level an employee reached on a queue: a new row each time (the history stays);
reaching any level on a queue also makes the employee skilled for it."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.models import Employee, Proficiency, Queue, QueueProficiency


@transaction.atomic
def proficiency_set(
    *,
    employee: Employee,
    queue: Queue,
    level: str,
    reached_on: date,
    by: AbstractBaseUser | None,
    reason: str = "",
) -> QueueProficiency:
    """The employee is at `level` on `queue` from the local day `reached_on`."""
    if level not in Proficiency.values:
        message = f"Unknown level {level!r}."
        raise InvalidInput(
            message, extra={"fields": {"level": [{"code": "invalid", "message": message}]}}
        )
    if queue.site_id != employee.team.site_id:
        message = "The queue belongs to another site."
        raise InvalidInput(
            message, extra={"fields": {"queue": [{"code": "invalid", "message": message}]}}
        )
    row = QueueProficiency.objects.create(
        employee=employee,
        queue=queue,
        level=level,
        reached_on=reached_on,
        reason=reason[:200],
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    employee.queues.add(queue)
    audit_record(
        action="proficiency.set",
        actor=by,
        object_type="employee",
        object_id=str(employee.pk),
        data={"queue": str(queue.pk), "level": level, "reached_on": reached_on.isoformat()},
    )
    return row
