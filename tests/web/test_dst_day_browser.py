"""The roster's day view and the board on the autumn day in a browser (Playwright driving the
system's Chromium), in English and Dutch, at 1366 and 390 px: the repeated hour's second
occurrence is a column and an interval of its own ("02:00 (2nd)", "02:00 (2e)"), and who is
on the phone in each occurrence differs. Screenshots under var/screenshots/dst-*.png."""

from datetime import date
from typing import Any

import pytest

from tests.conftest import Org
from tests.factories.dst_days import DstDay, dst_day_make
from tests.web.test_board_browser import _open
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
AUTUMN = date(2026, 10, 25)
SECOND = {"en": "02:00 (2nd)", "nl": "02:00 (2e)"}
ON_PHONE = {"en": "On the phone at", "nl": "Aan de telefoon om"}


@pytest.fixture
def night(transactional_db: None, org: Org) -> DstDay:
    return dst_day_make(team=org.team_a, people=[org.op_a1, org.op_a2], day=AUTUMN)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_day_view_and_the_board_show_both_02_00_hours(
    night: DstDay, org: Org, live_server: Any, browser: Any, language: str
) -> None:
    second = SECOND[language]
    for phone in (False, True):
        size = "390" if phone else "1366"
        page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
        page.goto(f"{live_server.url}/manager/rosters/{night.roster.pk}/day/{AUTUMN}/")
        page.wait_for_selector("[data-testid=cover-chart]")
        _no_horizontal_overflow(page)
        ticks = page.locator(".gantt-head .ghour").all_inner_texts()
        assert ticks.count("02") == 2  # the Gantt's hours: 02 twice
        titles = page.eval_on_selector_all(
            "[data-testid=cover-chart] rect.hit title", "els => els.map(e => e.textContent)"
        )
        assert titles[:8] == [
            "00:00",
            "00:30",
            "01:00",
            "01:30",
            "02:00",
            "02:30",
            second,
            "02:30" + second[5:],
        ]
        page.locator(".day-numbers").first.evaluate("e => e.closest('details').open = true")
        page.screenshot(path=str(SHOTS / f"dst-day-{language}-{size}.png"), full_page=True)
        page.locator(".day-numbers").get_by_role("link", name=second, exact=True).click()
        heading = page.locator("#on-phone-title")
        heading.wait_for()
        assert heading.inner_text() == f"{ON_PHONE[language]} {second}"
        assert page.locator("#on-phone p").first.inner_text().count(",") == 1  # two people
        page.locator(".day-numbers").get_by_role("link", name="02:00", exact=True).click()
        page.wait_for_function(
            "t => document.querySelector('#on-phone-title').innerText.endsWith(t)", arg=" 02:00"
        )
        assert page.locator("#on-phone p.muted").count() == 1  # nobody: a break, then later
        page.screenshot(path=str(SHOTS / f"dst-day-on-phone-{language}-{size}.png"), full_page=True)

        page.goto(f"{live_server.url}/manager/rosters/{night.roster.pk}/?start={AUTUMN}")
        table = page.locator("[data-testid=coverage-heatmap]").first
        table.wait_for()
        _no_horizontal_overflow(page)
        heads = table.locator("thead th .sr-only").all_inner_texts()
        assert heads[4:8] == ["02:00", "02:30", second, "02:30" + second[5:]]
        first_row = table.locator("tbody tr").first.locator("td").all_inner_texts()
        assert [c.replace("\n", "") for c in first_row[4:8]] == ["0/3", "1/3", "2/2", "2/2"]
        table.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"dst-board-{language}-{size}.png"), full_page=True)
        page.close()
