"""Reads of a roster's recorded changes: the edit an undo would put back."""

from scheduling.models import Roster, RosterChange

# Edits a manager makes on the board, which an undo can put back.
UNDOABLE = frozenset(
    {
        RosterChange.Action.ADDED,
        RosterChange.Action.MOVED,
        RosterChange.Action.DELETED,
        RosterChange.Action.ACTIVITY,
        RosterChange.Action.PINNED,
        RosterChange.Action.REASSIGNED,
        RosterChange.Action.BREAK_MOVED,
    }
)


def roster_open_draft(roster: Roster) -> Roster | None:
    """The roster itself when it is a draft, else the open draft that revises it."""
    if roster.status == Roster.Status.DRAFT:
        return roster
    return roster.revisions.filter(status=Roster.Status.DRAFT).first()


def roster_last_edit(draft: Roster) -> RosterChange | None:
    """The draft's latest edit not undone yet (edits undone are skipped, so undo can be
    repeated); None when the latest change is no edit (a build, a revision, a swap)."""
    undone: set[int] = set()
    for change in draft.changes.order_by("-pk"):
        if change.action == RosterChange.Action.UNDONE:
            undone.add(int((change.after or {}).get("undoes", 0)))
        elif change.pk not in undone:
            return change if change.action in UNDOABLE else None
    return None
