"""The header in a browser: one row at 1366 px with the manager's full Dutch menu (the account
folds under the name), and logging out through it at both widths and in both languages."""

from typing import Any

import pytest

from tests.conftest import Org
from tests.web.test_board_browser import _open
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser  # noqa: F401

pytestmark = [pytest.mark.browser]

LOG_OUT = {"en": "Log out", "nl": "Uitloggen"}


def _top(page: Any, selector: str) -> float:
    return float(page.locator(selector).first.bounding_box()["y"])


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True])
def test_the_header_fits_and_the_account_menu_logs_out(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    language: str,
    phone: bool,
) -> None:
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(f"{live_server.url}/manager/rosters/")
    logout = page.get_by_role("button", name=LOG_OUT[language])
    assert not logout.is_visible()  # folded until the name is opened
    if phone:
        page.click("label.menu-button")
    else:
        # Every menu link, the name and the language on the same row.
        first_link = _top(page, ".nav a")
        for selector in (".nav li:last-child a", "[data-testid=account]", "#language"):
            assert abs(_top(page, selector) - first_link) < 12, selector
    page.click("[data-testid=account]")
    assert logout.is_visible()
    _no_horizontal_overflow(page)
    size = "390" if phone else "1366"
    page.screenshot(path=str(SHOTS / f"header-account-{language}-{size}.png"))
    logout.click()
    page.wait_for_selector("#id_username")
    page.goto(f"{live_server.url}/manager/rosters/")
    assert "/login/" in page.url
