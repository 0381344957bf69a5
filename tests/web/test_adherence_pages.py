"""Adherence pages (issue 26, item 4): the manager's report per team and period with its CSV
download and the ACD import; the operator's own adherence on /me/; in a browser in English
and Dutch at 1366 and 390 px (screenshots under var/screenshots/adherence-*.png)."""

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scheduling.models import Roster, Shift, ShiftBreak
from scheduling.selectors.rosters import scope_key
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.punches import punch_make
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser
from timeclock.models import AcdInterval, AgentState

__all__ = ["browser"]  # the fixture, used by name
AMS = ZoneInfo("Europe/Amsterdam")


def _yesterday() -> date:
    return timezone.now().astimezone(AMS).date() - timedelta(days=1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


def adherence_scene(org: Org) -> date:
    """Yesterday: op_a1 on the ACD, 10 minutes late and a break 15 minutes late; op_a2
    without a feed, clocked 09:00-16:30 for a 09:00-17:00 shift."""
    day = _yesterday()
    team = org.team_a
    roster = Roster.objects.create(
        site=org.amsterdam,
        team=team,
        scope_key=scope_key(site=org.amsterdam, team=team),
        start_date=day,
        days=1,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    for person in (org.op_a1, org.op_a2):
        shift = Shift.objects.create(
            roster=roster,
            employee=person,
            start=_at(day, 9),
            end=_at(day, 17),
            local_date=day,
            state=Roster.Status.PUBLISHED,
        )
        ShiftBreak.objects.create(shift=shift, start=_at(day, 12), end=_at(day, 12, 30))
    for state, start, end in [
        ("available", _at(day, 9, 10), None),
        ("break", _at(day, 12, 15), _at(day, 12, 45)),
        ("on_call", _at(day, 12, 45), None),
        ("logged_out", _at(day, 17), None),
    ]:
        AgentState.objects.create(
            event_id=uuid.uuid4(),
            body_sha256="x",
            employee=org.op_a1,
            state=state,
            started_at=start,
            ended_at=end,
            source="feed",
            ingest_id=uuid.uuid4(),
            received_at=start,
        )
    punch_make(employee=org.op_a2, kind="in", at=_at(day, 9))
    punch_make(employee=org.op_a2, kind="out", at=_at(day, 16, 30))
    return day


@pytest.mark.django_db
def test_the_report_lists_each_operator_and_the_team_and_downloads_as_csv(
    org: Org, login: Any
) -> None:
    day = adherence_scene(org)
    client = login(org.manager_a)
    query = f"?team={org.team_a.pk}&first={day}&last={day}"
    page = client.get(f"/manager/adherence/{query}")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (org.op_a1.number, org.op_a2.number, "Phone system", "Punches", "91.7 %"):
        assert expected in text, expected
    csv = client.get(f"/manager/adherence/{query}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("employee_number,employee_name,team,source,scheduled_minutes")
    a1 = next(line for line in lines if line.startswith(org.op_a1.number))
    # 480 scheduled; 10 late, 15 on the phone in the break, 15 on break after it: 440
    # adherent; 440 of the 450 working minutes worked; three events.
    assert ",acd,480,440,91.7,450,440,97.8,3" in a1
    assert lines[-1].split(",")[1] == "TOTAL"


@pytest.mark.django_db
def test_operators_see_their_own_adherence_and_not_the_report(org: Org, login: Any) -> None:
    adherence_scene(org)
    client = login(org.op_a1.user)
    page = client.get("/me/adherence/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "91.7 %" in text
    assert "Not logged in" in text  # the late start, listed as an event
    assert client.get("/manager/adherence/").status_code == 403


@pytest.mark.django_db
def test_the_acd_export_is_imported_from_the_page_with_a_result_per_line(
    org: Org, login: Any
) -> None:
    queue_make(site=org.amsterdam, name="Sales")
    client = login(org.manager_a, language="nl")
    content = (
        "Interval Start,Offered,ACD Calls,Aband Calls,Avg Speed Ans,Avg Handle Time,"
        "% In Serv Levl\n"
        "2026-03-10T09:00:00+01:00,40,36,4,12,240,80\n"
        "2026-03-10T09:30:00,40,36,4,12,240,80\n"
    )
    queue = org.amsterdam.queues.get(name="Sales")
    response = client.post(
        "/manager/adherence/import/",
        {
            "team": str(org.team_a.pk),
            "queue": str(queue.pk),
            "interval_minutes": "30",
            "file": SimpleUploadedFile("cms.csv", content.encode(), "text/csv"),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "1 interval opgeslagen, 0 waren er al, 1 geweigerd." in text
    assert "Regel 3:" in text
    assert AcdInterval.objects.filter(queue=queue).count() == 1


TEXTS = {
    "en": ("Adherence", "Conformance", "Out of adherence", "Download CSV"),
    "nl": ("Roosterdiscipline", "Conformiteit", "Afwijkingen van het rooster", "CSV downloaden"),
}
MY_TEXTS = {"en": ("My adherence", "Day by day"), "nl": ("Mijn roosterdiscipline", "Per dag")}


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


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("phone", [False, True], ids=["1366", "390"])
def test_adherence_pages_read_at_both_widths_in_both_languages(
    transactional_db: None, org: Org, live_server: Any, browser: Any, language: str, phone: bool
) -> None:
    day = adherence_scene(org)
    width = "390" if phone else "1366"
    page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
    page.goto(f"{live_server.url}/manager/adherence/?team={org.team_a.pk}&first={day}&last={day}")
    text = page.inner_text("main")
    for expected in TEXTS[language]:
        assert expected in text, expected
    assert "91,7 %" in text if language == "nl" else "91.7 %" in text
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"adherence-{language}-{width}.png"), full_page=True)
    page = _open(browser, live_server, org.op_a1.user, language=language, phone=phone)
    page.goto(f"{live_server.url}/me/adherence/")
    text = page.inner_text("main")
    for expected in MY_TEXTS[language]:
        assert expected in text, expected
    # The period choice: yesterday alone, from the form.
    period = page.locator("form[data-testid=my-period]")
    period.locator("#id_first").fill(day.isoformat())
    period.locator("#id_last").fill(day.isoformat())
    with page.expect_navigation():
        period.locator("button[type=submit]").click()
    assert f"first={day}" in page.url
    assert f"last={day}" in page.url
    assert period.locator("#id_first").input_value() == day.isoformat()
    assert page.inner_text("[data-testid=my-adherence]") == (
        "91,7 %" if language == "nl" else "91.7 %"
    )
    assert page.locator("[data-testid=my-days] tr").count() == 1
    box = period.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= (390 if phone else 1366)
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"my-adherence-{language}-{width}.png"), full_page=True)


@pytest.mark.django_db
def test_the_site_threshold_is_set_from_the_page_and_changes_the_events(
    org: Org, login: Any
) -> None:
    day = adherence_scene(org)
    client = login(org.manager_a)
    query = f"?team={org.team_a.pk}&first={day}&last={day}"
    before = client.get(f"/manager/adherence/{query}&format=csv").content.decode()
    assert before.splitlines()[-1].split(",")[10] == "5"  # three of op_a1, two of op_a2
    client.post("/manager/adherence/threshold/", {"team": str(org.team_a.pk), "minutes": "20"})
    after = client.get(f"/manager/adherence/{query}&format=csv").content.decode()
    assert after.splitlines()[-1].split(",")[10] == "2"  # op_a2's 30-minute events only
    refused = client.post(
        "/manager/adherence/threshold/", {"team": str(org.team_a.pk), "minutes": "0"}, follow=True
    )
    assert "1 to 120 minutes" in refused.content.decode()
    other = login(org.manager_b)
    other.post("/manager/adherence/threshold/", {"team": str(org.team_a.pk), "minutes": "1"})
    assert org.amsterdam.clock_policy.adherence_threshold_minutes == 20
