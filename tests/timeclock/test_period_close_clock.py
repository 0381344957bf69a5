"""The close and its check work out the period's exceptions and adjustments as of the `now`
they are given, never the machine's clock: a clock-out still missing after the period's end
blocks the close even while the machine's clock (patched here) reads a day before it."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Org
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from timeclock.errors import PeriodHasExceptions
from timeclock.models import PayPeriod
from timeclock.services.periods import period_close, period_close_check, period_create

pytestmark = pytest.mark.django_db
AFTER = datetime(2026, 6, 9, 12, tzinfo=UTC)  # the week of FIRST is over
BEFORE = datetime(2026, 5, 31, 12, tzinfo=UTC)  # the day before it starts


def test_a_missing_clock_out_blocks_the_close_as_of_the_given_now(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    shift = _shift(_roster(org), org.op_a1, 0)
    _punch(org.op_a1, "in", shift.start)  # never clocked out
    week = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    monkeypatch.setattr("django.utils.timezone.now", lambda: BEFORE)
    with pytest.raises(PeriodHasExceptions) as refused:
        period_close_check(period=week, now=AFTER)
    assert refused.value.extra["exceptions"][0]["exceptions"] == ["missing_out"]
    with pytest.raises(PeriodHasExceptions):
        period_close(period=week, user=org.payroll, now=AFTER)
    assert PayPeriod.objects.get(pk=week.pk).status == PayPeriod.Status.OPEN
