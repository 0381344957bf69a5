"""A closed pay period cannot be changed through the ACD feed (issue 26 review): a state or an
interval is refused (acd_period_closed) when any part of its span reaches into a closed period
of the employee's site, not only when it starts in one; an open state runs until the operator's
next known state, or now."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from tests.conftest import Org
from tests.factories import queue_make
from timeclock.models import AcdInterval, AgentState, PayPeriod
from timeclock.services.acd import AgentStateInput, agent_states_ingest
from timeclock.services.devices import device_register

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _closed_week(org: Org) -> None:
    PayPeriod.objects.create(
        site=org.amsterdam,
        start_date=date(2026, 10, 19),
        end_date=date(2026, 10, 25),
        status=PayPeriod.Status.CLOSED,
    )


def _feed(org: Org) -> APIClient:
    _, token = device_register(
        site=org.amsterdam, name="ACD", is_kiosk=False, created_by=None, is_acd_feed=True
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def _state(org: Org, state: str, start: str, end: str | None = None) -> dict[str, str]:
    body = {
        "event_id": str(uuid.uuid4()),
        "employee_number": org.op_a1.number,
        "state": state,
        "started_at": start,
    }
    return body | ({"ended_at": end} if end else {})


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [r.get("error", {}).get("code", r["status"]) for r in response.json()["results"]]


def test_a_state_that_runs_into_a_closed_week_is_refused(org: Org) -> None:
    _closed_week(org)
    rows = [
        _state(org, "on_call", "2026-10-18T23:00:00+02:00", "2026-10-19T09:00:00+02:00"),
        _state(org, "on_call", "2026-10-18T21:00:00+02:00", "2026-10-18T22:00:00+02:00"),
        _state(org, "on_call", "2026-10-25T23:30:00+01:00", "2026-10-26T01:00:00+01:00"),
        _state(org, "available", "2026-10-26T00:00:00+01:00", "2026-10-26T08:00:00+01:00"),
    ]
    response = _feed(org).post("/api/v1/acd/agent-states", {"states": rows}, format="json")
    assert _codes(response) == ["acd_period_closed", "accepted", "acd_period_closed", "accepted"]
    assert "runs into a closed pay period" in response.json()["results"][0]["error"]["message"]
    assert AgentState.objects.count() == 2


def test_an_open_state_runs_until_the_next_known_state_or_now(org: Org) -> None:
    _closed_week(org)
    open_then_next = [
        AgentStateInput(uuid.uuid4(), org.op_a1.number, "logged_in", _at(18, 20)),
        AgentStateInput(uuid.uuid4(), org.op_a1.number, "on_call", _at(18, 21), _at(18, 22)),
    ]
    now = _at(27, 12)
    results = agent_states_ingest(items=open_then_next, site=org.amsterdam, device=None, now=now)
    assert [r.status for r in results] == ["accepted", "accepted"]  # ends at 21:00
    alone = AgentStateInput(uuid.uuid4(), org.op_a2.number, "logged_in", _at(18, 20))
    (result,) = agent_states_ingest(items=[alone], site=org.amsterdam, device=None, now=now)
    assert (result.status, result.error and result.error["code"]) == (
        "refused",
        "acd_period_closed",
    )
    # Sent before the closed week began, the open state reaches only until now.
    (early,) = agent_states_ingest(
        items=[AgentStateInput(uuid.uuid4(), org.op_a2.number, "logged_in", _at(18, 20))],
        site=org.amsterdam,
        device=None,
        now=_at(18, 21),
    )
    assert early.status == "accepted"


def test_an_open_state_ended_by_a_stored_state_before_the_closed_week_is_taken(org: Org) -> None:
    _closed_week(org)
    later = AgentStateInput(uuid.uuid4(), org.op_a1.number, "on_call", _at(18, 22), _at(18, 23))
    agent_states_ingest(items=[later], site=org.amsterdam, device=None, now=_at(18, 22))
    earlier = AgentStateInput(uuid.uuid4(), org.op_a1.number, "available", _at(18, 20))
    (result,) = agent_states_ingest(
        items=[earlier], site=org.amsterdam, device=None, now=_at(27, 9)
    )
    assert result.status == "accepted"


def test_an_interval_that_runs_into_a_closed_week_is_refused(org: Org) -> None:
    _closed_week(org)
    queue = queue_make(site=org.amsterdam, name="Sales")
    rows = [
        {
            "event_id": str(uuid.uuid4()),
            "queue": queue.name,
            "interval_start": start,
            "interval_minutes": minutes,
            "offered": 10,
            "answered": 9,
            "abandoned": 1,
            "answered_within_goal": 8,
            "handle_seconds": 9 * 200,
            "wait_seconds": 9 * 10,
        }
        for start, minutes in (
            ("2026-10-18T23:30:00+02:00", 60),  # 23:30-00:30: into the 19th
            ("2026-10-18T23:30:00+02:00", 30),  # 23:30-24:00: the 18th only
        )
    ]
    response = _feed(org).post("/api/v1/acd/intervals", {"intervals": rows}, format="json")
    codes = _codes(response)
    assert codes[0] == "acd_period_closed"
    assert codes[1] == "accepted"
    assert AcdInterval.objects.count() == 1


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=AMS)
