"""Payroll's per-employee timesheet in a browser (issue 25, item 4), English and Dutch at
1366 and 390 px: from a filtered review row to the person's timesheet (days, punches with a
correction marked, the late exception with where to resolve it, pay lines, totals with the
currency), and back to the review with the filters kept; the close confirmation that
approves a pending adjustment and shows the gross it locks."""

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Org
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser  # noqa: F401
from tests.web.test_pages import FIRST, _roster, _shift
from tests.web.test_payroll_browser import _page
from tests.web.test_payroll_review_scope import AFTER, _punched_late, _week, _worked
from timeclock.models import PayPeriod, Punch
from timeclock.services.corrections import correction_move
from timeclock.services.periods import period_close, period_create

pytestmark = [pytest.mark.browser]
SIZES = [(False, False), (True, False), (False, True), (True, True)]


@pytest.mark.parametrize(("phone", "dutch"), SIZES)
def test_timesheet_from_the_review_and_back_with_the_filters(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811
    phone: bool,
    dutch: bool,
) -> None:
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    _punched_late(org.op_a1, _shift(roster, org.op_a1, 5), received=AFTER + timedelta(days=1))
    late = _worked(roster, org.op_a1, 7, late_minutes=20)
    _worked(roster, org.op_a1, 8)
    _shift(roster, org.op_a2, 9)  # absent
    out = Punch.objects.get(employee=org.op_a1, kind="out", occurred_at=late.end)
    correction_move(
        punch=out,
        occurred_at=late.end - timedelta(minutes=15),
        reason="left early",
        actor=org.manager_a,
    )
    following = period_create(
        site=org.amsterdam, start_date=FIRST + timedelta(days=7), end_date=FIRST + timedelta(13)
    )
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    page.goto(f"{live_server.url}/payroll/periods/{following.pk}/review/?only=1&q=op")
    assert page.locator("[data-testid=review-row]").count() == 2
    assert "EUR" in page.inner_text("[data-testid=review-currency]")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"payroll-review-columns-{tag}.png"), full_page=True)
    page.locator("[data-testid=timesheet-link]", has_text=org.op_a1.full_name).click()
    page.wait_for_selector("[data-testid=timesheet-totals]")
    assert page.locator("[data-testid=timesheet-shift]").count() == 2
    assert page.locator("[data-testid=punch-corrected]").count() == 1
    assert page.locator("[data-testid=resolve-link]").count() == 1
    assert page.locator("[data-testid=pay-line]").count() >= 3  # regular x2, adjustment
    assert "EUR" in page.inner_text("[data-testid=review-currency]")
    adjustment = "132,00" if dutch else "132.00"
    assert adjustment in page.inner_text("[data-testid=timesheet-totals]")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"payroll-timesheet-{tag}.png"), full_page=True)
    page.click("[data-testid=back-to-review]")
    page.wait_for_selector("[data-testid=review-row]")
    assert page.input_value("input[name=q]") == "op"
    assert page.is_checked("input[name=only]")
    page.goto(f"{live_server.url}/payroll/periods/{following.pk}/")
    page.fill("input[name=force_reason]", "Agency week")
    page.click("form.stack button[type=submit].primary")
    page.wait_for_selector("[data-testid=close-approves]")
    assert "EUR" in page.inner_text("[data-testid=close-gross]")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"payroll-close-approves-{tag}.png"), full_page=True)
    page.click("[data-testid=close-confirmed]")
    page.wait_for_selector(".msg-success")
    assert PayPeriod.objects.get(pk=following.pk).status == PayPeriod.Status.CLOSED
