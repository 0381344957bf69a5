"""Browser tests: Playwright driving the Debian Chromium (headless) against a live server.
Each saves a screenshot under var/screenshots/ to look at."""

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from organisation.jobs import jobs_background_join
from scheduling.models import Roster, ShiftSwap
from scheduling.services.roster_publish import roster_publish
from tests.conftest import Org, skip_or_fail
from tests.factories import employee_make
from tests.factories.punches import past_shift, punch_make
from tests.factories.requests import published_make
from tests.factories.rosters import RosterSetup
from tests.web.conftest import build
from timeclock.models import CorrectionRequest, PayPeriod, Punch
from timeclock.services.periods import period_create

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = settings.VAR_DIR / "screenshots"
PASSWORD = "browser-pw-2026"

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail("needs Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself stay synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
        # The test's ORM calls ran while Playwright's loop was current, on connections of
        # that context: closed here, or the test database cannot be dropped at the end.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _page(browser: Any, live_server: Any, user: Any, *, phone: bool = False) -> Any:
    user.set_password(PASSWORD)
    user.save()
    viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    page = browser.new_context(viewport=viewport, locale="en-GB").new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


def _no_horizontal_overflow(page: Any) -> None:
    """Wide content scrolls inside its own box; the page itself never scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport + 1, (width, viewport)


def test_manager_builds_and_publishes_a_roster_and_sees_the_coverage(
    transactional_db: None,
    org: Org,
    setup: RosterSetup,
    live_server: Any,
    browser: Any,
    settings: Any,
) -> None:
    # As under `make run`: the solve runs in the background and the page follows it live.
    settings.WFM_JOBS_IN_BACKGROUND = True
    page = _page(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/rosters/")
    page.select_option("#id_team", str(org.team_a.pk))
    page.fill("#id_start", setup.start.isoformat())
    page.select_option("#id_days", "7")
    page.fill("#id_time_limit_seconds", "3")
    page.click("button:has-text('Start the solver')")
    # The job page comes back at once and polls; when the solve ends it opens the roster.
    page.wait_for_selector("#job-progress")
    page.screenshot(path=str(SHOTS / "manager-job.png"), full_page=True)
    heatmap = page.wait_for_selector("[data-testid=coverage-heatmap]", timeout=60_000)
    jobs_background_join()
    assert heatmap.query_selector("td.heat-ok, td.heat-over-1, td.heat-under-1")
    assert page.locator("table.board a.block").count() > 0
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / "manager-roster.png"), full_page=True)
    page.click("a:has-text('Review and publish')")
    page.wait_for_selector("tr.added")
    page.screenshot(path=str(SHOTS / "manager-publish.png"), full_page=True)
    if page.locator("#id_confirm").count():  # issues left: the manager confirms
        page.check("#id_confirm")
    page.click("button:has-text('Publish')")
    page.wait_for_selector(".msg-success")
    assert "published" in page.inner_text(".messages")
    roster = Roster.objects.get(team=org.team_a, start_date=setup.start)
    assert roster.status == Roster.Status.PUBLISHED


def test_home_operator_clocks_in_on_a_phone(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    home = employee_make(team=org.team_a, is_home_worker=True)
    page = _page(browser, live_server, home.user, phone=True)
    page.goto(f"{live_server.url}/me/clock/")
    page.click("a.button:has-text('Clock in')")
    page.wait_for_selector("text=Clock in now")
    page.screenshot(path=str(SHOTS / "operator-clock-confirm.png"), full_page=True)
    page.click("button:has-text('Confirm')")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("[data-testid=last-punch]") == "In"
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / "operator-clocked-in.png"), full_page=True)
    punch = Punch.objects.get(employee=home)
    assert (punch.kind, punch.source) == ("in", "remote")


def test_payroll_closes_a_period_and_downloads_the_export(
    transactional_db: None, org: Org, setup: RosterSetup, live_server: Any, browser: Any
) -> None:
    roster_publish(roster=build(org, setup), user=org.manager_a)
    period = period_create(
        site=org.amsterdam, start_date=setup.start, end_date=setup.start + timedelta(days=6)
    )
    page = _page(browser, live_server, org.payroll)
    page.goto(f"{live_server.url}/payroll/")
    page.click(f"a[href='/payroll/periods/{period.pk}/']")
    page.wait_for_selector("button:has-text('Close the period')")
    page.screenshot(path=str(SHOTS / "payroll-open-period.png"), full_page=True)
    # The week has not ended yet: closing it needs a reason.
    page.click("button:has-text('Close the period')")
    page.wait_for_selector("text=The period has not ended yet")
    assert PayPeriod.objects.get(pk=period.pk).status == PayPeriod.Status.OPEN
    page.fill("input[name=force_reason]", "Closed early: the agency bills this week today")
    page.click("button:has-text('Close the period')")
    # It says what it will lock and asks to confirm (issue 25, item 4).
    page.wait_for_selector("[data-testid=close-confirm]")
    assert PayPeriod.objects.get(pk=period.pk).status == PayPeriod.Status.OPEN
    page.click("[data-testid=close-confirmed]")
    page.wait_for_selector(".msg-success")
    assert page.inner_text("[data-testid=period-status]") == "Closed"
    page.click("button:has-text('Make the CSV export')")
    page.wait_for_selector("a:has-text('Download CSV')")
    page.screenshot(path=str(SHOTS / "payroll-closed-period.png"), full_page=True)
    with page.expect_download() as info:
        page.click("a:has-text('Download CSV')")
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"employee_number,employee_name,period_start")
    assert PayPeriod.objects.get(pk=period.pk).status == PayPeriod.Status.CLOSED


def test_operator_swaps_a_shift_and_a_manager_approves_it(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    pub = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    monday, tuesday = pub.shift(org.op_a1, 0), pub.shift(org.op_a2, 1)
    page = _page(browser, live_server, org.op_a1.user, phone=True)
    page.goto(f"{live_server.url}/me/swaps/")
    page.select_option("#id_shift", str(monday.pk))
    page.check("input[name=kind][value=swap]")
    page.select_option("#id_counterpart_shift", str(tuesday.pk))
    page.fill("#id_note", "dentist on Monday")
    page.click("#offer button[type=submit]")
    page.wait_for_selector(".msg-success")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / "operator-swap-offered.png"), full_page=True)

    colleague = _page(browser, live_server, org.op_a2.user, phone=True)
    colleague.goto(f"{live_server.url}/me/swaps/")
    colleague.wait_for_selector("text=dentist on Monday")
    colleague.click("ul.requests button:has-text('Accept')")
    colleague.wait_for_selector(".msg-success")

    manager = _page(browser, live_server, org.manager_a)
    manager.goto(f"{live_server.url}/manager/approvals/")
    manager.fill("form.decision input[name=reason]", "covered")
    manager.screenshot(path=str(SHOTS / "manager-approvals.png"), full_page=True)
    manager.click("form.decision button:has-text('Approve')")
    manager.wait_for_selector(".msg-success")
    _no_horizontal_overflow(manager)
    swap = ShiftSwap.objects.get()
    assert (swap.status, swap.decision_reason) == ("approved", "covered")
    now_monday = swap.applied_roster.shifts.get(origin=monday.pk)
    assert now_monday.employee_id == org.op_a2.pk


def test_operator_asks_for_a_missing_clock_out_inline_and_a_manager_approves(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    shift = past_shift(employee=org.op_a1)
    punch_make(employee=org.op_a1, kind="in", at=shift.start)
    page = _page(browser, live_server, org.op_a1.user, phone=True)
    page.goto(f"{live_server.url}/me/timesheet/")
    page.click("a:has-text('Ask for a correction')")
    page.wait_for_selector("tr.correction-row #id_add-reason")  # opened below the row, by htmx
    assert page.input_value("#id_add-time") == "17:00"
    page.fill("#id_add-time", "17:10")
    page.fill("#id_add-reason", "Forgot to clock out after the meeting")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / "operator-correction-form.png"), full_page=True)
    page.click("tr.correction-row form:has(input[value=add]) button[type=submit]")
    page.wait_for_selector(".msg-success")
    page.wait_for_selector("#corrections .status-pending")
    _no_horizontal_overflow(page)

    manager = _page(browser, live_server, org.manager_a)
    manager.goto(f"{live_server.url}/manager/approvals/")
    row = "#corrections form.decision"
    manager.click(f"{row} button:has-text('Reject')")
    manager.wait_for_selector(f"{row} .field-error")
    manager.screenshot(path=str(SHOTS / "manager-correction-approvals.png"), full_page=True)
    manager.click(f"{row} button:has-text('Approve')")
    manager.wait_for_selector(".msg-success")
    request = CorrectionRequest.objects.get()
    assert request.status == "approved"
    assert request.correction is not None
    assert request.occurred_at == shift.end + timedelta(minutes=10)
