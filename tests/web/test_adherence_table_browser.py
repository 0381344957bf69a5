"""The intraday page's 'Out of adherence today' table on a phone (browser walk-through): at 390 px
every column (Minutes, Planned, Actual too) is readable without a hidden scroll, in the stacked
data-label layout the other tables use, in English and Dutch. Screenshots under
var/screenshots/adherence-table-*.png."""

from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import Org
from tests.factories.intraday import intraday_scene
from tests.web.test_browser import SHOTS, browser
from tests.web.test_browser_intraday import _open

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
DAY = date(2026, 3, 4)
AT = quote("2026-03-04T13:10:00+01:00")
LABELS = {
    "en": ["Operator", "Team", "From", "Until", "Minutes", "Planned", "Actual"],
    "nl": ["Medewerker", "Team", "Van", "Tot", "Minuten", "Gepland", "Werkelijk"],
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_out_of_adherence_table_stacks_at_390_px(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str
) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    page = _open(browser, live_server, org.manager_a, language=language, phone=True)
    page.goto(f"{live_server.url}/manager/intraday/?at={AT}")
    table = page.locator("table.adherence-live")
    table.first.wait_for()
    row = table.first.locator("tbody tr").first
    cells = row.locator("td")
    assert cells.count() == 7
    for n in range(7):
        box = cells.nth(n).bounding_box()
        assert box is not None
        assert box["x"] >= 0, n
        assert box["x"] + box["width"] <= 390, n
        label = cells.nth(n).evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') == LABELS[language][n], (n, label)
    table.first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"adherence-table-{language}-390.png"), full_page=True)
