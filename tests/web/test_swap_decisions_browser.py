"""A swap rejected without a reason on the approvals page, and the operator's swaps page with
the system's reasons, in a browser at 390 and 1366 px, English and Dutch (browser
walk-through). Screenshots under var/screenshots/swap-reject-*.png and my-swaps-*.png."""

from typing import Any

import pytest

from scheduling.models import ShiftSwap
from tests.conftest import Org, client_for
from tests.factories.requests import published_make
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser
from tests.web.test_browser_intraday import _open

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
TEXTS = {
    "en": ("Say why: the operator is told.", "Withdrawn by the requester.", "cover is thin"),
    "nl": (
        "Zeg waarom: de medewerker krijgt het te zien.",
        "Ingetrokken door de aanvrager.",
        "cover is thin",
    ),
}


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_reject_needs_a_reason_and_reasons_read_in_the_readers_language(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    pub = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    ids = []
    for day in (0, 1):
        made = client_for(org.op_a1.user).post(
            "/api/v1/swaps",
            {"shift": str(pub.shift(org.op_a1, day).pk), "kind": "open"},
            format="json",
        )
        ids.append(made.json()["id"])
    client_for(org.op_a1.user).post(f"/api/v1/swaps/{ids[1]}/cancel", {}, format="json")
    say_why, withdrawn, written = TEXTS[language]
    width = "390" if phone else "1366"
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(f"{live_server.url}/manager/approvals/")
    form = page.locator(f"form:has(#reason-{ids[0]})")
    form.locator("button[formaction]").click()
    page.wait_for_load_state()
    assert say_why in page.inner_text("main")
    assert ShiftSwap.objects.get(pk=ids[0]).status == "pending"
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"swap-reject-{language}-{width}.png"), full_page=True)
    page.fill(f"#reason-{ids[0]}", written)
    page.locator(f"form:has(#reason-{ids[0]}) button[formaction]").click()
    page.wait_for_load_state()
    assert ShiftSwap.objects.get(pk=ids[0]).status == "rejected"
    mine = _open(browser, live_server, org.op_a1.user, language=language, phone=phone)
    mine.goto(f"{live_server.url}/me/swaps/")
    text = mine.inner_text("main")
    assert withdrawn in text
    assert written in text
    assert "cancelled by the requester" not in text
    _no_horizontal_overflow(mine)
    mine.screenshot(path=str(SHOTS / f"my-swaps-{language}-{width}.png"), full_page=True)
