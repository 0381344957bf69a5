"""Browser tests of the planning cycle (issue 21): Playwright driving the Debian Chromium
against a live server, one test per flow, each saving screenshots to var/screenshots/ at
1366 and 390 px, in English and Dutch."""

from datetime import time, timedelta
from typing import Any

import pytest

from organisation.jobs import jobs_background_join
from organisation.models import Queue
from scheduling.models import ForecastOverride, Roster, StaffingRequirement
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.history import history_make, next_monday
from tests.factories.rosters import template_make
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def page_for(
    browser: Any, live_server: Any, user: Any, *, phone: bool = False, language: str = "en"
) -> Any:
    """A logged-in page at 1366 px (or 390 px), its browser asking for `language`."""
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(
        viewport=VIEWPORTS["phone" if phone else "desktop"],
        locale="nl-NL" if language == "nl" else "en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


def shoot(page: Any, name: str) -> None:
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def shoot_both(
    browser: Any, live_server: Any, user: Any, url: str, name: str, wait: str = "main"
) -> None:
    """The page in Dutch at 1366 px and at 390 px (the flow itself ran in English)."""
    for phone in (False, True):
        page = page_for(browser, live_server, user, phone=phone, language="nl")
        page.goto(f"{live_server.url}{url}")
        page.wait_for_selector(wait)
        assert page.get_attribute("html", "lang") == "nl"
        shoot(page, f"{name}-nl-{'390' if phone else '1366'}")
        page.context.close()


@pytest.fixture
def planned(org: Org) -> Queue:
    """A queue of team A's site with eight weeks of history, people skilled for it and a
    shift template: what `make demo` leaves before anyone forecasts next week."""
    queue = queue_make(site=org.amsterdam, name="Retail")
    history_make(queue, per_interval=8)
    for person in (org.op_a1, org.op_a2):
        person.queues.add(queue)
    template_make(site=org.amsterdam, earliest_start=time(8), latest_start=time(12))
    return queue


def test_first_run_forecast_staffing_then_a_roster_from_the_pages(
    transactional_db: None, org: Org, planned: Queue, live_server: Any, browser: Any, settings: Any
) -> None:
    settings.WFM_JOBS_IN_BACKGROUND = True
    monday = next_monday(planned)
    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/")
    page.wait_for_selector("#day-picker")
    shoot(page, "planning-dashboard-empty-en-1366")
    page.click("a:has-text('Forecast your queues')")
    page.wait_for_selector("#id_scope")
    assert page.input_value("#id_start") == monday.isoformat()
    page.select_option("#id_interval_minutes", "30")
    shoot(page, "planning-forecast-form-en-1366")
    page.click("button:has-text('Start the forecast')")
    page.wait_for_selector("#job-progress")
    # One queue: when its job ends, the page opens the result by itself.
    page.wait_for_selector("[data-testid=forecast-chart]", timeout=60_000)
    jobs_background_join()
    assert page.locator("[data-testid=wape] tr").count() >= 3
    shoot(page, "planning-forecast-result-en-1366")
    page.click("a.button:has-text('Staffing')")
    page.wait_for_selector("[data-testid=staffing-intervals]")
    assert page.locator("[data-testid=staffing-days] tbody tr").count() == 7
    shoot(page, "planning-staffing-en-1366")
    assert StaffingRequirement.objects.filter(queue=planned).count() == 7 * 48

    page.goto(f"{live_server.url}/manager/rosters/")
    page.select_option("#id_team", str(org.team_a.pk))
    page.fill("#id_start", monday.isoformat())
    page.fill("#id_time_limit_seconds", "3")
    page.click("button:has-text('Start the solver')")
    page.wait_for_selector("#job-progress")
    page.wait_for_url("**/manager/rosters/*/", timeout=60_000)
    jobs_background_join()
    assert Roster.objects.filter(team=org.team_a, start_date=monday).exists()
    shoot(page, "planning-first-roster-en-1366")

    result = f"/manager/planning/queues/{planned.pk}/forecast/"
    forecast = "/manager/planning/forecast/"
    shoot_both(browser, live_server, org.manager_a, forecast, "planning-forecast-form")
    shoot_both(browser, live_server, org.manager_a, result, "planning-forecast-result")
    week = f"start={monday}&end={monday + timedelta(days=6)}"
    staffing = f"/manager/planning/staffing/?queue={planned.pk}&{week}"
    shoot_both(browser, live_server, org.manager_a, staffing, "planning-staffing")
    phone = page_for(browser, live_server, org.manager_a, phone=True)
    phone.goto(f"{live_server.url}{result}")
    shoot(phone, "planning-forecast-result-en-390")


def test_overrides_are_added_edited_and_removed_on_the_forecast_page(
    transactional_db: None, org: Org, planned: Queue, live_server: Any, browser: Any
) -> None:
    from scheduling.services.forecasting import forecast_build

    monday = next_monday(planned)
    forecast_build(queue=planned, start=monday, days=7, interval_minutes=30)
    page = page_for(browser, live_server, org.manager_a, phone=True)
    page.goto(f"{live_server.url}/manager/planning/queues/{planned.pk}/forecast/")
    page.fill("#id_override-start_date", monday.isoformat())
    page.fill("#id_override-end_date", monday.isoformat())
    page.fill("#id_override-factor", "100")
    page.fill("#id_override-reason", "launch")
    page.click("button:has-text('Add the override')")
    page.wait_for_selector("#id_override-factor_error")
    assert page.get_attribute("#id_override-factor", "aria-invalid") == "true"
    shoot(page, "planning-override-error-en-390")
    page.fill("#id_override-factor", "1.4")
    page.click("button:has-text('Add the override')")
    page.wait_for_selector(".msg-success")
    assert page.locator("polyline.series-b").count() == 1  # shown on the chart
    page.click("[data-testid=overrides] a:has-text('Edit')")
    page.fill("#id_override-factor", "1.2")
    page.click("button:has-text('Save')")
    page.wait_for_selector(".msg-success")
    assert str(ForecastOverride.objects.get().factor) == "1.2000"
    shoot(page, "planning-overrides-en-390")
    page.click("[data-testid=overrides] button:has-text('Remove')")
    page.wait_for_selector(".msg-success")
    assert not ForecastOverride.objects.exists()
