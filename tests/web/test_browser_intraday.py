"""The intraday page in a browser (issue 26, item 3): English and Dutch, 1366 and 390 px wide;
screenshots under var/screenshots/intraday-*.png."""

from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import Org
from tests.factories.intraday import intraday_scene
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
DAY = date(2026, 3, 4)
AT = quote("2026-03-04T13:10:00+01:00")
TEXTS = {
    "en": ("Intraday", "Reforecast for today", "Service level projected for the day", "Logged in"),
    "nl": ("Intraday", "Nieuwe prognose voor vandaag", "Verwacht serviceniveau", "Ingelogd"),
}


def _open(browser: Any, live_server: Any, user: Any, *, language: str, phone: bool) -> Any:
    user.set_password(PASSWORD)
    user.save()
    viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    locale = "nl-NL" if language == "nl" else "en-GB"
    page = browser.new_context(viewport=viewport, locale=locale).new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_the_intraday_page_reads_at_both_widths_in_both_languages(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(f"{live_server.url}/manager/intraday/?at={AT}")
    page.wait_for_selector("section.intraday svg.chart")
    text = page.inner_text("main")
    for expected in TEXTS[language]:
        assert expected in text, expected
    assert page.locator("section.intraday svg.chart polyline").count() >= 6
    page.click("section.intraday summary")
    assert page.locator("section.intraday table.intraday-table tr.now").count() == 1
    assert "ongoing" in text or "loopt nog" in text
    _no_horizontal_overflow(page)
    width = "390" if phone else "1366"
    page.screenshot(path=str(SHOTS / f"intraday-{language}-{width}.png"), full_page=True)
