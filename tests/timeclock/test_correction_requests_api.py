"""Correction-request API: operators ask and cancel under /me, managers of the team decide,
the approvals queue lists what is pending; other teams' requests answer 404, an operator
deciding 403; input is strict and refusals carry their code."""

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Org, client_for
from tests.factories.punches import past_shift, punch_make
from timeclock.models import CorrectionRequest, PunchCorrection

pytestmark = pytest.mark.django_db
MINE = "/api/v1/me/correction-requests"


def post(user: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return client_for(user).post(path, body or {}, format="json")


@pytest.fixture
def worked(org: Org) -> Any:
    shift = past_shift(employee=org.op_a1)
    punch_make(employee=org.op_a1, kind="in", at=shift.start)
    return shift


def add_out(org: Org, shift: Any) -> dict[str, Any]:
    body = {
        "action": "add",
        "kind": "out",
        "occurred_at": (shift.end + timedelta(minutes=2)).isoformat(),
        "reason": "Forgot to clock out",
    }
    response = post(org.op_a1.user, MINE, body)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_ask_list_queue_approve_and_the_timesheet_follows(org: Org, worked: Any) -> None:
    asked = add_out(org, worked)
    assert (asked["status"], asked["kind"], asked["correction"]) == ("pending", "out", None)
    assert asked["employee"]["number"] == org.op_a1.number
    listed = client_for(org.op_a1.user).get(MINE).json()
    assert [r["id"] for r in listed["results"]] == [asked["id"]]
    assert client_for(org.op_a2.user).get(MINE).json()["results"] == []
    queue = client_for(org.manager_a).get("/api/v1/approvals").json()
    assert [r["id"] for r in queue["correction_requests"]] == [asked["id"]]
    assert client_for(org.manager_b).get("/api/v1/approvals").json()["correction_requests"] == []

    approved = post(org.manager_a, f"/api/v1/correction-requests/{asked['id']}/approve")
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["status"] == "approved"
    assert body["decided_by"] == "manager_a"
    assert body["correction"] == PunchCorrection.objects.get().pk
    day = str(worked.local_date)
    rows = client_for(org.op_a1.user).get("/api/v1/me/timesheet", {"start": day, "end": day})
    assert rows.status_code == 200, rows.json()
    assert rows.json()[0]["exceptions"] == []
    assert client_for(org.manager_a).get("/api/v1/approvals").json()["correction_requests"] == []


def test_refusals_carry_their_code_and_input_is_strict(org: Org, worked: Any) -> None:
    theirs = punch_make(employee=org.op_a2, kind="in", at=worked.start)
    cases = [
        ({"action": "void", "punch": theirs.pk, "reason": "x"}, 404, "punch_not_yours"),
        ({"action": "void", "punch": 999_999, "reason": "x"}, 404, "punch_not_yours"),
        (
            {"action": "add", "kind": "out", "occurred_at": "2026-01-01T17:00:00", "reason": "x"},
            400,
            "invalid_input",  # no UTC offset
        ),
        (
            {
                "action": "add",
                "kind": "out",
                "occurred_at": (worked.end + timedelta(days=30)).isoformat(),
                "reason": "x",
            },
            400,
            "correction_in_future",
        ),
        (
            {
                "action": "add",
                "kind": "out",
                "occurred_at": worked.end.isoformat(),
                "reason": "x",
                "status": "approved",
            },
            400,
            "invalid_input",  # not a writable field
        ),
        ({"action": "add", "occurred_at": worked.end.isoformat(), "reason": "x"}, 400, None),
    ]
    for body, status, code in cases:
        response = post(org.op_a1.user, MINE, body)
        assert response.status_code == status, (body, response.json())
        if code:
            assert response.json()["code"] == code, body
    assert not CorrectionRequest.objects.exists()
    manager = post(org.manager_a, MINE, {"action": "void", "punch": theirs.pk, "reason": "x"})
    assert manager.status_code == 403, "managers correct directly, they do not ask"


def test_other_teams_get_404_and_operators_deciding_get_403(org: Org, worked: Any) -> None:
    asked = add_out(org, worked)
    approve = f"/api/v1/correction-requests/{asked['id']}/approve"
    reject = f"/api/v1/correction-requests/{asked['id']}/reject"
    assert post(org.op_a1.user, approve).status_code == 403
    assert post(org.op_a1.user, reject, {"reason": "no"}).status_code == 403
    assert post(org.op_a2.user, approve).status_code == 404
    assert post(org.manager_b, approve).status_code == 404
    assert post(org.payroll, approve).status_code == 404
    cancel = f"{MINE}/{asked['id']}/cancel"
    assert post(org.op_a2.user, cancel).status_code == 404
    assert CorrectionRequest.objects.get().status == "pending"

    no_reason = post(org.manager_a, reject)
    assert no_reason.status_code == 400
    assert no_reason.json()["extra"] == {"fields": ["reason"]}
    rejected = post(org.manager_a, reject, {"reason": "You left at 16:00"})
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_reason"] == "You left at 16:00"
    late = post(org.op_a1.user, cancel)
    assert late.status_code == 409
    assert late.json()["code"] == "correction_request_wrong_state"


def test_the_operator_cancels_a_pending_request(org: Org, worked: Any) -> None:
    asked = add_out(org, worked)
    cancelled = post(org.op_a1.user, f"{MINE}/{asked['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    approve = post(org.manager_a, f"/api/v1/correction-requests/{asked['id']}/approve")
    assert approve.status_code == 409
    assert not PunchCorrection.objects.exists()
    listed = client_for(org.op_a1.user).get(MINE, {"status": "pending"}).json()
    assert listed["results"] == []
