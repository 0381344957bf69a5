"""Manual roster edits: add, change (move, resize, reassign, activity, queue), delete and pin a
shift, move a break, and undo the last edit.

Every edit lands in a draft (editing a published roster opens its revision, a new version),
is re-checked by scheduling/rules.py for the people it touches, and is refused with the new
violations unless the manager overrides them with a reason. Overlaps are never allowed. Each
edit is audited with before and after. An edit made on what a manager saw (`expected`: the
shift's version token) is refused when someone else changed the shift since.
"""

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
    ShiftChanged,
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
    employee: Employee | None = None  # reassign to this person


def roster_edit_checked(
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
            # sessions=True: the placed sessions and meetings are checked against their own
            # definitions (who must attend, the window), not read as unknown before and after.
            built = roster_rules_input(
                draft, now=now or timezone.now(), only=employees, demand=False, sessions=True
            )
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


def shift_snapshot(shift: Shift) -> dict[str, Any]:
    """The shift as an edit found or left it: enough to put it back (undo)."""
    return {
        "employee": str(shift.employee_id),
        "start": shift.start.astimezone(UTC).isoformat(),
        "end": shift.end.astimezone(UTC).isoformat(),
        "activity": shift.activity,
        "queue": str(shift.queue_id) if shift.queue_id else None,
        "template": str(shift.template_id) if shift.template_id else None,
        "note": shift.note,
        "pinned": shift.pinned,
        "origin": str(shift.origin) if shift.origin else None,
        "breaks": [
            {
                "start": b.start.astimezone(UTC).isoformat(),
                "end": b.end.astimezone(UTC).isoformat(),
                "paid": b.paid,
            }
            for b in sorted(shift.breaks.all(), key=lambda b: b.start)
        ],
    }


def shift_version(shift: Shift) -> str:
    """A token of the shift's content (person, times, activity, queue, template, note, pin,
    breaks), the same in every copy of it: a page sends back the token it showed, and an
    edit is refused when the shift no longer matches it."""
    content = shift_snapshot(shift)
    content.pop("origin")
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:20]


def _check_version(row: Shift, expected: str | None) -> None:
    if expected is not None and shift_version(row) != expected:
        raise ShiftChanged(extra={"shift": str(row.pk), "now": shift_snapshot(row)})


def shift_placement_check(draft: Roster, shift: Shift) -> None:
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


def shift_local_date(draft: Roster, start: datetime) -> date:
    return start.astimezone(ZoneInfo(draft.site.timezone)).date()


def _in_draft(draft: Roster, shift: Shift, expected: str | None = None) -> Shift:
    """The draft's copy of a shift of the version it revises (or the shift itself), locked;
    ShiftChanged when it is gone (deleted by another edit) or no longer as `expected`."""
    rows = Shift.objects.select_for_update().prefetch_related("breaks")
    if shift.roster_id == draft.pk:
        row = rows.filter(pk=shift.pk).first()
    else:
        row = rows.filter(roster=draft, origin=shift.origin or shift.pk).first()
    if row is None:
        raise ShiftChanged(extra={"shift": str(shift.pk), "now": None})
    _check_version(row, expected)
    return row


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
            local_date=shift_local_date(draft, start),
            state=draft.status,
            source=Shift.Source.MANUAL,
            note=note,
        )
        shift_placement_check(draft, shift)
        shift.save()
        return shift, RosterChange(
            action=RosterChange.Action.ADDED, shift_id=shift.pk, after=shift_snapshot(shift)
        )

    return roster_edit_checked(
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
    expected: str | None = None,
    now: datetime | None = None,
) -> EditResult:
    """Move or resize a shift (its breaks move with its start), reassign it to another person,
    or change its activity, queue or note. `expected`: the shift's version token as the
    caller saw it (ShiftChanged if it has changed since)."""

    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        row = _in_draft(draft, shift, expected)
        before = shift_snapshot(row)
        moved_by = (fields.start - row.start) if fields.start is not None else timedelta(0)
        row.start = fields.start or row.start
        row.end = fields.end or (row.end + moved_by)
        row.local_date = shift_local_date(draft, row.start)
        row.activity = fields.activity or row.activity
        row.queue = fields.queue or row.queue
        row.template = fields.template or row.template
        row.employee = fields.employee or row.employee
        if fields.note is not None:
            row.note = fields.note
        row.source = Shift.Source.MANUAL
        shift_placement_check(draft, row)
        row.save()
        if moved_by:
            for b in row.breaks.all():
                ShiftBreak.objects.filter(pk=b.pk).update(
                    start=b.start + moved_by, end=b.end + moved_by
                )
        row.breaks.filter(end__gt=row.end).delete()
        row.breaks.filter(start__lt=row.start).delete()
        return row, RosterChange(
            action=_change_action(before, row, fields),
            shift_id=row.pk,
            before=before,
            after=shift_snapshot(Shift.objects.prefetch_related("breaks").get(pk=row.pk)),
        )

    people = {str(shift.employee_id)} | ({str(fields.employee.pk)} if fields.employee else set())
    return roster_edit_checked(
        roster=shift.roster,
        user=user,
        employees=people,
        reason=reason,
        override=override,
        apply=apply,
        now=now,
    )


def _change_action(before: dict[str, Any], row: Shift, fields: ShiftFields) -> str:
    if before["employee"] != str(row.employee_id):
        return RosterChange.Action.REASSIGNED
    if fields.start or fields.end:
        return RosterChange.Action.MOVED
    return RosterChange.Action.ACTIVITY


def shift_delete(
    *,
    shift: Shift,
    user: AbstractBaseUser | None,
    reason: str = "",
    override: bool = False,
    expected: str | None = None,
    now: datetime | None = None,
) -> EditResult:
    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        row = _in_draft(draft, shift, expected)
        before = shift_snapshot(row)
        shift_id = row.pk
        row.delete()
        return None, RosterChange(
            action=RosterChange.Action.DELETED, shift_id=shift_id, before=before
        )

    return roster_edit_checked(
        roster=shift.roster,
        user=user,
        employees={str(shift.employee_id)},
        reason=reason,
        override=override,
        apply=apply,
        now=now,
    )


@transaction.atomic
def shift_pin(
    *, shift: Shift, pinned: bool, user: AbstractBaseUser | None, expected: str | None = None
) -> EditResult:
    """Mark a draft shift to be kept by the next re-solve (no rule changes, so no check)."""
    draft = roster_revise(roster=shift.roster, user=user)
    row = _in_draft(draft, shift, expected)
    row.pinned = pinned
    row.save(update_fields=["pinned"])
    RosterChange.objects.create(
        roster=draft,
        actor=user,
        action=RosterChange.Action.PINNED,
        shift_id=row.pk,
        before={"pinned": not pinned},
        after={"pinned": pinned},
    )
    return EditResult(draft, row, [])


def shift_break_move(
    *,
    shift: Shift,
    break_start: datetime,
    start: datetime,
    user: AbstractBaseUser | None,
    reason: str = "",
    override: bool = False,
    expected: str | None = None,
    now: datetime | None = None,
) -> EditResult:
    """Move the shift's break that starts at `break_start` to start at `start` (same length,
    inside the shift); the rules check its window like any other edit."""

    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        row = _in_draft(draft, shift, expected)
        before = shift_snapshot(row)
        found = next((b for b in row.breaks.all() if b.start == break_start), None)
        if found is None:
            raise ShiftChanged(extra={"shift": str(row.pk), "now": before})
        end = start + (found.end - found.start)
        if start < row.start or end > row.end:
            raise InvalidInput(
                "A break lies inside its shift.", extra={"fields": {"start": ["outside"]}}
            )
        ShiftBreak.objects.filter(pk=found.pk).update(start=start, end=end)
        row.source = Shift.Source.MANUAL
        row.save(update_fields=["source"])
        after = shift_snapshot(Shift.objects.prefetch_related("breaks").get(pk=row.pk))
        return row, RosterChange(
            action=RosterChange.Action.BREAK_MOVED, shift_id=row.pk, before=before, after=after
        )

    return roster_edit_checked(
        roster=shift.roster,
        user=user,
        employees={str(shift.employee_id)},
        reason=reason,
        override=override,
        apply=apply,
        now=now,
    )
