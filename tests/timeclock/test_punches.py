"""Devices and punch ingestion: tokens, batches with per-item results, duplicates forever,
conflicts, skew and sequence gaps, device scope, the remote clock, kiosk PINs, corrections."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from organisation.models import AuditEvent, Employee
from tests.conftest import Org, client_for
from tests.factories import employee_make
from timeclock.models import Device, Punch, PunchCorrection, SecurityEvent
from timeclock.services.devices import device_register
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db


def now() -> datetime:
    """The time when the test runs, to the second: read by each test, never at import, so
    that a slow run cannot age the punches a test sends."""
    return datetime.now(UTC).replace(microsecond=0)


def device_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


@pytest.fixture
def terminal(org: Org) -> tuple[Device, APIClient]:
    device, token = device_register(
        site=org.amsterdam, name="Lobby", is_kiosk=False, created_by=None
    )
    return device, device_client(token)


def badged(employee: Employee, badge: str) -> Employee:
    Employee.objects.filter(pk=employee.pk).update(badge_id=badge, pin_hash=make_password("2468"))
    employee.refresh_from_db()
    return employee


def item(badge: str = "4711", **fields: Any) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "badge": badge,
        "kind": "in",
        "occurred_at": (now() - timedelta(minutes=5)).isoformat(),
        **fields,
    }


def batch(client: APIClient, punches: list[dict[str, Any]], sent_at: datetime | None = None) -> Any:
    body = {"sent_at": (sent_at or now()).isoformat(), "punches": punches}
    return client.post("/api/v1/punches/batch", body, format="json")


def test_device_token_is_shown_once_and_revocation_takes_effect(org: Org) -> None:
    manager = client_for(org.manager_a)
    created = manager.post(
        "/api/v1/devices", {"site": str(org.amsterdam.pk), "name": "Door"}, format="json"
    )
    assert created.status_code == 201
    token = created.json()["token"]
    assert all("token" not in row for row in manager.get("/api/v1/devices").json())
    device = device_client(token)
    assert device.get("/api/v1/device/config").json()["timezone"] == "Europe/Amsterdam"
    manager.post(f"/api/v1/devices/{created.json()['id']}/revoke")
    assert device.get("/api/v1/device/config").status_code == 401
    stored = Device.objects.get()
    assert token not in (stored.token_sha256, stored.token_prefix + "x")
    assert client_for(org.op_a1.user).post("/api/v1/devices", {}, format="json").status_code == 403


def test_a_batch_answers_each_item_in_order(org: Org, terminal: Any) -> None:
    _, client = terminal
    badged(org.op_a1, "4711")
    earlier = [item() for _ in range(50)]
    assert batch(client, earlier).status_code == 200
    fresh = [item(occurred_at=(now() - timedelta(minutes=30 + n)).isoformat()) for n in range(445)]
    invalid = [
        item(occurred_at="2026-03-29T02:30:00"),  # no offset
        item(badge="0000"),  # nobody
        item(kind="lunch"),
        {**item(), "event_id": "not-a-uuid"},
        {**item(), "employee_number": "N1"},  # both identifiers
    ]
    mixed = fresh[:200] + earlier + invalid + fresh[200:]
    results = batch(client, mixed).json()["results"]
    assert [r["event_id"] for r in results] == [p["event_id"] for p in mixed]
    statuses = [r["status"] for r in results]
    assert statuses.count("created") == 445
    assert statuses.count("duplicate") == 50
    assert statuses.count("rejected") == 5
    codes = [r["error"]["code"] for r in results if r["status"] == "rejected"]
    assert codes[0] == "naive"
    assert codes[1] == "unknown_employee"
    assert Punch.objects.count() == 495


def test_the_same_event_is_one_row_forever_and_a_changed_body_is_a_conflict(
    org: Org, terminal: Any
) -> None:
    _, client = terminal
    badged(org.op_a1, "4711")
    punch = item(device_seq=7)
    answers = [client.post("/api/v1/punches", punch, format="json") for _ in range(10)]
    assert [a.status_code for a in answers] == [201] * 10
    assert all(a.json() == answers[0].json() for a in answers)
    assert "Idempotent-Replayed" not in answers[0]
    assert all(a["Idempotent-Replayed"] == "true" for a in answers[1:])
    changed = {**punch, "occurred_at": (now() - timedelta(minutes=1)).isoformat()}
    conflict = client.post("/api/v1/punches", changed, format="json")
    assert conflict.status_code == 422
    assert conflict.json()["code"] == "event_id_conflict"
    stored = Punch.objects.get()
    assert stored.occurred_at == datetime.fromisoformat(punch["occurred_at"])
    assert SecurityEvent.objects.filter(kind="event_id_conflict").count() == 1


def test_skewed_device_clocks_are_measured_and_flagged_not_dropped(org: Org, terminal: Any) -> None:
    device, client = terminal
    badged(org.op_a1, "4711")
    # The skew is measured against the server's clock when the batch arrives.
    now = datetime.now(UTC)
    ahead = now + timedelta(hours=3)
    results = batch(client, [item(occurred_at=ahead.isoformat())], sent_at=ahead).json()
    assert results["results"][0]["status"] == "created"
    reset = datetime(2000, 1, 1, tzinfo=UTC)
    batch(client, [item(occurred_at=reset.isoformat())], sent_at=reset)
    first, second = Punch.objects.order_by("id")
    assert abs(first.skew_seconds - 3 * 3600) < 60
    assert "clock_suspect" in first.review_reason
    assert abs((first.corrected_at - now).total_seconds()) < 60  # the offset applied
    assert "in the future" not in first.review_reason
    assert "clock_suspect" in second.review_reason
    assert second.corrected_at.year == now.year
    assert SecurityEvent.objects.filter(kind="device_clock_suspect").count() == 2
    device.refresh_from_db()
    assert device.last_skew_seconds is not None
    assert device.last_skew_seconds < -20 * 365 * 86400


def test_sequence_gaps_show_until_the_missing_events_arrive(org: Org, terminal: Any) -> None:
    device, client = terminal
    badged(org.op_a1, "4711")
    manager = client_for(org.manager_a)
    batch(client, [item(device_seq=101), item(device_seq=105, kind="out")])
    assert manager.get(f"/api/v1/devices/{device.pk}").json()["seq_gaps"] == [[102, 104]]
    batch(client, [item(device_seq=s, kind="out") for s in (102, 103, 104)])
    assert manager.get(f"/api/v1/devices/{device.pk}").json()["seq_gaps"] == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/employees", "/api/v1/rosters", "/api/v1/me", "/api/v1/devices", "/api/v1/sites"],
)
def test_a_device_may_not_read_anything_else(terminal: Any, path: str) -> None:
    _, client = terminal
    assert client.get(path).status_code == 403


def test_repeated_taps_are_all_kept_and_count_once(org: Org, terminal: Any) -> None:
    from timeclock.attendance import PunchEvent, ScheduledShift, attendance

    _, client = terminal
    badged(org.op_a1, "4711")
    at = now() - timedelta(minutes=2)
    taps = [item(occurred_at=(at + timedelta(seconds=s)).isoformat()) for s in (0, 0, 1)]
    assert [r["status"] for r in batch(client, taps).json()["results"]] == ["created"] * 3
    stored = [PunchEvent(str(p.pk), p.kind, p.corrected_at) for p in Punch.objects.all()]
    assert len(stored) == 3
    shift = ScheduledShift("s", at, at + timedelta(hours=8))
    (row,) = attendance([shift], stored).shifts
    assert "duplicate_suspect" in row.exceptions
    assert row.clock_in == at


def test_home_operator_clocks_in_themself_only(org: Org) -> None:
    Employee.objects.filter(pk=org.op_a1.pk).update(is_home_worker=True)
    org.op_a1.refresh_from_db()
    _logged_in(org.op_a1.user)
    home = client_for(org.op_a1.user)
    response = home.post(
        "/api/v1/me/clock", {"kind": "in"}, format="json", HTTP_USER_AGENT="Firefox"
    )
    assert response.status_code == 201
    punch = Punch.objects.get()
    assert punch.employee_id == org.op_a1.pk
    assert punch.source == "remote"
    assert punch.user_agent == "Firefox"
    assert punch.ip_address == "127.0.0.1"
    other = home.post(
        "/api/v1/me/clock", {"kind": "in", "employee": str(org.op_a2.pk)}, format="json"
    )
    assert other.status_code == 400
    assert other.json()["extra"]["fields"]["employee"][0]["code"] == "unknown_field"
    _logged_in(org.op_a2.user)
    office = client_for(org.op_a2.user).post("/api/v1/me/clock", {"kind": "in"}, format="json")
    assert office.status_code == 403
    assert office.json()["code"] == "remote_clock_not_allowed"
    assert Punch.objects.count() == 1


def _logged_in(user: Any, hours_ago: float = 1) -> None:
    user.last_login = datetime.now(UTC) - timedelta(hours=hours_ago)
    user.save(update_fields=["last_login"])


def test_remote_clock_needs_a_login_from_the_last_twelve_hours(org: Org) -> None:
    Employee.objects.filter(pk=org.op_a1.pk).update(is_home_worker=True)
    org.op_a1.refresh_from_db()
    _logged_in(org.op_a1.user, hours_ago=13)
    stale = client_for(org.op_a1.user).post("/api/v1/me/clock", {"kind": "in"}, format="json")
    assert stale.status_code == 403
    assert stale.json()["code"] == "reauthentication_required"
    assert not Punch.objects.exists()


def test_remote_clock_respects_the_sites_network_list(org: Org) -> None:
    from timeclock.models import ClockPolicy

    Employee.objects.filter(pk=org.op_a1.pk).update(is_home_worker=True)
    org.op_a1.refresh_from_db()
    _logged_in(org.op_a1.user)
    ClockPolicy.objects.create(site=org.amsterdam, remote_ip_allowlist=["203.0.113.0/24"])
    home = client_for(org.op_a1.user)
    refused = home.post("/api/v1/me/clock", {"kind": "in"}, format="json")
    allowed = home.post(
        "/api/v1/me/clock", {"kind": "in"}, format="json", REMOTE_ADDR="203.0.113.9"
    )
    assert refused.status_code == 403
    assert allowed.status_code == 201


def test_kiosk_pin_locks_after_five_wrong_tries(org: Org) -> None:
    _, token = device_register(site=org.amsterdam, name="Kiosk", is_kiosk=True, created_by=None)
    kiosk = device_client(token)
    badged(org.op_a1, "4711")
    ok = kiosk.post("/api/v1/kiosk/identify", {"identifier": "4711", "pin": "2468"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["employee_number"] == org.op_a1.number
    for n in range(5):
        wrong = kiosk.post(
            "/api/v1/kiosk/identify", {"identifier": "4711", "pin": "0000"}, format="json"
        )
        assert wrong.status_code == 401
        assert wrong.json()["extra"]["attempts_left"] == 4 - n
    locked = kiosk.post(
        "/api/v1/kiosk/identify", {"identifier": "4711", "pin": "2468"}, format="json"
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "pin_locked"
    other_kiosk = device_client(
        device_register(site=org.amsterdam, name="K2", is_kiosk=True, created_by=None)[1]
    )
    answer = other_kiosk.post(
        "/api/v1/kiosk/identify", {"identifier": "4711", "pin": "2468"}, format="json"
    )
    assert answer.json()["code"] == "pin_locked"  # per employee, across devices


def test_a_device_guessing_pins_across_badges_is_slowed_down(org: Org) -> None:
    _, token = device_register(site=org.amsterdam, name="Kiosk", is_kiosk=True, created_by=None)
    kiosk = device_client(token)
    for n in range(5):
        badged(employee_make(team=org.team_a), f"90{n}")
    codes = []
    for attempt in range(21):
        answer = kiosk.post(
            "/api/v1/kiosk/identify",
            {"identifier": f"90{attempt % 5}", "pin": "0000"},
            format="json",
        )
        codes.append(answer.status_code)
    assert codes[:20] == [401] * 20
    assert codes[20] == 429
    assert answer.json()["code"] == "device_pin_rate_limited"


def test_corrections_are_new_rows_and_the_effective_times_show_both(
    org: Org, terminal: Any
) -> None:
    _, client = terminal
    badged(org.op_a1, "4711")
    batch(client, [item(), item(kind="out", occurred_at=now().isoformat())])
    punch_in, punch_out = Punch.objects.order_by("occurred_at")
    manager = client_for(org.manager_a)
    moved_to = punch_in.occurred_at - timedelta(minutes=20)
    body = {
        "action": "move",
        "punch": punch_in.pk,
        "occurred_at": moved_to.isoformat(),
        "reason": "Badge reader was down",
    }
    assert manager.post("/api/v1/punch-corrections", body, format="json").status_code == 201
    void = {"action": "void", "punch": punch_out.pk, "reason": "Tapped by mistake"}
    assert manager.post("/api/v1/punch-corrections", void, format="json").status_code == 201
    add = {
        "action": "add",
        "employee": str(org.op_a1.pk),
        "kind": "out",
        "occurred_at": (now() + timedelta(minutes=1)).isoformat(),
        "reason": "Forgot to clock out",
    }
    assert manager.post("/api/v1/punch-corrections", add, format="json").status_code == 201
    no_reason = manager.post("/api/v1/punch-corrections", {**void, "reason": ""}, format="json")
    assert no_reason.status_code == 400
    assert (
        client_for(org.op_a1.user)
        .post("/api/v1/punch-corrections", void, format="json")
        .status_code
        == 403
    )
    punch_in.refresh_from_db()
    assert punch_in.occurred_at == moved_to + timedelta(minutes=20)  # the raw row never changes
    span = {
        "start": (now() - timedelta(hours=2)).isoformat(),
        "end": (now() + timedelta(hours=2)).isoformat(),
    }
    rows = manager.get(f"/api/v1/employees/{org.op_a1.pk}/punches", span).json()
    assert [(r["kind"], r["voided"], r["source"]) for r in rows] == [
        ("in", False, "terminal"),
        ("out", True, "terminal"),
        ("out", False, "correction"),
    ]
    assert rows[0]["effective_at"] != rows[0]["raw_at"]
    assert rows[0]["corrections"][0]["reason"] == "Badge reader was down"
    assert PunchCorrection.objects.count() == 3
    audited = AuditEvent.objects.filter(object_type="punch_correction")
    assert sorted(audited.values_list("action", flat=True)) == [
        "punch_add",
        "punch_move",
        "punch_void",
    ]
    assert set(audited.values_list("actor", flat=True)) == {"manager_a"}
    mine = client_for(org.op_a1.user).get(f"/api/v1/employees/{org.op_a1.pk}/punches", span)
    assert mine.status_code == 200
    assert (
        client_for(org.op_a2.user)
        .get(f"/api/v1/employees/{org.op_a1.pk}/punches", span)
        .status_code
        == 404
    )


stream = st.lists(
    st.tuples(st.sampled_from(["in", "break_start", "break_end", "out"]), st.integers(0, 600)),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=stream, order=st.randoms(use_true_random=False), copies=st.integers(1, 3))
def test_any_order_and_duplication_stores_the_same_set(
    org: Org, events: list[tuple[str, int]], order: Any, copies: int
) -> None:
    employee = org.op_a1
    device = (
        Device.objects.filter(name="Property").first()
        or device_register(site=org.amsterdam, name="Property", is_kiosk=False, created_by=None)[0]
    )
    at = now()
    items = [
        PunchInput(
            event_id=uuid.uuid4(),
            kind=kind,
            occurred_at=at - timedelta(minutes=minute),
            employee_number=employee.number,
            device_seq=n,
        )
        for n, (kind, minute) in enumerate(events)
    ]
    delivery = [i for i in items for _ in range(copies)]
    order.shuffle(delivery)
    for start in range(0, len(delivery), 5):
        punches_ingest(items=delivery[start : start + 5], source="terminal", device=device)
    stored = Punch.objects.filter(event_id__in=[i.event_id for i in items])
    assert sorted((p.event_id, p.kind, p.occurred_at) for p in stored) == sorted(
        (i.event_id, i.kind, i.occurred_at) for i in items
    )


def test_the_kiosk_page_works_through_the_device_api(client: Any) -> None:
    page = client.get("/kiosk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-batch-url="/api/v1/punches/batch"' in html
    assert 'data-identify-url="/api/v1/kiosk/identify"' in html
    assert "timeclock/kiosk.js" in html
    assert "http" not in html.split("<body>", 1)[1]  # nothing loaded from elsewhere


def _signed(
    device: Device, key: str, body: dict[str, Any], *, sent_at: datetime, tamper: bool = False
) -> Any:
    from timeclock.tokens import request_signature

    raw = json.dumps(body).encode()
    stamp = sent_at.isoformat()
    signature = request_signature(bytes.fromhex(key), "POST", "/api/v1/punches", stamp, raw)
    sent = raw.replace(b'"in"', b'"out"') if tamper else raw
    return APIClient().generic(
        "POST",
        "/api/v1/punches",
        sent,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device-HMAC {device.pk}",
        HTTP_X_WFM_SENT_AT=stamp,
        HTTP_X_WFM_SIGNATURE=signature,
    )


def test_signed_requests_are_checked_for_age_and_tampering(org: Org) -> None:
    device, _ = device_register(site=org.amsterdam, name="Signed", is_kiosk=False, created_by=None)
    key = device.signing_key  # type: ignore[attr-defined]
    assert key not in device.signing_key_masked
    badged(org.op_a1, "4711")
    body = item()
    now = datetime.now(UTC)
    assert _signed(device, key, body, sent_at=now).status_code == 201
    replay = _signed(device, key, body, sent_at=now)
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    for stale in (now - timedelta(seconds=301), now + timedelta(seconds=301)):
        assert _signed(device, key, item(), sent_at=stale).status_code == 401
    assert _signed(device, key, item(), sent_at=now, tamper=True).status_code == 401
    assert _signed(device, "00" * 32, item(), sent_at=now).status_code == 401
    assert Punch.objects.count() == 1


def test_signature_checks_use_a_constant_time_comparison() -> None:
    import inspect

    from timeclock import auth

    source = inspect.getsource(auth.SignedDeviceAuthentication)
    assert "hmac.compare_digest" in source
    assert "expected == signature" not in source
    assert "signature == expected" not in source
