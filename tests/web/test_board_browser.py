"""The schedule board in a browser (Playwright driving the system's Chromium), in English and
Dutch, at 1366 and 390 px: every interaction, with screenshots under var/screenshots/."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduling.models import Roster, ShiftSwap
from scheduling.services.roster_publish import roster_publish
from scheduling.services.time_off import time_off_approve, time_off_request
from tests.conftest import Org
from tests.factories import employee_make, team_make
from tests.factories.rosters import RosterSetup, roster_setup
from tests.web.conftest import build
from tests.web.test_browser import PASSWORD, SHOTS, _no_horizontal_overflow, browser

pytestmark = [pytest.mark.browser]
__all__ = ["browser"]  # the fixture, used by name
ZONE = ZoneInfo("Europe/Amsterdam")

WORDS = {
    "en": {
        "save": "Save",
        "reassign": "Reassign",
        "undo": "Undo my last edit",
        "add": "Add the shift",
    },
    "nl": {
        "save": "Opslaan",
        "reassign": "Overdragen",
        "undo": "Mijn laatste wijziging ongedaan maken",
        "add": "Dienst toevoegen",
    },
}


def _open(browser: Any, live_server: Any, user: Any, *, language: str, phone: bool = False) -> Any:
    user.set_password(PASSWORD)
    user.save()
    viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    locale = "nl-NL" if language == "nl" else "en-GB"
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


@pytest.fixture
def board_roster(transactional_db: None, org: Org) -> tuple[RosterSetup, Roster]:
    setup = roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2], agents=3, extra=3)
    return setup, build(org, setup)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_board_shows_readable_blocks_and_opens_the_editor(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str, commits: None
) -> None:
    _setup, roster = board_roster
    for phone in (False, True):
        page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
        page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
        page.wait_for_selector("table.board a.block")
        _no_horizontal_overflow(page)
        size = "390" if phone else "1366"
        page.screenshot(path=str(SHOTS / f"board-{language}-{size}.png"), full_page=False)
        page.click("table.board a.block >> nth=0")
        page.wait_for_selector("#editor .editor-panel")
        page.screenshot(path=str(SHOTS / f"board-editor-{language}-{size}.png"))
        page.close()


def _block(page: Any, person: Any, nth: int = 0) -> Any:
    return page.locator(f"#row-{person.pk} a.block").nth(nth)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_edit_in_place_with_rules_override_undo_and_keyboard(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str, commits: None
) -> None:
    _setup, roster = board_roster
    words = WORDS[language]
    page = _open(browser, live_server, org.manager_a, language=language)
    page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
    before = _block(page, org.op_a1).inner_text()
    # Keyboard: focus the first block, open it with Enter, close with Escape (focus returns).
    _block(page, org.op_a1).focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.closest('td') !== null")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_selector("#editor .editor-panel")
    assert page.evaluate("document.activeElement.id") == "editor-title"
    page.keyboard.press("Escape")
    assert page.locator("#editor .editor-panel").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('block')")
    # A resize breaks the template's length: the rules are listed in place, in the language.
    _block(page, org.op_a1).click()
    page.wait_for_selector("#editor .editor-panel")
    page.click("#editor button[name=nudge][value='end:15']")
    page.wait_for_selector("#editor #violations")
    text = page.inner_text("#editor #violations")
    assert (
        "8 h 15 min is not a length of" if language == "en" else "8 u 15 min is geen lengte van"
    ) in text
    page.screenshot(path=str(SHOTS / f"board-violations-{language}-1366.png"))
    assert page.get_attribute("#id_override", "aria-describedby") == "id_override_error"
    page.check("#id_override")
    page.fill("#id_reason", "team event")
    page.click(f"#editor button.primary:has-text('{words['save']}')")
    page.wait_for_selector("#editor .editor-saved")
    page.wait_for_function(
        f"document.querySelector('#row-{org.op_a1.pk} a.block').innerText !== {before!r}"
    )
    page.screenshot(path=str(SHOTS / f"board-saved-{language}-1366.png"))
    # Undo puts the block back.
    page.click(f"#undo button:has-text('{words['undo']}')")
    page.wait_for_function(
        f"document.querySelector('#row-{org.op_a1.pk} a.block').innerText === {before!r}"
    )
    shifts = roster.shifts.filter(employee=org.op_a1).order_by("start")
    assert [s.end - s.start for s in shifts] == [timedelta(hours=8)] * len(shifts)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_move_by_date_input_add_reassign_break_pin_and_delete(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str, commits: None
) -> None:
    setup, roster = board_roster
    words = WORDS[language]
    page = _open(browser, live_server, org.manager_a, language=language)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
    saturday = setup.start + timedelta(days=5)
    # The date input keeps its ISO value in either language and submits.
    shift = roster.shifts.filter(employee=org.op_a2).order_by("start").first()
    _block(page, org.op_a2).click()
    page.wait_for_selector("#editor #id_day")
    assert page.input_value("#id_day") == shift.local_date.isoformat()
    page.fill("#id_day", saturday.isoformat())
    page.check("#id_override")
    page.fill("#id_reason", "swap of days")
    page.click(f"#editor button.primary:has-text('{words['save']}')")
    page.wait_for_selector("#editor .editor-saved")
    assert roster.shifts.filter(employee=org.op_a2, local_date=saturday).exists()
    page.keyboard.press("Escape")  # the confirmation closes; it would by itself after a while
    # Add a shift in an empty cell (op_a1's Saturday).
    page.click(f"#row-{org.op_a1.pk} td:nth-child(7) a.add")
    page.wait_for_selector("#editor #id_template")
    page.select_option("#id_template", str(setup.template.pk))
    page.click(f"#editor button.primary:has-text('{words['add']}')")
    page.wait_for_selector("#editor #violations, #editor .editor-saved")
    if page.locator("#editor #violations").count():
        page.check("#id_override")
        page.fill("#id_reason", "weekend cover")
        page.click(f"#editor button.primary:has-text('{words['add']}')")
        page.wait_for_selector("#editor .editor-saved")
    assert roster.shifts.filter(employee=org.op_a1, local_date=saturday).exists()
    page.screenshot(path=str(SHOTS / f"board-added-{language}-1366.png"))
    page.keyboard.press("Escape")
    # Reassign: candidates ranked, give the shift to the first.
    _block(page, org.op_a1).click()
    page.wait_for_selector("#editor .editor-actions")
    page.click(f"#editor .editor-actions a:has-text('{words['reassign']}')")
    page.wait_for_selector("#editor ol.candidates")
    page.screenshot(path=str(SHOTS / f"board-candidates-{language}-1366.png"))
    first = roster.shifts.filter(employee=org.op_a1).order_by("start").first()
    best = page.locator("#editor ol.candidates > li").first
    if best.locator("input[name=override]").count():  # everyone works five days already
        best.locator("input[name=override]").check()
        best.locator("input[name=reason]").fill("extra day")
    best.locator("button[type=submit]").click()
    page.wait_for_selector("#editor .editor-saved")
    assert not roster.shifts.filter(pk=first.pk, employee=org.op_a1).exists()
    page.keyboard.press("Escape")
    # Move a break, pin, delete.
    target = roster.shifts.filter(employee=org.op_a2).order_by("start").first()
    page.click(f"a.block[href^='/manager/shifts/{target.pk}/']")
    page.wait_for_selector("#editor .break-form")
    lunch = target.breaks.get()
    page.fill(
        "#editor .break-form input[type=time]",
        f"{lunch.start.astimezone(ZONE) + timedelta(minutes=30):%H:%M}",
    )
    page.click("#editor .break-form button[type=submit]")
    page.wait_for_selector("#editor .editor-saved, #editor .break-form .field-error")
    page.keyboard.press("Escape")
    page.click(f"a.block[href^='/manager/shifts/{target.pk}/']")
    page.wait_for_selector("#editor .editor-actions")
    page.click("#editor .editor-actions form:has(input[name=pinned]) button")
    page.wait_for_selector("#editor .editor-saved")
    assert roster.shifts.get(pk=target.pk).pinned
    page.keyboard.press("Escape")
    page.click(f"a.block[href^='/manager/shifts/{target.pk}/']")
    page.wait_for_selector("#editor button.danger")
    page.click("#editor button.danger")
    page.wait_for_selector("#editor .editor-saved")
    assert not roster.shifts.filter(pk=target.pk).exists()
    _no_horizontal_overflow(page)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_day_view_gantt_cover_and_who_is_on_the_phone(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str, commits: None
) -> None:
    _setup, roster = board_roster
    for phone in (False, True):
        page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
        page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
        page.click("table.board thead th.day a >> nth=0")
        page.wait_for_selector(".gantt-row .piece")
        assert page.locator(".gantt-row").count() == 5
        assert page.locator("[data-testid=cover-chart] polyline").count() == 2
        page.click("main details summary")
        page.click(".day-numbers tbody th a >> nth=2")  # 10:00
        page.wait_for_selector("#on-phone .on-phone")
        names = page.inner_text("#on-phone")
        assert "10:00" in names
        assert org.op_a1.full_name in names
        _no_horizontal_overflow(page)
        size = "390" if phone else "1366"
        page.screenshot(path=str(SHOTS / f"day-{language}-{size}.png"), full_page=True)
        # A bar opens the same editor as the board.
        page.click(".gantt-link >> nth=0")
        page.wait_for_selector("#editor .editor-panel")
        page.close()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_coverage_states_its_basis_and_the_builder_offers_the_whole_site(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str, commits: None
) -> None:
    setup, roster = board_roster
    team_c = team_make(site=org.amsterdam, name="Team C", managers=[org.manager_a])
    employee_make(team=team_c).queues.add(setup.queue)
    for phone in (False, True):
        size = "390" if phone else "1366"
        page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
        page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
        page.wait_for_selector("[data-testid=coverage-basis] .basis-warning")
        assert "Team C" in page.inner_text(".basis-warning")
        page.locator("#roster-review").scroll_into_view_if_needed()
        _no_horizontal_overflow(page)
        page.locator("#roster-review").screenshot(
            path=str(SHOTS / f"board-coverage-{language}-{size}.png")
        )
        page.goto(f"{live_server.url}/manager/rosters/")
        assert page.is_checked("#id_whole_site")
        page.screenshot(path=str(SHOTS / f"rosters-whole-site-{language}-{size}.png"))
        page.close()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_leave_on_the_week_and_the_board_and_cover_found_from_the_shift(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str
) -> None:
    setup, roster = board_roster
    roster_publish(roster=roster, user=org.manager_a)
    spare = employee_make(team=org.team_a)  # skilled and free: the one to cover
    spare.queues.add(setup.queue)
    tuesday = setup.start + timedelta(days=1)
    request = time_off_request(
        employee=org.op_a1, first_day=tuesday, last_day=tuesday, reason="", user=org.op_a1.user
    )
    time_off_approve(request=request, approver=org.manager_a)  # commits: the cover is posted
    assert ShiftSwap.objects.filter(kind="open", requester=org.op_a1).count() == 1
    operator = _open(browser, live_server, org.op_a1.user, language=language, phone=True)
    operator.goto(f"{live_server.url}/me/week/?week={setup.start}")
    operator.wait_for_selector("[data-testid=on-leave]")
    assert operator.locator(".shift-on-leave").count() == 1
    _no_horizontal_overflow(operator)
    operator.screenshot(path=str(SHOTS / f"week-leave-{language}-390.png"), full_page=True)
    page = _open(browser, live_server, org.manager_a, language=language)
    page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
    page.wait_for_selector(f"#row-{org.op_a1.pk} td.away-time_off")
    page.click(f"#row-{org.op_a1.pk} a.block.clash")
    page.wait_for_selector("#editor [data-testid=needs-cover]")
    page.screenshot(path=str(SHOTS / f"board-leave-{language}-1366.png"))
    page.click("#editor [data-testid=needs-cover] a.button")
    page.wait_for_selector("#editor ol.candidates")
    best = page.locator("#editor ol.candidates > li").first
    assert spare.full_name in best.inner_text()
    page.screenshot(path=str(SHOTS / f"board-leave-candidates-{language}-1366.png"))
    best.locator("button[type=submit]").click()
    page.wait_for_selector(".msg-success")  # the page goes to the draft the edit opened
    draft = Roster.objects.get(based_on=roster)
    assert draft.shifts.filter(employee=spare, local_date=tuesday).exists()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_notices_bell_for_operators_and_managers(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str
) -> None:
    setup, roster = board_roster
    roster_publish(roster=roster, user=org.manager_a)  # tells the operators in the app
    tuesday = setup.start + timedelta(days=1)
    request = time_off_request(
        employee=org.op_a1, first_day=tuesday, last_day=tuesday, reason="", user=org.op_a1.user
    )
    time_off_approve(request=request, approver=org.manager_a)  # the managers: shifts to cover
    # The operator: roster published, time off approved; the manager: time off to decide,
    # shifts to cover.
    for user, phone, unread in ((org.op_a1.user, True, "2"), (org.manager_a, False, "2")):
        size = "390" if phone else "1366"
        page = _open(browser, live_server, user, language=language, phone=phone)
        page.wait_for_selector(".bell .bell-count")
        assert page.inner_text(".bell .bell-count") == unread
        page.screenshot(path=str(SHOTS / f"bell-{language}-{size}.png"))
        page.click(".bell")
        page.wait_for_selector("ul.notices li.unread")
        _no_horizontal_overflow(page)
        page.screenshot(path=str(SHOTS / f"notices-{language}-{size}.png"), full_page=True)
        page.click("ul.notices li.unread a >> nth=0")
        page.wait_for_load_state()
        page.wait_for_selector("#bell-count", state="attached")
        page.close()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_publish_lists_what_changes_and_what_remains_and_asks_to_confirm(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str
) -> None:
    _setup, roster = board_roster
    roster.shifts.filter(employee=org.op_a1).first().delete()  # leaves a gap: issues remain
    for phone in (True, False):
        size = "390" if phone else "1366"
        page = _open(browser, live_server, org.manager_a, language=language, phone=phone)
        page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/publish/")
        page.wait_for_selector("[data-testid=issues] li.issue")
        _no_horizontal_overflow(page)
        page.screenshot(path=str(SHOTS / f"publish-{language}-{size}.png"), full_page=True)
        if phone:
            page.close()
    page.click("form.publish-form button.primary")
    page.wait_for_selector("#id_confirm_error")
    assert page.get_attribute("#id_confirm", "aria-describedby") == "id_confirm_error"
    roster.refresh_from_db()
    assert roster.status == Roster.Status.DRAFT
    page.check("#id_confirm")
    page.click("form.publish-form button.primary")
    page.wait_for_selector(".msg-success")
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PUBLISHED


@pytest.mark.parametrize("language", ["en", "nl"])
def test_drag_a_shift_to_an_empty_day_of_the_same_person(
    board_roster: Any, org: Org, live_server: Any, browser: Any, language: str, commits: None
) -> None:
    """Drag and drop: the shift goes to the cell it is dropped on, at the same times; a rule
    it breaks opens the editor with the reasons, and an override with a reason keeps it."""
    _setup, roster = board_roster
    page = _open(browser, live_server, org.manager_a, language=language)
    page.goto(f"{live_server.url}/manager/rosters/{roster.pk}/")
    row = f"#row-{org.op_a1.pk}"
    page.wait_for_selector(f"{row} a.block[draggable=true]")
    before = page.locator(f"{row} a.block").count()
    block = page.locator(f"{row} a.block").first
    times = block.locator(".t").inner_text()
    empty = page.locator(f"{row} td[data-day]:not(:has(a.block))").first
    day = empty.get_attribute("data-day")
    block.drag_to(empty)
    target = f"{row} td[data-day='{day}'] a.block"
    page.wait_for_selector(f"{target}, #editor .editor-panel")
    if page.locator("#editor input[name=override]").count():
        page.screenshot(path=str(SHOTS / f"board-drop-refused-{language}-1366.png"))
        page.check("#editor input[name=override]")
        page.fill("#editor input[name=reason]", "asked for it")
        page.click("#editor button.primary")
    page.wait_for_selector(target)
    assert page.locator(target).first.locator(".t").inner_text() == times
    assert page.locator(f"{row} a.block").count() == before  # moved, not copied
    page.screenshot(path=str(SHOTS / f"board-drop-{language}-1366.png"))
    page.close()
