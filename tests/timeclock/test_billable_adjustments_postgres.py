"""PostgreSQL: two later periods of a site closed at once never both carry the same change
of an earlier closed period (a site's closes wait for each other), on the invoice side
(billable adjustments) and on the pay side (ADJUSTMENT lines) alike."""

import threading
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import connection

from tests.conftest import Org
from tests.races import race
from tests.timeclock.test_billable_adjustments import _move_monday_out, _week
from tests.timeclock.test_billable_frozen import AFTER, _client_week
from timeclock.models import BillableHours, PayLineRecord, PayPeriod
from timeclock.services import periods
from timeclock.services.periods import period_close

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def _a_lock_is_awaited() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return bool(cursor.fetchone()[0])


def test_two_closes_at_once_carry_a_change_once(org: Org, monkeypatch: Any) -> None:
    first = _client_week(org)
    _move_monday_out(org, 2)
    later = [_week(org, 1), _week(org, 2)]
    computed: list[int] = []
    other = threading.Event()
    real = periods.billable_adjustments_compute

    def held(**kwargs: Any) -> Any:
        """The first close to work out its adjustments writes nothing until the other has
        worked out its own too, or waits for a lock: without the site's lock both would
        carry the change."""
        rows = real(**kwargs)
        computed.append(1)
        if len(computed) == 2:
            other.set()
        for _ in range(6000):
            if len(computed) == 2 or _a_lock_is_awaited():
                break
            other.wait(0.05)
        else:
            raise AssertionError("the other close neither worked out nor waited")
        return rows

    monkeypatch.setattr(periods, "billable_adjustments_compute", held)

    def close(period: PayPeriod) -> Any:
        return period_close(
            period=period,
            user=None,
            force_reason="race",
            approve_adjustments=True,
            now=AFTER + timedelta(weeks=3),
        )

    results = race(*(partial(close, p) for p in later))
    assert all(isinstance(r, PayPeriod) for r in results), results
    carried = BillableHours.objects.filter(adjusts=first)
    assert [(r.work_date, r.seconds) for r in carried] == [(first.start_date, 2 * 3600)]
    pay = PayLineRecord.objects.filter(adjusts=first)
    assert len({r.period_id for r in pay}) == 1  # booked by one of the two closes
    assert sum((r.hours for r in pay), Decimal(0)) == Decimal("2.00")
