"""The ACD feed: agent states and interval statistics in batches from the site's integration
token, exactly once per event id, with a result per row for every kind of bad input; the
CSV import of an interval export; the token is no terminal's and a terminal's is no feed."""

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from organisation.models import Queue
from tests.conftest import Org, client_for
from tests.factories import queue_make
from timeclock.models import AcdInterval, AgentState, PayPeriod
from timeclock.services.devices import device_register

AMS = ZoneInfo("Europe/Amsterdam")
DAY = date(2026, 3, 10)
pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int = 0, day: date = DAY) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS).isoformat()


def _feed(org: Org, *, acd: bool = True) -> APIClient:
    _, token = device_register(
        site=org.amsterdam,
        name=f"ACD {uuid.uuid4()}",
        is_kiosk=False,
        created_by=None,
        is_acd_feed=acd,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def _state(employee: Any, state: str, start: str, end: str | None = None, **extra: Any):  # type: ignore[no-untyped-def]
    body = {
        "event_id": str(uuid.uuid4()),
        "employee_number": employee.number,
        "state": state,
        "started_at": start,
    }
    if end is not None:
        body["ended_at"] = end
    return {**body, **extra}


def _post_states(client: APIClient, states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/acd/agent-states", {"states": states}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_states_are_stored_once_and_a_resend_is_a_duplicate(org: Org) -> None:
    client = _feed(org)
    states = [
        _state(org.op_a1, "available", _at(9)),
        _state(org.op_a1, "on_call", _at(9, 5), _at(9, 12)),
        _state(org.op_a2, "break", _at(23, 50), _at(0, 20, DAY + timedelta(days=1))),
    ]
    assert [r["status"] for r in _post_states(client, states)] == ["accepted"] * 3
    assert [r["status"] for r in _post_states(client, states)] == ["duplicate"] * 3
    assert AgentState.objects.count() == 3
    stored = AgentState.objects.get(event_id=states[2]["event_id"])
    assert stored.ended_at - stored.started_at == timedelta(minutes=30)  # across midnight


def test_every_bad_state_row_gets_its_own_result_and_nothing_else_is_lost(org: Org) -> None:
    client = _feed(org)
    first = _state(org.op_a1, "on_call", _at(10), _at(10, 30))
    _post_states(client, [first])
    PayPeriod.objects.create(
        site=org.amsterdam,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 2, 28),
        status=PayPeriod.Status.CLOSED,
    )
    rows = [
        _state(org.op_a1, "available", _at(11)),  # fine
        _state(org.op_a1, "on_call", _at(12), _at(11, 50)),  # ends before it starts
        _state(org.op_a1, "break", _at(10, 15), _at(10, 45)),  # overlaps the stored one
        _state(org.op_a2, "on_call", _at(12), _at(12, 30)),  # fine
        _state(org.op_a2, "after_call_work", _at(12, 20), _at(12, 40)),  # overlaps the row above
        {**_state(org.op_a1, "available", _at(13)), "employee_number": "nobody"},
        _state(org.op_b1, "available", _at(13)),  # another site's operator
        _state(org.op_a1, "available", _at(9, 0, date(2026, 2, 10))),  # closed period
        _state(org.op_a1, "available", "2026-03-10T14:00:00"),  # no offset
        _state(org.op_a1, "dancing", _at(14)),  # no such state
        {**first, "state": "break"},  # the same event id with other content
    ]
    results = _post_states(client, rows)
    codes = [r.get("error", {}).get("code", r["status"]) for r in results]
    assert codes == [
        "accepted",
        "agent_state_ends_before_start",
        "agent_state_overlap",
        "accepted",
        "agent_state_overlap",
        "unknown_employee",
        "unknown_employee",
        "acd_period_closed",
        "naive",
        "invalid_choice",
        "event_id_conflict",
    ]
    assert all(r["event_id"] == row["event_id"] for r, row in zip(results, rows, strict=True))
    assert AgentState.objects.count() == 3


def _interval(q: Queue, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "queue": q.name,
        "interval_start": _at(9),
        "interval_minutes": 15,
        "offered": 40,
        "answered": 36,
        "abandoned": 4,
        "answered_within_goal": 30,
        "handle_seconds": 36 * 240,
        "wait_seconds": 36 * 12,
        **fields,
    }


def test_intervals_with_their_bad_rows(org: Org) -> None:
    queue = queue_make(site=org.amsterdam, name="Sales")
    other = queue_make(site=org.new_york, name="Support")
    client = _feed(org)
    good = _interval(queue)
    rows = [
        good,
        _interval(queue, queue=str(queue.pk), interval_start=_at(9, 15)),
        _interval(queue, answered=41),
        _interval(queue, answered_within_goal=37),
        _interval(other, queue="Support"),
        _interval(queue, interval_start="2026-03-10T09:30"),
        _interval(queue, offered=-1),
    ]
    response = client.post("/api/v1/acd/intervals", {"intervals": rows}, format="json")
    codes = [r.get("error", {}).get("code", r["status"]) for r in response.json()["results"]]
    assert codes == [
        "accepted",
        "accepted",
        "acd_counts_inconsistent",
        "acd_counts_inconsistent",
        "acd_unknown_queue",
        "naive",
        "min_value",
    ]
    again = client.post("/api/v1/acd/intervals", {"intervals": [good]}, format="json")
    assert again.json()["results"][0]["status"] == "duplicate"
    assert AcdInterval.objects.count() == 2


def test_feed_token_posts_no_punches_and_a_terminal_posts_no_feed(org: Org) -> None:
    feed = _feed(org)
    punch = {
        "sent_at": _at(9),
        "punches": [
            {
                "event_id": str(uuid.uuid4()),
                "kind": "in",
                "employee_number": org.op_a1.number,
                "occurred_at": _at(9),
            }
        ],
    }
    assert feed.post("/api/v1/punches/batch", punch, format="json").status_code == 403
    terminal = _feed(org, acd=False)
    body = {"states": [_state(org.op_a1, "available", _at(9))]}
    assert terminal.post("/api/v1/acd/agent-states", body, format="json").status_code == 403
    assert APIClient().post("/api/v1/acd/agent-states", body, format="json").status_code in (
        401,
        403,
    )


def test_a_batch_over_500_rows_is_refused_whole(org: Org) -> None:
    rows = [_state(org.op_a1, "available", _at(9)) for _ in range(501)]
    response = _feed(org).post("/api/v1/acd/agent-states", {"states": rows}, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "acd_batch_too_large"


CSV = (
    "Interval Start,Offered,ACD Calls,Aband Calls,Avg Speed Ans,Avg Handle Time,% In Serv Levl\n"
    "2026-03-10T09:00:00+01:00,40,36,4,12,4:00,83.3\n"
    "2026-03-10T09:30:00+01:00,50,45,5,0:20,250,80%\n"
    "2026-03-10T10:00:00,50,45,5,20,250,80\n"
    "2026-03-10T10:30:00+01:00,50,51,0,20,250,80\n"
    "2026-03-10T11:00:00+01:00,ten,45,5,20,250,80\n"
)


def test_csv_import_of_an_interval_export_from_the_api(org: Org) -> None:
    queue = queue_make(site=org.amsterdam, name="Sales")
    client = client_for(org.manager_a)

    def upload() -> list[dict[str, Any]]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(
            "/api/v1/acd/import",
            {
                "site": str(org.amsterdam.pk),
                "queue": "Sales",
                "interval_minutes": 30,
                "file": SimpleUploadedFile("cms.csv", CSV.encode(), "text/csv"),
            },
            format="multipart",
        )
        assert response.status_code == 200, response.content
        return response.json()["results"]

    results = upload()
    assert [(r["line"], r.get("error", {}).get("code", r["status"])) for r in results] == [
        (2, "accepted"),
        (3, "accepted"),
        (4, "naive"),
        (5, "acd_counts_inconsistent"),
        (6, "invalid"),
    ]
    first = AcdInterval.objects.get(
        queue=queue, interval_start=datetime(2026, 3, 10, 8, 0, tzinfo=ZoneInfo("UTC"))
    )
    assert (first.answered, first.handle_seconds, first.wait_seconds) == (36, 36 * 240, 36 * 12)
    assert first.answered_within_goal == 30  # 83.3 % of 36, rounded
    assert first.source == "csv"
    assert [r["status"] for r in upload()][:2] == ["duplicate", "duplicate"]
    assert AcdInterval.objects.count() == 2
    other = client_for(org.manager_b).post(
        "/api/v1/acd/import",
        {"site": str(org.amsterdam.pk), "queue": "Sales", "file": ""},
        format="multipart",
    )
    assert other.status_code in (400, 404)


def test_a_manager_provisions_the_feed_on_the_devices_page_and_it_posts_states(org: Org) -> None:
    from django.test import Client

    from timeclock.models import Device

    client = Client()
    client.force_login(org.manager_a)
    page = client.post(
        "/manager/setup/devices/",
        {"site": str(org.amsterdam.pk), "name": "Phone system", "is_acd_feed": "on"},
    )
    assert page.status_code == 200
    assert "ACD feed" in page.content.decode()
    device = Device.objects.get(name="Phone system")
    assert device.is_acd_feed
    assert not device.is_kiosk
    token = page.context["secret"]["token"]
    feed = APIClient()
    feed.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    results = _post_states(feed, [_state(org.op_a1, "available", _at(9))])
    assert results[0]["status"] == "accepted"


def test_a_resend_a_concurrent_batch_stored_meanwhile_is_a_duplicate_not_an_overlap(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two batches with the same event ids at once (a resend racing its original, CI saw it on
    PostgreSQL): the first commits after the second looked its ids up. The second's rows then
    meet their own stored copies in the overlap check; they are the same states, so each
    answers `duplicate`, never `agent_state_overlap`."""
    from timeclock.services import acd

    start = datetime.combine(DAY, time(9), tzinfo=AMS)
    items = [
        acd.AgentStateInput(
            event_id=uuid.uuid4(),
            employee_number=org.op_a1.number,
            state="available",
            started_at=start + timedelta(minutes=n),
            ended_at=start + timedelta(minutes=n + 1),
        )
        for n in range(3)
    ]
    looked_up = acd._known

    def then_the_other_batch_commits(*args: Any) -> Any:
        fresh = looked_up(*args)
        monkeypatch.setattr(acd, "_known", looked_up)
        acd.agent_states_ingest(items=items, site=org.amsterdam, device=None)
        return fresh

    monkeypatch.setattr(acd, "_known", then_the_other_batch_commits)
    results = acd.agent_states_ingest(items=items, site=org.amsterdam, device=None)
    assert [r.status for r in results] == ["duplicate"] * 3
    assert AgentState.objects.count() == 3
