"""The person page's pay rate history in a browser (issue 25 review): an upcoming rate shown
beside the one in force, at 1366 and 390 px, in English and Dutch, without the page
scrolling sideways. Screenshots in var/screenshots."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from organisation.services.organisation import employee_update
from organisation.services.pay_rates import site_today
from tests.conftest import Org
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser  # noqa: F401

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(
    ("width", "language"), [(1366, "en"), (390, "en"), (1366, "nl"), (390, "nl")]
)
def test_the_person_page_shows_the_upcoming_rate(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811
    width: int,
    language: str,
) -> None:
    employee_update(
        employee=org.op_a1,
        hourly_rate=Decimal("19.2500"),
        rate_valid_from=site_today(org.op_a1) + timedelta(days=26),
    )
    org.manager_a.set_password(PASSWORD)
    org.manager_a.save()
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="nl-NL" if language == "nl" else "en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", org.manager_a.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/manager/setup/people/{org.op_a1.pk}/")
    table = page.get_by_test_id("pay-rates")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    upcoming, current = ("komt nog", "geldt nu") if language == "nl" else ("upcoming", "in force")
    new, old = ("19,2500", "16,5000") if language == "nl" else ("19.2500", "16.5000")
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert upcoming in first
    assert new in first
    assert current in second
    assert old in second
    heading = "Uurloon" if language == "nl" else "Pay rate"
    assert page.locator("#pay-rates h2").inner_text() == heading
    _no_horizontal_overflow(page)
    page.locator("#pay-rates").screenshot(path=str(SHOTS / f"person_rates_{width}_{language}.png"))
    page.screenshot(path=str(SHOTS / f"person_rates_page_{width}_{language}.png"), full_page=True)
    context.close()
