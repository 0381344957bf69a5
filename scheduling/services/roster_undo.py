"""Undo on the board: put back what a manager's last edit of a draft changed, from the
before and after its roster change recorded (services/roster_edits.py)."""

import uuid
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from scheduling.errors import NothingToUndo, ShiftChanged
from scheduling.models import Roster, RosterChange, Shift, ShiftBreak
from scheduling.selectors.roster_changes import roster_last_edit, roster_open_draft
from scheduling.services.roster_edits import (
    EditResult,
    roster_edit_checked,
    shift_local_date,
    shift_placement_check,
    shift_snapshot,
)


def roster_edit_undo(
    *, roster: Roster, user: AbstractBaseUser | None, now: datetime | None = None
) -> EditResult:
    """Put back what the user's last edit of the roster's draft changed (edits undone before
    are skipped, so undo can be repeated). Only the latest edit can be undone, and only by
    whoever made it: after another manager's edit, NothingToUndo rather than unpick theirs;
    a shift changed since the edit answers ShiftChanged. What the undo brings back is not
    refused by the rules (it was there before), but recorded like an override."""
    draft = roster_open_draft(roster)
    target = roster_last_edit(draft) if draft is not None else None
    if draft is None or target is None or target.actor_id != getattr(user, "pk", None):
        raise NothingToUndo()
    people = {
        snap["employee"] for snap in (target.before, target.after) if snap and "employee" in snap
    }
    if target.action == RosterChange.Action.PINNED:
        people = set(draft.shifts.filter(pk=target.shift_id).values_list("employee_id", flat=True))
        people = {str(p) for p in people}

    def apply(draft: Roster) -> tuple[Shift | None, RosterChange]:
        row = Shift.objects.select_for_update().filter(roster=draft, pk=target.shift_id).first()
        current = shift_snapshot(row) if row is not None else None
        shift = _undo_apply(draft, target, row)
        return shift, RosterChange(
            action=RosterChange.Action.UNDONE,
            shift_id=target.shift_id,
            before=current,
            after={"undoes": target.pk, "action": target.action},
        )

    return roster_edit_checked(
        roster=draft,
        user=user,
        employees=people,
        reason=f"Undo of {target.action}",
        override=True,
        apply=apply,
        now=now,
    )


def _undo_apply(draft: Roster, target: RosterChange, row: Shift | None) -> Shift | None:
    """Put the shift back as `target` found it; ShiftChanged when it is not as `target` left
    it."""
    left = target.after or {}
    if target.action == RosterChange.Action.DELETED:
        if row is not None:
            raise ShiftChanged(extra={"shift": str(target.shift_id)})
        return _restore(draft, uuid.UUID(str(target.shift_id)), target.before or {})
    if row is None:
        raise ShiftChanged(extra={"shift": str(target.shift_id), "now": None})
    if target.action == RosterChange.Action.PINNED:
        row.pinned = not left.get("pinned", row.pinned)
        row.save(update_fields=["pinned"])
        return row
    now = shift_snapshot(row)
    if any(now.get(k) != v for k, v in left.items() if k != "origin"):
        raise ShiftChanged(extra={"shift": str(row.pk), "now": now})
    if target.action == RosterChange.Action.ADDED:
        row.delete()
        return None
    row.delete()
    return _restore(draft, row.pk, target.before or {})


def _restore(draft: Roster, pk: uuid.UUID, snap: dict[str, Any]) -> Shift:
    """The shift of a snapshot (_snapshot) back in the draft under its own id."""
    start = datetime.fromisoformat(snap["start"])
    shift = Shift(
        id=pk,
        roster=draft,
        employee_id=snap["employee"],
        template_id=snap.get("template"),
        queue_id=snap.get("queue"),
        activity=snap["activity"],
        start=start,
        end=datetime.fromisoformat(snap["end"]),
        local_date=shift_local_date(draft, start),
        state=draft.status,
        pinned=bool(snap.get("pinned")),
        source=Shift.Source.MANUAL,
        note=snap.get("note") or "",
        origin=snap.get("origin"),
    )
    shift_placement_check(draft, shift)
    shift.save()
    ShiftBreak.objects.bulk_create(
        ShiftBreak(
            shift=shift,
            start=datetime.fromisoformat(b["start"]),
            end=datetime.fromisoformat(b["end"]),
            paid=b["paid"],
        )
        for b in snap.get("breaks", [])
    )
    return shift
