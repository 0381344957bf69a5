"""The clock's second-in question and the timesheet's punches with no shift in a browser, at
390 and 1366 px, English and Dutch (browser walk-through). Screenshots under
var/screenshots/clock-again-*.png and timesheet-unscheduled-*.png."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import Org
from tests.factories.punches import punch_make
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser
from tests.web.test_browser_intraday import _open
from timeclock.models import Punch

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TEXTS = {
    "en": ("You are already clocked in, since", "tick the box", "Clocked in.", "No shift"),
    "nl": ("Je bent al ingeklokt, sinds", "vink het vakje aan", "Ingeklokt.", "Geen dienst"),
}


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_clock_in_again_is_asked_and_unscheduled_punches_show(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    me = org.op_a1
    me.is_home_worker = True
    me.save(update_fields=["is_home_worker"])
    day = timezone.localtime(timezone.now(), AMSTERDAM).date() - timedelta(days=2)
    came = datetime.combine(day, time(9, 0), tzinfo=AMSTERDAM)
    punch_make(employee=me, kind="in", at=came)
    punch_make(employee=me, kind="out", at=came + timedelta(hours=2))
    punch_make(employee=me, kind="in", at=timezone.now() - timedelta(hours=1))
    since, tick, done, no_shift = TEXTS[language]
    width = "390" if phone else "1366"
    page = _open(browser, live_server, me.user, language=language, phone=phone)
    page.goto(f"{live_server.url}/me/clock/?kind=in")
    assert since in page.inner_text("main")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"clock-again-{language}-{width}.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert tick in page.inner_text("main")
    assert Punch.objects.filter(employee=me).count() == 3
    page.check("#id_again")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert done in page.inner_text("body")
    assert Punch.objects.filter(employee=me).count() == 4
    page.goto(f"{live_server.url}/me/timesheet/")
    row = page.locator("tr[data-testid=unscheduled]").first
    assert no_shift in row.inner_text()
    assert row.locator("a").count() == 1  # ask for a correction
    _no_horizontal_overflow(page)
    page.screenshot(
        path=str(SHOTS / f"timesheet-unscheduled-{language}-{width}.png"), full_page=True
    )
