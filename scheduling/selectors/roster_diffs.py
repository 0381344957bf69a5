"""What changed between two versions of a roster series: shifts added and removed (a moved
shift is both), and the hash of a version's content that publication records."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from scheduling.models import Roster, Shift

ShiftKey = tuple[str, datetime, datetime, str, str | None]


def _key(shift: Shift) -> ShiftKey:
    return (
        str(shift.employee_id),
        shift.start,
        shift.end,
        shift.activity,
        str(shift.queue_id) if shift.queue_id else None,
    )


@dataclass(frozen=True)
class RosterDiff:
    added: list[Shift]
    removed: list[Shift]

    @property
    def employees(self) -> set[str]:
        return {str(s.employee_id) for s in [*self.added, *self.removed]}


def roster_diff(*, old: Roster | None, new: Roster) -> RosterDiff:
    """Shifts added and removed between two versions (a moved shift is both)."""
    new_shifts = list(new.shifts.select_related("employee__user", "queue"))
    if old is None:
        return RosterDiff(added=new_shifts, removed=[])
    old_shifts = list(old.shifts.select_related("employee__user", "queue"))
    old_keys = {_key(s) for s in old_shifts}
    new_keys = {_key(s) for s in new_shifts}
    return RosterDiff(
        added=[s for s in new_shifts if _key(s) not in old_keys],
        removed=[s for s in old_shifts if _key(s) not in new_keys],
    )


def shifts_content_sha256(shifts: Iterable[Shift]) -> str:
    """The SHA-256 of the shifts' identities (person, start, end, activity, queue), in any
    order."""
    rows = sorted(
        [k[0], k[1].isoformat(), k[2].isoformat(), k[3], k[4] or ""]
        for k in (_key(s) for s in shifts)
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


@dataclass(frozen=True)
class ShiftChange:
    """A shift of the published version and what the new version made of it."""

    old: Shift
    new: Shift


def roster_diff_changes(diff: RosterDiff) -> tuple[list[Shift], list[ShiftChange], list[Shift]]:
    """The diff as a person reads it: shifts added, shifts changed (moved, reassigned, another
    queue: the same shift across versions by its stable key) and shifts removed."""
    removed = {s.origin or s.pk: s for s in diff.removed}
    added, changed = [], []
    for shift in diff.added:
        old = removed.pop(shift.origin, None) if shift.origin else None
        if old is None:
            added.append(shift)
        else:
            changed.append(ShiftChange(old, shift))
    return added, changed, list(removed.values())
