"""Exported hours are the lines' minutes summed and rounded once (never a sum of the lines'
rounded hours), so that a row's hours times its rate is its amount within the roundings, in
the CSV, the workbook, ADP, DATEV and the records file; adjustments carry their exact minutes
and the rate they were paid at, and the CSV names the pay code an adjustment adjusts."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.test import APIClient

from organisation.models import Employee, PayRate
from scheduling.models import Roster, Shift
from tests.conftest import Org
from tests.timeclock.test_payroll_systems import _golden  # WFM_GOLDEN_WRITE=1 renews them
from timeclock.exports.adp import adp_paydata_csv
from timeclock.exports.csv import payroll_csv
from timeclock.exports.datev import datev_lodas_txt
from timeclock.exports.records import records_csv
from timeclock.exports.xlsx import payroll_xlsx
from timeclock.models import (
    EarningsCode,
    EmployeePayrollIds,
    PayLineRecord,
    PayPeriod,
    PayrollExport,
    PayrollSiteAccount,
)
from timeclock.pay import hours_of, money, row_hours_match
from timeclock.services.adjustments import adjustment_rate
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

RATE = Decimal("20.50")
# E1041 of the demo's New York week of 19 Oct: 2,238 minutes (37.30 h) in lines whose rounded
# hours sum to 37.29 (three of 452 min, each 7.5333 h shown 7.53; one of 882 min, 14.70 h).
E1041_MINUTES = [452, 452, 452, 882]


# Pure: the rounding of a row.


def _line_amount(minutes: int, rate: Decimal) -> Decimal:
    return money(Decimal(minutes) / 60 * rate)  # as timeclock.pay prices a line


def test_the_e1041_row_is_its_minutes_rounded_once() -> None:
    amount = sum((_line_amount(m, RATE) for m in E1041_MINUTES), Decimal(0))
    old = sum((hours_of(m) for m in E1041_MINUTES), Decimal(0))
    assert old == Decimal("37.29")  # what the exports said
    assert hours_of(sum(E1041_MINUTES)) == Decimal("37.30")
    assert amount == Decimal("764.64")
    assert row_hours_match(hours=Decimal("37.30"), rate=RATE, amount=amount, lines=4)
    assert money(old * RATE) == Decimal("764.45")  # what ADP paid for 37.29 h


def test_a_negative_change_rounds_away_from_zero_like_a_positive_one() -> None:
    assert hours_of(-449) == -hours_of(449) == Decimal("-7.48")
    assert hours_of(-1) == Decimal("-0.02")


@settings(max_examples=300, deadline=None)
@given(
    minutes=st.lists(st.integers(min_value=1, max_value=960), min_size=1, max_size=40),
    cents=st.integers(min_value=725, max_value=20000),
)
def test_every_row_is_hours_times_rate_within_the_roundings(minutes: list[int], cents: int) -> None:
    rate = Decimal(cents) / 100
    amount = sum((_line_amount(m, rate) for m in minutes), Decimal(0))
    hours = hours_of(sum(minutes))
    assert row_hours_match(hours=hours, rate=rate, amount=amount, lines=len(minutes))
    # The hours alone are exact to the rounding of one figure, whatever the number of lines.
    assert abs(hours - Decimal(sum(minutes)) / 60) <= Decimal("0.005")


def test_adjustment_rate_is_the_amount_over_the_exact_minutes() -> None:
    assert adjustment_rate(minutes=449, amount=Decimal("134.70")) == Decimal("18.0000")
    assert adjustment_rate(minutes=-449, amount=Decimal("-134.70")) == Decimal("18.0000")
    assert adjustment_rate(minutes=0, amount=Decimal("36.00")) == Decimal(0)


# The exports, from frozen lines.


def _closed(org: Org) -> PayPeriod:
    period = PayPeriod.objects.create(
        site=org.new_york,
        start_date=date(2026, 10, 19),
        end_date=date(2026, 10, 25),
        status="closed",
        currency="USD",
        closed_at=datetime(2026, 10, 26, 14, 0, tzinfo=UTC),
    )
    employee: Employee = org.op_b1
    lines = [("REGULAR", m, RATE) for m in E1041_MINUTES]
    lines += [("OVERTIME", 452, RATE * Decimal("1.5")), ("LATENESS_PENALTY", 17, Decimal(0))]
    for n, (code, minutes, rate) in enumerate(lines):
        fine = code == "LATENESS_PENALTY"
        PayLineRecord.objects.create(
            period=period,
            employee=employee,
            employee_number="E1041",  # frozen at the close: the golden files name them
            employee_name="Pat Doe",
            pay_code=code,
            minutes=minutes,  # a fine's minutes are the late minutes, its hours 0
            hours=Decimal(0) if fine else hours_of(minutes),
            rate=rate,
            amount=Decimal("-8.50") if fine else _line_amount(minutes, rate),
            rule="test",
            work_date=date(2026, 10, 19 + n),
        )
    # An adjustment of last period's regular hours: 449 minutes at 18.00.
    PayLineRecord.objects.create(
        period=period,
        employee=employee,
        employee_number="E1041",
        employee_name="Pat Doe",
        pay_code="ADJUSTMENT",
        adjusted_code="REGULAR",
        minutes=449,
        hours=Decimal("7.48"),
        rate=Decimal("18.0000"),
        amount=Decimal("134.70"),
        rule="test",
    )
    return period


def _accounts(org: Org) -> None:
    PayrollSiteAccount.objects.create(
        site=org.new_york,
        adp_company_code="N4Y",
        adp_batch_id="WFM1019",
        datev_consultant_number="1234567",
        datev_client_number="54321",
    )
    codes = {
        "adp": {"LATENESS_PENALTY": ("LAT", "amount"), "ADJUSTMENT": ("ADJ", "amount")},
        "datev": {
            "REGULAR": ("100", "hours"),
            "OVERTIME": ("200", "hours"),
            "LATENESS_PENALTY": ("900", "amount"),
            "ADJUSTMENT": ("150", "amount"),
        },
    }
    for system, mapped in codes.items():
        for pay_code, (code, kind) in mapped.items():
            EarningsCode.objects.create(
                site=org.new_york, system=system, pay_code=pay_code, code=code, kind=kind
            )
    EmployeePayrollIds.objects.create(
        employee=org.op_b1, adp_file_number="001041", datev_personnel_number="1041"
    )


@pytest.mark.django_db
def test_the_csv_and_workbook_print_the_minutes_rounded_once(org: Org) -> None:
    period = _closed(org)
    content = payroll_csv(period=period)
    _golden("payroll_minutes.golden", content)
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    regular = next(r for r in rows if r["pay_code"] == "REGULAR")
    assert (regular["hours"], regular["rate"], regular["amount"]) == ("37.30", "20.5000", "764.64")
    overtime = next(r for r in rows if r["pay_code"] == "OVERTIME")
    assert overtime["hours"] == "7.53"
    fine = next(r for r in rows if r["pay_code"] == "LATENESS_PENALTY")
    assert (fine["hours"], fine["amount"]) == ("0.00", "-8.50")  # late minutes are no hours
    adjustment = next(r for r in rows if r["pay_code"] == "ADJUSTMENT")
    assert (adjustment["hours"], adjustment["rate"], adjustment["adjusted_code"]) == (
        "7.48",
        "18.0000",
        "REGULAR",
    )
    assert {r["adjusted_code"] for r in rows if r["pay_code"] != "ADJUSTMENT"} == {""}
    lines = {r.pay_code: 0 for r in PayLineRecord.objects.filter(period=period)}
    for line in PayLineRecord.objects.filter(period=period):
        lines[line.pay_code] += 1
    for r in rows:
        hours, rate, amount = (Decimal(r[k]) for k in ("hours", "rate", "amount"))
        if rate:
            assert row_hours_match(
                hours=hours, rate=rate, amount=amount, lines=lines[r["pay_code"]]
            )
    sheet = load_workbook(io.BytesIO(payroll_xlsx(period=period))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-1] == "adjusted_code"
    assert [Decimal(str(v[5])) for v in values[1:]] == [Decimal(r["hours"]) for r in rows]
    assert values[1:][[r["pay_code"] for r in rows].index("ADJUSTMENT")][-1] == "REGULAR"


@pytest.mark.django_db
def test_adp_and_datev_get_the_minutes_rounded_once(org: Org) -> None:
    period = _closed(org)
    _accounts(org)
    adp = adp_paydata_csv(period=period)
    _golden("adp_paydata_minutes.golden", adp)
    assert adp.decode().splitlines()[1] == "N4Y,WFM1019,001041,37.30,7.53,,,LAT,-8.50"
    datev = datev_lodas_txt(period=period)
    _golden("datev_lodas_minutes.golden", datev)
    text = datev.decode("ascii")
    assert "10;01/10/2026;1041;100;1;37,30;;\r\n" in text
    assert "10;01/10/2026;1041;200;1;7,53;;\r\n" in text
    assert "10;01/10/2026;1041;150;4;134,70;;\r\n" in text


@pytest.mark.django_db
def test_the_records_file_rounds_each_day_and_the_week_once(org: Org) -> None:
    period = _closed(org)
    content = records_csv(period=period)
    _golden("records_minutes.golden", content)
    (row,) = list(csv.DictReader(io.StringIO(content.decode())))
    assert [row[f"hours_{d}"] for d in ("mon", "tue", "wed", "thu", "fri")] == [
        "7.53",
        "7.53",
        "7.53",
        "14.70",
        "7.53",
    ]
    assert row["hours_workweek"] == "44.83"  # 2,690 minutes; the days' figures sum to 44.82
    # Overtime's straight-time part priced like the line: 452 min at 20.50.
    assert Decimal(row["straight_time_pay"]) == Decimal("764.64") + Decimal("154.43")


@pytest.mark.django_db
def test_an_export_stored_before_stays_the_file_served(org: Org) -> None:
    """A period exported before this change keeps its file: exports are written once, and the
    API and the page serve the stored bytes, never a fresh computation."""
    period = _closed(org)
    stored = b"employee_number,hours\nE1041,37.29\n"
    PayrollExport.objects.create(period=period, format="csv", content=stored, sha256="x" * 64)
    assert bytes(payroll_export(period=period, format="csv").content) == stored
    api = APIClient()
    api.force_authenticate(org.payroll)
    answer = api.get(f"/api/v1/pay-periods/{period.pk}/export", {"kind": "csv"})
    assert answer.status_code == 200
    assert answer.content == stored


# Adjustments from a late change: exact minutes, the rate paid.

NY = ZoneInfo("America/New_York")


def _punch(employee: Employee, kind: str, at: datetime) -> None:
    punches_ingest(
        items=[PunchInput(uuid.uuid4(), kind, at, employee_number=employee.number)],
        source="remote",
        device=None,
    )


@pytest.mark.django_db
def test_a_late_shift_is_adjusted_by_its_exact_minutes_at_the_employee_rate(org: Org) -> None:
    first = date(2026, 10, 12)  # a Monday
    # Tyrone Wilson's rate of the review (the rate history holds the factory's first rate).
    Employee.objects.filter(pk=org.op_b1.pk).update(hourly_rate=Decimal("18.00"))
    PayRate.objects.filter(employee=org.op_b1).update(rate=Decimal("18.00"))
    week = period_create(site=org.new_york, start_date=first, end_date=first + timedelta(days=6))
    period_close(period=week, user=org.payroll)
    roster = Roster.objects.create(
        site=org.new_york,
        team=org.team_b,
        scope_key=f"team:{org.team_b.pk}",
        start_date=first,
        days=7,
        version=1,
        status="published",
    )
    start = datetime.combine(first, time(9), tzinfo=NY)
    Shift.objects.create(
        roster=roster,
        employee=org.op_b1,
        start=start,
        end=start + timedelta(minutes=449),
        local_date=first,
        state="published",
    )
    _punch(org.op_b1, "in", start)
    _punch(org.op_b1, "out", start + timedelta(minutes=449))  # received after the close
    following = period_create(
        site=org.new_york, start_date=first + timedelta(days=7), end_date=first + timedelta(days=13)
    )
    period_close(period=following, user=org.payroll, approve_adjustments=True)
    (line,) = PayLineRecord.objects.filter(period=following, pay_code="ADJUSTMENT")
    assert line.adjusted_code == "REGULAR"
    assert line.minutes == 449  # not int(7.48 x 60) = 448
    assert line.hours == Decimal("7.48")
    assert line.amount == Decimal("134.70")
    assert line.rate == Decimal("18.0000")  # not 134.70 / 7.48 = 18.0080
    # A third close finds nothing left to adjust: the exact minutes are accounted for.
    third = period_create(
        site=org.new_york,
        start_date=first + timedelta(days=14),
        end_date=first + timedelta(days=20),
    )
    period_close(period=third, user=org.payroll)
    assert not PayLineRecord.objects.filter(period=third, pay_code="ADJUSTMENT").exists()
