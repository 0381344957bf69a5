"""PostgreSQL guarantees of punches: append-only rows (R1.1), one row per event id under
concurrent identical posts (R2.1), and batches re-sent after a timeout."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import Org
from tests.races import race
from timeclock.models import Punch
from timeclock.services.devices import device_register
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def now() -> datetime:
    """The time when the test runs, to the second (never at import: a slow run must not age
    the punches a test sends)."""
    return datetime.now(UTC).replace(microsecond=0)


def _item(employee: Any, minutes: int = 5, **fields: Any) -> PunchInput:
    return PunchInput(
        event_id=fields.pop("event_id", uuid.uuid4()),
        kind=fields.pop("kind", "in"),
        occurred_at=now() - timedelta(minutes=minutes),
        employee_number=employee.number,
        **fields,
    )


def test_punches_cannot_be_changed_or_deleted_by_any_path(org: Org) -> None:
    device, _ = device_register(site=org.amsterdam, name="T", is_kiosk=False, created_by=None)
    punches_ingest(items=[_item(org.op_a1)], source="terminal", device=device)
    punch = Punch.objects.get()
    original = (punch.kind, punch.occurred_at)
    attempts = [
        lambda: Punch.objects.filter(pk=punch.pk).update(kind="out"),
        lambda: Punch.objects.filter(pk=punch.pk).delete(),
        lambda: _save_changed(punch),
        lambda: _raw(f"UPDATE timeclock_punch SET kind = 'out' WHERE id = {punch.pk}"),
        lambda: _raw(f"DELETE FROM timeclock_punch WHERE id = {punch.pk}"),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    stored = Punch.objects.get(pk=punch.pk)
    assert (stored.kind, stored.occurred_at) == original


def _save_changed(punch: Punch) -> None:
    punch.kind = "out"
    punch.save()


def _raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_twenty_identical_posts_at_once_make_one_row(org: Org) -> None:
    device, _ = device_register(site=org.amsterdam, name="T", is_kiosk=False, created_by=None)
    item = _item(org.op_a1)
    results = race(
        *[lambda: punches_ingest(items=[item], source="terminal", device=device)[0].status] * 20
    )
    assert sorted(results) == ["created"] + ["duplicate"] * 19
    assert Punch.objects.filter(event_id=item.event_id).count() == 1


def test_a_batch_resent_after_a_timeout_stores_each_event_once(org: Org) -> None:
    device, _ = device_register(site=org.amsterdam, name="T", is_kiosk=False, created_by=None)
    items = [_item(org.op_a1, minutes=n, device_seq=n) for n in range(500)]
    results = race(
        *[lambda: [r.status for r in punches_ingest(items=items, source="terminal", device=device)]]
        * 3
    )
    created = sum(r.count("created") for r in results)
    duplicates = sum(r.count("duplicate") for r in results)
    assert created == 500
    assert duplicates == 1000
    assert Punch.objects.count() == 500


def test_closing_a_period_while_punches_arrive_loses_none(org: Org) -> None:
    """R1.4(c): every acknowledged punch is in the closed period's lines or, later, in an
    approved adjustment; the period's frozen export never changes."""
    from datetime import date, time
    from zoneinfo import ZoneInfo

    from scheduling.models import Roster, Shift
    from timeclock.exports.csv import payroll_csv
    from timeclock.models import PayLineRecord, PayPeriod
    from timeclock.selectors.periods import period_lines
    from timeclock.services.periods import period_close, period_create

    zone = ZoneInfo("Europe/Amsterdam")
    first = date(2026, 6, 1)
    roster = Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key="team:x",
        start_date=first,
        days=7,
        version=1,
        status="published",
    )
    people = [org.op_a1, org.op_a2]
    shifts = []
    for n in range(25):  # 25 shifts over the week, each worked by one of the two
        day = first + timedelta(days=n % 7)
        start = datetime.combine(day, time(6 + (n // 7) * 4), tzinfo=zone)
        employee = people[n % 2]
        if any(
            s.employee == employee and s.start < start + timedelta(hours=3) and start < s.end
            for s in shifts
        ):
            continue
        shifts.append(
            Shift.objects.create(
                roster=roster,
                employee=employee,
                start=start,
                end=start + timedelta(hours=3),
                local_date=day,
                state="published",
            )
        )
    period = period_create(site=org.amsterdam, start_date=first, end_date=first + timedelta(days=6))
    items = [
        PunchInput(
            event_id=uuid.uuid4(), kind=kind, occurred_at=at, employee_number=s.employee.number
        )
        for s in shifts
        for kind, at in (("in", s.start), ("out", s.end))
    ]

    def work(i: int) -> Any:
        if i == 0:
            return period_close(period=period, user=org.payroll, force_reason="in flight")
        return punches_ingest(items=[items[i - 1]], source="remote", device=None)[0].status

    results = race(*(partial(work, i) for i in range(len(items) + 1)))
    assert all(r == "created" for r in results[1:]), results
    frozen = payroll_csv(period=PayPeriod.objects.get(pk=period.pk))
    # Whatever the close did not see is due now: the next close books it, once approved.
    following = period_create(
        site=org.amsterdam,
        start_date=first + timedelta(days=7),
        end_date=first + timedelta(days=13),
    )
    period_close(period=following, user=org.payroll, approve_adjustments=True)
    assert payroll_csv(period=PayPeriod.objects.get(pk=period.pk)) == frozen
    due = sum(line.amount for lines in period_lines(period=period).values() for line in lines)
    booked = sum(
        r.amount for r in PayLineRecord.objects.filter(period=period, adjusts__isnull=True)
    ) + sum(r.amount for r in PayLineRecord.objects.filter(adjusts=period))
    assert booked - due == Decimal("0.00")
