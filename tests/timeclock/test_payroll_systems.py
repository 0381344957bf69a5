"""Payroll exports that import: ADP Workforce Now paydata and DATEV LODAS, from a period's
frozen lines, against golden files; byte-identical on re-export; refused with nothing written
when the site account, a pay code's code or an employee's number is missing."""

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from organisation.models import Employee
from tests.conftest import Org
from timeclock.errors import ExportAccountMissing, ExportCodesUnmapped, ExportIdentifiersMissing
from timeclock.exports.adp import adp_paydata_csv
from timeclock.exports.datev import datev_lodas_txt
from timeclock.exports.names import export_file_name
from timeclock.models import (
    EarningsCode,
    EmployeePayrollIds,
    PayLineRecord,
    PayPeriod,
    PayrollExport,
    PayrollSiteAccount,
)
from timeclock.services.payroll_exports import payroll_export

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden"
# (pay code, hours, rate, amount) per employee; two lines of REGULAR to show they are summed.
LINES = {
    "op_a1": [
        ("REGULAR", "20.00", "15.0000", "300.00"),
        ("REGULAR", "18.50", "15.0000", "277.50"),
        ("OVERTIME", "2.25", "22.5000", "50.63"),
        ("NIGHT_PREMIUM", "3.00", "3.7500", "11.25"),
        ("LATENESS_PENALTY", "0.00", "0.0000", "-6.50"),
    ],
    "op_a2": [
        ("REGULAR", "32.00", "16.0000", "512.00"),
        ("WEEKEND_PREMIUM", "8.00", "8.0000", "64.00"),
        ("ADJUSTMENT", "1.50", "16.0000", "24.00"),
    ],
}
ADP_CODES = {
    "NIGHT_PREMIUM": ("NGT", "amount"),
    "WEEKEND_PREMIUM": ("WKD", "hours"),
    "LATENESS_PENALTY": ("LAT", "amount"),
    "ADJUSTMENT": ("ADJ", "amount"),
}
DATEV_CODES = {
    "REGULAR": ("100", "hours"),
    "OVERTIME": ("200", "hours"),
    "NIGHT_PREMIUM": ("102", "amount"),
    "WEEKEND_PREMIUM": ("104", "amount"),
    "LATENESS_PENALTY": ("900", "amount"),
    "ADJUSTMENT": ("150", "amount"),
}


def _closed(org: Org) -> PayPeriod:
    period = PayPeriod.objects.create(
        site=org.amsterdam,
        start_date=date(2026, 10, 26),
        end_date=date(2026, 11, 1),
        status="closed",
        currency="EUR",
        closed_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    )
    for attr, lines in LINES.items():
        employee: Employee = getattr(org, attr)
        for n, (code, hours, rate, amount) in enumerate(lines):
            PayLineRecord.objects.create(
                period=period,
                employee=employee,
                employee_number=employee.number,
                employee_name=employee.full_name,
                pay_code=code,
                minutes=int(Decimal(hours) * 60),
                hours=Decimal(hours),
                rate=Decimal(rate),
                amount=Decimal(amount),
                rule="test",
                work_date=date(2026, 10, 26 + n),
            )
    return period


def _set_up(org: Org, *, numbers: bool = True) -> None:
    PayrollSiteAccount.objects.create(
        site=org.amsterdam,
        adp_company_code="W7X",
        adp_batch_id="WFM1026",
        datev_consultant_number="1234567",
        datev_client_number="54321",
    )
    for system, codes in (("adp", ADP_CODES), ("datev", DATEV_CODES)):
        for pay_code, (code, kind) in codes.items():
            EarningsCode.objects.create(
                site=org.amsterdam, system=system, pay_code=pay_code, code=code, kind=kind
            )
    if numbers:
        EmployeePayrollIds.objects.create(
            employee=org.op_a1, adp_file_number="000417", datev_personnel_number="417"
        )
        EmployeePayrollIds.objects.create(
            employee=org.op_a2,
            adp_file_number="000233",
            datev_personnel_number="233",
            cost_centre="KST20",
        )


def _golden(name: str, content: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("WFM_GOLDEN_WRITE"):  # to renew them; read the diff before committing
        path.write_bytes(content)
    assert content == path.read_bytes()


def test_adp_paydata_matches_the_golden_file_and_re_exports_identically(org: Org) -> None:
    period = _closed(org)
    _set_up(org)
    content = adp_paydata_csv(period=period)
    _golden("adp_paydata.golden", content)
    assert adp_paydata_csv(period=period) == content
    rows = content.decode().splitlines()
    assert rows[0] == (
        "Co Code,Batch ID,File #,Reg Hours,O/T Hours,Hours 3 Code,Hours 3 Amount,"
        "Earnings 3 Code,Earnings 3 Amount"
    )
    # op_a2 (file 000233) sorts first: regular hours, weekend hours coded, adjustment amount.
    assert rows[1] == "W7X,WFM1026,000233,32.00,0.00,WKD,8.00,ADJ,24.00"
    # op_a1: the two regular lines summed; night premium and the fine as coded earnings.
    assert rows[2] == "W7X,WFM1026,000417,38.50,2.25,,,NGT,11.25"
    assert rows[3] == "W7X,WFM1026,000417,,,,,LAT,-6.50"
    assert export_file_name(period=period, format="adp", head=content) == "PRW7XEPI.csv"


def test_datev_lodas_matches_the_golden_file_and_re_exports_identically(org: Org) -> None:
    period = _closed(org)
    _set_up(org)
    content = datev_lodas_txt(period=period)
    _golden("datev_lodas.golden", content)
    assert datev_lodas_txt(period=period) == content
    text = content.decode("ascii")
    assert text.startswith("[Allgemein]\r\nZiel=LODAS\r\n")
    assert "BeraterNr=1234567\r\nMandantenNr=54321\r\n" in text
    assert "10;01/11/2026;233;100;1;32,00;KST20;\r\n" in text
    assert "10;01/11/2026;417;100;1;38,50;;\r\n" in text
    assert "10;01/11/2026;417;900;4;-6,50;;\r\n" in text


def test_an_unmapped_pay_code_is_refused_naming_it_and_nothing_is_written(org: Org) -> None:
    period = _closed(org)
    _set_up(org)
    EarningsCode.objects.filter(system="datev", pay_code__in=["OVERTIME", "ADJUSTMENT"]).delete()
    with pytest.raises(ExportCodesUnmapped) as caught:
        payroll_export(period=period, format="datev")
    assert caught.value.extra["codes"] == ["ADJUSTMENT", "OVERTIME"]
    assert not PayrollExport.objects.exists()


def test_employees_without_a_number_are_refused_by_name_and_nothing_is_written(
    org: Org,
) -> None:
    period = _closed(org)
    _set_up(org, numbers=False)
    EmployeePayrollIds.objects.create(employee=org.op_a1, adp_file_number="000417")
    with pytest.raises(ExportIdentifiersMissing) as caught:
        payroll_export(period=period, format="adp")
    assert caught.value.extra["employees"] == [
        {"number": org.op_a2.number, "name": org.op_a2.full_name}
    ]
    with pytest.raises(ExportIdentifiersMissing) as caught:
        payroll_export(period=period, format="datev")
    assert caught.value.extra["count"] == 2
    assert caught.value.extra["field"] == "datev_personnel_number"
    assert not PayrollExport.objects.exists()


def test_a_site_without_its_payroll_account_is_refused(org: Org) -> None:
    period = _closed(org)
    with pytest.raises(ExportAccountMissing) as caught:
        payroll_export(period=period, format="adp")
    assert caught.value.extra["fields"] == ["adp_company_code", "adp_batch_id"]
    assert not PayrollExport.objects.exists()


def test_the_api_refuses_at_once_naming_the_codes_and_downloads_without_spaces(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    period = _closed(org)
    client = APIClient()
    client.force_authenticate(org.payroll)
    url = f"/api/v1/pay-periods/{period.pk}/export"
    answer = client.post(url, {"format": "datev"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "export_account_missing"
    _set_up(org)
    EarningsCode.objects.filter(system="datev", pay_code="REGULAR").delete()
    answer = client.post(url, {"format": "datev"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["extra"]["codes"] == ["REGULAR"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"format": "adp"}, format="json").status_code == 202
    download = client.get(url, {"kind": "adp"})
    assert download["Content-Disposition"] == 'attachment; filename="PRW7XEPI.csv"'
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"format": "csv"}, format="json")
    download = client.get(url, {"kind": "csv"})
    assert download["Content-Disposition"] == (
        'attachment; filename="payroll_amsterdam_2026-10-26.csv"'
    )


def test_the_command_writes_datev_and_refuses_naming_the_missing_numbers(
    org: Org, tmp_path: Path
) -> None:
    period = _closed(org)
    _set_up(org, numbers=False)
    out = tmp_path / "lodas.txt"
    with pytest.raises(CommandError, match=org.op_a2.full_name):
        call_command("export_payroll", str(period.pk), "--format", "datev", "--output", str(out))
    assert not out.exists()
    EmployeePayrollIds.objects.create(employee=org.op_a1, datev_personnel_number="417")
    EmployeePayrollIds.objects.create(employee=org.op_a2, datev_personnel_number="233")
    call_command("export_payroll", str(period.pk), "--format", "datev", "--output", str(out))
    assert out.read_bytes().startswith(b"[Allgemein]\r\nZiel=LODAS\r\n")


def test_codes_with_an_unknown_kind_or_a_fine_sent_as_hours_are_refused_whole(org: Org) -> None:
    """A fine has no hours: sent as hours the payroll system would drop it, and the employee
    would not be docked. A kind that is neither hours nor amount is refused too."""
    from timeclock.errors import PayrollCodesInvalid
    from timeclock.services.payroll_codes import CodeInput, payroll_codes_save

    codes = [
        CodeInput("adp", "REGULAR", "REG", "hours"),
        CodeInput("adp", "LATENESS_PENALTY", "LAT", "hours"),
        CodeInput("adp", "NIGHT_PREMIUM", "NGT", "x"),
    ]
    with pytest.raises(PayrollCodesInvalid) as caught:
        payroll_codes_save(site=org.amsterdam, account={}, codes=codes)
    assert set(caught.value.extra["fields"]) == {"adp:LATENESS_PENALTY", "adp:NIGHT_PREMIUM"}
    assert not EarningsCode.objects.exists()
    assert not PayrollSiteAccount.objects.exists()


def test_a_payroll_number_given_to_two_employees_is_refused_naming_the_lines(org: Org) -> None:
    from timeclock.errors import PayrollCodesInvalid
    from timeclock.services.payroll_codes import payroll_ids_import

    EmployeePayrollIds.objects.create(employee=org.op_a1, adp_file_number="000417")
    text = f"{org.op_a2.number}; 000417; 233\n"  # op_a1 holds 000417 already
    with pytest.raises(PayrollCodesInvalid) as caught:
        payroll_ids_import(site=org.amsterdam, text=text)
    assert caught.value.extra["lines"] == [
        {"line": 1, "problems": ["another employee of this site has this number"]}
    ]
    both = f"{org.op_a1.number}; 000900\n{org.op_a2.number}; 000900\n"
    with pytest.raises(PayrollCodesInvalid) as caught:
        payroll_ids_import(site=org.amsterdam, text=both)
    assert [line["line"] for line in caught.value.extra["lines"]] == [1, 2]
    assert EmployeePayrollIds.objects.get().adp_file_number == "000417"  # nothing written
    assert payroll_ids_import(site=org.amsterdam, text=f"{org.op_a2.number}; 000233") == 1


def test_two_people_under_one_number_are_not_exported_as_one(org: Org) -> None:
    from timeclock.errors import ExportIdentifiersShared

    period = _closed(org)
    _set_up(org)
    EmployeePayrollIds.objects.filter(employee=org.op_a2).update(adp_file_number="000417")
    with pytest.raises(ExportIdentifiersShared) as caught:
        payroll_export(period=period, format="adp")
    assert caught.value.extra["count"] == 2
    assert not PayrollExport.objects.exists()
