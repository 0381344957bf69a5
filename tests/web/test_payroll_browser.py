"""Payroll review, codes and exports in a browser (issue 25, items 3-4), English at 1366 px
and Dutch (nl-NL) at 390 px: the review's totals and filters, the close that shows what it
locks, an export refused naming the unmapped code, the codes page mapping it, then the export
list refreshing itself when the job ends (jobs in the background, the page polls the job API),
and the download named without spaces."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from organisation.jobs import jobs_background_join
from organisation.models import Employee
from tests.conftest import Org
from tests.timeclock.test_payroll_systems import _closed, _set_up
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser  # noqa: F401
from tests.web.test_pages import FIRST, _punch, _roster, _shift
from timeclock.models import EarningsCode, PayLineRecord, PayPeriod, PayrollExport
from timeclock.services.periods import period_create

pytestmark = [pytest.mark.browser]


def _page(browser: Any, live_server: Any, user: Any, *, phone: bool, dutch: bool) -> Any:  # noqa: F811
    user.set_password(PASSWORD)
    user.save()
    viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    context = browser.new_context(viewport=viewport, locale="nl-NL" if dutch else "en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize(("phone", "dutch"), [(False, False), (True, True)])
def test_payroll_reviews_and_closes_with_confirmation(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    phone: bool,
    dutch: bool,
) -> None:
    roster = _roster(org)
    late = _shift(roster, org.op_a1, 1)
    _punch(org.op_a1, "in", late.start + timedelta(minutes=20))
    _punch(org.op_a1, "out", late.end)
    _shift(roster, org.op_a2, 2)
    period = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    page.goto(f"{live_server.url}/payroll/periods/{period.pk}/review/")
    assert page.locator("[data-testid=review-row]").count() == 2
    page.screenshot(path=str(SHOTS / f"payroll-review-{tag}.png"), full_page=True)
    page.check("input[name=only]")
    page.fill("input[name=q]", org.op_a2.number)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=review-row]").count() == 1
    _no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/payroll/periods/{period.pk}/")
    page.fill("input[name=force_reason]", "Agency week")
    page.click("form.stack button[type=submit].primary")
    page.wait_for_selector("[data-testid=close-confirm]")
    text = page.inner_text("[data-testid=close-confirm]")
    assert ("2 personen" if dutch else "2 people") in text
    page.screenshot(path=str(SHOTS / f"payroll-close-confirm-{tag}.png"), full_page=True)
    assert PayPeriod.objects.get(pk=period.pk).status == PayPeriod.Status.OPEN
    page.click("[data-testid=close-confirmed]")
    page.wait_for_selector(".msg-success")
    assert PayPeriod.objects.get(pk=period.pk).status == PayPeriod.Status.CLOSED


@pytest.mark.parametrize(("phone", "dutch"), [(False, False), (True, True)])
def test_an_export_refused_by_name_then_mapped_then_ready_without_a_reload(
    settings: Any,
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    phone: bool,
    dutch: bool,
) -> None:
    settings.WFM_JOBS_IN_BACKGROUND = True
    period = _closed(org)
    _set_up(org)
    EarningsCode.objects.filter(system="datev", pay_code="NIGHT_PREMIUM").delete()
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    page.goto(f"{live_server.url}/payroll/periods/{period.pk}/")
    page.click("[data-testid=make-datev]")
    page.wait_for_selector(".msg-error")
    # The unmapped pay code by its label (the payslip's), not its enum name.
    assert ("Nachttoeslag" if dutch else "Night premium") in page.inner_text(".msg-error")
    page.screenshot(path=str(SHOTS / f"payroll-export-refused-{tag}.png"), full_page=True)
    assert not PayrollExport.objects.exists()
    page.goto(f"{live_server.url}/payroll/codes/?site={org.amsterdam.pk}")
    page.fill("input[name='datev:NIGHT_PREMIUM']", "102")
    page.click("[data-testid=save-codes]")
    page.wait_for_selector(".msg-success")
    page.screenshot(path=str(SHOTS / f"payroll-codes-{tag}.png"), full_page=True)
    _no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/payroll/periods/{period.pk}/")
    page.click("[data-testid=make-datev]")
    # The list follows the job and shows the download when it ends: no reload.
    page.wait_for_selector("[data-testid=download-datev]")
    jobs_background_join()
    assert "lodas_amsterdam_2026-10-26.txt" in page.inner_text("#export-list")
    page.screenshot(path=str(SHOTS / f"payroll-exports-{tag}.png"), full_page=True)
    with page.expect_download() as info:
        page.click("[data-testid=download-datev]")
    assert info.value.suggested_filename == "lodas_amsterdam_2026-10-26.txt"
    assert Path(info.value.path()).read_bytes().startswith(b"[Allgemein]\r\nZiel=LODAS")


@pytest.mark.parametrize(
    ("phone", "dutch"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_closed_review_lists_a_leaver_pages_on_the_server_and_totals_everyone(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
    phone: bool,
    dutch: bool,
) -> None:
    monkeypatch.setattr("web.views.payroll_review.REVIEW_PAGE", 1)
    period = _closed(org)
    # op_a1 has left for New York since the close: the closed week still lists them.
    Employee.objects.filter(pk=org.op_a1.pk).update(team=org.team_b)
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    page.goto(f"{live_server.url}/payroll/periods/{period.pk}/review/")
    seen = [page.inner_text("[data-testid=review-row]")]
    totals = page.inner_text("[data-testid=review-totals]")
    page.screenshot(path=str(SHOTS / f"payroll-review-pages-{tag}.png"), full_page=True)
    _no_horizontal_overflow(page)
    for cell in ("[data-testid=review-row] td", "[data-testid=review-totals] td"):
        gross = page.locator(cell).nth(6).bounding_box()  # in sight, not scrolled off
        assert gross["x"] + gross["width"] <= (390 if phone else 1366)
    page.click("[data-testid=review-pager] a")
    page.wait_for_load_state()
    seen.append(page.inner_text("[data-testid=review-row]"))
    assert page.inner_text("[data-testid=review-totals]") == totals
    names = [org.op_a1.full_name, org.op_a2.full_name]
    assert sorted(next(n for n in names if n in row) for row in seen) == sorted(names)
    gross = sum(
        PayLineRecord.objects.filter(period=period).values_list("amount", flat=True),
        start=Decimal(0),
    )
    assert (f"{gross:.2f}".replace(".", ",") if dutch else f"{gross:.2f}") in totals
    assert ("2 personen" if dutch else "2 people") in page.inner_text(
        "[data-testid=review-summary]"
    )


@pytest.mark.parametrize(("phone", "dutch"), [(False, False), (True, True)])
def test_someone_paid_across_sites_shows_what_to_check_in_the_review_and_payslip(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    phone: bool,
    dutch: bool,
) -> None:
    shift = _shift(_roster(org), org.op_a1, 0)
    _punch(org.op_a1, "in", shift.start)
    _punch(org.op_a1, "out", shift.end)
    Employee.objects.filter(pk=org.op_a1.pk).update(team=org.team_b)  # moved to New York
    period = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    warning = "Ook bij New York in deze periode" if dutch else "Also at New York in this period"
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    page.goto(f"{live_server.url}/payroll/periods/{period.pk}/review/")
    assert warning in page.inner_text("[data-testid=review-note]")
    badge = "Betaald op meerdere vestigingen" if dutch else "Paid across sites"
    assert badge in page.inner_text("[data-testid=review-row]")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"payroll-review-across-sites-{tag}.png"), full_page=True)
    slip = _page(browser, live_server, org.op_a1.user, phone=phone, dutch=dutch)
    slip.goto(f"{live_server.url}/me/payslips/{period.pk}/")
    assert warning in slip.inner_text("[data-testid=payslip-warning]")
    _no_horizontal_overflow(slip)
    slip.screenshot(path=str(SHOTS / f"payslip-across-sites-{tag}.png"), full_page=True)
