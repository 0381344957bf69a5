"""Pay at a period's edges and the site's own lateness grace (issue 23, items 1 and 2): an
overnight shift starting on a period's last day is paid in that period, its clock-out after
midnight included, and a clock-out that arrives after the close becomes an adjustment."""

import hashlib
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from scheduling.models import Shift
from tests.conftest import Org
from tests.factories.punches import fine_rules_received, past_shift
from timeclock.errors import PeriodNotEnded
from timeclock.exports.csv import payroll_csv
from timeclock.exports.records import records_csv
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy
from timeclock.selectors.pay import payslip_get
from timeclock.selectors.periods import period_exceptions
from timeclock.selectors.timesheets import timesheet_row_list
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 6, 1)
SUNDAY = date(2026, 6, 7)  # the weekly period's last day


def _shift(org: Org, day: date, hour: int, hours: int) -> Shift:
    return past_shift(employee=org.op_a1, day=day, hour=hour, hours=hours)


def _punch(org: Org, kind: str, at: datetime, received: datetime | None = None) -> None:
    punches_ingest(
        items=[
            PunchInput(
                event_id=uuid.uuid4(),
                kind=kind,
                occurred_at=at,
                employee_number=org.op_a1.number,
            )
        ],
        source="remote",
        device=None,
        now=received or at,
    )


@pytest.fixture
def night(org: Org) -> Shift:
    """Sunday 22:00 -> Monday 06:00 on the weekly period's last day, both punches in."""
    shift = _shift(org, SUNDAY, 22, 8)
    _punch(org, "in", shift.start)
    _punch(org, "out", shift.end)
    return shift


def test_overnight_shift_on_a_periods_last_day_is_paid_in_that_period(
    org: Org, night: Shift
) -> None:
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    (row,) = timesheet_row_list(employee=org.op_a1, first=MONDAY, last=SUNDAY)
    assert row["exceptions"] == []
    assert row["worked_minutes"] == 8 * 60
    preview = payslip_get(employee=org.op_a1, period=period)
    assert {(line["pay_code"], line["minutes"]) for line in preview["lines"]} == {
        ("REGULAR", 480),
        ("NIGHT_PREMIUM", 480),
    }
    assert period_exceptions(period=period) == []
    period_close(period=period, user=org.payroll)
    frozen = PayLineRecord.objects.filter(period=period, employee=org.op_a1)
    regular = frozen.get(pay_code="REGULAR")
    # 8 h at 16.50, and 8 night hours at +25 %: 132.00 + 33.00.
    assert (regular.minutes, regular.amount, regular.work_date) == (480, Decimal("132.00"), SUNDAY)
    assert frozen.get(pay_code="NIGHT_PREMIUM").amount == Decimal("33.00")


def test_next_period_leaves_the_overnight_clock_out_to_the_shift_it_ends(
    org: Org, night: Shift
) -> None:
    """The Monday 06:00 clock-out belongs to Sunday's shift: the next period neither pays it
    again nor takes it for the clock-out of its own Monday shift."""
    monday = _shift(org, SUNDAY + timedelta(days=1), 9, 8)
    _punch(org, "in", monday.start)
    rows = timesheet_row_list(employee=org.op_a1, first=monday.local_date, last=monday.local_date)
    (row,) = rows
    assert row["shift"] == str(monday.pk)
    assert row["clock_out"] is None
    assert "missing_out" in row["exceptions"]
    assert len(row["punches"]) == 1


def test_overnight_clock_out_after_the_close_becomes_an_adjustment_in_the_next_period(
    org: Org,
) -> None:
    shift = _shift(org, SUNDAY, 22, 8)
    _punch(org, "in", shift.start)
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    closed_at = shift.end + timedelta(hours=1)
    period_close(period=period, user=org.payroll, force_reason="clock-out to come", now=closed_at)
    assert not PayLineRecord.objects.filter(period=period, pay_code="REGULAR").exists()
    # The terminal was offline: the clock-out reaches the server after the close.
    _punch(org, "out", shift.end, received=closed_at + timedelta(hours=2))
    following = period_create(
        site=org.amsterdam, start_date=SUNDAY + timedelta(days=1), end_date=SUNDAY + timedelta(7)
    )
    period_close(period=following, user=org.payroll, approve_adjustments=True)
    adjustments = PayLineRecord.objects.filter(period=following, pay_code="ADJUSTMENT")
    assert {(a.adjusted_code, a.hours, a.amount, a.adjusts_id) for a in adjustments} == {
        ("REGULAR", Decimal("8.00"), Decimal("132.00"), period.pk),
        ("NIGHT_PREMIUM", Decimal("8.00"), Decimal("33.00"), period.pk),
    }
    assert PayPeriod.objects.get(pk=period.pk).status == "closed"


def test_site_lateness_grace_is_applied_before_fining(org: Org) -> None:
    """A policy with 10 minutes' grace: 10 minutes late is no fine, 11 is."""
    PayPolicy.objects.create(
        site=org.amsterdam,
        fine_destination="Stichting Het Vergeten Kind",  # BW 7:650 lid 3
        grace_minutes=10,
        lateness_mode="per_occurrence",  # a set amount (BW 7:650 lid 4)
        lateness_amount=Decimal("5.50"),
    )
    fine_rules_received(org.op_a1)  # BW 7:650 lid 1-2: the rules were handed over first
    tuesday = _shift(org, MONDAY + timedelta(days=1), 9, 8)
    wednesday = _shift(org, MONDAY + timedelta(days=2), 9, 8)
    for shift, late in ((tuesday, 10), (wednesday, 11)):
        _punch(org, "in", shift.start + timedelta(minutes=late))
        _punch(org, "out", shift.end)
    rows = {
        r["work_date"]: r for r in timesheet_row_list(employee=org.op_a1, first=MONDAY, last=SUNDAY)
    }
    assert rows[tuesday.local_date]["exceptions"] == []
    assert rows[wednesday.local_date]["late_minutes"] == 11
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    lines = payslip_get(employee=org.op_a1, period=period)["lines"]
    (fine,) = [line for line in lines if line["pay_code"] == "LATENESS_PENALTY"]
    assert fine["amount"] == Decimal("-5.50")
    assert fine["work_date"] == wednesday.local_date
    assert "grace 10" in fine["rule"]


def test_export_after_a_rename_is_byte_identical_to_the_hash_recorded_at_close(
    org: Org, night: Shift
) -> None:
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    closed = period_close(period=period, user=org.payroll)
    records = records_csv(period=closed)
    user = org.op_a1.user
    user.first_name, user.last_name = "Renamed", "Afterwards"
    user.save()
    org.op_a1.number = "N-NEW"
    org.op_a1.save()
    org.amsterdam.currency = "USD"
    org.amsterdam.save()
    closed = PayPeriod.objects.get(pk=period.pk)
    export = payroll_export(period=closed, format="csv")
    assert export.sha256 == closed.export_sha256
    assert hashlib.sha256(payroll_csv(period=closed)).hexdigest() == closed.export_sha256
    assert b"Renamed" not in bytes(export.content)
    assert b"N-NEW" not in bytes(export.content)
    assert b",EUR" in bytes(export.content)
    assert records_csv(period=closed) == records
    assert payslip_get(employee=org.op_a1, period=closed)["currency"] == "EUR"


def test_period_not_ended_is_refused_unless_forced_with_a_reason(org: Org, night: Shift) -> None:
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    # Sunday 23:00: the last day is not over and the night shift runs until Monday 06:00.
    for moment in (night.start + timedelta(hours=1), night.end - timedelta(minutes=1)):
        with pytest.raises(PeriodNotEnded) as refused:
            period_close(period=period, user=org.payroll, now=moment)
        assert refused.value.extra == {"ends_at": night.end.isoformat()}
        assert PayPeriod.objects.get(pk=period.pk).status == "open"
        assert not PayLineRecord.objects.filter(period=period).exists()
    forced = period_close(
        period=period,
        user=org.payroll,
        force_reason="pay run moved forward for the holidays",
        now=night.start + timedelta(hours=1),
    )
    assert forced.status == "closed"
    assert period_close(period=period, user=org.payroll, now=night.end).status == "closed"


def test_period_ends_at_midnight_after_its_last_day_without_night_shifts(org: Org) -> None:
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    midnight = datetime.combine(SUNDAY + timedelta(days=1), time(), tzinfo=AMS)
    with pytest.raises(PeriodNotEnded):
        period_close(period=period, user=org.payroll, now=midnight - timedelta(seconds=1))
    assert period_close(period=period, user=org.payroll, now=midnight).status == "closed"
