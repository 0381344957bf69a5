"""Browser check of the issue 25 review fixes, in Dutch at 390 px (and 1366 px): a refused
conversation day and receipt day say why beside the field, the points history and the pack in
Dutch, the codes page keeps what was typed after a refusal and names pay codes by their labels,
and the policy page of a US site without a state says the federal rules apply."""

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Org
from tests.factories.punches import local_today
from tests.timeclock.test_points_cases import absences
from tests.web.test_browser import browser
from tests.web.test_browser_planning import page_for, shoot
from timeclock.models import EarningsCode, FineAcknowledgement, PointsCase
from timeclock.services.points_cases import points_cases_open

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name


def test_the_attendance_pages_say_why_a_day_is_refused_in_dutch_on_a_phone(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    today = local_today(org.op_a1)
    absences(org)
    (case,) = points_cases_open(team=org.team_a)
    case.events = [*case.events[:2], {**case.events[2], "kind": "late", "points": "0.5"}]
    case.save(update_fields=["events"])
    page = page_for(browser, live_server, org.manager_a, phone=True, language="nl")
    page.goto(f"{live_server.url}/manager/attendance/cases/{case.pk}/")
    page.wait_for_selector("text=Puntengeschiedenis")
    assert page.locator("td.num:has-text('0,5')").count() == 1
    page.select_option("#id_decision", "warning_given")
    page.fill("#id_conversation_on", (today + timedelta(days=1)).isoformat())
    page.click("button:has-text('Beslissing vastleggen')")
    page.wait_for_selector("#id_conversation_on_error:has-text('moet nog komen')")
    assert "Ongeldige invoer" not in page.inner_text("main")
    shoot(page, "review-fix-case-day-nl-390")
    assert PointsCase.objects.get().decision == ""
    page.goto(f"{live_server.url}/manager/attendance/fine-rules/")
    assert page.locator("td:has-text('Nederland: Burgerlijk Wetboek')").count() >= 1
    page.select_option("#id_employee", str(org.op_a2.pk))
    page.fill("#id_received_on", (today + timedelta(days=2)).isoformat())
    page.fill("#id_document", "Personeelsreglement 2026")
    page.click("button:has-text('Vastleggen')")
    page.wait_for_selector("#id_received_on_error:has-text('De dag van ontvangst moet nog komen.')")
    shoot(page, "review-fix-fine-rules-day-nl-390")
    assert not FineAcknowledgement.objects.exists()


def test_the_codes_page_keeps_the_typed_codes_after_a_refusal_in_dutch(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    for phone in (True, False):
        page = page_for(browser, live_server, org.payroll, phone=phone, language="nl")
        page.goto(f"{live_server.url}/payroll/codes/?site={org.amsterdam.pk}")
        page.wait_for_selector("td:has-text('Nachttoeslag')")
        page.fill("#id_adp_company_code", "W7X")
        page.fill("#id_datev_client_number", "12ab")
        page.fill("input[name='adp:NIGHT_PREMIUM']", "NGT")
        page.click("[data-testid=save-codes]")
        page.wait_for_selector("#err_datev_client_number")
        assert page.input_value("input[name='adp:NIGHT_PREMIUM']") == "NGT"
        assert page.input_value("#id_adp_company_code") == "W7X"
        assert page.input_value("#id_datev_client_number") == "12ab"
        assert "NIGHT_PREMIUM" not in page.inner_text("main")
        shoot(page, f"review-fix-codes-refused-nl-{'390' if phone else '1366'}")
    assert not EarningsCode.objects.exists()


def test_the_policy_page_of_a_us_site_without_a_state_says_federal_in_dutch(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    page = page_for(browser, live_server, org.payroll, phone=True, language="nl")
    page.goto(f"{live_server.url}/payroll/policies/change/?site={org.new_york.pk}")
    page.wait_for_selector("#pack:has-text('Verenigde Staten, federaal')")
    assert "geen staat ingesteld" in page.inner_text("[data-testid=pack-no-state]")
    shoot(page, "review-fix-policy-us-no-state-nl-390")
