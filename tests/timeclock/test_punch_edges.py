"""Punches that must never be lost, at the edges (issue 23, items 6-9 and the punch inputs of
11): the same event id twice in one batch, a row the database refuses, a terminal of another
site, a revoked device on another worker, and absurd numbers and times."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from organisation.models import Employee
from tests.conftest import Org
from tests.timeclock.test_punches import badged, batch, device_client, item, now
from timeclock.models import ClockPolicy, Device, Punch
from timeclock.services.devices import device_register
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def lobby(org: Org) -> tuple[Device, APIClient]:
    badged(org.op_a1, "4711")
    badged(org.op_b1, "5800")
    device, token = device_register(
        site=org.amsterdam, name="Lobby", is_kiosk=False, created_by=None
    )
    return device, device_client(token)


def _results(response: Any) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.content
    return [(r["status"], (r.get("error") or {}).get("code")) for r in response.json()["results"]]


def test_same_event_id_twice_in_one_batch_is_stored_once_and_answered_as_a_copy(
    org: Org, lobby: tuple[Device, APIClient]
) -> None:
    _, client = lobby
    first = item()
    copy = dict(first)
    changed = {**first, "kind": "out"}
    answer = batch(client, [first, copy, changed])
    assert _results(answer) == [
        ("created", None),
        ("duplicate", None),
        ("rejected", "event_id_conflict"),
    ]
    assert Punch.objects.filter(event_id=first["event_id"]).count() == 1
    assert Punch.objects.get(event_id=first["event_id"]).kind == "in"
    # Sent again, the whole batch answers as across batches.
    assert _results(batch(client, [first, copy, changed])) == [
        ("duplicate", None),
        ("duplicate", None),
        ("rejected", "event_id_conflict"),
    ]


def test_a_row_the_database_refuses_rejects_itself_and_the_good_rows_are_stored(
    org: Org, lobby: tuple[Device, APIClient]
) -> None:
    """device_seq 2^63 passes no validation here (the service is called directly), so the
    database (or its driver) refuses it: that row alone is rejected, every time."""
    device, _ = lobby
    items = [
        PunchInput(
            event_id=uuid.uuid4(),
            kind="in",
            occurred_at=now() - timedelta(minutes=m),
            badge="4711",
            device_seq=seq,
        )
        for m, seq in ((9, 1), (8, 2**63), (7, 3))
    ]
    for expected_first in ("created", "duplicate"):
        results = punches_ingest(items=items, source="terminal", device=device)
        assert [(r.status, (r.error or {}).get("code")) for r in results] == [
            (expected_first, None),
            ("rejected", "punch_not_storable"),
            (expected_first, None),
        ]
    assert sorted(Punch.objects.values_list("device_seq", flat=True)) == [1, 3]


def test_out_of_range_numbers_and_times_reject_their_row_not_the_batch(
    org: Org, lobby: tuple[Device, APIClient]
) -> None:
    _, client = lobby
    good = item()
    rows = [
        good,
        item(device_seq=2**70),
        item(device_seq=2**63),
        item(occurred_at="9999-12-31T23:00:00+02:00"),
        item(occurred_at="0001-01-01T00:00:00+00:00"),
        item(device_seq=2**63 - 1),
    ]
    results = _results(batch(client, rows))
    assert results[0] == ("created", None)
    assert [status for status, _ in results[1:5]] == ["rejected"] * 4
    assert results[1][1] == results[2][1] == "max_value"
    assert results[3][1] == results[4][1] == "date_out_of_range"
    assert results[5] == ("created", None)
    assert Punch.objects.count() == 2


def test_absurd_sent_at_keeps_the_punches_for_review(
    org: Org, lobby: tuple[Device, APIClient]
) -> None:
    """A terminal whose clock says year 9999 still delivers its punches: stored, no skew
    correction, each marked for review, never a 500 nor a batch blocked for ever."""
    device, client = lobby
    sent = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert _results(batch(client, [item()], sent_at=sent)) == [("created", None)]
    punch = Punch.objects.get()
    assert punch.skew_seconds is None
    assert punch.corrected_at == punch.occurred_at
    assert punch.review_reason.startswith("clock_unusable")
    device.refresh_from_db()
    assert device.last_skew_seconds is None
    naive = client.post(
        "/api/v1/punches/batch",
        {"sent_at": "9999-12-31T23:00:00", "punches": [item()]},
        format="json",
    )
    assert naive.status_code == 400


def test_terminal_refuses_employees_of_another_site_unless_its_policy_allows(
    org: Org, lobby: tuple[Device, APIClient]
) -> None:
    _, client = lobby
    visitor = item(badge="5800")
    assert _results(batch(client, [item(), visitor])) == [
        ("created", None),
        ("rejected", "employee_other_site"),
    ]
    assert not Punch.objects.filter(employee=org.op_b1).exists()
    identify = client.post(
        "/api/v1/kiosk/identify", {"identifier": "5800", "pin": "2468"}, format="json"
    )
    assert (identify.status_code, identify.json()["code"]) == (403, "employee_other_site")
    ClockPolicy.objects.create(site=org.amsterdam, other_sites_accepted=True)
    assert _results(batch(client, [visitor])) == [("created", None)]
    assert Punch.objects.get(employee=org.op_b1).device.site == org.amsterdam


def test_revoked_device_is_refused_on_its_next_request_on_every_worker(
    org: Org, lobby: tuple[Device, APIClient]
) -> None:
    """Another worker revokes the device (a plain update: nothing in this process is told):
    the very next request here answers 401."""
    device, client = lobby
    assert client.get("/api/v1/device/config").status_code == 200
    Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/device/config").status_code == 401
    assert batch(client, [item()]).status_code == 401
    assert not Employee.objects.get(pk=org.op_a1.pk).punches.exists()
