"""Publish a change to a published roster at once, as a new version: how approved swaps,
give-aways and releases land. The published version itself never changes.

The caller holds the series lock (roster_versions.roster_series_lock), which publication
takes too, so a swap and a publication of the same series are serialised: the swap lands either
before the publication (and the manager's open draft carries it) or after it (on the newly
published version).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from organisation.errors import DomainError
from scheduling.errors import SwapShiftChanged
from scheduling.models import Roster, RosterChange, Shift
from scheduling.selectors.roster_diffs import RosterDiff
from scheduling.services.roster_publish import roster_publish_locked
from scheduling.services.roster_versions import roster_draft_copy

# Shifts, named by their stable key, moved from one employee to another (None: removed).
Moves = dict[UUID, tuple[str, str | None]]  # key -> (from employee, to employee or None)


def shift_copy(roster: Roster, key: UUID) -> Shift | None:
    """The roster's copy of the shift with this stable key."""
    return (
        roster.shifts.filter(Q(origin=key) | Q(pk=key, origin__isnull=True))
        .select_related("queue", "template", "employee")
        .first()
    )


def roster_republish(
    *,
    series: list[Roster],
    moves: Moves,
    action: str,
    user: AbstractBaseUser | None,
    reason: str,
    now: datetime,
    waived: list[dict[str, Any]] | None = None,
) -> Roster:
    """Copy the series' published version, apply `moves`, then publish the copy and return
    it. Open drafts newer than the published version get the same moves where they hold the
    same shift unchanged (a note on the draft says where not) and stay newer, so that a
    manager's unpublished work neither loses the change nor is lost to it. The caller has
    checked the moves against the rules; `waived` are the violations its policy allowed,
    kept on each change for the audit. Publication checks working time for the people moved."""
    return roster_republish_edit(
        series=series,
        edit=lambda roster: _apply(roster, moves, action, user, reason, waived or []),
        keys=list(moves),
        people={person for move in moves.values() for person in move if person},
        user=user,
        now=now,
    )


def roster_republish_edit(
    *,
    series: list[Roster],
    edit: Callable[[Roster], list[UUID]],
    keys: list[UUID],
    people: set[str],
    user: AbstractBaseUser | None,
    now: datetime,
    changed: type[DomainError] = SwapShiftChanged,
) -> Roster:
    """Copy the series' published version, `edit` the copy (it changes the shifts of the
    stable `keys` and returns the keys it could not find as expected: then `changed` is
    raised), publish it and return it. Newer open drafts get the same edit where they can and
    stay newer. Publication checks working time for `people`."""
    published = next(r for r in series if r.status == Roster.Status.PUBLISHED)
    drafts = sorted(
        (r for r in series if r.status == Roster.Status.DRAFT and r.version > published.version),
        key=lambda r: r.version,
    )
    top = max(r.version for r in series)
    new = roster_draft_copy(source=published, version=top + 1, user=user)
    if edit(new):
        raise changed()
    for offset, draft in enumerate(drafts, start=2):
        draft.version = top + offset
        if draft.based_on_id == published.pk:
            draft.based_on = new
        draft.save(update_fields=["version", "based_on"])
        edit(draft)
    diff = RosterDiff(
        added=list(new.shifts.filter(origin__in=keys)),
        removed=[s for key in keys if (s := shift_copy(published, key)) is not None],
    )
    roster_publish_locked(roster=new, user=user, now=now, working_time_of=people, diff=diff)
    return new


def _apply(
    roster: Roster,
    moves: Moves,
    action: str,
    user: AbstractBaseUser | None,
    reason: str,
    waived: list[dict[str, Any]],
) -> list[UUID]:
    """Apply the moves to the roster's copies; the keys whose copy was changed or is gone."""
    missing = []
    for key, (from_employee, to_employee) in moves.items():
        row = shift_copy(roster, key)
        if row is None or str(row.employee_id) != from_employee:
            missing.append(key)
            continue
        before, shift_id = _snapshot(row), row.pk
        if to_employee is None:
            row.delete()
            after = None
        else:
            row.employee_id = to_employee  # type: ignore[assignment]
            row.save(update_fields=["employee"])
            after = _snapshot(row)
        RosterChange.objects.create(
            roster=roster,
            actor=user,
            action=action,
            shift_id=shift_id,
            before=before,
            after=after,
            reason=reason,
            violations=waived,
        )
    if missing:
        roster_change_not_applied(roster, keys=missing, action=action, user=user, reason=reason)
    return missing


def roster_change_not_applied(
    roster: Roster,
    *,
    keys: list[UUID],
    action: str,
    user: AbstractBaseUser | None,
    reason: str,
) -> None:
    """Note on a draft that a change made to the published version was not applied to the
    shifts of `keys` here: the manager had changed them in this draft, which keeps its version."""
    RosterChange.objects.create(
        roster=roster,
        actor=user,
        action=action,
        reason=f"{reason}: not applied here, the shift was changed in this draft",
        after={"not_applied": [str(k) for k in keys]},
    )


def _snapshot(shift: Shift) -> dict[str, Any]:
    return {
        "employee": str(shift.employee_id),
        "start": shift.start.isoformat(),
        "end": shift.end.isoformat(),
        "queue": str(shift.queue_id) if shift.queue_id else None,
    }
