"""Two managers editing the same shift at once, on PostgreSQL with real threads: the series
lock makes them take turns, and the second is told the shift changed (its version token no
longer matches); nothing of its edit is saved, every time."""

from datetime import timedelta
from functools import partial

import pytest

from organisation.roles import Role
from scheduling.errors import ShiftChanged
from scheduling.models import Roster, RosterChange
from scheduling.services.roster_edits import ShiftFields, shift_change, shift_version
from tests.conftest import Org
from tests.factories import user_make
from tests.factories.requests import published_make
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]
RACES = 20


def test_two_managers_edit_one_shift_at_once_and_one_is_told_it_changed(org: Org) -> None:
    pub = published_make(team=org.team_a, people=[org.op_a1])
    other = user_make(role=Role.MANAGER)
    org.team_a.managers.add(other)
    shift = pub.shift(org.op_a1, 0)
    for n in range(RACES):
        draft = Roster.objects.filter(status=Roster.Status.DRAFT).first()
        current = draft.shifts.get() if draft else shift
        seen = shift_version(current)

        def edit(user, note: str, current=current, seen=seen):
            return shift_change(
                shift=current, fields=ShiftFields(note=note), user=user, expected=seen
            )

        results = race(partial(edit, org.manager_a, f"a{n}"), partial(edit, other, f"b{n}"))
        refused = [r for r in results if isinstance(r, ShiftChanged)]
        saved = [r for r in results if not isinstance(r, Exception)]
        assert (len(saved), len(refused)) == (1, 1), results
        draft = Roster.objects.get(status=Roster.Status.DRAFT)
        assert draft.shifts.get().note == saved[0].shift.note
        assert draft.changes.filter(action=RosterChange.Action.ACTIVITY).count() == n + 1
    assert Roster.objects.filter(status=Roster.Status.DRAFT).count() == 1
    assert draft.shifts.get().start == shift.start  # notes only: the times never moved
    assert timedelta(0) == draft.shifts.get().end - shift.end
