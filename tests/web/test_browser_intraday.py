"""The intraday page in a browser (issue 26, item 3): English and Dutch, 1366 and 390 px wide;
screenshots under var/screenshots/intraday-*.png."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from scheduling.models import Roster
from tests.conftest import Org
from tests.factories.intraday import intraday_scene, local, published_day, today_at
from tests.factories.punches import punch_make
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
DASH = "\N{EN DASH}"
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


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_a_manager_posts_vto_and_an_operator_accepts_it_in_the_browser(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    day = today_at(org.team_a) + timedelta(days=1)  # the offer's times lie ahead
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=day)
    manager = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    manager.goto(f"{live_server.url}/manager/intraday/?at={quote(scene.now.isoformat())}")
    form = manager.locator("form.offer-form")
    form.locator("select[name=kind]").select_option("vto")
    form.locator("select[name=team]").select_option(str(org.team_a.pk))
    form.locator("input[name=start]").fill("14:00")
    form.locator("input[name=end]").fill("16:00")
    form.locator("button[type=submit]").click()
    manager.wait_for_selector(".msg-success")
    assert manager.locator("ul.offers li").count() == 1
    _no_horizontal_overflow(manager)
    width = "390" if phone else "1366"
    manager.screenshot(path=str(SHOTS / f"offers-manager-{language}-{width}.png"), full_page=True)
    operator = _open(browser, live_server, org.op_a1.user, language=language, phone=phone)
    operator.goto(f"{live_server.url}/me/offers/")
    operator.screenshot(path=str(SHOTS / f"offers-operator-{language}-{width}.png"), full_page=True)
    operator.locator("ul.offers button[type=submit]").click()
    operator.wait_for_selector(".msg-success")
    _no_horizontal_overflow(operator)
    shot = SHOTS / f"offers-accepted-{language}-{width}.png"
    operator.screenshot(path=str(shot), full_page=True)
    assert Roster.objects.get(status="published").version == 2


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_an_interval_whose_figures_have_not_arrived_shows_a_dash_and_a_note(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    """At 13:40 the 13:00-13:30 interval is over but the feed has not sent it: a dash, not 0."""
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(f"{live_server.url}/manager/intraday/?at={quote('2026-03-04T13:40:00+01:00')}")
    page.wait_for_selector("section.intraday svg.chart")
    assert page.locator("section.intraday .feed-note").count() == 1
    assert "13:00" in page.inner_text("section.intraday .feed-note")
    page.click("section.intraday summary")
    missing = page.locator("section.intraday table.intraday-table td.missing")
    assert missing.count() == 2  # offered and handled of 13:00
    assert missing.first.inner_text() == DASH
    _no_horizontal_overflow(page)
    width = "390" if phone else "1366"
    page.screenshot(path=str(SHOTS / f"intraday-lag-{language}-{width}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_without_agent_states_the_clocked_in_are_shown_and_labelled(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    """No agent-state feed: the agents column counts the punches and says so."""
    published_day(
        team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, name="Retail", hour=8, lunch=12
    )
    punch_make(employee=org.op_a1, kind="in", at=local(DAY, 7, 55, "Europe/Amsterdam"))
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(f"{live_server.url}/manager/intraday/?at={AT}")
    page.wait_for_selector("section.intraday svg.chart")
    assert page.locator("section.intraday .logged-in-note").count() == 1
    page.click("section.intraday summary")
    header = page.inner_text("section.intraday th.logged-in-source")
    assert header in ("Clocked in (punches)", "Ingeklokt (klokacties)"), header
    _no_horizontal_overflow(page)
    width = "390" if phone else "1366"
    page.screenshot(path=str(SHOTS / f"intraday-punches-{language}-{width}.png"), full_page=True)
