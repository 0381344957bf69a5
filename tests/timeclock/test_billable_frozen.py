"""A closed period's exports read only what its close froze (issue 25 review): the billable
hours per client queue and day are frozen at the close, so a punch corrected, a punch
received or a queue renamed after the close changes no invoice, and re-exporting gives the
same bytes (it was worked out from today's punches). The correction is not lost: the pay
side books it as an adjustment in the next period."""

from datetime import UTC, datetime, timedelta

import pytest

from organisation.models import Queue
from tests.conftest import Org
from tests.factories import queue_make
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from timeclock.exports.billable import billable_hours_csv
from timeclock.models import BillableHours, PayPeriod, Punch
from timeclock.services.adjustments import adjustments_compute
from timeclock.services.corrections import correction_move
from timeclock.services.payroll_exports import EXPORTERS, payroll_export
from timeclock.services.periods import period_close, period_create
from timeclock.services.retention import retention_purge

pytestmark = pytest.mark.django_db
AFTER = datetime(2026, 6, 9, 12, tzinfo=UTC)  # the week of FIRST is over
FROZEN_ONLY = ("csv", "xlsx", "records", "billable")  # ADP and DATEV need an account first


def _client_week(org: Org) -> PayPeriod:
    """op_a1 on the Acme queue Monday to Wednesday (09:00-17:00, Wednesday 12 min late),
    op_a2 on an in-house shift on Tuesday; the week closed at AFTER."""
    roster = _roster(org)
    client = queue_make(site=org.amsterdam, name="Acme", client_name="Acme Inc")
    for day in range(3):
        shift = _shift(roster, org.op_a1, day, queue=client)
        _punch(org.op_a1, "in", shift.start + timedelta(minutes=12 if day == 2 else 0))
        _punch(org.op_a1, "out", shift.end)
    shift = _shift(roster, org.op_a2, 1)
    _punch(org.op_a2, "in", shift.start)
    _punch(org.op_a2, "out", shift.end)
    week = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    return period_close(period=week, user=org.payroll, force_reason="test", now=AFTER)


def test_the_close_freezes_the_billable_hours_per_client_queue_and_day(org: Org) -> None:
    period = _client_week(org)
    assert period.billable_frozen
    rows = BillableHours.objects.filter(period=period).order_by("work_date")
    assert [(r.client_name, r.queue_name, r.work_date, r.seconds) for r in rows] == [
        ("Acme Inc", "Acme", FIRST, 8 * 3600),
        ("Acme Inc", "Acme", FIRST + timedelta(days=1), 8 * 3600),
        ("Acme Inc", "Acme", FIRST + timedelta(days=2), 8 * 3600 - 12 * 60),
    ]
    assert billable_hours_csv(period=period).decode().splitlines() == [
        "client,queue,date,hours,line,adjusts_period_start,adjusts_period_end",
        "Acme Inc,Acme,2026-06-01,8.00,WORKED,,",
        "Acme Inc,Acme,2026-06-02,8.00,WORKED,,",
        "Acme Inc,Acme,2026-06-03,7.80,WORKED,,",
    ]


def test_a_punch_corrected_after_the_close_changes_no_export_of_the_period(org: Org) -> None:
    period = _client_week(org)
    before = {name: EXPORTERS[name](period=period) for name in FROZEN_ONLY}
    # After the close: Wednesday's late clock-in is corrected to 09:00, Monday's clock-out
    # moved two hours earlier, the queue and client renamed.
    wednesday_in = Punch.objects.get(
        employee=org.op_a1, kind="in", occurred_at__date=FIRST + timedelta(days=2)
    )
    correction_move(
        punch=wednesday_in,
        occurred_at=wednesday_in.occurred_at - timedelta(minutes=12),
        reason="badge reader was down",
        actor=org.manager_a,
    )
    monday_out = Punch.objects.get(employee=org.op_a1, kind="out", occurred_at__date=FIRST)
    correction_move(
        punch=monday_out,
        occurred_at=monday_out.occurred_at - timedelta(hours=2),
        reason="left early",
        actor=org.manager_a,
    )
    Queue.objects.filter(name="Acme").update(name="Acme 2", client_name="Acme B.V.")
    period = PayPeriod.objects.get(pk=period.pk)
    for name in FROZEN_ONLY:
        assert EXPORTERS[name](period=period) == before[name], name
    # The first export written after the corrections is the frozen one, byte for byte.
    assert bytes(payroll_export(period=period, format="billable").content) == before["billable"]
    # Nothing is lost: the pay side books the corrections in the next period.
    following = period_create(
        site=org.amsterdam, start_date=FIRST + timedelta(days=7), end_date=FIRST + timedelta(13)
    )
    booked = adjustments_compute(period=following, now=AFTER + timedelta(days=7))
    assert {str(r.employee_id) for r in booked} == {str(org.op_a1.pk)}


def test_an_open_period_previews_the_billable_hours_from_the_punches_of_now(org: Org) -> None:
    roster = _roster(org)
    client = queue_make(site=org.amsterdam, name="Acme", client_name="Acme Inc")
    shift = _shift(roster, org.op_a1, 0, queue=client)
    _punch(org.op_a1, "in", shift.start)
    _punch(org.op_a1, "out", shift.end)
    week = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    assert billable_hours_csv(period=week).decode().splitlines()[1:] == [
        "Acme Inc,Acme,2026-06-01,8.00,WORKED,,"
    ]
    assert not BillableHours.objects.exists()


def test_a_period_closed_before_billable_hours_were_frozen_still_exports_them(org: Org) -> None:
    """Closed before migration 0014: no frozen rows, worked out at its (first) export."""
    period = _client_week(org)
    frozen = billable_hours_csv(period=period)
    BillableHours.objects.filter(period=period).delete()
    PayPeriod.objects.filter(pk=period.pk).update(billable_frozen=False)
    assert billable_hours_csv(period=PayPeriod.objects.get(pk=period.pk)) == frozen


def test_the_payroll_purge_takes_the_billable_hours_with_the_lines(org: Org) -> None:
    period = _client_week(org)
    lines = period.lines.count()
    purged = retention_purge(
        kind="payroll", before=FIRST + timedelta(days=8), today=AFTER.date().replace(year=2030)
    )
    assert purged == lines + 3
    assert not BillableHours.objects.filter(period=period).exists()
