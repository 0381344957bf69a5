"""PostgreSQL guarantees of the ACD feed: two batches with the same event ids at once store
one row each (the other answers duplicate); overlapping states of one operator sent at once
by two batches are refused by the exclusion constraint, never both stored."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Org
from tests.factories import queue_make
from tests.races import race
from timeclock.models import AcdInterval, AgentState
from timeclock.services.acd import (
    AcdIntervalInput,
    AgentStateInput,
    acd_intervals_ingest,
    agent_states_ingest,
)
from timeclock.services.devices import device_register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def _start() -> datetime:
    """Six hours ago, on the quarter-hour grid (an interval must start on it)."""
    now = datetime.now(UTC).replace(microsecond=0, second=0) - timedelta(hours=6)
    return now - timedelta(minutes=now.minute % 15)


def test_two_batches_with_the_same_event_ids_at_once_store_one_row_each(org: Org) -> None:
    device, _ = device_register(
        site=org.amsterdam, name="ACD", is_kiosk=False, created_by=None, is_acd_feed=True
    )
    start = _start()
    items = [
        AgentStateInput(
            event_id=uuid.uuid4(),
            employee_number=(org.op_a1 if n % 2 else org.op_a2).number,
            state="available" if n % 3 else "on_call",
            started_at=start + timedelta(minutes=n),
            ended_at=start + timedelta(minutes=n + 1),
        )
        for n in range(300)
    ]
    for _ in range(5):
        AgentState.objects.all().delete()
        results = race(
            *[
                lambda: [
                    r.status
                    for r in agent_states_ingest(items=items, site=org.amsterdam, device=device)
                ]
            ]
            * 2
        )
        assert not any(isinstance(r, Exception) for r in results), results
        statuses = sorted(results[0] + results[1])
        assert statuses == ["accepted"] * 300 + ["duplicate"] * 300
        assert AgentState.objects.count() == 300


def test_intervals_resent_at_once_are_stored_once(org: Org) -> None:
    queue = queue_make(site=org.amsterdam, name="Sales")
    start = _start()
    items = [
        AcdIntervalInput(
            event_id=uuid.uuid4(),
            queue="Sales",
            interval_start=start + timedelta(minutes=15 * n),
            interval_minutes=15,
            offered=10,
            answered=9,
            abandoned=1,
            answered_within_goal=8,
            handle_seconds=2000,
            wait_seconds=90,
        )
        for n in range(20)
    ]
    results = race(
        *[
            lambda: [
                r.status for r in acd_intervals_ingest(items=items, site=org.amsterdam, device=None)
            ]
        ]
        * 3
    )
    assert sum(r.count("accepted") for r in results) == 20
    assert AcdInterval.objects.filter(queue=queue).count() == 20


def test_overlapping_states_sent_at_once_are_never_both_stored(org: Org) -> None:
    start = _start()

    def send(minute: int) -> str:
        item = AgentStateInput(
            event_id=uuid.uuid4(),
            employee_number=org.op_a1.number,
            state="on_call",
            started_at=start + timedelta(minutes=minute),
            ended_at=start + timedelta(minutes=minute + 10),
        )
        return agent_states_ingest(items=[item], site=org.amsterdam, device=None)[0].status

    for round_ in range(5):
        AgentState.objects.all().delete()
        results = race(lambda: send(0), lambda: send(5))
        assert sorted(results) == ["accepted", "refused"], (round_, results)
        assert AgentState.objects.count() == 1
