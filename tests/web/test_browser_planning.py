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


BAD_FILE = b"interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:30,ten\n2026-03-02 09:00,-4\n"


def test_history_upload_is_previewed_with_its_bad_rows_then_imported(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    from scheduling.models import CallVolume
    from tests.factories.history import history_csv, site_today

    queue = queue_make(site=org.amsterdam, name="Retail")
    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/planning/")
    page.click("[data-testid=queues] a:has-text('Retail')")
    page.set_input_files(
        "#id_history-file", {"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD_FILE}
    )
    page.click("button:has-text('Preview')")
    page.wait_for_selector("[data-testid=bad-rows]")
    assert "Line 3" in page.inner_text("[data-testid=bad-rows]")
    assert page.inner_text("#id_history-file_error")  # the message beside the field
    shoot(page, "planning-history-bad-rows-en-1366")
    good = history_csv(last_day=site_today(queue) - timedelta(days=1), weeks=4)
    page.set_input_files(
        "#id_history-file", {"name": "good.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.click("button:has-text('Preview')")
    page.wait_for_selector("text=Ready to import")
    assert page.inner_text("[data-testid=layout]") == "Interval counts"
    assert not CallVolume.objects.exists()  # a preview writes nothing
    page.click("button:has-text('Import')")
    page.wait_for_selector(".msg-success")
    page.wait_for_selector("text=Calls per week")
    assert CallVolume.objects.filter(queue=queue).count() == 28 * 24
    shoot(page, "planning-queue-en-1366")
    url = f"/manager/planning/queues/{queue.pk}/"
    shoot_both(browser, live_server, org.manager_a, url, "planning-queue")
    shoot_both(browser, live_server, org.manager_a, "/manager/planning/", "planning-queues")


def test_staffing_what_if_is_compared_then_applied(
    transactional_db: None, org: Org, planned: Queue, live_server: Any, browser: Any
) -> None:
    from scheduling.services.forecasting import forecast_build

    monday = next_monday(planned)
    forecast_build(queue=planned, start=monday, days=7, interval_minutes=30)
    before = sum(StaffingRequirement.objects.values_list("scheduled_agents", flat=True))
    page = page_for(browser, live_server, org.manager_a, phone=True, language="nl")
    page.goto(f"{live_server.url}/manager/planning/staffing/?queue={planned.pk}&start={monday}")
    page.fill("#id_whatif-shrinkage_percent", "200")
    page.click("#what-if button[type=submit]")
    page.wait_for_selector("#id_whatif-shrinkage_percent_error")
    shoot(page, "planning-whatif-error-nl-390")
    page.fill("#id_whatif-shrinkage_percent", "45")
    page.fill("#id_whatif-volume_factor", "1.2")
    page.click("#what-if button[type=submit]")
    page.wait_for_selector("[data-testid=whatif-hours]")
    assert page.locator("th.whatif").count() == 5
    shoot(page, "planning-whatif-nl-390")
    assert sum(StaffingRequirement.objects.values_list("scheduled_agents", flat=True)) == before
    page.check("input[name=apply_to][value=range]")
    page.click("form.apply button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert sum(StaffingRequirement.objects.values_list("scheduled_agents", flat=True)) > before
    desktop = page_for(browser, live_server, org.manager_a)
    query = f"queue={planned.pk}&start={monday}&whatif-service_level_percent=90"
    fields = "&whatif-service_level_seconds=20&whatif-volume_factor=1&whatif-shrinkage_percent=30"
    desktop.goto(
        f"{live_server.url}/manager/planning/staffing/?{query}{fields}&whatif-max_occupancy_percent=85"
    )
    desktop.wait_for_selector("[data-testid=whatif-hours]")
    shoot(desktop, "planning-whatif-en-1366")


def test_shift_template_is_made_with_a_break_then_retired(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    from scheduling.models import ShiftTemplate

    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/setup/")
    page.click("a.button:has-text('New shift template')")
    page.fill("#id_name", "Early")
    page.fill("#id_earliest_start", "07:00")
    page.fill("#id_latest_start", "09:00")
    page.fill("#id_start_step_minutes", "30")
    page.fill("#id_lengths", "8:00, 6:00")
    page.fill("#id_break1_length", "0:30")
    page.fill("#id_break1_earliest", "3:00")
    page.fill("#id_break1_latest", "5:45")  # ends past the 6-hour length
    page.click("button:has-text('Save the shift template')")
    page.wait_for_selector("#id_break1_latest_error")
    assert page.get_attribute("#id_break1_latest", "aria-describedby") == "id_break1_latest_error"
    shoot(page, "setup-template-error-en-1366")
    assert not ShiftTemplate.objects.exists()
    page.fill("#id_break1_latest", "5:00")
    page.click("button:has-text('Save the shift template')")
    page.wait_for_selector(".msg-success")
    shoot(page, "setup-templates-en-1366")
    page.click("[data-testid=templates] button:has-text('Retire')")
    page.wait_for_selector("text=Retired")
    assert not ShiftTemplate.objects.get().is_active
    template = ShiftTemplate.objects.get()
    shoot_both(browser, live_server, org.manager_a, "/manager/setup/", "setup-templates")
    url = f"/manager/setup/templates/{template.pk}/"
    shoot_both(browser, live_server, org.manager_a, url, "setup-template")


def test_people_contract_pin_and_availability_then_an_operators_own(
    transactional_db: None, org: Org, planned: Queue, live_server: Any, browser: Any
) -> None:
    from scheduling.models import AvailabilityBlock
    from scheduling.services.availability import NOTICE_DAYS
    from tests.factories.history import site_today

    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/setup/people/")
    page.click(f"[data-testid=people] a:has-text('{org.op_a1.full_name}')")
    page.fill("#id_min_weekly_hours", "45")
    page.click("form[action$='/'] button.primary:has-text('Save')")
    page.wait_for_selector("#id_min_weekly_hours_error")
    shoot(page, "setup-person-error-en-1366")
    page.fill("#id_min_weekly_hours", "24")
    page.fill("#id_badge_id", "4711")
    page.click("form[action$='/'] button.primary:has-text('Save')")
    page.wait_for_selector(".msg-success")
    page.click("button:has-text('Make a new PIN')")
    page.wait_for_selector("[data-testid=new-pin]")
    assert len(page.inner_text("[data-testid=new-pin] .secret")) == 6
    monday = next_monday(planned)
    page.fill("#id_availability-first_day", monday.isoformat())
    page.fill("#id_availability-last_day", (monday + timedelta(days=13)).isoformat())
    page.check("input[name=availability-weekdays][value='2']")
    page.fill("#id_availability-start_time", "18:00")
    page.fill("#id_availability-end_time", "22:00")
    page.click("#availability button:has-text('Add')")
    page.wait_for_selector(".msg-success")
    assert AvailabilityBlock.objects.filter(employee=org.op_a1).count() == 2
    shoot(page, "setup-person-en-1366")
    url = f"/manager/setup/people/{org.op_a1.pk}/"
    shoot_both(browser, live_server, org.manager_a, url, "setup-person")
    shoot_both(browser, live_server, org.manager_a, "/manager/setup/people/", "setup-people")

    phone = page_for(browser, live_server, org.op_a2.user, phone=True, language="nl")
    phone.goto(f"{live_server.url}/me/availability/")
    deadline = site_today(org.team_a) + timedelta(days=NOTICE_DAYS)
    assert phone.input_value("#id_first_day") == deadline.isoformat()
    phone.fill("#id_first_day", (deadline - timedelta(days=2)).isoformat())
    phone.fill("#id_last_day", deadline.isoformat())
    phone.click("main button.primary")
    phone.wait_for_selector("#id_first_day_error")
    shoot(phone, "operator-availability-error-nl-390")
    phone.fill("#id_first_day", deadline.isoformat())
    phone.select_option("#id_kind", "prefer_off")
    phone.click("main button.primary")
    phone.wait_for_selector(".msg-success")
    assert AvailabilityBlock.objects.filter(employee=org.op_a2, kind="prefer_off").count() == 1
    shoot(phone, "operator-availability-nl-390")
    desktop = page_for(browser, live_server, org.op_a2.user)
    desktop.goto(f"{live_server.url}/me/availability/")
    shoot(desktop, "operator-availability-en-1366")


def test_devices_are_registered_shown_once_rotated_and_revoked(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    from timeclock.models import Device

    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/setup/devices/")
    page.fill("#id_name", "Entrance")
    page.check("#id_is_kiosk")
    page.click("button:has-text('Register')")
    page.wait_for_selector("[data-testid=device-token]")
    token = page.inner_text("[data-testid=device-token]")
    shoot(page, "setup-device-token-en-1366")
    page.goto(f"{live_server.url}/manager/setup/devices/")
    assert token not in page.content()
    page.fill("#id_name", "Entrance")
    page.click("button:has-text('Register')")
    page.wait_for_selector("#id_name_error")
    assert Device.objects.count() == 1
    shoot(page, "setup-device-twice-en-1366")
    page.click("[data-testid=devices] button:has-text('Rotate')")
    page.wait_for_selector("[data-testid=device-token]")
    assert page.inner_text("[data-testid=device-token]") != token
    page.click("[data-testid=devices] button:has-text('Revoke')")
    page.wait_for_selector(".msg-success")
    assert Device.objects.get().revoked_at is not None
    shoot_both(browser, live_server, org.manager_a, "/manager/setup/devices/", "setup-devices")


def test_payroll_changes_a_pay_policy_from_the_next_period(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    from timeclock.models import PayPolicy
    from timeclock.services.periods import period_create

    monday = next_monday(queue_make(site=org.amsterdam, name="Retail"))
    period_create(site=org.amsterdam, start_date=monday, end_date=monday + timedelta(days=6))
    page = page_for(browser, live_server, org.payroll)
    page.goto(f"{live_server.url}/payroll/policies/")
    page.click('a:has-text("Change the site\'s policy")')
    assert page.input_value("#id_effective_from") == (monday + timedelta(days=7)).isoformat()
    page.fill("#id_effective_from", monday.isoformat())
    page.fill("#id_night_end", "22:00")
    page.click("button:has-text('Save the change')")
    page.wait_for_selector("#id_effective_from_error")
    page.wait_for_selector("#id_night_end_error")
    shoot(page, "payroll-policy-error-en-1366")
    assert not PayPolicy.objects.exists()
    page.fill("#id_effective_from", (monday + timedelta(days=7)).isoformat())
    page.fill("#id_night_end", "06:00")
    page.fill("#id_weekly_overtime_hours", "38")
    page.click("button:has-text('Save the change')")
    page.wait_for_selector(".msg-success")
    assert PayPolicy.objects.get().effective_from == monday + timedelta(days=7)
    shoot(page, "payroll-policies-en-1366")
    shoot_both(browser, live_server, org.payroll, "/payroll/policies/", "payroll-policies")
    url = f"/payroll/policies/change/?site={org.amsterdam.pk}"
    shoot_both(browser, live_server, org.payroll, url, "payroll-policy")
