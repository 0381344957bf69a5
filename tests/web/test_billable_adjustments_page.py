"""The pay period page shows the prior-period billable adjustments (issue 25): an open period
the ones its close will carry, a closed one those it carried, each with the client, queue,
day and the period it adjusts; in English and Dutch, and in a browser at 1366 and 390 px."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import Org
from tests.timeclock.test_billable_adjustments import _close, _move_monday_out, _week
from tests.timeclock.test_billable_frozen import _client_week
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser  # noqa: F401
from tests.web.test_payroll_browser import _page

pytestmark = pytest.mark.django_db


def _get(org: Org, pk: Any, language: str) -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(org.payroll)
    response = client.get(f"/payroll/periods/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_period_page_shows_the_adjustments_to_carry_then_carried(org: Org) -> None:
    _client_week(org)
    _move_monday_out(org, -2)
    second = _week(org, 1)
    page = _get(org, second.pk, "en")
    assert "Billable adjustments this close will carry" in page
    assert page.count('data-testid="billable-adjustment"') == 1
    assert "-2.00" in page
    assert "Mon 1 Jun 2026" in page
    assert "1 Jun \N{EN DASH} 7 Jun 2026" in page
    second = _close(second, 1)
    page = _get(org, second.pk, "nl")
    assert "Te factureren correcties voor eerdere perioden" in page
    assert "-2,00" in page
    assert "ma 1 jun 2026" in page.lower()


def test_a_period_without_billable_adjustments_shows_no_such_section(org: Org) -> None:
    _client_week(org)
    assert "billable-adjustment" not in _get(org, _week(org, 1).pk, "en")


@pytest.mark.browser
@pytest.mark.parametrize("phone", [False, True])
@pytest.mark.parametrize("dutch", [False, True])
def test_the_billable_adjustments_in_a_browser(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    phone: bool,
    dutch: bool,
) -> None:
    _client_week(org)
    _move_monday_out(org, 2)
    second = _week(org, 1)
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    page.goto(f"{live_server.url}/payroll/periods/{second.pk}/")
    row = page.locator("[data-testid=billable-adjustment]")
    assert row.count() == 1
    assert ("+2,00" if dutch else "+2.00") in row.inner_text()
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"billable-adjustments-open-{tag}.png"), full_page=True)
    _close(second, 1)
    page.goto(f"{live_server.url}/payroll/periods/{second.pk}/")
    text = page.inner_text("[data-testid=billable-adjustments]")
    assert "7 jun 2026" in text.lower()
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"billable-adjustments-closed-{tag}.png"), full_page=True)
