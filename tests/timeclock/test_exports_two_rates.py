"""A period holding two hourly rates (a raise in the middle of it) in every payroll export
(issue 25 review): each row that shows a rate is its hours times that rate (CSV, XLSX: one
row per rate; ADP: the hours of each rate with it as the Temp Rate; DATEV: each rate's hours
with it as the deviating wage factor), the records file splits overtime at the rate of the
day it was worked, as pay priced it, and a re-export is the same bytes. One-rate periods keep
their layout (the golden files of test_payroll_systems)."""

import csv
import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from organisation.services.organisation import employee_update
from tests.conftest import Org
from tests.timeclock.test_pay_rate_history import AFTER, FIRST, WEDNESDAY, _week, _worked_week
from tests.timeclock.test_payroll_systems import _set_up
from timeclock.exports.adp import adp_paydata_csv
from timeclock.exports.csv import payroll_csv
from timeclock.exports.datev import datev_lodas_txt
from timeclock.exports.records import records_csv
from timeclock.exports.xlsx import payroll_xlsx
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.pay import money
from timeclock.services.periods import period_close

pytestmark = pytest.mark.django_db
SATURDAY = FIRST + timedelta(days=5)


def _closed_with_raise(org: Org, from_day: object) -> PayPeriod:
    """Six days of 8 h (Saturday's are overtime, x1.5), 16.50 an hour raised to 18."""
    _worked_week(org, days=6)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("18"), rate_valid_from=from_day)
    return period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_payroll_csv_has_a_row_per_rate_and_each_row_is_hours_times_rate(org: Org) -> None:
    period = _closed_with_raise(org, WEDNESDAY)
    content = payroll_csv(period=period)
    rows = [r for r in _rows(content) if r["employee_number"] == org.op_a1.number]
    assert [(r["pay_code"], r["hours"], r["rate"], r["amount"]) for r in rows] == [
        ("REGULAR", "16.00", "16.5000", "264.00"),
        ("REGULAR", "24.00", "18.0000", "432.00"),
        ("OVERTIME", "8.00", "27.0000", "216.00"),
    ]
    for row in rows:
        assert money(Decimal(row["hours"]) * Decimal(row["rate"])) == Decimal(row["amount"])
    # The amounts are still the lines' (gross unchanged); the close hashed this very file.
    lines = PayLineRecord.objects.filter(period=period, employee=org.op_a1)
    assert sum(Decimal(r["amount"]) for r in rows) == sum(line.amount for line in lines)
    assert hashlib.sha256(content).hexdigest() == period.export_sha256
    assert payroll_csv(period=period) == content


def test_the_workbook_has_the_same_rows(org: Org) -> None:
    from openpyxl import load_workbook

    period = _closed_with_raise(org, WEDNESDAY)
    sheet = load_workbook(io.BytesIO(payroll_xlsx(period=period))).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == org.op_a1.number]
    assert [(r[4], r[5], r[6], r[7]) for r in rows] == [
        ("REGULAR", 16, 16.5, 264),
        ("REGULAR", 24, 18, 432),
        ("OVERTIME", 8, 27, 216),
    ]
    assert payroll_xlsx(period=period) == payroll_xlsx(period=period)


def test_adp_gets_the_hours_of_each_rate_with_it_as_the_temp_rate(org: Org) -> None:
    _set_up(org)
    period = _closed_with_raise(org, WEDNESDAY)
    content = adp_paydata_csv(period=period)
    assert content.decode().splitlines() == [
        "Co Code,Batch ID,File #,Reg Hours,O/T Hours,Hours 3 Code,Hours 3 Amount,"
        "Earnings 3 Code,Earnings 3 Amount,Temp Rate",
        "W7X,WFM1026,000417,16.00,0.00,,,,,16.5000",
        "W7X,WFM1026,000417,24.00,8.00,,,,,18.0000",
    ]
    assert adp_paydata_csv(period=period) == content


def test_datev_gets_the_hours_of_each_rate_with_it_as_the_wage_factor(org: Org) -> None:
    _set_up(org)
    period = _closed_with_raise(org, WEDNESDAY)
    content = datev_lodas_txt(period=period)
    text = content.decode("ascii")
    assert (
        "10;u_lod_bwd_buchung_standard;abrechnung_zeitraum#bwd;pnr#bwd;la_eigene#bwd;bs_nr#bwd;"
        "bs_wert_butab#bwd;kostenstelle#bwd;\r\n"
        "11;u_lod_bwd_buchung_standard;abrechnung_zeitraum#bwd;pnr#bwd;la_eigene#bwd;bs_nr#bwd;"
        "bs_wert_butab#bwd;kostenstelle#bwd;abw_lohnfaktor#bwd;\r\n"
    ) in text
    bookings = text.split("[Bewegungsdaten]\r\n")[1].splitlines()
    assert bookings == [
        "11;01/06/2026;417;100;1;16,00;;16,5000;",
        "11;01/06/2026;417;100;1;24,00;;18,0000;",
        "11;01/06/2026;417;200;1;8,00;;18,0000;",
    ]
    assert datev_lodas_txt(period=period) == content


def test_records_split_overtime_at_the_rate_of_the_day_it_was_worked(org: Org) -> None:
    """Monday to Friday at 16.50, the raise from Saturday: Saturday's 8 h of overtime are
    straight time at 18 (144.00) and a premium of 72.00, as pay priced them (27.00 an hour),
    not at the last regular rate (16.50: 132.00 and 84.00)."""
    period = _closed_with_raise(org, SATURDAY)
    overtime = PayLineRecord.objects.get(period=period, employee=org.op_a1, pay_code="OVERTIME")
    assert (overtime.work_date, overtime.rate, overtime.amount) == (
        SATURDAY,
        Decimal("27.0000"),
        Decimal("216.00"),
    )
    content = records_csv(period=period)
    (row,) = [r for r in _rows(content) if r["employee_number"] == org.op_a1.number]
    assert (row["hours_sat"], row["hours_workweek"]) == ("8.00", "48.00")
    assert (row["straight_time_pay"], row["overtime_premium"]) == ("804.00", "72.00")
    paid = PayLineRecord.objects.filter(
        period=period, employee=org.op_a1, pay_code__in=["REGULAR", "OVERTIME"]
    )
    total = Decimal(row["straight_time_pay"]) + Decimal(row["overtime_premium"])
    assert total == sum(line.amount for line in paid)
    assert records_csv(period=period) == content


def test_a_period_with_one_rate_keeps_one_row_per_code_and_no_rate_columns(org: Org) -> None:
    """The layout of a one-rate period as before: one row per employee and pay code, no
    Temp Rate column for ADP, no record type 11 for DATEV."""
    _set_up(org)
    _worked_week(org, days=6)
    period = period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)
    rows = [
        r for r in _rows(payroll_csv(period=period)) if r["employee_number"] == org.op_a1.number
    ]
    assert [(r["pay_code"], r["hours"], r["rate"], r["amount"]) for r in rows] == [
        ("REGULAR", "40.00", "16.5000", "660.00"),
        ("OVERTIME", "8.00", "24.7500", "198.00"),
    ]
    assert adp_paydata_csv(period=period).decode().splitlines() == [
        "Co Code,Batch ID,File #,Reg Hours,O/T Hours,Hours 3 Code,Hours 3 Amount,"
        "Earnings 3 Code,Earnings 3 Amount",
        "W7X,WFM1026,000417,40.00,8.00,,,,",
    ]
    text = datev_lodas_txt(period=period).decode("ascii")
    assert "\r\n11;" not in text
    assert text.split("[Bewegungsdaten]\r\n")[1].splitlines() == [
        "10;01/06/2026;417;100;1;40,00;;",
        "10;01/06/2026;417;200;1;8,00;;",
    ]
