"""R1.5: purges inside the retention floors are refused; the floors never go below the law."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from organisation.models import AuditEvent
from tests.conftest import Org
from tests.factories.punches import punch_make
from timeclock.errors import RetentionFloor
from timeclock.models import CorrectionRequest, Punch
from timeclock.services.corrections import correction_move
from timeclock.services.punches import PunchInput, punches_ingest
from timeclock.services.retention import retention_purge, retention_years

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = date(2026, 11, 26)


def test_purges_inside_the_floors_are_refused(org: Org) -> None:
    with pytest.raises(RetentionFloor):
        retention_purge(kind="time_cards", before=date(2025, 1, 1), today=TODAY)  # 1 y 11 m
    with pytest.raises(RetentionFloor):
        retention_purge(kind="payroll", before=date(2024, 1, 1), today=TODAY)  # 2 y 11 m


def test_floors_cannot_be_configured_below_the_law(settings: object) -> None:
    settings.WFM_RETENTION_TIME_CARD_YEARS = 1  # type: ignore[attr-defined]
    settings.WFM_RETENTION_PAYROLL_YEARS = 5  # type: ignore[attr-defined]
    assert retention_years("time_cards") == 2
    assert retention_years("payroll") == 5


def test_an_allowed_purge_deletes_old_time_cards_and_is_audited(org: Org) -> None:
    old = datetime(2023, 3, 1, 8, tzinfo=UTC)
    punches_ingest(
        items=[
            PunchInput(
                event_id=uuid.uuid4(), kind="in", occurred_at=old, employee_number=org.op_a1.number
            )
        ],
        source="remote",
        device=None,
        now=old,
    )
    recent = datetime(2026, 11, 1, 8, tzinfo=UTC)
    punches_ingest(
        items=[
            PunchInput(
                event_id=uuid.uuid4(),
                kind="in",
                occurred_at=recent,
                employee_number=org.op_a1.number,
            )
        ],
        source="remote",
        device=None,
        now=recent,
    )
    assert retention_purge(kind="time_cards", before=date(2024, 1, 1), today=TODAY) == 1
    assert list(Punch.objects.values_list("occurred_at", flat=True)) == [recent]
    assert AuditEvent.objects.filter(action="retention_purge").count() == 1
    # The guard is back on afterwards (PostgreSQL): punches are append-only again.
    from django.db import DatabaseError, connection

    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            Punch.objects.all().delete()


def test_a_purge_takes_the_requests_about_old_punches_with_them(org: Org) -> None:
    old = datetime(2023, 3, 1, 8, tzinfo=UTC)
    punch = punch_make(employee=org.op_a1, kind="in", at=old)
    request = CorrectionRequest.objects.create(
        employee=org.op_a1,
        action="move",
        punch=punch,
        kind="in",
        occurred_at=old - timedelta(minutes=5),
        reason="late by the terminal",
        created_at=old,
    )
    correction = correction_move(
        punch=punch, occurred_at=old - timedelta(minutes=5), reason="asked", actor=org.manager_a
    )
    CorrectionRequest.objects.filter(pk=request.pk).update(
        status="approved", decided_at=old, decided_by=org.manager_a, correction=correction
    )
    assert retention_purge(kind="time_cards", before=date(2024, 1, 1), today=TODAY) == 3
    assert not CorrectionRequest.objects.exists()
    assert not Punch.objects.exists()
