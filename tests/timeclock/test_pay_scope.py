"""Every pay read is scoped like the rest (issue 23, item 10): a manager sees the people of
their own teams in a pay period's exceptions, rounding report and adjustments, never those of
another team of the same site; payroll sees everyone."""

from datetime import date, timedelta

import pytest

from organisation.roles import Role
from tests.conftest import Org, client_for
from tests.factories import employee_make, team_make, user_make
from tests.factories.punches import past_shift, punch_make
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 6, 1)


def test_manager_sees_only_their_teams_in_period_exceptions_rounding_and_adjustments(
    org: Org,
) -> None:
    other_manager = user_make(role=Role.MANAGER, username="manager_c")
    other_team = team_make(site=org.amsterdam, name="Team C", managers=[other_manager])
    stranger = employee_make(team=other_team, username="op_c1")
    for person in (org.op_a1, stranger):
        shift = past_shift(employee=person, day=MONDAY)
        punch_make(employee=person, kind="in", at=shift.start + timedelta(minutes=30))
        punch_make(employee=person, kind="out", at=shift.end)
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=MONDAY + timedelta(6))
    base = f"/api/v1/pay-periods/{period.pk}"
    manager = client_for(org.manager_a)
    late = manager.get(f"{base}/exceptions").json()
    assert [(r["employee_number"], r["exceptions"]) for r in late] == [(org.op_a1.number, ["late"])]
    rounding = manager.get(f"{base}/rounding").json()
    assert {r["employee_number"] for r in rounding} == {org.op_a1.number, org.op_a2.number}
    assert manager.get(f"{base}/adjustments").json() == {"adjustments": []}
    everyone = client_for(org.payroll).get(f"{base}/exceptions").json()
    assert {r["employee_number"] for r in everyone} == {org.op_a1.number, stranger.number}
    theirs = client_for(other_manager).get(f"{base}/rounding").json()
    assert {r["employee_number"] for r in theirs} == {stranger.number}
