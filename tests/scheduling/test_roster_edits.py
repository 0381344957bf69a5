"""The board's edits as services: reassign, move a break, the version check that tells a
second writer the shift changed, and undo of the last edit."""

from datetime import datetime, timedelta

import pytest

from organisation.roles import Role
from scheduling.errors import (
    NothingToUndo,
    RosterEditBreaksRules,
    RosterSuperseded,
    ShiftChanged,
    ShiftOverlap,
)
from scheduling.models import Roster, RosterChange, Shift
from scheduling.services.roster_edits import (
    ShiftFields,
    shift_add,
    shift_break_move,
    shift_change,
    shift_delete,
    shift_pin,
    shift_version,
)
from scheduling.services.roster_publish import roster_publish
from scheduling.services.roster_undo import roster_edit_undo
from tests.conftest import Org
from tests.factories import employee_make, queue_make, user_make
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org: Org) -> Published:
    return published_make(team=org.team_a, people=[org.op_a1, org.op_a2])


def _draft_copy(pub: Published, shift: Shift) -> Shift:
    draft = pub.roster.revisions.get(status=Roster.Status.DRAFT)
    return draft.shifts.get(origin=shift.origin or shift.pk)


def test_reassign_gives_the_shift_to_a_colleague_in_a_new_draft(org: Org, pub: Published) -> None:
    shift = pub.shift(org.op_a1, 0)
    result = shift_change(
        shift=shift,
        fields=ShiftFields(employee=org.op_a2),
        user=org.manager_a,
        expected=shift_version(shift),
    )
    assert result.roster.status == Roster.Status.DRAFT
    assert result.shift.employee_id == org.op_a2.pk
    assert result.shift.breaks.count() == 1  # the break goes with it
    change = result.roster.changes.get(action=RosterChange.Action.REASSIGNED)
    assert change.before["employee"] == str(org.op_a1.pk)
    shift.refresh_from_db()
    assert shift.employee_id == org.op_a1.pk  # the published version never changes


def test_reassign_to_someone_not_skilled_is_refused_then_kept_with_a_reason(
    org: Org, pub: Published
) -> None:
    shift = pub.shift(org.op_a1, 0)
    stranger = employee_make(team=org.team_a)  # skilled for another queue only
    stranger.queues.add(queue_make(site=org.amsterdam, name="Other queue"))
    with pytest.raises(RosterEditBreaksRules) as refused:
        shift_change(shift=shift, fields=ShiftFields(employee=stranger), user=org.manager_a)
    assert [v["rule"] for v in refused.value.extra["violations"]] == ["skill"]
    assert refused.value.extra["violations"][0]["message"] == (
        f"not skilled for {pub.setup.queue.name}"
    )
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()  # nothing half-saved
    kept = shift_change(
        shift=shift,
        fields=ShiftFields(employee=stranger),
        user=org.manager_a,
        override=True,
        reason="covering",
    )
    assert kept.shift.employee_id == stranger.pk
    assert kept.overridden[0]["rule"] == "skill"


def test_reassign_onto_a_shift_the_colleague_already_has_is_an_overlap(
    org: Org, pub: Published
) -> None:
    shift = pub.shift(org.op_a1, 0)
    pub.shift(org.op_a2, 0, hour=10)
    with pytest.raises(ShiftOverlap):
        shift_change(shift=shift, fields=ShiftFields(employee=org.op_a2), user=org.manager_a)


def test_the_second_writer_is_told_the_shift_changed_and_nothing_is_saved(
    org: Org, pub: Published
) -> None:
    shift = pub.shift(org.op_a1, 0)
    seen = shift_version(shift)  # both managers opened the same shift
    other = user_make(role=Role.MANAGER)
    org.team_a.managers.add(other)
    first = shift_change(
        shift=shift,
        fields=ShiftFields(start=shift.start + timedelta(hours=1)),
        user=other,
        expected=seen,
    )
    with pytest.raises(ShiftChanged) as second:
        shift_change(
            shift=shift,
            fields=ShiftFields(note="my change"),
            user=org.manager_a,
            expected=seen,
        )
    assert datetime.fromisoformat(second.value.extra["now"]["start"]) == first.shift.start
    assert not first.roster.shifts.filter(note="my change").exists()
    assert first.roster.changes.filter(actor=org.manager_a).count() == 0
    with pytest.raises(ShiftChanged):  # deleting what changed is refused the same way
        shift_delete(shift=shift, user=org.manager_a, expected=seen)


def test_an_edit_of_a_shift_deleted_since_is_told_so(org: Org, pub: Published) -> None:
    shift = pub.shift(org.op_a1, 0)
    shift_delete(shift=shift, user=org.manager_a)
    with pytest.raises(ShiftChanged):
        shift_change(shift=shift, fields=ShiftFields(note="late"), user=org.manager_a)


def test_an_edit_of_a_superseded_version_is_refused(org: Org, pub: Published) -> None:
    shift = pub.shift(org.op_a1, 0)
    draft = shift_change(shift=shift, fields=ShiftFields(note="v2"), user=org.manager_a).roster
    roster_publish(roster=draft, user=org.manager_a)
    with pytest.raises(RosterSuperseded):
        shift_change(shift=shift, fields=ShiftFields(note="on v1"), user=org.manager_a)


def test_a_break_moves_inside_its_window_and_outside_it_needs_a_reason(
    org: Org, pub: Published
) -> None:
    shift = pub.shift(org.op_a1, 0)  # 09:00-17:00, lunch at 13:00, window 12:00-14:00
    lunch = shift.breaks.get()
    moved = shift_break_move(
        shift=shift, break_start=lunch.start, start=lunch.start + timedelta(minutes=30),
        user=org.manager_a,
    )  # fmt: skip
    assert moved.shift.breaks.get().start == lunch.start + timedelta(minutes=30)
    copy = moved.shift
    with pytest.raises(RosterEditBreaksRules) as refused:
        shift_break_move(
            shift=copy, break_start=copy.breaks.get().start, start=shift.start + timedelta(hours=1),
            user=org.manager_a,
        )  # fmt: skip
    message = refused.value.extra["violations"][0]["message"]
    assert message == "the break at 10:00 is outside its window, 12:00 to 14:00"


def test_undo_puts_back_a_move_a_delete_and_an_add_in_turn(org: Org, pub: Published) -> None:
    shift = pub.shift(org.op_a1, 0)
    later = shift.start + timedelta(hours=1)
    draft = shift_change(shift=shift, fields=ShiftFields(start=later), user=org.manager_a).roster
    copy = draft.shifts.get()
    shift_delete(shift=copy, user=org.manager_a)
    added = shift_add(
        roster=draft, employee=org.op_a2, template=pub.setup.template, queue=pub.setup.queue,
        start=shift.start + timedelta(days=1), end=shift.end + timedelta(days=1),
        user=org.manager_a,
    )  # fmt: skip
    roster_edit_undo(roster=draft, user=org.manager_a)
    assert not draft.shifts.filter(pk=added.shift.pk).exists()
    roster_edit_undo(roster=draft, user=org.manager_a)
    back = draft.shifts.get(pk=copy.pk)  # the deleted shift, under its own id, with its break
    assert (back.start, back.breaks.count(), back.origin) == (later, 1, shift.pk)
    roster_edit_undo(roster=draft, user=org.manager_a)
    back = draft.shifts.get()
    assert (back.start, back.end) == (shift.start, shift.end)
    assert back.breaks.get().start == shift.breaks.get().start
    with pytest.raises(NothingToUndo):  # the revision itself is no edit
        roster_edit_undo(roster=draft, user=org.manager_a)


def test_undo_of_a_pin_and_from_the_published_version(org: Org, pub: Published) -> None:
    shift = pub.shift(org.op_a1, 0)
    draft = shift_pin(shift=shift, pinned=True, user=org.manager_a).roster
    roster_edit_undo(roster=pub.roster, user=org.manager_a)  # the page showed version 1
    assert draft.shifts.get().pinned is False


def test_undo_never_unpicks_another_managers_later_edit(org: Org, pub: Published) -> None:
    shift = pub.shift(org.op_a1, 0)
    draft = shift_change(shift=shift, fields=ShiftFields(note="mine"), user=org.manager_a).roster
    other = user_make(role=Role.MANAGER)
    shift_change(shift=draft.shifts.get(), fields=ShiftFields(note="theirs"), user=other)
    with pytest.raises(NothingToUndo):
        roster_edit_undo(roster=draft, user=org.manager_a)
    assert draft.shifts.get().note == "theirs"


def test_undo_of_an_add_is_refused_once_someone_moved_the_shift(org: Org, pub: Published) -> None:
    pub.shift(org.op_a1, 0)
    draft = shift_pin(shift=pub.roster.shifts.get(), pinned=False, user=org.manager_a).roster
    added = shift_add(
        roster=draft, employee=org.op_a2, template=pub.setup.template, queue=pub.setup.queue,
        start=pub.roster.shifts.get().start, end=pub.roster.shifts.get().end, user=org.manager_a,
    )  # fmt: skip
    Shift.objects.filter(pk=added.shift.pk).update(note="changed behind the undo's back")
    with pytest.raises(ShiftChanged):
        roster_edit_undo(roster=draft, user=org.manager_a)
    assert draft.shifts.filter(pk=added.shift.pk).exists()
