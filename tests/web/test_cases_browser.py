"""Browser tests of issue 25 (packs and cases): a manager opens the attendance-points cases,
reads a case's history and records the decision (refused beside the field first), in English
and Dutch (nl-NL context) at 1366 and 390 px; payroll sees the New York pack refuse a
lateness fine on the policy page; the fine rules received are recorded on their page."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import Org
from tests.factories.punches import local_today, past_shift
from tests.web.test_browser import browser
from tests.web.test_browser_planning import page_for, shoot, shoot_both
from timeclock.models import FineAcknowledgement, PayPolicy, PointsCase
from timeclock.services.points_cases import points_cases_open

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name


def test_a_manager_decides_an_attendance_points_case(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    today = local_today(org.op_a1)
    for back in range(2, 5):
        past_shift(employee=org.op_a1, day=today - timedelta(days=back))
    (case,) = points_cases_open(team=org.team_a)
    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/attendance/")
    page.click("a:has-text('Attendance points cases')")
    page.wait_for_selector("text=Open cases")
    assert page.locator("tbody tr").first.inner_text().count("Warning") == 1
    shoot(page, "points-cases-en-1366")
    page.click("a:has-text('Open the case')")
    page.wait_for_selector("text=Points history")
    assert page.locator("td:has-text('Absent')").count() == 3
    page.select_option("#id_decision", "other")
    page.click("button:has-text('Record the decision')")
    page.wait_for_selector("#id_note_error")
    page.wait_for_selector("#id_conversation_on_error")
    shoot(page, "points-case-error-en-1366")
    assert PointsCase.objects.get().decision == ""
    page.select_option("#id_decision", "warning_given")
    page.fill("#id_conversation_on", today.isoformat())
    page.click("button:has-text('Record the decision')")
    page.wait_for_selector(".msg-success")
    assert page.locator("dd:has-text('Warning given')").count() == 1
    shoot(page, "points-case-decided-en-1366")
    case.refresh_from_db()
    assert case.decision == "warning_given"
    assert case.conversation_on == today
    phone = page_for(browser, live_server, org.manager_a, phone=True)
    phone.goto(f"{live_server.url}/manager/attendance/cases/{case.pk}/")
    shoot(phone, "points-case-en-390")
    shoot_both(browser, live_server, org.manager_a, "/manager/attendance/cases/", "points-cases")
    shoot_both(
        browser, live_server, org.manager_a, f"/manager/attendance/cases/{case.pk}/", "points-case"
    )


def test_a_dutch_manager_is_refused_beside_the_note_and_records_the_rules_received(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    today = local_today(org.op_a1)
    for back in range(2, 5):
        past_shift(employee=org.op_a1, day=today - timedelta(days=back))
    (case,) = points_cases_open(team=org.team_a)
    page = page_for(browser, live_server, org.manager_a, phone=True, language="nl")
    page.goto(f"{live_server.url}/manager/attendance/cases/{case.pk}/")
    page.wait_for_selector("text=Puntengeschiedenis")
    page.select_option("#id_decision", "other")
    page.fill("#id_conversation_on", today.isoformat())
    page.click("button:has-text('Beslissing vastleggen')")
    page.wait_for_selector("#id_note_error:has-text('Zeg wat er is besloten.')")
    shoot(page, "points-case-error-nl-390")
    page.goto(f"{live_server.url}/manager/attendance/fine-rules/")
    page.select_option("#id_employee", str(org.op_a2.pk))
    page.fill("#id_received_on", (today - timedelta(days=1)).isoformat())
    page.fill("#id_document", "Personeelsreglement 2026")
    page.click("button:has-text('Vastleggen')")
    page.wait_for_selector(".msg-success")
    assert FineAcknowledgement.objects.get().employee == org.op_a2
    shoot(page, "fine-rules-nl-390")
    desktop = page_for(browser, live_server, org.manager_a, language="nl")
    desktop.goto(f"{live_server.url}/manager/attendance/fine-rules/")
    assert desktop.locator("td:has-text('Personeelsreglement 2026')").count() == 1
    shoot(desktop, "fine-rules-nl-1366")


def test_payroll_sees_new_york_refuse_a_lateness_fine_naming_the_law(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    org.new_york.us_state = "NY"
    org.new_york.save()
    url = f"/payroll/policies/change/?site={org.new_york.pk}"
    page = page_for(browser, live_server, org.payroll)
    page.goto(f"{live_server.url}{url}")
    page.wait_for_selector("#pack:has-text('New York State')")
    page.select_option("#id_lateness_mode", "per_minute")
    page.fill("#id_lateness_amount", "0.25")
    page.click("button:has-text('Save the change')")
    page.wait_for_selector("#id_lateness_mode_error:has-text('12 NYCRR 195-4.5(e)')")
    shoot(page, "policy-ny-refused-en-1366")
    assert not PayPolicy.objects.exists()
    for phone in (False, True):
        dutch = page_for(browser, live_server, org.payroll, phone=phone, language="nl")
        dutch.goto(f"{live_server.url}{url}")
        dutch.select_option("#id_lateness_mode", "per_minute")
        dutch.click("button:has-text('Wijziging opslaan')")
        dutch.wait_for_selector("#id_lateness_mode_error:has-text('De wet staat deze boete')")
        shoot(dutch, f"policy-ny-refused-nl-{'390' if phone else '1366'}")
    assert not PayPolicy.objects.exists()


def test_payroll_applies_the_contact_centre_preset_in_dutch(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    url = f"/payroll/policies/change/?site={org.amsterdam.pk}"
    for phone in (False, True):
        page = page_for(browser, live_server, org.payroll, phone=phone, language="nl")
        page.goto(f"{live_server.url}{url}")
        page.click("a:has-text('Voorinstelling toepassen')")
        page.wait_for_selector("#preset:has-text('Cao Facilitaire Contactcenters')")
        assert "kon de tijdvakken en percentages" in page.inner_text("#preset")
        page.click("button:has-text('Wijziging opslaan')")
        page.wait_for_selector("#id_saturday_premium_error")
        shoot(page, f"policy-preset-nl-{'390' if phone else '1366'}")
        # Test figures, not the agreement's (the product has none): every field the preset
        # left empty must be filled.
        page.fill("#id_night_start", "22:00")
        page.fill("#id_night_end", "06:00")
        page.fill("#id_night_premium", "40")
        page.fill("#id_holiday_premium", "100")
        page.fill("#id_evening_start", "20:00")
        page.fill("#id_evening_end", "22:00")
        page.fill("#id_evening_premium", "20")
        page.fill("#id_saturday_premium", "30")
        page.fill("#id_sunday_premium", "50")
        if not phone:
            page.click("button:has-text('Wijziging opslaan')")
            page.wait_for_selector(".msg-success")
    assert PayPolicy.objects.get().sunday_premium == Decimal("0.5")
