"""Applying a rest-of-day break move (issue 26, item 5): checked again by the rules, published
as a new roster version like a swap, the operator told; refusals with stable codes and nothing
written."""

from datetime import date, datetime, timedelta

import pytest

from organisation.models import AuditEvent, Notice, Proficiency
from organisation.services.proficiency import proficiency_set
from scheduling.errors import (
    IntradayMoveBreaksRules,
    IntradayMoveOtherDay,
    IntradayMovePast,
    IntradayMoveStale,
)
from scheduling.models import Meeting, PlacedActivity, Roster, RosterChange
from scheduling.services.intraday_moves import intraday_break_move, intraday_session_move
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.intraday import local
from tests.factories.intraday_moves import MoveScene, break_move_scene, meeting_place
from timeclock.selectors.intraday import intraday_day
from web.intraday import intraday_moves

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"


def _scene(org: Org) -> MoveScene:
    third = employee_make(team=org.team_a)
    return break_move_scene(team=org.team_a, people=[org.op_a1, org.op_a2, third], day=DAY)


def _published() -> Roster:
    return Roster.objects.get(status=Roster.Status.PUBLISHED)


def test_the_proposals_move_lunches_out_of_the_busy_hour_into_the_quiet_one(org: Org) -> None:
    scene = _scene(org)
    panel = intraday_moves(intraday_day(queue=scene.queue, now=scene.now), org.manager_a)
    targets = sorted(line.new for line in panel.lines)
    assert targets == ["14:00\u201314:30", "14:00\u201314:30", "14:30\u201315:00"]
    assert all(line.old == "13:00\u201313:30" for line in panel.lines)
    plan = panel.plan.plan
    assert plan.under_after == plan.under_before - 3


def test_a_move_is_published_as_a_new_version_and_the_operator_is_told(org: Org) -> None:
    scene = _scene(org)
    shift = scene.shifts[0]
    new = intraday_break_move(
        shift=shift,
        break_start=local(DAY, 13, 0, TZ),
        new_start=local(DAY, 14, 0, TZ),
        user=org.manager_a,
        now=scene.now,
    )
    assert new == _published()
    assert new.version == 2
    scene.roster.refresh_from_db()
    assert scene.roster.status == Roster.Status.SUPERSEDED
    moved = new.shifts.get(employee=shift.employee).breaks.get()
    assert (moved.start, moved.end) == (local(DAY, 14, 0, TZ), local(DAY, 14, 30, TZ))
    others = new.shifts.exclude(employee=shift.employee)
    assert {b.start for s in others for b in s.breaks.all()} == {local(DAY, 13, 0, TZ)}
    change = RosterChange.objects.get(roster=new, action=RosterChange.Action.BREAK_MOVED)
    assert change.before["breaks"][0]["start"].startswith(f"{DAY}T12:00")
    assert change.after["breaks"][0]["start"].startswith(f"{DAY}T13:00")
    told = Notice.objects.filter(event_key=f"roster:{new.pk}:published")
    assert [n.recipient_id for n in told] == [shift.employee.user_id]
    assert AuditEvent.objects.filter(action="intraday_break_moved").count() == 1
    # The new layout shows in the page: the moved lunch is no longer proposed.
    panel = intraday_moves(intraday_day(queue=scene.queue, now=scene.now), org.manager_a)
    assert len(panel.lines) == 2


def test_a_move_the_rules_refuse_is_refused_and_nothing_is_written(org: Org) -> None:
    scene = _scene(org)
    with pytest.raises(IntradayMoveBreaksRules) as refused:
        intraday_break_move(
            shift=scene.shifts[0],
            break_start=local(DAY, 13, 0, TZ),
            new_start=local(DAY, 16, 0, TZ),  # the lunch window closes at 15:00
            user=org.manager_a,
            now=scene.now,
        )
    assert refused.value.code == "intraday_move_breaks_rules"
    assert refused.value.extra["violations"][0]["rule"] == "break_window"
    assert _published().version == 1
    assert Roster.objects.count() == 1


def test_a_break_outside_its_shift_is_refused(org: Org) -> None:
    scene = _scene(org)
    with pytest.raises(IntradayMoveBreaksRules):
        intraday_break_move(
            shift=scene.shifts[0],
            break_start=local(DAY, 13, 0, TZ),
            new_start=local(DAY, 19, 0, TZ),
            user=org.manager_a,
            now=scene.now,
        )
    assert Roster.objects.count() == 1


def test_a_break_under_way_or_a_slot_in_the_past_is_refused(org: Org) -> None:
    scene = _scene(org)
    for now, target in ((local(DAY, 13, 5, TZ), 14), (scene.now, 10)):
        with pytest.raises(IntradayMovePast):
            intraday_break_move(
                shift=scene.shifts[0],
                break_start=local(DAY, 13, 0, TZ),
                new_start=local(DAY, target, 0, TZ),
                user=org.manager_a,
                now=now,
            )
    assert Roster.objects.count() == 1


def test_a_move_made_already_or_a_break_not_there_is_stale(org: Org) -> None:
    scene = _scene(org)
    move = {
        "shift": scene.shifts[0],
        "break_start": local(DAY, 13, 0, TZ),
        "new_start": local(DAY, 14, 0, TZ),
        "user": org.manager_a,
        "now": scene.now,
    }
    intraday_break_move(**move)
    with pytest.raises(IntradayMoveStale):
        intraday_break_move(**move)
    with pytest.raises(IntradayMoveStale):
        intraday_break_move(**{**move, "break_start": local(DAY, 12, 15, TZ)})
    assert _published().version == 2


def test_a_placed_meeting_is_off_the_phones_and_moves_to_the_quiet_hour(org: Org) -> None:
    scene = _scene(org)
    meeting = meeting_place(scene, [org.op_a1, org.op_a2])
    day = intraday_day(queue=scene.queue, now=scene.now)
    by_time = {i.start: i.scheduled for i in day.intervals}
    assert by_time[local(DAY, 12, 30, TZ)] == 1  # two of three in the meeting
    assert by_time[local(DAY, 12, 0, TZ)] == 3
    panel = intraday_moves(day, org.manager_a)
    (proposed,) = panel.plan.sessions
    assert proposed.row == meeting
    assert proposed.start == local(DAY, 12, 30, TZ)
    assert proposed.new_start in (local(DAY, 14, 0, TZ), local(DAY, 14, 30, TZ))
    assert {e.pk for e in proposed.attending} == {org.op_a1.pk, org.op_a2.pk}
    new = intraday_session_move(
        roster=scene.roster,
        session=proposed.move.session,
        start=proposed.start,
        new_start=proposed.new_start,
        user=org.manager_a,
        now=scene.now,
    )
    assert new.version == 2
    moved = list(new.placed.order_by("employee_id"))
    assert [p.start for p in moved] == [proposed.new_start] * 2
    assert RosterChange.objects.filter(roster=new, action=RosterChange.Action.ACTIVITY).exists()
    told = Notice.objects.filter(event_key=f"roster:{new.pk}:published")
    assert {n.recipient_id for n in told} == {org.op_a1.user_id, org.op_a2.user_id}
    again = intraday_moves(intraday_day(queue=scene.queue, now=scene.now), org.manager_a)
    assert again.plan.sessions == []


def test_a_meeting_moved_outside_its_window_is_refused(org: Org) -> None:
    scene = _scene(org)
    meeting_place(scene, [org.op_a1, org.op_a2])
    with pytest.raises(IntradayMoveBreaksRules) as refused:
        intraday_session_move(
            roster=scene.roster,
            session=f"meeting:{Meeting.objects.get().pk}",
            start=local(DAY, 12, 30, TZ),
            new_start=local(DAY, 16, 30, TZ),
            user=org.manager_a,
            now=scene.now,
        )
    assert refused.value.extra["violations"][0]["rule"] == "session_window"
    with pytest.raises(IntradayMoveStale):
        intraday_session_move(
            roster=scene.roster,
            session="meeting:not-a-uuid",
            start=local(DAY, 12, 30, TZ),
            new_start=local(DAY, 14, 0, TZ),
            user=org.manager_a,
            now=scene.now,
        )
    assert Roster.objects.count() == 1


def test_a_break_moved_into_the_persons_own_meeting_is_refused(org: Org) -> None:
    scene = _scene(org)
    meeting_place(scene, [org.op_a1])
    PlacedActivity.objects.update(start=local(DAY, 14, 0, TZ), end=local(DAY, 14, 30, TZ))
    with pytest.raises(IntradayMoveBreaksRules) as refused:
        intraday_break_move(
            shift=scene.shifts[0],
            break_start=local(DAY, 13, 0, TZ),
            new_start=local(DAY, 14, 0, TZ),
            user=org.manager_a,
            now=scene.now,
        )
    assert "session_break" in {v["rule"] for v in refused.value.extra["violations"]}
    assert Roster.objects.count() == 1


def test_a_mentors_break_moved_away_from_the_trainees_is_refused(org: Org) -> None:
    # op_a2 mentors op_a1 on the queue; both lunch at 13:00. The mentor's lunch at 14:00
    # leaves the trainee alone on the phone then (pairing, of nobody in particular).
    scene = _scene(org)
    reached = DAY - timedelta(days=30)
    for person, level in ((org.op_a1, Proficiency.TRAINEE), (org.op_a2, Proficiency.MENTOR)):
        proficiency_set(
            employee=person, queue=scene.queue, level=level, reached_on=reached, by=None
        )
    move = {
        "break_start": local(DAY, 13, 0, TZ),
        "new_start": local(DAY, 14, 0, TZ),
        "user": org.manager_a,
        "now": scene.now,
    }
    with pytest.raises(IntradayMoveBreaksRules) as refused:
        intraday_break_move(shift=scene.shifts[1], **move)
    assert [v["rule"] for v in refused.value.extra["violations"]] == ["pairing"]
    assert Roster.objects.count() == 1
    proposed = intraday_moves(intraday_day(queue=scene.queue, now=scene.now), org.manager_a)
    assert org.op_a2 not in {line.proposed.shift.employee for line in proposed.lines}
    # The third person, neither trainee nor mentor, moves.
    assert intraday_break_move(shift=scene.shifts[2], **move).version == 2


def test_a_mentors_meeting_moved_to_when_the_trainee_is_alone_is_refused(org: Org) -> None:
    scene = _scene(org)
    reached = DAY - timedelta(days=30)
    for person, level in ((org.op_a1, Proficiency.TRAINEE), (org.op_a2, Proficiency.MENTOR)):
        proficiency_set(
            employee=person, queue=scene.queue, level=level, reached_on=reached, by=None
        )
    meeting = meeting_place(scene, [org.op_a2])  # the mentor alone, at 12:30
    with pytest.raises(IntradayMoveBreaksRules) as refused:
        intraday_session_move(
            roster=scene.roster,
            session=f"meeting:{meeting.pk}",
            start=local(DAY, 12, 30, TZ),
            new_start=local(DAY, 14, 0, TZ),
            user=org.manager_a,
            now=scene.now,
        )
    assert [v["rule"] for v in refused.value.extra["violations"]] == ["pairing"]
    assert Roster.objects.count() == 1


def test_a_meeting_moved_to_another_day_or_past_the_calendar_is_refused(org: Org) -> None:
    scene = _scene(org)
    meeting = meeting_place(scene, [org.op_a1, org.op_a2])
    end_of_time = datetime.fromisoformat("9999-12-31T23:30-01:00")  # 10000-01-01 locally
    move = {
        "roster": scene.roster,
        "session": f"meeting:{meeting.pk}",
        "user": org.manager_a,
        "now": scene.now,
    }
    for start, new_start in (
        (local(DAY, 12, 30, TZ), end_of_time),
        (end_of_time, local(DAY, 14, 0, TZ)),
        (local(DAY, 12, 30, TZ), local(DAY + timedelta(days=1), 12, 30, TZ)),
    ):
        with pytest.raises(IntradayMoveOtherDay):
            intraday_session_move(start=start, new_start=new_start, **move)
    assert Roster.objects.count() == 1
