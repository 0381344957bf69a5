"""Payroll review pages (issue 25, items 3-4): per-employee totals and open exceptions with
filters, the close that shows what it locks and asks to confirm, the export list with every
format and names without spaces, refusals naming unmapped codes and employees without a
number, and the codes page (account, map, numbers; bad values refused, nothing saved)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.timeclock.test_payroll_systems import _closed, _set_up
from tests.web.test_pages import FIRST, _punch, _roster, _shift
from timeclock.models import EarningsCode, EmployeePayrollIds, PayPeriod, PayrollExport
from timeclock.selectors.payroll_review import ReviewFilter, payroll_review
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db


def _open_week(org: Org) -> PayPeriod:
    roster = _roster(org)
    late = _shift(roster, org.op_a1, 1)
    _punch(org.op_a1, "in", late.start.replace(minute=20))
    _punch(org.op_a1, "out", late.end)
    _shift(roster, org.op_a2, 2)  # no punches: absent
    return period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))


def test_review_shows_totals_and_open_exceptions_and_filters(org: Org, login) -> None:
    period = _open_week(org)
    client = login(org.payroll)
    url = reverse("web:period-review", args=[period.pk])
    html = client.get(url).content.decode()
    assert html.count('data-testid="review-row"') == 2
    assert "Late" in html
    assert "Absent" in html
    only = client.get(url, {"q": org.op_a2.number}).content.decode()
    assert only.count('data-testid="review-row"') == 1
    assert org.op_a1.full_name not in only.split("<tbody>")[1]


def test_close_shows_what_it_locks_and_closes_only_when_confirmed(org: Org, login) -> None:
    period = _open_week(org)
    client = login(org.payroll)
    url = reverse("web:period", args=[period.pk])
    asked = client.post(url, {"force_reason": "end of week"})
    html = asked.content.decode()
    assert 'data-testid="close-confirm"' in html
    assert "2 people" in html
    assert "open exception" in html
    assert PayPeriod.objects.get(pk=period.pk).status == "open"
    client.post(url, {"force_reason": "end of week", "confirm": "1"})
    assert PayPeriod.objects.get(pk=period.pk).status == "closed"


def test_export_list_offers_every_format_and_names_without_spaces(
    org: Org, login, commits: None
) -> None:
    period = _closed(org)
    _set_up(org)
    client = login(org.payroll)
    page = client.get(reverse("web:period", args=[period.pk])).content.decode()
    for fmt in ("csv", "xlsx", "records", "billable", "adp", "datev"):
        assert f'data-testid="make-{fmt}"' in page
    client.post(reverse("web:period-export", args=[period.pk]), {"format": "datev"})
    listing = client.get(reverse("web:period-exports", args=[period.pk])).content.decode()
    assert 'data-testid="download-datev"' in listing
    assert "lodas_amsterdam_2026-10-26.txt" in listing
    download = client.get(reverse("web:period-download", args=[period.pk, "datev"]))
    assert (
        download["Content-Disposition"] == 'attachment; filename="lodas_amsterdam_2026-10-26.txt"'
    )


def test_an_export_with_unmapped_codes_or_missing_numbers_is_refused_by_name(
    org: Org, login, commits: None
) -> None:
    period = _closed(org)
    _set_up(org, numbers=False)
    EarningsCode.objects.filter(system="adp", pay_code="ADJUSTMENT").delete()
    client = login(org.payroll)
    url = reverse("web:period-export", args=[period.pk])
    page = client.post(url, {"format": "adp"}, follow=True).content.decode()
    assert "no code in this payroll system" in page
    assert "(Adjustment)" in page  # the pay code by its label
    page = client.post(url, {"format": "datev"}, follow=True).content.decode()
    assert "no number in this payroll system" in page
    assert org.op_a2.full_name in page
    assert not PayrollExport.objects.exists()


def test_codes_page_saves_the_account_map_and_numbers_and_refuses_bad_values(
    org: Org, login
) -> None:
    client = login(org.payroll)
    url = reverse("web:payroll-codes")
    form = {
        "site": str(org.amsterdam.pk),
        "adp_company_code": "W7X",
        "adp_batch_id": "B1",
        "datev_consultant_number": "12345",
        "datev_client_number": "99",
        "datev:REGULAR": "100",
        "datev:REGULAR:kind": "hours",
        "adp:NIGHT_PREMIUM": "NGT",
    }
    assert client.post(url, form).status_code == 302
    assert EarningsCode.objects.get(system="datev", pay_code="REGULAR").kind == "hours"
    bad = client.post(url, {**form, "datev_client_number": "12ab", "adp:NIGHT_PREMIUM": "X"})
    assert bad.status_code == 200
    assert "nothing was saved" in bad.content.decode()
    numbers = f"{org.op_a1.number}; 000417; 417; KST1\nNOPE; 1; 2"
    refused = client.post(url, {"site": str(org.amsterdam.pk), "part": "ids", "ids": numbers})
    assert "Line 2" in refused.content.decode()
    assert not EmployeePayrollIds.objects.exists()
    client.post(url, {"site": str(org.amsterdam.pk), "part": "ids", "ids": numbers.split("\n")[0]})
    assert EmployeePayrollIds.objects.get(employee=org.op_a1).adp_file_number == "000417"


def test_review_of_a_closed_period_sums_its_frozen_lines(org: Org, login) -> None:
    period = _closed(org)
    review = payroll_review(period=period, filters=ReviewFilter(search=org.op_a1.number))
    (row,) = review.rows
    assert (row.regular_hours, row.overtime_hours) == (Decimal("38.50"), Decimal("2.25"))
    assert (row.premiums, row.fines, row.adjustments) == (
        Decimal("11.25"),
        Decimal("-6.50"),
        Decimal(0),
    )
    assert row.gross == Decimal("632.88")
    assert review.lines == 5
    html = login(org.payroll).get(reverse("web:period-review", args=[period.pk])).content.decode()
    assert "632.88" in html
