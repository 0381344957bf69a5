"""Rest-of-day actions in a browser (issue 26, item 5): a manager applies a proposed break
move and withdraws an open offer; English and Dutch, 1366 and 390 px wide; screenshots under
var/screenshots/intraday-moves-*.png and offer-withdrawn-*.png."""

from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest

from scheduling.models import IntradayOffer, Roster
from scheduling.services.intraday_offers import offer_create
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.intraday import local, today_at
from tests.factories.intraday_moves import MoveScene, break_move_scene, meeting_place
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser
from tests.web.test_browser_intraday import _open

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
TEXTS = {
    "en": (
        "Move breaks, meetings and training to where the day is over-staffed",
        "Move them all",
        "break 13:00",
    ),
    "nl": (
        "Pauzes, overleg en training verschuiven naar waar de dag overbezet is",
        "Alles verschuiven",
        "pauze 13:00",
    ),
}
DONE = {"en": "The break is moved", "nl": "De pauze is verschoven"}
MEETING_DONE = {"en": "The meeting or training is moved", "nl": "Het overleg of de training is"}
WITHDRAWN = {"en": "The offer is withdrawn", "nl": "Het aanbod is ingetrokken"}
NO_OFFERS = {"en": "No offers for you right now.", "nl": "Nu geen aanbiedingen voor jou."}


def _scene(org: Org) -> MoveScene:
    day = today_at(org.team_a) + timedelta(days=1)  # the breaks lie ahead
    third = employee_make(team=org.team_a, first_name="Carla", last_name="Jansen")
    return break_move_scene(team=org.team_a, people=[org.op_a1, org.op_a2, third], day=day)


def _url(live_server: Any, scene: MoveScene) -> str:
    return f"{live_server.url}/manager/intraday/?at={quote(scene.now.isoformat())}"


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_a_manager_applies_a_proposed_meeting_and_break_move_in_the_browser(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    scene = _scene(org)
    meeting_place(scene, [org.op_a1, org.op_a2])
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(_url(live_server, scene))
    page.wait_for_selector("div.break-moves")
    text = page.inner_text("div.break-moves")
    for expected in TEXTS[language]:
        assert expected in text, expected
    assert "Team huddle" in text
    assert page.locator("form.session-move-form").count() == 1
    breaks = page.locator("form.move-form").count()
    assert breaks >= 1
    _no_horizontal_overflow(page)
    width = "390" if phone else "1366"
    page.screenshot(path=str(SHOTS / f"intraday-moves-{language}-{width}.png"), full_page=True)
    with page.expect_navigation():
        page.locator("form.session-move-form button[type=submit]").click()
    page.wait_for_selector(".msg-success")
    assert MEETING_DONE[language] in page.inner_text(".msg-success")
    assert Roster.objects.get(status="published").version == 2
    with page.expect_navigation():
        page.locator("form.move-form button[type=submit]").first.click()
    page.wait_for_selector(".msg-success")
    assert DONE[language] in page.inner_text(".msg-success")
    assert page.locator("form.move-form").count() < breaks
    assert Roster.objects.get(status="published").version == 3
    _no_horizontal_overflow(page)
    shot = SHOTS / f"intraday-moves-applied-{language}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_a_manager_withdraws_an_offer_in_the_browser(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    scene = _scene(org)
    tz = org.team_a.site.timezone
    offer = offer_create(
        kind="vto",
        queue=scene.queue,
        team=org.team_a,
        start=local(scene.day, 16, 0, tz),
        end=local(scene.day, 18, 0, tz),
        slots=1,
        expires_at=local(scene.day, 15, 50, tz),
        user=org.manager_a,
    )
    manager = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    manager.goto(_url(live_server, scene))
    manager.locator("form.withdraw-form button[type=submit]").click()
    manager.wait_for_selector(".msg-success")
    assert WITHDRAWN[language] in manager.inner_text(".msg-success")
    assert manager.locator("form.withdraw-form").count() == 0
    assert manager.locator("span.offer-withdrawn").count() == 1
    offer.refresh_from_db()
    assert offer.status == IntradayOffer.Status.CANCELLED
    _no_horizontal_overflow(manager)
    width = "390" if phone else "1366"
    manager.locator("ul.offers").scroll_into_view_if_needed()
    manager.screenshot(path=str(SHOTS / f"offer-withdrawn-{language}-{width}.png"), full_page=True)
    operator = _open(browser, live_server, org.op_a1.user, language=language, phone=phone)
    operator.goto(f"{live_server.url}/me/offers/")
    assert NO_OFFERS[language] in operator.inner_text("main")
    operator.goto(f"{live_server.url}/notices/")
    assert "Claims" not in operator.inner_text("main")
