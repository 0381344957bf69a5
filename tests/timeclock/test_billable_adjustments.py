"""Prior-period billable adjustments (issue 25): a punch corrected after a close changes no
invoice of that period (frozen, 0014) and reaches the client through the billable file of
the next period that closes, as an ADJUSTMENT row naming the period and day it adjusts, its
hours positive or negative, billed exactly once."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from organisation.models import Queue
from scheduling.models import Roster, Shift
from tests.conftest import Org, client_for
from tests.factories import queue_make
from tests.timeclock.test_billable_frozen import AFTER, _client_week
from tests.timeclock.test_payroll import FIRST, _punch, _shift
from timeclock.errors import AdjustmentsNeedApproval
from timeclock.exports.billable import billable_hours_csv
from timeclock.models import BillableHours, PayPeriod, Punch
from timeclock.services.corrections import correction_move
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.periods import period_close, period_create

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
HEADER = "client,queue,date,hours,line,adjusts_period_start,adjusts_period_end"
P1 = "2026-06-01,2026-06-07"  # the first week, as adjustment rows name it


def _week(org: Org, weeks: int) -> PayPeriod:
    start = FIRST + timedelta(weeks=weeks)
    return period_create(site=org.amsterdam, start_date=start, end_date=start + timedelta(6))


def _close(period: PayPeriod, weeks_after: int) -> PayPeriod:
    """Close a week `weeks_after` weeks after the first closed, approving its adjustments."""
    return period_close(
        period=period,
        user=None,
        force_reason="test",
        approve_adjustments=True,
        now=AFTER + timedelta(weeks=weeks_after),
    )


def _move_monday_out(org: Org, hours: float) -> None:
    """Monday's clock-out (17:00 punched) moved to 17:00 plus `hours`."""
    out = Punch.objects.get(employee=org.op_a1, kind="out", occurred_at__date=FIRST)
    correction_move(
        punch=out,
        occurred_at=out.occurred_at + timedelta(hours=hours),
        reason="worked on / left early",
        actor=org.manager_a,
    )


def _adjustment_lines(period: PayPeriod) -> list[str]:
    return [
        line for line in billable_hours_csv(period=period).decode().splitlines() if "ADJUST" in line
    ]


def test_a_correction_after_the_close_is_billed_in_the_next_period(org: Org) -> None:
    first = _client_week(org)
    first_file = billable_hours_csv(period=first)
    _move_monday_out(org, 2)  # the clock-out moved two hours later
    second = _close(_week(org, 1), 1)
    rows = BillableHours.objects.filter(period=second, adjusts__isnull=False)
    assert [(r.adjusts_id, r.client_name, r.queue_name, r.work_date, r.seconds) for r in rows] == [
        (first.pk, "Acme Inc", "Acme", FIRST, 2 * 3600)
    ]
    lines = billable_hours_csv(period=second).decode().splitlines()
    assert lines == [HEADER, f"Acme Inc,Acme,2026-06-01,2.00,ADJUSTMENT,{P1}"]
    # The first week's invoice is as it was sent; the second's is written once and kept.
    assert billable_hours_csv(period=PayPeriod.objects.get(pk=first.pk)) == first_file
    stored = bytes(payroll_export(period=second, format="billable").content)
    _move_monday_out(org, 5)  # more changes do not rewrite a closed period's file
    assert billable_hours_csv(period=PayPeriod.objects.get(pk=second.pk)) == stored


def test_two_corrections_of_one_day_across_two_later_periods_bill_each_change_once(
    org: Org,
) -> None:
    first = _client_week(org)
    _move_monday_out(org, 2)  # 17:00 -> 19:00: +2 h, carried by the second week
    second = _close(_week(org, 1), 1)
    _move_monday_out(org, -1)  # then 17:00 -> 16:00: 7 h in all, 3 h fewer than billed
    third = _close(_week(org, 2), 2)
    assert _adjustment_lines(second) == [f"Acme Inc,Acme,2026-06-01,2.00,ADJUSTMENT,{P1}"]
    assert _adjustment_lines(third) == [f"Acme Inc,Acme,2026-06-01,-3.00,ADJUSTMENT,{P1}"]
    # Nothing more to carry: what was frozen plus what was carried is what was worked.
    fourth = _week(org, 3)
    assert _adjustment_lines(fourth) == []
    billed = sum(
        r.seconds for r in BillableHours.objects.filter(work_date=FIRST, queue__name="Acme")
    )
    assert billed == 7 * 3600
    assert first.pk in {r.adjusts_id for r in BillableHours.objects.filter(period=third)}


def test_a_correction_back_to_the_frozen_hours_carries_nothing(org: Org) -> None:
    _client_week(org)
    _move_monday_out(org, 2)
    _move_monday_out(org, 0)  # the same punch moved back to 17:00
    second = period_close(period=_week(org, 1), user=None, force_reason="t", now=AFTER)
    assert second.status == PayPeriod.Status.CLOSED  # nothing to approve
    assert not BillableHours.objects.filter(adjusts__isnull=False).exists()
    assert _adjustment_lines(second) == []


def test_a_correction_while_the_next_period_is_closed_goes_to_the_first_open_one(
    org: Org,
) -> None:
    first = _client_week(org)
    second = _close(_week(org, 1), 1)
    _move_monday_out(org, 2)
    third = _week(org, 2)
    assert _adjustment_lines(third) == [f"Acme Inc,Acme,2026-06-01,2.00,ADJUSTMENT,{P1}"]
    third = _close(third, 2)
    assert _adjustment_lines(second) == []
    assert [r.adjusts_id for r in BillableHours.objects.filter(period=third)] == [first.pk]


def test_a_renamed_queue_is_adjusted_under_the_names_its_period_froze(org: Org) -> None:
    _client_week(org)
    _move_monday_out(org, 2)
    Queue.objects.filter(name="Acme").update(name="Acme Support", client_name="Acme B.V.")
    second = _close(_week(org, 1), 1)
    assert _adjustment_lines(second) == [f"Acme Inc,Acme,2026-06-01,2.00,ADJUSTMENT,{P1}"]


def test_a_queue_made_a_clients_after_the_close_bills_nothing_of_the_closed_period(
    org: Org,
) -> None:
    first = _client_week(org)
    roster = Roster.objects.get()
    inhouse = queue_make(site=org.amsterdam, name="Helpdesk")
    shift = _shift(roster, org.op_a2, 3, queue=inhouse)
    _punch(org.op_a2, "in", shift.start)
    _punch(org.op_a2, "out", shift.end)  # both after the close: the period changed
    Queue.objects.filter(pk=inhouse.pk).update(client_name="Late Client")
    second = _close(_week(org, 1), 1)
    assert first.billable_queues == [str(Queue.objects.get(name="Acme").pk)]
    assert _adjustment_lines(second) == []


def test_closing_asks_to_approve_the_billable_adjustments_and_writes_nothing_until_then(
    org: Org,
) -> None:
    first = _client_week(org)
    _move_monday_out(org, -2)
    second = _week(org, 1)
    with pytest.raises(AdjustmentsNeedApproval) as refused:
        period_close(period=second, user=None, force_reason="t", now=AFTER + timedelta(7))
    assert refused.value.code == "adjustments_need_approval"
    assert refused.value.extra["billable_adjustments"] == [
        {
            "client": "Acme Inc",
            "queue": "Acme",
            "date": "2026-06-01",
            "hours": "-2.00",
            "period": str(first.pk),
            "period_start": "2026-06-01",
            "period_end": "2026-06-07",
        }
    ]
    assert PayPeriod.objects.get(pk=second.pk).status == PayPeriod.Status.OPEN
    assert not BillableHours.objects.filter(period=second).exists()
    # The open period's billable file previews the adjustment its close will carry.
    assert _adjustment_lines(second) == [f"Acme Inc,Acme,2026-06-01,-2.00,ADJUSTMENT,{P1}"]


def test_a_night_over_the_autumn_clock_change_is_adjusted_on_the_day_it_started(
    org: Org,
) -> None:
    """Saturday 24 October 2026 22:00 to Sunday 06:00 in Amsterdam is 9 hours (the clocks go
    back at 03:00); the period ends on the Saturday, the shift belongs to it."""
    first_day = date(2026, 10, 18)
    roster = Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key=f"team:{org.team_a.pk}",
        start_date=first_day,
        days=14,
        version=1,
        status="published",
    )
    acme = queue_make(site=org.amsterdam, name="Acme", client_name="Acme Inc")
    start = datetime.combine(date(2026, 10, 24), time(22), tzinfo=AMS)
    end = datetime.combine(date(2026, 10, 25), time(6), tzinfo=AMS)
    Shift.objects.create(
        roster=roster,
        employee=org.op_a1,
        queue=acme,
        start=start,
        end=end,
        local_date=start.date(),
        state="published",
    )
    _punch(org.op_a1, "in", start)
    _punch(org.op_a1, "out", end)
    closed_at = datetime(2026, 10, 26, 12, tzinfo=UTC)
    week = period_create(site=org.amsterdam, start_date=first_day, end_date=date(2026, 10, 24))
    week = period_close(period=week, user=None, now=closed_at)
    assert billable_hours_csv(period=week).decode().splitlines()[1:] == [
        "Acme Inc,Acme,2026-10-24,9.00,WORKED,,"
    ]
    out = Punch.objects.get(employee=org.op_a1, kind="out")
    correction_move(  # left at 07:00 Sunday (CET), not 06:00
        punch=out, occurred_at=out.occurred_at + timedelta(hours=1), reason="r", actor=org.manager_a
    )
    following = period_create(
        site=org.amsterdam, start_date=date(2026, 10, 25), end_date=date(2026, 10, 31)
    )
    following = period_close(
        period=following,
        user=None,
        force_reason="t",
        approve_adjustments=True,
        now=closed_at + timedelta(days=7),
    )
    assert billable_hours_csv(period=following).decode().splitlines()[1:] == [
        "Acme Inc,Acme,2026-10-24,1.00,ADJUSTMENT,2026-10-18,2026-10-24"
    ]


def test_the_adjustments_api_gives_payroll_the_billable_adjustments_open_and_carried(
    org: Org,
) -> None:
    _client_week(org)
    _move_monday_out(org, 2)
    second = _week(org, 1)
    base = f"/api/v1/pay-periods/{second.pk}/adjustments"
    expected = [
        {
            "client": "Acme Inc",
            "queue": "Acme",
            "date": "2026-06-01",
            "hours": "2.00",
            "period_start": "2026-06-01",
            "period_end": "2026-06-07",
        }
    ]
    # Open: what its close would carry; payroll sees it, a manager's reply has no such key
    # (billable hours are the site's client invoice, not a team's people).
    assert client_for(org.payroll).get(base).json()["billable_adjustments"] == expected
    assert "billable_adjustments" not in client_for(org.manager_a).get(base).json()
    _close(second, 1)
    _move_monday_out(org, 3)  # a later change is not what the closed period carried
    assert client_for(org.payroll).get(base).json()["billable_adjustments"] == expected
