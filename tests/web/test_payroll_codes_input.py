"""The payroll pages after the issue 25 review: a refused save of the codes page comes back as
typed, pay codes and account fields by their labels, the export's refusals in words, and the
ADP file named by the company code the stored file holds."""

import pytest
from django.urls import reverse

from tests.conftest import Org, client_for
from tests.timeclock.test_payroll_systems import _closed, _set_up
from timeclock.models import EarningsCode, EmployeePayrollIds, PayrollExport, PayrollSiteAccount

pytestmark = pytest.mark.django_db


def _value(page: str, name: str) -> str:
    return page.split(f'name="{name}" value="')[1].split('"')[0]


def test_a_refused_save_of_the_codes_redraws_what_was_typed(org: Org, login) -> None:
    client = login(org.payroll)
    url = reverse("web:payroll-codes")
    form = {
        "site": str(org.amsterdam.pk),
        "adp_company_code": "W7X",
        "adp_batch_id": "B1",
        "datev_consultant_number": "12345",
        "datev_client_number": "12ab",  # refused
        "datev:REGULAR": "100",
        "datev:REGULAR:kind": "hours",
        "adp:NIGHT_PREMIUM": "NGT",
    }
    page = client.post(url, form).content.decode()
    assert "nothing was saved" in page
    assert not EarningsCode.objects.exists()
    assert not PayrollSiteAccount.objects.exists()
    assert _value(page, "adp_company_code") == "W7X"
    assert _value(page, "datev_client_number") == "12ab"
    assert _value(page, "datev:REGULAR") == "100"
    assert _value(page, "adp:NIGHT_PREMIUM") == "NGT"
    kind = page.split('name="datev:REGULAR:kind"')[1].split("</select>")[0]
    assert '<option value="hours" selected>' in kind
    # Pay codes by the payslip's labels, not their enum names.
    assert "<td>Night premium</td>" in page
    assert "<td>NIGHT_PREMIUM</td>" not in page


def test_refused_payroll_numbers_stay_in_the_box(org: Org, login) -> None:
    numbers = f"{org.op_a1.number}; 000417; 417; KST1\nNOPE; 1; 2"
    page = (
        login(org.payroll)
        .post(
            reverse("web:payroll-codes"),
            {"site": str(org.amsterdam.pk), "part": "ids", "ids": numbers},
        )
        .content.decode()
    )
    assert "Line 2" in page
    box = page.split('id="id_ids"')[1].split("</textarea>")[0]
    assert box.endswith(f">{org.op_a1.number}; 000417; 417; KST1\nNOPE; 1; 2")
    assert not EmployeePayrollIds.objects.exists()


def test_the_export_refusals_name_fields_and_codes_by_their_labels(
    org: Org, login, commits: None
) -> None:
    period = _closed(org)
    _set_up(org)
    PayrollSiteAccount.objects.update(adp_batch_id="")
    url = reverse("web:period-export", args=[period.pk])
    page = login(org.payroll).post(url, {"format": "adp"}, follow=True).content.decode()
    assert "(ADP batch id)" in page
    assert "adp_batch_id" not in page
    dutch = login(org.payroll, language="nl").post(url, {"format": "adp"}, follow=True)
    assert "(ADP-batchnummer)" in dutch.content.decode()
    PayrollSiteAccount.objects.update(adp_batch_id="WFM1026")
    EarningsCode.objects.filter(system="adp", pay_code="ADJUSTMENT").delete()
    page = login(org.payroll).post(url, {"format": "adp"}, follow=True).content.decode()
    assert "(Adjustment)" in page
    wrong = login(org.payroll).post(url, {"format": "pdf"}, follow=True).content.decode()
    assert "Choose one of the export formats." in wrong
    assert "CSV or XLSX" not in wrong
    dutch = login(org.payroll, language="nl").post(url, {"format": "pdf"}, follow=True)
    assert "Kies een van de exportformaten." in dutch.content.decode()
    assert not PayrollExport.objects.exists()


def test_the_adp_file_keeps_the_name_of_the_company_code_it_holds(
    org: Org, login, commits: None
) -> None:
    period = _closed(org)
    _set_up(org)
    client = login(org.payroll)
    client.post(reverse("web:period-export", args=[period.pk]), {"format": "adp"})
    stored = bytes(PayrollExport.objects.get(period=period, format="adp").content)
    assert stored.split(b"\n")[1].startswith(b"W7X,")
    PayrollSiteAccount.objects.update(adp_company_code="Q9Z")  # after the export
    listing = client.get(reverse("web:period-exports", args=[period.pk])).content.decode()
    assert "PRW7XEPI.csv" in listing
    assert "PRQ9ZEPI.csv" not in listing
    download = client.get(reverse("web:period-download", args=[period.pk, "adp"]))
    assert download["Content-Disposition"] == 'attachment; filename="PRW7XEPI.csv"'
    api = client_for(org.payroll).get(f"/api/v1/pay-periods/{period.pk}/export?kind=adp")
    assert api["Content-Disposition"] == 'attachment; filename="PRW7XEPI.csv"'
