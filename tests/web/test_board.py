"""The schedule board without a browser: what it shows (readable blocks named for screen
readers, leave, hours against the contract), its filters, sort and windows, who may open it,
and every in-place edit with its refusals shown where the manager is looking."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from organisation.roles import Role
from scheduling.models import AvailabilityBlock, Roster, RosterChange, Shift
from scheduling.services.roster_edits import shift_version
from tests.conftest import Org
from tests.factories import employee_make, queue_make, user_make
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
DASH = "\u2013"  # between times: 09:00-17:00 with an en dash


def span(times: str) -> str:
    return times.replace("-", DASH)


@pytest.fixture
def pub(org: Org) -> Published:
    pub = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    for day in range(5):
        pub.shift(org.op_a1, day)
    pub.shift(org.op_a2, 0, hour=10)
    return pub


def _board(client, roster: Roster, **query: str) -> str:
    response = client.get(reverse("web:roster", args=[roster.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, employee) -> str:
    found = re.search(rf'<tr id="row-{employee.pk}".*?</tr>', html, re.S)
    assert found, html
    return found.group(0)


def test_each_block_shows_its_time_queue_and_break_and_is_named_for_screen_readers(
    org: Org, pub: Published, login
) -> None:
    html = _board(login(org.manager_a), pub.roster)
    row = _row(html, org.op_a1)
    assert row.count('class="block') == 5
    assert span("09:00-17:00") in row
    assert pub.setup.queue.name in row
    monday = pub.start.strftime("%a %-d %b")
    name = (
        f"{org.op_a1.full_name}, {monday}, {span('09:00-17:00')}, {pub.setup.queue.name}, "
        f"break {span('13:00-13:30')}"
    )
    assert f'aria-label="{name}"' in row
    assert "37 h 30 min" in row  # paid in the week: 5 x 7 h 30 min
    assert "at most 40 h" in row


def test_the_board_names_each_empty_cell_add_button(org: Org, pub: Published, login) -> None:
    html = _board(login(org.manager_a), pub.roster)
    saturday = (pub.start + timedelta(days=5)).strftime("%a %-d %b")
    assert f'aria-label="Add a shift for {org.op_a1.full_name} on {saturday}"' in html


def test_approved_leave_marks_the_day_and_the_shift_it_overlaps(
    org: Org, pub: Published, login
) -> None:
    zone = ZoneInfo(org.amsterdam.timezone)
    tuesday = pub.start + timedelta(days=1)
    AvailabilityBlock.objects.create(
        employee=org.op_a1,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start=datetime.combine(tuesday, time(), tzinfo=zone),
        end=datetime.combine(tuesday + timedelta(days=1), time(), tzinfo=zone),
    )
    row = _row(_board(login(org.manager_a), pub.roster), org.op_a1)
    assert row.count("away-time_off") == 1
    assert row.count("block q0 clash") == 1
    assert "on leave: needs cover" in row


def test_filters_search_and_sort(org: Org, pub: Published, login) -> None:
    client = login(org.manager_a)
    other = queue_make(site=org.amsterdam, name="Billing")
    org.op_a2.queues.add(other)
    part_timer = employee_make(team=org.team_a, max_weekly_minutes=24 * 60)
    names = lambda html: re.findall(r'<span class="name">(.*?)</span>', html)  # noqa: E731
    everyone = names(_board(client, pub.roster))
    assert everyone == sorted(everyone, key=str.casefold)
    assert names(_board(client, pub.roster, q="op_a2")) == [org.op_a2.full_name]
    assert names(_board(client, pub.roster, skill=str(other.pk))) == [org.op_a2.full_name]
    working = names(_board(client, pub.roster, queue=str(pub.setup.queue.pk)))
    assert set(working) == {org.op_a1.full_name, org.op_a2.full_name}
    assert names(_board(client, pub.roster, contract=str(24 * 60))) == [part_timer.full_name]
    assert names(_board(client, pub.roster, sort="hours"))[:2] == [
        org.op_a1.full_name,
        org.op_a2.full_name,
    ]
    org.op_a2.min_weekly_minutes = 32 * 60  # 7 h 30 min this week: under
    org.op_a2.save(update_fields=["min_weekly_minutes"])
    org.op_a1.max_weekly_minutes = 30 * 60  # 37 h 30 min this week: over
    org.op_a1.save(update_fields=["max_weekly_minutes"])
    assert names(_board(client, pub.roster, sort="under"))[0] == org.op_a2.full_name
    assert names(_board(client, pub.roster, sort="over"))[0] == org.op_a1.full_name
    assert 'class="hours over"' in _row(_board(client, pub.roster), org.op_a1)
    assert "Nobody matches these filters." in _board(client, pub.roster, q="nobody at all")


def test_week_and_multi_week_windows(org: Org, login) -> None:
    pub = published_make(team=org.team_a, people=[org.op_a1])
    Roster.objects.filter(pk=pub.roster.pk).update(days=14)
    pub.roster.refresh_from_db()
    pub.shift(org.op_a1, 9)
    client = login(org.manager_a)
    week = _board(client, pub.roster)
    assert week.count('title="Day view"') == 7
    assert "Later" in week
    assert 'class="block' not in _row(week, org.op_a1)
    second = _board(client, pub.roster, start=str(pub.start + timedelta(days=7)))
    assert _row(second, org.op_a1).count('class="block') == 1
    both = _board(client, pub.roster, span="2weeks")
    assert both.count('title="Day view"') == 14
    outside = _board(client, pub.roster, start="2001-01-01")  # back to the period
    assert outside.count('title="Day view"') == 7


def test_other_managers_get_404_and_operators_403(org: Org, pub: Published, login) -> None:
    shift = pub.roster.shifts.first()
    urls = [
        reverse("web:roster", args=[pub.roster.pk]),
        reverse("web:roster-day", args=[pub.roster.pk, str(pub.start)]),
        reverse("web:shift-edit", args=[shift.pk]),
        reverse("web:shift-reassign", args=[shift.pk]),
        reverse("web:publish", args=[pub.roster.pk]),
    ]
    posts = [
        reverse("web:shift-delete", args=[shift.pk]),
        reverse("web:shift-pin", args=[shift.pk]),
        reverse("web:roster-undo", args=[pub.roster.pk]),
    ]
    for url in urls:
        assert login(org.manager_b).get(url).status_code == 404, url
        assert login(org.op_a1.user).get(url).status_code == 403, url
    for url in posts:
        assert login(org.manager_b).post(url).status_code == 404, url
        assert login(org.op_a1.user).post(url).status_code == 403, url
    assert Shift.objects.filter(pk=shift.pk).exists()
    add = reverse("web:shift-add", args=[pub.roster.pk])
    assert login(org.manager_a).get(add, {"employee": org.op_b1.pk}).status_code == 404


def _edit(client, shift: Shift, **changes: str):
    zone = ZoneInfo(shift.roster.site.timezone)
    form = {
        "day": str(shift.local_date),
        "start_time": f"{shift.start.astimezone(zone):%H:%M}",
        "end_time": f"{shift.end.astimezone(zone):%H:%M}",
        "activity": shift.activity,
        "queue": str(shift.queue_id or ""),
        "note": shift.note,
        "seen": shift_version(shift),
    }
    return client.post(reverse("web:shift-edit", args=[shift.pk]), form | changes, headers=HX)


def test_an_edit_of_a_published_roster_sends_the_page_to_its_new_draft(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    response = _edit(client, shift, start_time="09:00", end_time="17:00")
    assert response.status_code == 204
    draft = pub.roster.revisions.get()
    assert response["HX-Redirect"].startswith(reverse("web:roster", args=[draft.pk]))
    moved = draft.shifts.get(employee=org.op_a2)
    assert f"{moved.start.astimezone(ZoneInfo('Europe/Amsterdam')):%H:%M}" == "09:00"


def test_an_edit_in_a_draft_answers_with_the_changed_row_and_undo(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    _edit(client, pub.roster.shifts.get(employee=org.op_a2), note="first")
    draft = pub.roster.revisions.get()
    shift = draft.shifts.get(employee=org.op_a2)
    response = _edit(client, shift, start_time="09:00", end_time="17:00")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shift saved in draft version 2." in html
    assert f'<tr id="row-{org.op_a2.pk}" hx-swap-oob="true">' in html
    assert span("09:00-17:00") in html
    assert 'id="undo"' in html
    assert response["HX-Trigger"] == "roster-changed"
    undone = client.post(reverse("web:roster-undo", args=[draft.pk]), headers=HX)
    assert "Your last edit was undone." in undone.content.decode()
    assert span("10:00-18:00") in undone.content.decode()


def test_keyboard_nudges_move_a_shift_a_day_and_resize_it(org: Org, pub: Published, login) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    _edit(client, shift, nudge="day:1")
    draft = pub.roster.revisions.get()
    moved = draft.shifts.get(employee=org.op_a2)
    assert moved.local_date == shift.local_date + timedelta(days=1)
    _edit(client, moved, nudge="end:-15", override="on", reason="leaves early")
    assert draft.shifts.get(employee=org.op_a2).end == moved.end - timedelta(minutes=15)


def test_a_move_outside_the_template_window_is_explained_in_place_and_nothing_saved(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    response = _edit(client, shift, start_time="06:00", end_time="14:00")
    html = response.content.decode()
    assert response.status_code == 422
    template = f"{pub.setup.template.name} ({pub.setup.queue.name})"
    assert f"{template} starts between 08:00 and 10:00, not at 06:00" in html
    assert 'aria-describedby="id_override_error"' in html
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()
    kept = _edit(client, shift, start_time="06:00", end_time="14:00", override="on", reason="Event")
    assert kept.status_code == 204
    change = pub.roster.revisions.get().changes.get(action=RosterChange.Action.MOVED)
    assert change.reason == "Event"
    assert change.violations[0]["rule"] == "template_start"


def test_a_move_onto_a_day_off_an_overlap_and_a_missing_reason_are_refused_in_place(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    zone = ZoneInfo(org.amsterdam.timezone)
    wednesday = pub.start + timedelta(days=2)
    AvailabilityBlock.objects.create(
        employee=org.op_a2,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start=datetime.combine(wednesday, time(), tzinfo=zone),
        end=datetime.combine(wednesday + timedelta(days=1), time(), tzinfo=zone),
    )
    shift = pub.roster.shifts.get(employee=org.op_a2)
    off = _edit(client, shift, day=str(wednesday)).content.decode()
    assert "works on a day they are unavailable or on leave" in off
    no_reason = _edit(client, shift, day=str(wednesday), override="on").content.decode()
    assert "Give a reason to override the rules." in no_reason
    assert 'aria-describedby="id_reason_error"' in no_reason
    pub.shift(org.op_a2, 1, hour=9)
    overlap = _edit(client, shift, day=str(pub.start + timedelta(days=1))).content.decode()
    assert "overlaps another shift of the same person" in overlap
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()


def test_the_second_manager_is_told_the_shift_changed(org: Org, pub: Published, login) -> None:
    other = user_make(role=Role.MANAGER)
    org.team_a.managers.add(other)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    seen = shift_version(shift)
    _edit(login(other), shift, note="theirs")
    late = _edit(login(org.manager_a), shift, note="mine", seen=seen)
    html = late.content.decode()
    assert late.status_code == 422
    assert "changed or removed by someone else since you opened it" in html
    assert "Open the shift as it is now" in html
    assert pub.roster.revisions.get().shifts.get(employee=org.op_a2).note == "theirs"


def test_an_edit_on_a_superseded_version_is_refused_in_place(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    Roster.objects.filter(pk=pub.roster.pk).update(status=Roster.Status.SUPERSEDED)
    html = _edit(client, shift, note="too late").content.decode()
    assert "A newer version of this roster is already published." in html
    board = _board(client, pub.roster)
    assert "no longer current" in board
    assert 'class="add' not in board


def test_delete_pin_and_break_move_in_place(org: Org, pub: Published, login) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    pin = client.post(
        reverse("web:shift-pin", args=[shift.pk]),
        {"pinned": "1", "seen": shift_version(shift)},
        headers=HX,
    )
    assert pin.status_code == 204  # the first edit opens the draft
    draft = pub.roster.revisions.get()
    copy = draft.shifts.get(employee=org.op_a2)
    assert copy.pinned
    lunch = copy.breaks.get()
    moved = client.post(
        reverse("web:shift-break", args=[copy.pk]),
        {
            "break_start": lunch.start.isoformat(),
            "start_time": "15:00",
            "seen": shift_version(copy),
        },
        headers=HX,
    )
    assert moved.status_code == 200, moved.content.decode()
    assert copy.breaks.get().start.astimezone(ZoneInfo("Europe/Amsterdam")).hour == 15
    outside = client.post(
        reverse("web:shift-break", args=[copy.pk]),
        {"break_start": copy.breaks.get().start.isoformat(), "start_time": "10:30"},
        headers=HX,
    )
    assert "the break at 10:30 is outside its window, 13:00 to 15:00" in outside.content.decode()
    gone = client.post(
        reverse("web:shift-delete", args=[copy.pk]), {"seen": shift_version(copy)}, headers=HX
    )
    assert "Shift deleted in draft version 2." in gone.content.decode()
    assert not draft.shifts.filter(employee=org.op_a2).exists()


def test_reassign_lists_candidates_best_first_and_gives_the_shift(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)  # Monday 10:00-18:00
    unskilled = employee_make(team=org.team_a)
    url = reverse("web:shift-reassign", args=[shift.pk])
    html = client.get(url, headers=HX).content.decode()
    order = re.findall(r'<p class="who"><strong>(.*?)</strong>', html)
    assert order[-1] == unskilled.full_name  # not skilled: last
    assert org.op_a1.full_name in order  # works then: listed, not first
    first = pub.setup.people[2]  # skilled, free, no hours yet
    assert order[0] == first.full_name
    assert "rules clean" in html
    given = client.post(url, {"employee": first.pk, "seen": shift_version(shift)}, headers=HX)
    assert given.status_code == 204
    assert pub.roster.revisions.get().shifts.get(employee=first).start == shift.start


def test_a_shift_is_added_in_an_empty_cell(org: Org, pub: Published, login) -> None:
    client = login(org.manager_a)
    url = reverse("web:shift-add", args=[pub.roster.pk])
    query = f"?employee={org.op_a2.pk}&day={pub.start + timedelta(days=3)}"
    form = client.get(url + query, headers=HX).content.decode()
    assert f'value="{pub.start + timedelta(days=3)}"' in form  # ISO, as browsers need
    added = client.post(
        url + query,
        {"day": str(pub.start + timedelta(days=3)), "template": pub.setup.template.pk,
         "start_time": "09:00", "queue": pub.setup.queue.pk},
        headers=HX,
    )  # fmt: skip
    assert added.status_code == 204
    new = pub.roster.revisions.get().shifts.get(
        employee=org.op_a2, local_date=pub.start + timedelta(days=3)
    )
    assert new.end - new.start == timedelta(hours=8)  # the template's length
    missing = client.post(url + query, {"day": "", "template": ""}, headers=HX).content.decode()
    assert 'aria-describedby="id_template_error"' in missing


def test_undo_with_nothing_of_mine_to_undo_says_so(org: Org, pub: Published, login) -> None:
    response = login(org.manager_a).post(
        reverse("web:roster-undo", args=[pub.roster.pk]), headers=HX
    )
    assert response.status_code == 409
    assert "no edit of yours to undo" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_editor_without_javascript_is_a_page_with_iso_dates(
    org: Org, pub: Published, login, language: str
) -> None:
    client = login(org.manager_a, language=language)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    page = client.get(reverse("web:shift-edit", args=[shift.pk])).content.decode()
    assert "<html" in page
    assert f'<input type="date" name="day" value="{shift.local_date.isoformat()}"' in page
    form = {"day": shift.local_date.isoformat(), "start_time": "10:00", "end_time": "18:00",
            "activity": "phone", "queue": shift.queue_id, "note": "plain page"}  # fmt: skip
    response = client.post(reverse("web:shift-edit", args=[shift.pk]), form)
    assert response.status_code == 302
    assert pub.roster.revisions.get().shifts.get(employee=org.op_a2).note == "plain page"


def test_publish_shows_the_diff_and_asks_to_confirm_the_issues_left(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    moved = pub.roster.shifts.get(employee=org.op_a2)
    _edit(client, moved, start_time="09:00", end_time="17:00")
    draft = pub.roster.revisions.get()
    removed = draft.shifts.filter(employee=org.op_a1).order_by("start").first()
    client.post(reverse("web:shift-delete", args=[removed.pk]), headers=HX)
    url = reverse("web:publish", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "0 shifts added, 1 changed, 1 removed." in page
    assert f"{span('10:00-18:00')} → {span('09:00-17:00')}" in page
    assert "2 operators will be notified." in page
    assert "agent-intervals short" in page  # one agent needed 09-17: Monday is short now
    refused = client.post(url, {})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Issues remain: tick the box to publish anyway" in html
    assert 'aria-describedby="id_confirm_error"' in html
    draft.refresh_from_db()
    assert draft.status == Roster.Status.DRAFT
    assert client.post(url, {"confirm": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Roster.Status.PUBLISHED


def test_publish_without_issues_needs_no_confirmation(org: Org, login) -> None:
    pub = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    Roster.objects.filter(pk=pub.roster.pk).update(status=Roster.Status.DRAFT)
    for day in range(5):  # lunches at 13:00 and 14:00: someone is always on the phone
        pub.shift(org.op_a1, day, hour=9)
        pub.shift(org.op_a2, day, hour=10)
    Shift.objects.update(state=Roster.Status.DRAFT)
    client = login(org.manager_a)
    page = client.get(reverse("web:publish", args=[pub.roster.pk])).content.decode()
    assert 'data-testid="no-issues"' in page
    assert "id_confirm" not in page
    assert client.post(reverse("web:publish", args=[pub.roster.pk])).status_code == 302


def test_a_shift_on_approved_leave_offers_cover_in_the_editor_and_marks_the_week(
    org: Org, pub: Published, login
) -> None:
    zone = ZoneInfo(org.amsterdam.timezone)
    AvailabilityBlock.objects.create(
        employee=org.op_a1,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start=datetime.combine(pub.start, time(), tzinfo=zone),
        end=datetime.combine(pub.start + timedelta(days=1), time(), tzinfo=zone),
    )
    monday = pub.roster.shifts.get(employee=org.op_a1, local_date=pub.start)
    editor = login(org.manager_a).get(reverse("web:shift-edit", args=[monday.pk]), headers=HX)
    html = editor.content.decode()
    assert "is on approved leave then: this shift needs someone else." in html
    assert reverse("web:shift-reassign", args=[monday.pk]) in html
    week = login(org.op_a1.user).get(reverse("web:my-week"), {"week": str(pub.start)})
    page = week.content.decode()
    assert page.count('data-testid="on-leave"') == 1
    assert "You are on leave: your manager is finding someone for this shift." in page
    nl = login(org.op_a1.user, language="nl").get(reverse("web:my-week"), {"week": str(pub.start)})
    assert "Met verlof" in nl.content.decode()


def _drop(client, shift: Shift, day, employee, **extra: str):
    body = {"day": str(day), "employee": str(employee.pk), **extra}
    return client.post(reverse("web:shift-drop", args=[shift.pk]), body, headers=HX)


def test_a_shift_dropped_on_another_day_and_person_moves_there_at_the_same_times(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)  # Monday 10:00-18:00
    friday = pub.start + timedelta(days=4)
    answer = _drop(client, shift, friday + timedelta(days=1), org.op_a2)  # Saturday: free
    assert answer.status_code == 204  # the first edit opens a draft: the page goes there
    draft = pub.roster.revisions.get()
    moved = draft.shifts.get(employee=org.op_a2)
    assert moved.local_date == friday + timedelta(days=1)
    zone = ZoneInfo(org.amsterdam.timezone)
    assert (moved.start.astimezone(zone).time(), moved.end - moved.start) == (
        time(10),
        timedelta(hours=8),
    )
    assert [b.start - moved.start for b in moved.breaks.all()] == [timedelta(hours=4)]
    # Given to someone else on a day they are free: one edit, both rows answered.
    tuesday = pub.start + timedelta(days=1)
    refused = _drop(client, moved, tuesday, org.op_a1)
    html = refused.content.decode()
    assert refused.status_code == 422  # op_a1 works 09:00-17:00 on Tuesday: an overlap
    assert "overlaps another shift of the same person" in html
    assert draft.shifts.get(pk=moved.pk).employee_id == org.op_a2.pk  # nothing saved
    sunday = pub.start + timedelta(days=6)
    over = _drop(client, moved, sunday, org.op_a1)  # free on Sunday, but 45 h in the week
    assert over.status_code == 422
    assert 'name="override"' in over.content.decode()
    given = _drop(client, moved, sunday, org.op_a1, override="on", reason="Wants the hours")
    assert given.status_code == 200
    assert "Shift moved to" in given.content.decode()
    assert f'id="row-{org.op_a1.pk}"' in given.content.decode()  # both rows answered
    assert f'id="row-{org.op_a2.pk}"' in given.content.decode()
    taken = draft.shifts.get(pk=moved.pk)
    assert (taken.employee_id, taken.local_date) == (org.op_a1.pk, sunday)


def test_a_dropped_shift_that_breaks_a_rule_is_kept_with_an_override_and_a_reason(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    zone = ZoneInfo(org.amsterdam.timezone)
    wednesday = pub.start + timedelta(days=2)
    AvailabilityBlock.objects.create(
        employee=org.op_a2,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start=datetime.combine(wednesday, time(), tzinfo=zone),
        end=datetime.combine(wednesday + timedelta(days=1), time(), tzinfo=zone),
    )
    shift = pub.roster.shifts.get(employee=org.op_a2)
    refused = _drop(client, shift, wednesday, org.op_a2)
    assert refused.status_code == 422
    assert "works on a day they are unavailable or on leave" in refused.content.decode()
    no_reason = _drop(client, shift, wednesday, org.op_a2, override="on")
    assert "Give a reason to override the rules." in no_reason.content.decode()
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()
    kept = _drop(client, shift, wednesday, org.op_a2, override="on", reason="Swapped by phone")
    assert kept.status_code == 204
    change = pub.roster.revisions.get().changes.get(action=RosterChange.Action.MOVED)
    assert (change.reason, change.violations[0]["rule"]) == ("Swapped by phone", "unavailable")


def test_a_drop_outside_the_roster_or_its_team_is_refused_and_nothing_saved(
    org: Org, pub: Published, login
) -> None:
    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    for day, who in ((pub.start, org.op_b1), ("not a day", org.op_a1)):
        answer = _drop(client, shift, day, who)
        assert answer.status_code == 422
        assert "The shift cannot go to that cell" in answer.content.decode()
    outside = _drop(client, shift, pub.start + timedelta(days=30), org.op_a2)
    assert outside.status_code == 422
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()
    operator = login(org.op_a1.user)
    assert _drop(operator, shift, pub.start, org.op_a2).status_code == 403


def test_a_drop_across_the_spring_forward_keeps_the_wall_clock_times(db: None) -> None:
    """09:00-17:00 on Friday 27 March 2026 dropped on Monday 30 March (after Amsterdam's clocks
    went forward) is 09:00-17:00 there: 07:00 UTC, not 08:00."""
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo as Zone

    from web.forms import ShiftDropForm

    zone = Zone("Europe/Amsterdam")
    start = datetime(2026, 3, 27, 9, tzinfo=zone)
    shift = SimpleNamespace(
        start=start,
        end=start + timedelta(hours=8),
        roster=SimpleNamespace(site=SimpleNamespace(timezone="Europe/Amsterdam")),
    )
    person = employee_make()
    form = ShiftDropForm(
        {"day": "2026-03-30", "employee": str(person.pk)},
        shift=shift,
        people=type(person).objects.all(),
    )
    assert form.is_valid(), form.errors
    utc = ZoneInfo("UTC")
    assert form.cleaned_data["start"].astimezone(utc) == datetime(2026, 3, 30, 7, tzinfo=utc)
    assert form.cleaned_data["end"].astimezone(utc) == datetime(2026, 3, 30, 15, tzinfo=utc)


def test_a_drop_of_a_shift_changed_since_the_board_showed_it_is_refused(
    org: Org, pub: Published, login
) -> None:
    from web.roster_page import drop_token

    client = login(org.manager_a)
    shift = pub.roster.shifts.get(employee=org.op_a2)
    html = _board(client, pub.roster)
    shown = drop_token(shift.employee_id, shift.start, shift.end)
    assert f'data-was="{shown}"' in html
    saturday = pub.start + timedelta(days=5)
    stale = drop_token(org.op_a1.pk, shift.start, shift.end)  # another manager reassigned it
    refused = _drop(client, shift, saturday, org.op_a2, was=stale)
    assert refused.status_code == 409
    assert "changed or removed by someone else" in refused.content.decode()
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()
    assert _drop(client, shift, saturday, org.op_a2, was=shown).status_code == 204
