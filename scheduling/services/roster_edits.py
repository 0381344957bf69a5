"""Manual roster edits: add, change (move, activity, queue), delete and pin a shift.

Every edit lands in a draft (editing a published roster opens its revision, a new version),
is re-checked by scheduling/rules.py for the people it touches, and is refused with the new
violations unless the manager overrides them with a reason. Overlaps are never allowed. Each
edit is audited with before and after.
"""

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.errors import InvalidInput
from organisation.models import Employee, Queue
from scheduling.errors import (
    RosterEditBreaksRules,
    ShiftOutsidePeriod,
    ShiftOverlap,
)
from scheduling.models import Roster, RosterChange, Shift, ShiftBreak, ShiftTemplate
from scheduling.selectors.roster_rules import roster_rules_input, violations_for
from scheduling.services.roster_versions import roster_revise


@dataclass(frozen=True)
class EditResult:
    roster: Roster  # the draft holding the change
    shift: Shift | None  # None after a delete
    overridden: list[dict[str, Any]]  # the violations kept, as Violation.as_json and who/when


@dataclass(frozen=True)
class ShiftFields:
    """What a change sets; None leaves a field as it is."""

    start: datetime | None = None
    end: datetime | None = None
    activity: str | None = None
    queue: Queue | None = None
    template: ShiftTemplate | None = None
    note: str | None = None


def _edit(
    *,
    roster: Roster,
    user: AbstractBaseUser | None,
    employees: set[str],
    reason: str,
    override: bool,
    apply: Callable[[Roster], tuple[Shift | None, RosterChange]],
    now: datetime | None,
) -> EditResult:
    if override and not reason.strip():
        raise InvalidInput("Give a reason to override the rules.", extra={"fields": ["reason"]})
    return retry_on_deadlock(
        lambda: _edit_once(roster, user, employees, reason, override, apply, now)
    )


def _edit_once(
    roster: Roster,
    user: AbstractBaseUser | None,
    employees: set[str],
    reason: str,
    override: bool,
    apply: Callable[[Roster], tuple[Shift | None, RosterChange]],
    now: datetime | None,
) -> EditResult:
    try:
        with transaction.atomic():
            draft = roster_revise(roster=roster, user=user)
            draft = Roster.objects.select_for_update().get(pk=draft.pk)
            built = roster_rules_input(draft, now=now or timezone.now(), only=employees)
            before = Counter(violations_for(draft, built, employees))
            shift, change = apply(draft)
            after = violations_for(draft, built, employees)
            new = list((Counter(after) - before).elements())
            found = [built.violation_json(v) for v in new]
            if new and not override:
                raise RosterEditBreaksRules(extra={"violations": found})
            change.roster = draft
            change.actor = user  # type: ignore[assignment]
            change.reason = reason
            change.violations = found
            change.save()
            if new:
                audit_record(
                    action="roster_rules_overridden",
                    actor=user,
                    object_type="roster",
                    object_id=str(draft.pk),
                    data={"change": change.pk, "reason": reason, "violations": change.violations},
                )
            return EditResult(draft, shift, found)
    except IntegrityError as exc:  # the PostgreSQL exclusion constraint
        raise ShiftOverlap() from exc


def _snapshot(shift: Shift) -> dict[str, Any]:
    return {
        "employee": str(shift.employee_id),
        "start": shift.start.isoformat(),
        "end": shift.end.isoformat(),
        "activity": shift.activity,
        "queue": str(shift.queue_id) if shift.queue_id else None,
        "template": str(shift.template_id) if shift.template_id else None,
    }


def _check_placement(draft: Roster, shift: Shift) -> None:
    if shift.end <= shift.start or shift.end - shift.start > timedelta(hours=16):
        raise InvalidInput("A shift ends after it starts and lasts at most 16 hours.")
    if not draft.start_date <= shift.local_date < draft.start_date + timedelta(days=draft.days):
        raise ShiftOutsidePeriod(extra={"local_date": str(shift.local_date)})
    clash = (
        draft.shifts.filter(employee_id=shift.employee_id, start__lt=shift.end, end__gt=shift.start)
        .exclude(pk=shift.pk)
        .first()
    )
    if clash is not None:
        raise ShiftOverlap(
            extra={
                "shift": str(clash.pk),
                "start": clash.start.isoformat(),
                "end": clash.end.isoformat(),
            }
        )


def _local_date(draft: Roster, start: datetime) -> date:
    return start.astimezone(ZoneInfo(draft.site.timezone)).date()


def _in_draft(draft: Roster, shift: Shift) -> Shift:
    """The draft's copy of a shift of the version it revises (or the shift itself)."""
    if shift.roster_id == draft.pk:
        return Shift.objects.select_for_update().get(pk=shift.pk)
    return draft.shifts.select_for_update().get(origin=shift.origin or shift.pk)


def shift_add(
    *,
    roster: Roster,
    employee: Employee,
    template: ShiftTemplate,
    start: datetime,
    end: datetime,
    user: AbstractBaseUser | None,
    queue: Queue | None = None,
    activity: str | None = None,
    note: str = "",
    reason: str = "",
    override: bool = False,
    now: datetime | None = None,
) -> EditResult:
    if (activity or template.activity) == "phone" and not (queue or template.queue):
        raise InvalidInput(
            "A phone shift needs a queue (its template works any queue).",
            extra={"fields": {"queue": [{"code": "required", "message": "Required."}]}},
        )

    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        shift = Shift(
            id=uuid.uuid4(),
            roster=draft,
            employee=employee,
            template=template,
            queue=queue or template.queue,
            activity=activity or template.activity,
            start=start,
            end=end,
            local_date=_local_date(draft, start),
            state=draft.status,
            source=Shift.Source.MANUAL,
            note=note,
        )
        _check_placement(draft, shift)
        shift.save()
        return shift, RosterChange(
            action=RosterChange.Action.ADDED, shift_id=shift.pk, after=_snapshot(shift)
        )

    return _edit(
        roster=roster,
        user=user,
        employees={str(employee.pk)},
        reason=reason,
        override=override,
        apply=apply,
        now=now,
    )


def shift_change(
    *,
    shift: Shift,
    fields: ShiftFields,
    user: AbstractBaseUser | None,
    reason: str = "",
    override: bool = False,
    now: datetime | None = None,
) -> EditResult:
    """Move a shift (its breaks move with it) or change its activity, queue or note."""

    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        row = _in_draft(draft, shift)
        before = _snapshot(row)
        moved_by = (fields.start - row.start) if fields.start is not None else timedelta(0)
        row.start = fields.start or row.start
        row.end = fields.end or (row.end + moved_by)
        row.local_date = _local_date(draft, row.start)
        row.activity = fields.activity or row.activity
        row.queue = fields.queue or row.queue
        row.template = fields.template or row.template
        if fields.note is not None:
            row.note = fields.note
        row.source = Shift.Source.MANUAL
        _check_placement(draft, row)
        row.save()
        if moved_by:
            for b in row.breaks.all():
                ShiftBreak.objects.filter(pk=b.pk).update(
                    start=b.start + moved_by, end=b.end + moved_by
                )
            row.breaks.filter(end__gt=row.end).delete()
        action = (
            RosterChange.Action.MOVED
            if fields.start or fields.end
            else RosterChange.Action.ACTIVITY
        )
        return row, RosterChange(
            action=action, shift_id=row.pk, before=before, after=_snapshot(row)
        )

    return _edit(
        roster=shift.roster,
        user=user,
        employees={str(shift.employee_id)},
        reason=reason,
        override=override,
        apply=apply,
        now=now,
    )


def shift_delete(
    *,
    shift: Shift,
    user: AbstractBaseUser | None,
    reason: str = "",
    override: bool = False,
    now: datetime | None = None,
) -> EditResult:
    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        row = _in_draft(draft, shift)
        before = _snapshot(row)
        shift_id = row.pk
        row.delete()
        return None, RosterChange(
            action=RosterChange.Action.DELETED, shift_id=shift_id, before=before
        )

    return _edit(
        roster=shift.roster,
        user=user,
        employees={str(shift.employee_id)},
        reason=reason,
        override=override,
        apply=apply,
        now=now,
    )


@transaction.atomic
def shift_pin(*, shift: Shift, pinned: bool, user: AbstractBaseUser | None) -> EditResult:
    """Mark a draft shift to be kept by the next re-solve (no rule changes, so no check)."""
    draft = roster_revise(roster=shift.roster, user=user)
    row = _in_draft(draft, shift)
    row.pinned = pinned
    row.save(update_fields=["pinned"])
    RosterChange.objects.create(
        roster=draft,
        actor=user,
        action=RosterChange.Action.PINNED,
        shift_id=row.pk,
        after={"pinned": pinned},
    )
    return EditResult(draft, row, [])
