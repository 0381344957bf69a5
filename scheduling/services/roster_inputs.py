"""What managers set up before a build: shift templates and availability blocks."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.errors import InvalidInput
from organisation.models import Employee
from organisation.services.organisation import save_validated
from scheduling.models import AvailabilityBlock, ShiftTemplate


def _check_template(template: ShiftTemplate) -> None:
    if template.queue is not None and template.queue.site_id != template.site_id:
        raise InvalidInput(
            "The queue belongs to another site.",
            extra={"fields": {"queue": [{"code": "other_site", "message": "Other site."}]}},
        )
    lengths = template.lengths_minutes if isinstance(template.lengths_minutes, list) else []
    for rule in template.breaks if isinstance(template.breaks, list) else []:
        if (
            isinstance(rule, dict)
            and lengths
            and rule.get("latest_offset_minutes", 0) + rule.get("length_minutes", 0) > min(lengths)
        ):
            raise InvalidInput(
                "A break must end inside the shortest shift length.",
                extra={"fields": {"breaks": [{"code": "break_outside_shift", "message": ""}]}},
            )


@transaction.atomic
def shift_template_create(**fields: Any) -> ShiftTemplate:
    template = ShiftTemplate(**fields)
    _check_template(template)
    save_validated(template)
    return template


@transaction.atomic
def shift_template_update(*, template: ShiftTemplate, **fields: Any) -> ShiftTemplate:
    for name, value in fields.items():
        setattr(template, name, value)
    _check_template(template)
    save_validated(template)
    return template


@transaction.atomic
def availability_create(
    *,
    employee: Employee,
    kind: str,
    start: Any,
    end: Any,
    reason: str = "",
    created_by: AbstractBaseUser | None = None,
) -> AvailabilityBlock:
    block = AvailabilityBlock(
        employee=employee, kind=kind, start=start, end=end, reason=reason, created_by=created_by
    )
    if end <= start:
        raise InvalidInput(
            "The end must come after the start.",
            extra={"fields": {"end": [{"code": "end_before_start", "message": ""}]}},
        )
    save_validated(block)
    return block
