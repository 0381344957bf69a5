"""Rest-of-day offers in the browser, review fixes (issue 26, item 5): an invalid offer shows
each field's error beside it with the input kept; VTO is posted for its window (from-until) and
the operator's offers and notices read it in local time; 1366 and 390 px, English and Dutch.
Screenshots under var/screenshots/offers-fixes-*.png."""

from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest

from scheduling.models import IntradayOffer, Roster
from tests.conftest import Org
from tests.factories.intraday import intraday_scene, local, today_at
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser
from tests.web.test_browser_intraday import _open

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_an_invalid_offer_then_a_vto_window_in_the_browser(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    day = today_at(org.team_a) + timedelta(days=1)  # the offer's times lie ahead
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=day)
    width = "390" if phone else "1366"
    manager = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    manager.goto(f"{live_server.url}/manager/intraday/?at={quote(scene.now.isoformat())}")
    form = manager.locator("form.offer-form")
    form.locator("select[name=kind]").select_option("vto")
    form.locator("select[name=team]").select_option(str(org.team_a.pk))
    form.locator("input[name=start]").fill("15:00")
    form.locator("input[name=end]").fill("14:00")
    form.locator("input[name=slots]").fill("")
    form.locator("button[type=submit]").evaluate("b => b.form.noValidate = true")
    form.locator("button[type=submit]").click()
    manager.wait_for_selector(".field-error")
    form = manager.locator("form.offer-form")
    assert form.locator("input[name=end][aria-invalid=true]").count() == 1
    assert form.locator("input[name=slots][aria-invalid=true]").count() == 1
    assert form.locator("input[name=start]").input_value() == "15:00"  # kept
    assert not IntradayOffer.objects.exists()
    _no_horizontal_overflow(manager)
    manager.screenshot(
        path=str(SHOTS / f"offers-fixes-invalid-{language}-{width}.png"), full_page=True
    )
    form.locator("input[name=start]").fill("14:00")
    form.locator("input[name=end]").fill("15:00")
    form.locator("input[name=slots]").fill("1")
    form.locator("button[type=submit]").click()
    manager.wait_for_selector(".msg-success")
    assert manager.locator("ul.offers li").count() == 1
    assert "14:00\N{EN DASH}15:00" in manager.locator("ul.offers li").inner_text()
    operator = _open(browser, live_server, org.op_a1.user, language=language, phone=phone)
    operator.goto(f"{live_server.url}/notices/")
    _no_horizontal_overflow(operator)
    operator.screenshot(
        path=str(SHOTS / f"offers-fixes-notices-{language}-{width}.png"), full_page=True
    )
    operator.goto(f"{live_server.url}/me/offers/")
    assert "14:00\N{EN DASH}15:00" in operator.locator("ul.offers").inner_text()
    operator.locator("ul.offers button[type=submit]").click()
    operator.wait_for_selector(".msg-success")
    _no_horizontal_overflow(operator)
    operator.screenshot(
        path=str(SHOTS / f"offers-fixes-accepted-{language}-{width}.png"), full_page=True
    )
    published = Roster.objects.get(status="published")
    tz = org.team_a.site.timezone
    spans = [(s.start, s.end) for s in published.shifts.filter(employee=org.op_a1)]
    assert sorted(spans) == [
        (local(day, 8, 0, tz), local(day, 14, 0, tz)),
        (local(day, 15, 0, tz), local(day, 16, 0, tz)),
    ]
