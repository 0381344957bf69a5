"""Time-off requests: decided by a manager within the team's per-day limit, a waitlist that
is granted when room frees, the solver and pay seeing granted time off, and bad input."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from organisation.models import Notice
from organisation.roles import Role, role_group
from scheduling.models import AvailabilityBlock, RequestPolicy, TimeOffRequest
from scheduling.selectors.roster_problem import roster_problem_build
from tests.conftest import Org, client_for
from tests.factories import employee_make
from tests.factories.requests import Published, published_make
from timeclock.selectors.timesheets import employee_timesheets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def ask(employee: Any, first: date, last: date | None = None, **extra: Any) -> Any:
    body = {"first_day": str(first), "last_day": str(last or first), **extra}
    return client_for(employee.user).post("/api/v1/time-off", body, format="json")


def decide(user: Any, request_id: str, action: str = "approve") -> Any:
    return client_for(user).post(f"/api/v1/time-off/{request_id}/{action}", {}, format="json")


def today() -> date:
    """Amsterdam's date (the team's site): an hour ahead of UTC's around midnight."""
    return timezone.now().astimezone(ZoneInfo("Europe/Amsterdam")).date()


def soon(days: int = 10) -> date:
    return today() + timedelta(days=days)


def test_granted_time_off_is_a_solver_input_and_excuses_the_absence(
    org: Org,
) -> None:
    pub: Published = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    tuesday = pub.start + timedelta(days=1)
    shift = pub.shift(org.op_a1, 1)  # scheduled, then granted the day off
    response = ask(org.op_a1, tuesday, reason="wedding")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    queue = client_for(org.manager_a).get("/api/v1/approvals").json()
    assert [r["id"] for r in queue["time_off"]] == [response.json()["id"]]

    granted = decide(org.manager_a, response.json()["id"])
    assert granted.json()["status"] == "approved"
    block = AvailabilityBlock.objects.get(employee=org.op_a1)
    assert block.kind == AvailabilityBlock.Kind.TIME_OFF
    assert block.start <= shift.start
    assert shift.end <= block.end

    built = roster_problem_build(
        site=org.amsterdam, team=org.team_a, first_day=pub.start, days=7, now=timezone.now()
    )
    me = next(e for e in built.problem.employees if e.id == str(org.op_a1.pk))
    assert 1 in me.unavailable_days, "the solver plans nobody on the granted day"
    sheet = employee_timesheets(
        employees=[org.op_a1],
        site=org.amsterdam,
        first=tuesday,
        last=tuesday,
        now=shift.end + timedelta(hours=1),  # judged once the shift is over
    )[str(org.op_a1.pk)]
    assert sheet.shifts[0].exceptions == ("excused",)
    assert Notice.objects.filter(recipient=org.op_a1.user, event_key__endswith=":approved").exists()


def test_full_days_waitlist_and_the_waitlist_is_granted_when_room_frees(org: Org) -> None:
    RequestPolicy.objects.create(team=org.team_a, time_off_max_per_day=1)
    third = employee_make(team=org.team_a)
    day = soon()
    first = ask(org.op_a1, day).json()["id"]
    second = ask(org.op_a2, day - timedelta(days=1), day).json()["id"]
    later = ask(third, day).json()["id"]
    assert decide(org.manager_a, first).json()["status"] == "approved"
    assert decide(org.manager_a, second).json()["status"] == "waitlisted"
    assert decide(org.manager_a, later).json()["status"] == "waitlisted"
    assert AvailabilityBlock.objects.count() == 1

    cancelled = client_for(org.op_a1.user).post(f"/api/v1/time-off/{first}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    statuses = {
        str(pk): status for pk, status in TimeOffRequest.objects.values_list("id", "status")
    }
    assert statuses[first] == "cancelled"
    assert statuses[second] == "approved", "first come, first served"
    assert statuses[later] == "waitlisted"
    assert not AvailabilityBlock.objects.filter(employee=org.op_a1).exists()

    capacity = client_for(org.manager_a).post(
        "/api/v1/time-off/capacity",
        {"team": str(org.team_a.pk), "day": str(day), "max_off": 2},
        format="json",
    )
    assert capacity.status_code == 200, capacity.json()
    assert TimeOffRequest.objects.get(pk=later).status == "approved"


def test_rejected_and_cancelled_requests_hold_no_days(org: Org) -> None:
    RequestPolicy.objects.create(team=org.team_a, time_off_max_per_day=1)
    day = soon()
    rejected = ask(org.op_a1, day).json()["id"]
    assert decide(org.manager_a, rejected, "reject").json()["status"] == "rejected"
    other = ask(org.op_a2, day).json()["id"]
    assert decide(org.manager_a, other).json()["status"] == "approved"


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (-1, -1, "time_off_in_past"),
        (5, 4, "invalid_input"),
        (5, 70, "time_off_too_long"),
    ],
)
def test_bad_requests_are_refused(org: Org, first: int, last: int, code: str) -> None:
    response = ask(org.op_a1, soon(first), soon(last))
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not TimeOffRequest.objects.exists()


def test_overlapping_requests_and_floods_are_refused(org: Org) -> None:
    assert ask(org.op_a1, soon(3), soon(5)).status_code == 201
    overlap = ask(org.op_a1, soon(5), soon(6))
    assert (overlap.status_code, overlap.json()["code"]) == (409, "time_off_overlaps")
    for k in range(4):
        assert ask(org.op_a1, soon(10 + 2 * k)).status_code == 201
    flood = ask(org.op_a1, soon(30))
    assert (flood.status_code, flood.json()["code"]) == (409, "too_many_open_requests")


def test_permissions(org: Org) -> None:
    request_id = ask(org.op_a1, soon()).json()["id"]
    assert decide(org.op_a1.user, request_id).status_code == 403
    assert client_for(org.op_a2.user).get(f"/api/v1/time-off/{request_id}").status_code == 404
    assert decide(org.manager_b, request_id).status_code == 404
    assert client_for(org.manager_b).get("/api/v1/time-off").json()["results"] == []
    assert (
        client_for(org.op_a2.user).post(f"/api/v1/time-off/{request_id}/cancel").status_code == 404
    )
    # A manager who is also an operator of the team cannot grant their own time off.
    org.op_a2.user.groups.add(role_group(Role.MANAGER))
    org.team_a.managers.add(org.op_a2.user)
    own = ask(org.op_a2, soon(20)).json()["id"]
    as_manager = get_user_model().objects.get(pk=org.op_a2.user.pk)
    response = decide(as_manager, own)
    assert (response.status_code, response.json()["code"]) == (403, "time_off_own_request")
    assert TimeOffRequest.objects.get(pk=own).status == "pending"


def test_granted_time_off_that_has_begun_cannot_be_cancelled(org: Org) -> None:
    request_id = ask(org.op_a1, today()).json()["id"]
    decide(org.manager_a, request_id)
    response = client_for(org.op_a1.user).post(f"/api/v1/time-off/{request_id}/cancel")
    assert (response.status_code, response.json()["code"]) == (409, "time_off_started")
    assert AvailabilityBlock.objects.filter(employee=org.op_a1).exists()
