"""Browser tests of issue 24 (training, product side): a manager builds a programme (a session
refused beside its length first), enrols a trainee and is refused the sign-off with the hours
reached; the operator marks a self-study module done; English and Dutch (nl-NL context) at
1366 and 390 px, screenshots in var/screenshots/."""

from datetime import date
from typing import Any

import pytest

from organisation.models import Proficiency
from organisation.services.proficiency import proficiency_set
from scheduling.models import ClassroomSession, Enrolment, ModuleCompletion, TrainingProgramme
from scheduling.services.training import module_save, programme_create
from scheduling.services.training_progress import enrolment_create
from tests.conftest import Org
from tests.factories import queue_make
from tests.web.test_browser import browser
from tests.web.test_browser_planning import page_for, shoot, shoot_both

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name


def _queue(org: Org) -> Any:
    queue = queue_make(site=org.amsterdam, name="Retail NL")
    proficiency_set(
        employee=org.op_a2,
        queue=queue,
        level=Proficiency.MENTOR,
        reached_on=date(2025, 1, 1),
        by=None,
    )
    return queue


def test_a_manager_builds_a_programme_and_enrols_a_trainee(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    queue = _queue(org)
    page = page_for(browser, live_server, org.manager_a)
    page.goto(f"{live_server.url}/manager/")
    page.click("nav a:has-text('Training')")
    page.wait_for_selector("text=New programme")
    page.fill("#id_name", "Retail basics")
    page.select_option("#id_queue", str(queue.pk))
    page.fill("#id_required_supervised_hours", "40")
    page.click("button:has-text('Create the programme')")
    page.wait_for_selector(".msg-success")
    page.click("a:has-text('Retail basics')")
    page.wait_for_selector("text=Classroom sessions")
    page.fill("#id_topic", "Products and tariffs")
    page.fill("#id_length_minutes", "600")
    page.fill("#id_day", "2026-03-24")
    page.fill("#id_window_from", "09:00")
    page.fill("#id_window_to", "17:00")
    page.select_option("#id_trainer", str(org.op_a2.pk))
    page.click("button:has-text('Add the session')")
    page.wait_for_selector("#id_length_minutes_error:has-text('longer than the window')")
    assert page.get_attribute("#id_length_minutes", "aria-describedby") == "id_length_minutes_error"
    shoot(page, "training-session-refused-en-1366")
    assert not ClassroomSession.objects.exists()
    page.fill("#id_length_minutes", "120")
    page.click("button:has-text('Add the session')")
    page.wait_for_selector("#sessions td:has-text('Products and tariffs')")
    page.fill("#id_title", "Tone of voice")
    page.fill("#id_expected_minutes", "25")
    page.click("button:has-text('Add the module')")
    page.wait_for_selector("#modules li:has-text('Tone of voice')")
    page.select_option("#id_employee", str(org.op_a1.pk))
    page.click("button:has-text('Enrol')")
    page.wait_for_selector(f"#trainees a:has-text('{org.op_a1.full_name}')")
    shoot(page, "training-programme-en-1366")
    page.click(f"#trainees a:has-text('{org.op_a1.full_name}')")
    page.click("#sign-off")
    page.wait_for_selector(".msg-error:has-text('0.0 of 40.0 hours reached')")
    shoot(page, "training-sign-off-refused-en-1366")
    assert Enrolment.objects.get().status == "active"
    programme = TrainingProgramme.objects.get()
    enrolment = Enrolment.objects.get()
    phone = page_for(browser, live_server, org.manager_a, phone=True)
    phone.goto(f"{live_server.url}/manager/training/{programme.pk}/")
    shoot(phone, "training-programme-en-390")
    phone.goto(f"{live_server.url}/manager/training/")
    shoot(phone, "training-en-390")
    shoot_both(browser, live_server, org.manager_a, "/manager/training/", "training")
    shoot_both(
        browser,
        live_server,
        org.manager_a,
        f"/manager/training/{programme.pk}/",
        "training-programme",
    )
    shoot_both(
        browser,
        live_server,
        org.manager_a,
        f"/manager/training/enrolments/{enrolment.pk}/",
        "training-enrolment",
    )
    shoot_both(
        browser, live_server, org.manager_a, "/manager/training/proficiency/", "training-levels"
    )


def test_a_dutch_trainee_marks_a_module_done(
    transactional_db: None, org: Org, live_server: Any, browser: Any
) -> None:
    queue = _queue(org)
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Retail basis")
    module_save(
        programme=programme, by=None, title="Toon en stem", kind="video", expected_minutes=25
    )
    enrolment_create(programme=programme, employee=org.op_a1, by=None)
    page = page_for(browser, live_server, org.op_a1.user, phone=True, language="nl")
    page.goto(f"{live_server.url}/me/training/")
    page.wait_for_selector("h1:has-text('Mijn training')")
    page.fill("input[name=minutes]", "40")
    page.click("button:has-text('Klaar')")
    page.wait_for_selector(".msg-success:has-text('Als afgerond gemarkeerd.')")
    page.wait_for_selector(".badge:has-text('afgerond')")
    shoot(page, "my-training-nl-390")
    assert ModuleCompletion.objects.get().minutes == 40
    desktop = page_for(browser, live_server, org.op_a1.user, language="nl")
    desktop.goto(f"{live_server.url}/me/training/")
    shoot(desktop, "my-training-nl-1366")
    english = page_for(browser, live_server, org.op_a1.user, phone=True)
    english.goto(f"{live_server.url}/me/training/")
    english.wait_for_selector("text=Self-study modules")
    shoot(english, "my-training-en-390")
