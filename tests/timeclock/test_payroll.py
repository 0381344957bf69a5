"""Pay periods: close once, frozen lines and export bytes, adjustments for late punches,
missing punches blocking the close, XLSX and billable hours."""

import io
import uuid
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from organisation.audit import audit_first_bad
from organisation.models import AuditEvent
from scheduling.models import Roster, Shift
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.punches import fine_rules_received
from timeclock.errors import AdjustmentsNeedApproval, PeriodHasExceptions, PeriodOverlaps
from timeclock.exports.billable import billable_hours_csv
from timeclock.exports.csv import EXPORT_COLUMNS, payroll_csv
from timeclock.exports.xlsx import payroll_xlsx
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy, PeriodAction
from timeclock.selectors.periods import period_exceptions
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
FIRST = date(2026, 6, 1)  # a Monday


def _roster(org: Org) -> Roster:
    return Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key=f"team:{org.team_a.pk}",
        start_date=FIRST,
        days=14,
        version=1,
        status="published",
    )


def _shift(roster: Roster, employee: object, day: int, queue: object = None) -> Shift:
    start = datetime.combine(FIRST + timedelta(days=day), time(9), tzinfo=AMS)
    return Shift.objects.create(
        roster=roster,
        employee=employee,
        queue=queue,
        start=start,
        end=start + timedelta(hours=8),
        local_date=start.date(),
        state="published",
    )


def _punch(employee: object, kind: str, at: datetime) -> None:
    punches_ingest(
        items=[
            PunchInput(
                event_id=uuid.uuid4(), kind=kind, occurred_at=at, employee_number=employee.number
            )
        ],  # type: ignore[attr-defined]
        source="remote",
        device=None,
        now=at,
    )


@pytest.fixture
def week(org: Org) -> PayPeriod:
    PayPolicy.objects.create(
        site=org.amsterdam,
        fine_destination="Stichting Het Vergeten Kind",  # BW 7:650 lid 3
        lateness_mode="per_occurrence",  # a set amount (BW 7:650 lid 4)
        lateness_amount=Decimal("6.00"),
    )
    fine_rules_received(org.op_a1)  # BW 7:650 lid 1-2: the rules were handed over first
    roster = _roster(org)
    client = queue_make(site=org.amsterdam, name="Acme", client_name="Acme Inc")
    for day in range(5):
        shift = _shift(roster, org.op_a1, day, queue=client)
        late = timedelta(minutes=12) if day == 2 else timedelta(0)
        _punch(org.op_a1, "in", shift.start + late)
        _punch(org.op_a1, "out", shift.end)
    return period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))


def test_closing_freezes_lines_once_and_the_export_never_changes(org: Org, week: PayPeriod) -> None:
    closed = period_close(period=week, user=org.payroll)
    assert closed.status == "closed"
    lines = PayLineRecord.objects.filter(period=week, employee=org.op_a1)
    regular = lines.filter(pay_code="REGULAR")
    assert sum(line.minutes for line in regular) == 5 * 8 * 60 - 12
    assert regular.count() == 5  # one line per shift, each with its day
    (penalty,) = lines.filter(pay_code="LATENESS_PENALTY")
    assert penalty.amount == Decimal("-6.00")
    assert penalty.rule == "late 12 min on 03 Jun, grace 5, 6.00 per occurrence"
    first = payroll_csv(period=week)
    again = period_close(period=week, user=org.payroll)
    assert again.status == "closed"
    assert PeriodAction.objects.filter(period=week, action="close").count() == 1
    assert (
        AuditEvent.objects.filter(action="pay_period_closed", object_id=str(week.pk)).count() == 1
    )
    assert audit_first_bad() is None
    assert PayLineRecord.objects.filter(period=week).count() == lines.count()
    assert payroll_csv(period=week) == first
    header, *rows = first.decode().splitlines()
    assert header == ",".join(EXPORT_COLUMNS)
    assert sum(Decimal(r.split(",")[7]) for r in rows) == sum(line.amount for line in lines)
    assert payroll_xlsx(period=week) == payroll_xlsx(period=week)
    with zipfile.ZipFile(io.BytesIO(payroll_xlsx(period=week))) as book:
        # Nothing in the file depends on when it was written: the stamps are the period's end.
        core = book.read("docProps/core.xml").decode()
        assert {info.date_time for info in book.infolist()} == {(2026, 6, 7, 0, 0, 0)}
    assert core.count("2026-06-07T00:00:00Z") == 2
    sheet = load_workbook(io.BytesIO(payroll_xlsx(period=week))).active
    assert [c.value for c in sheet[1]] == header.split(",")


def test_a_punch_for_a_closed_period_becomes_an_adjustment_in_the_next(
    org: Org, week: PayPeriod
) -> None:
    period_close(period=week, user=org.payroll)
    frozen = payroll_csv(period=week)
    # A forgotten Saturday shift is published and worked, and its punches arrive late.
    saturday = _shift(Roster.objects.get(), org.op_a1, 5)
    for kind, at in (("in", saturday.start), ("out", saturday.end)):
        # Received now, after the close: that is what makes them late.
        punches_ingest(
            items=[PunchInput(uuid.uuid4(), kind, at, employee_number=org.op_a1.number)],
            source="remote",
            device=None,
        )
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    with pytest.raises(AdjustmentsNeedApproval) as refused:
        period_close(period=following, user=org.payroll)
    assert {a["pay_code"] for a in refused.value.extra["adjustments"]} == {"REGULAR", "OVERTIME"}
    assert PayPeriod.objects.get(pk=following.pk).status == "open"
    period_close(period=following, user=org.payroll, approve_adjustments=True)
    assert payroll_csv(period=week) == frozen  # the closed period never changes
    adjustments = {
        a.adjusted_code: a
        for a in PayLineRecord.objects.filter(period=following, pay_code="ADJUSTMENT")
    }
    assert set(adjustments) == {"REGULAR", "OVERTIME"}
    assert all(a.adjusts == week for a in adjustments.values())
    # 47 h 48 worked that week: the 12 minutes short of 40 become regular, the rest overtime.
    rate = org.op_a1.hourly_rate
    assert adjustments["REGULAR"].hours == Decimal("0.20")
    # The rate it was paid at, not 0 (issue 25, item 4): amount over hours.
    assert adjustments["REGULAR"].rate == (
        adjustments["REGULAR"].amount / adjustments["REGULAR"].hours
    ).quantize(Decimal("0.0001"))
    assert adjustments["REGULAR"].rate > 0
    assert adjustments["OVERTIME"].hours == Decimal("7.80")
    assert adjustments["OVERTIME"].amount == (Decimal("7.8") * rate * Decimal("1.5")).quantize(
        Decimal("0.01")
    )
    # Closing a third period adds nothing more for it: the adjustment is accounted for.
    third = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=14),
        end_date=FIRST + timedelta(days=20),
    )
    period_close(period=third, user=org.payroll)
    assert not PayLineRecord.objects.filter(period=third, pay_code="ADJUSTMENT").exists()


def test_missing_punches_block_the_close_unless_forced(org: Org, week: PayPeriod) -> None:
    shift = _shift(Roster.objects.get(), org.op_a2, 0)
    _punch(org.op_a2, "in", shift.start)
    mine = [e.exceptions for e in period_exceptions(period=week) if e.employee == org.op_a2]
    assert mine == [("missing_out",)]
    with pytest.raises(PeriodHasExceptions):
        period_close(period=week, user=org.payroll)
    assert PayPeriod.objects.get(pk=week.pk).status == "open"
    assert not PayLineRecord.objects.exists()
    closed = period_close(period=week, user=org.payroll, force_reason="Confirmed with the team")
    assert closed.status == "closed"


def test_periods_of_a_site_may_not_overlap(org: Org, week: PayPeriod) -> None:
    with pytest.raises(PeriodOverlaps):
        period_create(
            site=org.amsterdam,
            start_date=FIRST + timedelta(days=6),
            end_date=FIRST + timedelta(days=12),
        )


def test_billable_hours_per_client_queue(org: Org, week: PayPeriod) -> None:
    lines = billable_hours_csv(period=week).decode().splitlines()
    assert lines[0] == "client,queue,date,hours,line,adjusts_period_start,adjusts_period_end"
    assert lines[1] == "Acme Inc,Acme,2026-06-01,8.00,WORKED,,"
    assert lines[3] == "Acme Inc,Acme,2026-06-03,7.80,WORKED,,"  # 12 minutes late
    assert len(lines) == 6


def test_close_and_export_from_the_command_line(
    org: Org, week: PayPeriod, tmp_path: object
) -> None:
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "close_period",
        "--site",
        "Amsterdam",
        "--start",
        str(FIRST),
        "--end",
        str(FIRST + timedelta(days=6)),
        stdout=out,
    )
    assert "Closed" in out.getvalue()
    target = Path(str(tmp_path)) / "pay.xlsx"
    call_command(
        "export_payroll",
        str(week.pk),
        "--format",
        "xlsx",
        "--output",
        str(target),
        stdout=StringIO(),
    )
    first = target.read_bytes()
    call_command(
        "export_payroll",
        str(week.pk),
        "--format",
        "xlsx",
        "--output",
        str(target),
        stdout=StringIO(),
    )
    assert target.read_bytes() == first
    assert load_workbook(io.BytesIO(first)).active.max_row > 1


def test_record_keeping_rows_per_employee_week_have_no_gaps(org: Org, week: PayPeriod) -> None:
    from timeclock.exports.records import RECORD_COLUMNS, records_csv

    saturday = _shift(Roster.objects.get(), org.op_a1, 5)
    _punch(org.op_a1, "in", saturday.start)
    _punch(org.op_a1, "out", saturday.end)
    period_close(period=week, user=org.payroll)
    header, *rows = records_csv(period=week).decode().splitlines()
    assert header.split(",") == RECORD_COLUMNS
    (row,) = [dict(zip(RECORD_COLUMNS, r.split(","), strict=True)) for r in rows]
    assert all(value != "" for value in row.values())
    assert row["workweek_start"] == "2026-06-01"
    assert row["hours_wed"] == "7.80"  # the late day
    assert row["hours_sat"] == "8.00"
    assert row["hours_workweek"] == "47.80"
    rate = org.op_a1.hourly_rate
    assert Decimal(row["straight_time_pay"]) == (Decimal("47.80") * rate).quantize(Decimal("0.01"))
    assert Decimal(row["overtime_premium"]) == (Decimal("7.80") * rate / 2).quantize(
        Decimal("0.01")
    )
    assert row["deductions"] == "-6.00"
    assert row["pay_date"] == "2026-06-12"


def test_rounding_that_favours_the_employer_three_periods_running_raises_an_alert(
    org: Org,
) -> None:
    from timeclock.selectors.periods import rounding_report

    PayPolicy.objects.create(site=org.amsterdam, rounding_minutes=15)
    roster = _roster(org)
    periods = []
    for week in range(3):
        for employee, extra in ((org.op_a1, 7), (org.op_a2, 0)):
            shift = _shift(roster, employee, week * 7)
            _punch(employee, "in", shift.start)
            _punch(employee, "out", shift.end + timedelta(minutes=extra))
        periods.append(
            period_create(
                site=org.amsterdam,
                start_date=FIRST + timedelta(days=7 * week),
                end_date=FIRST + timedelta(days=7 * week + 6),
            )
        )
    rows = {row.employee.number: row for row in rounding_report(period=periods[-1])}
    # Out at 17:07 rounds to 17:00 under quarter hours: 7 minutes lost each week.
    assert rows[org.op_a1.number].net_seconds == [-420, -420, -420]
    assert rows[org.op_a1.number].alert
    assert rows[org.op_a2.number].net_seconds == [0, 0, 0]
    assert not rows[org.op_a2.number].alert


def test_a_rate_raised_after_a_close_is_not_back_paid(org: Org, week: PayPeriod) -> None:
    period_close(period=week, user=org.payroll)
    org.op_a1.hourly_rate = org.op_a1.hourly_rate + 5
    org.op_a1.save()
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    period_close(period=following, user=org.payroll)  # nothing to approve
    assert not PayLineRecord.objects.filter(pay_code="ADJUSTMENT").exists()
