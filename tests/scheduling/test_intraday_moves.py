"""Rest-of-day break moves (issue 26, item 5): breaks leave short intervals for over-staffed
ones, only when the rules allow the move, never for a break under way or over."""

from datetime import time

import pytest

from scheduling.intraday_moves import (
    Crew,
    break_move_violations,
    break_moves_propose,
    session_move_violations,
)
from scheduling.solver.model import (
    Assignment,
    Break,
    BreakRule,
    Contract,
    Employee,
    PlacedSession,
    Problem,
    Proficiency,
    QueueProficiency,
    Session,
    SessionKind,
    ShiftTemplate,
)

# A day shift 08:00-16:00 whose 30-minute break starts 3 to 5 hours in (11:00 to 13:00).
DAY = ShiftTemplate("D", 8 * 60, 8 * 60, (480,), breaks=(BreakRule(30, 180, 300, 30),))
PEOPLE = ("ann", "bob")
NOON = 12 * 60


def problem(sessions: tuple[Session, ...] = ()) -> Problem:
    return Problem(
        days=7,
        first_weekday=0,
        interval_minutes=30,
        templates=(DAY,),
        employees=tuple(Employee(p, Contract()) for p in PEOPLE),
        sessions=sessions,
    )


def shift(who: str, break_at: int = NOON) -> Assignment:
    return Assignment(who, 0, "D", 8 * 60, 480, (Break(break_at, 30, False),), queue="q")


def crew(
    assignments: tuple[Assignment, ...] | None = None,
    sessions: tuple[PlacedSession, ...] | None = None,
    planned: tuple[Session, ...] = (),
) -> Crew:
    shifts = assignments or tuple(shift(p) for p in PEOPLE)
    return Crew("r1", problem(planned), shifts, sessions)


def day(required: dict[str, int], base: int = 2) -> tuple[list[int], list[int]]:
    """Required and scheduled per half hour: both people on the phone 08:00-16:00 but for
    their 12:00 breaks; required `base` then, but where `required` says (HH:MM -> agents)."""
    need = [0] * 48
    cover = [0] * 48
    for t in range(16, 32):
        need[t], cover[t] = base, 2
    cover[24] = 0
    for clock, agents in required.items():
        hour, minute = map(int, clock.split(":"))
        need[(hour * 60 + minute) // 30] = agents
    return need, cover


def propose(c: Crew, required: list[int], scheduled: list[int], now: int = 9 * 60):  # type: ignore[no-untyped-def]
    return break_moves_propose(
        crews=[c],
        queue="q",
        required=required,
        scheduled=scheduled,
        interval_minutes=30,
        now_minute=now,
    )


def test_breaks_leave_a_short_interval_for_over_staffed_ones() -> None:
    required, scheduled = day({"11:00": 1, "12:00": 2, "12:30": 1})
    plan = propose(crew(), required, scheduled)
    moves = [(m.employee, m.break_start_minute, m.new_start_minute) for m in plan.moves]
    assert moves == [("ann", NOON, NOON + 30), ("bob", NOON, 11 * 60)]
    assert (plan.under_before, plan.under_after) == (2, 0)
    assert (plan.short_before, plan.short_after) == (1, 0)
    first = plan.moves[0]
    assert (first.under_before, first.under_after) == (2, 1)
    assert [(g.period, g.before, g.after) for g in first.gaps] == [(24, -2, -1), (25, 1, 0)]


def test_nothing_is_proposed_without_an_over_staffed_interval() -> None:
    required, scheduled = day({"12:00": 2})
    plan = propose(crew(), required, scheduled)
    assert plan.moves == ()
    assert (plan.under_before, plan.under_after) == (2, 2)


def test_a_move_into_an_interval_exactly_covered_gains_nothing_and_is_not_proposed() -> None:
    required, scheduled = day({"12:00": 2, "12:30": 2, "11:00": 2})
    assert propose(crew(), required, scheduled).moves == ()


def test_a_break_under_way_or_over_stays() -> None:
    required, scheduled = day({"11:00": 1, "12:00": 2, "12:30": 1})
    assert propose(crew(), required, scheduled, now=NOON + 10).moves == ()
    assert propose(crew(), required, scheduled, now=NOON).moves == ()


def test_a_break_never_moves_into_the_past() -> None:
    required, scheduled = day({"11:00": 1, "12:00": 2, "12:30": 1})
    plan = propose(crew(), required, scheduled, now=11 * 60 + 40)
    assert [m.new_start_minute for m in plan.moves] == [NOON + 30]
    assert all(m.new_start_minute > 11 * 60 + 40 for m in plan.moves)


def test_the_break_window_limits_the_moves() -> None:
    # Over-staffed only at 14:00, after the window closes (13:00): the rules refuse it.
    required, scheduled = day({"12:00": 2, "14:00": 1})
    assert propose(crew(), required, scheduled).moves == ()
    # At 13:00, the window's last start, it moves.
    required, scheduled = day({"12:00": 2, "13:00": 1})
    assert [m.new_start_minute for m in propose(crew(), required, scheduled).moves] == [13 * 60]


def test_a_move_the_rules_refuse_is_not_proposed() -> None:
    # Ann is in a meeting at 12:30: a break there would cut it (session_break); Bob moves.
    meeting = Session("m1", SessionKind.MEETING, 30, ("ann",), 10 * 60, 14 * 60)
    placed = (PlacedSession("m1", NOON + 30, 30, ("ann",)),)
    c = crew(sessions=placed, planned=(meeting,))
    assert [v.rule for v in break_move_violations(c, "ann", NOON, NOON + 30)] == ["session_break"]
    required, scheduled = day({"12:00": 2, "12:30": 1})
    plan = propose(c, required, scheduled)
    assert [(m.employee, m.new_start_minute) for m in plan.moves] == [("bob", NOON + 30)]


def test_a_break_moves_once_and_other_queues_are_left_alone() -> None:
    other = Assignment("bob", 0, "D", 8 * 60, 480, (Break(NOON, 30, False),), queue="other")
    required, scheduled = day({"11:00": 1, "12:00": 2, "12:30": 0})
    plan = propose(crew((shift("ann"), other)), required, scheduled)
    assert [(m.employee, m.new_start_minute) for m in plan.moves] == [("ann", NOON + 30)]


def test_the_rules_allow_a_move_inside_the_window() -> None:
    assert break_move_violations(crew(), "ann", NOON, 11 * 60) == []
    assert [v.rule for v in break_move_violations(crew(), "ann", NOON, 14 * 60)] == ["break_window"]


def test_a_break_never_lands_on_the_shifts_other_break(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two breaks, 10:00 (15 min) and 12:00 (30 min), both windows open at 12:00; nobody is
    # needed at 12:00: moving the first there frees 10:00 and seems to cost nothing, as the
    # person is off the phone at 12:00 already; it stacks two breaks into one. The proposer
    # keeps off it by itself, whatever the rules say.
    monkeypatch.setattr("scheduling.intraday_moves.check", lambda *args, **kwargs: [])
    two = ShiftTemplate(
        "D",
        8 * 60,
        8 * 60,
        (480,),
        breaks=(BreakRule(15, 60, 240, 15), BreakRule(30, 180, 300, 15)),
    )
    p = Problem(
        days=7,
        first_weekday=0,
        interval_minutes=15,
        templates=(two,),
        employees=(Employee("ann", Contract()),),
    )
    a = Assignment(
        "ann", 0, "D", 8 * 60, 480, (Break(10 * 60, 15, False), Break(NOON, 30, False)), queue="q"
    )
    need, cover = [0] * 96, [0] * 96
    for t in range(32, 64):
        need[t], cover[t] = 1, 1
    cover[40] = cover[48] = cover[49] = 0  # off at 10:00 and 12:00-12:30
    need[48] = need[49] = 0  # 12:00-12:30 needs nobody
    plan = break_moves_propose(
        crews=[Crew("r1", p, (a,), None)],
        queue="q",
        required=need,
        scheduled=cover,
        interval_minutes=15,
        now_minute=9 * 60,
    )
    assert plan.moves == ()
    assert (plan.under_before, plan.under_after) == (1, 1)


def test_a_move_that_leaves_a_trainee_without_a_mentor_is_not_proposed() -> None:
    # Ann mentors Tom on the queue; both lunch at 12:00, so Tom is never on the phone alone.
    # 12:00 is short and 13:00 over-staffed, but Ann's lunch at 13:00 leaves Tom unpaired
    # then (the pairing rule names nobody): refused, though Ann's own shifts break nothing.
    mentor = Employee("ann", Contract(), proficiency=(QueueProficiency("q", Proficiency.MENTOR),))
    trainee = Employee("tom", Contract(), proficiency=(QueueProficiency("q", Proficiency.TRAINEE),))
    p = Problem(
        days=7, first_weekday=0, interval_minutes=30, templates=(DAY,), employees=(mentor, trainee)
    )
    c = Crew("r1", p, (shift("ann"), shift("tom")), None)
    found = break_move_violations(c, "ann", NOON, 13 * 60)
    assert [(v.rule, v.employee) for v in found] == [("pairing", None)]
    need, cover = [0] * 48, [0] * 48
    for t in range(16, 32):
        need[t], cover[t] = 1, 1
    cover[24] = 0
    need[26] = 0  # 13:00 over-staffed
    assert propose(c, need, cover).moves == ()


def test_a_pairing_fault_that_only_shrinks_is_no_new_fault() -> None:
    mentor = Employee("ann", Contract(), proficiency=(QueueProficiency("q", Proficiency.MENTOR),))
    trainee = Employee("tom", Contract(), proficiency=(QueueProficiency("q", Proficiency.TRAINEE),))
    meeting = Session("m1", SessionKind.MEETING, 30, ("ann",), 10 * 60, 14 * 60)
    p = Problem(
        days=7,
        first_weekday=0,
        interval_minutes=30,
        templates=(DAY,),
        employees=(mentor, trainee),
        sessions=(meeting,),
    )
    # Ann at lunch at 12:00 and in a meeting at 12:30: Tom (lunch 11:00) is alone on the
    # phone 12:00-13:00. His lunch moved to 12:30 leaves him alone 12:00-12:30 only.
    placed = (PlacedSession("m1", NOON + 30, 30, ("ann",)),)
    c = Crew("r1", p, (shift("ann", NOON), shift("tom", 11 * 60)), placed)
    assert break_move_violations(c, "tom", 11 * 60, NOON + 30) == []
    # Ann's lunch moved to 11:30 leaves him alone at 11:30, which he was not before.
    (fault,) = break_move_violations(c, "ann", NOON, 11 * 60 + 30)
    assert (fault.rule, dict(fault.reason.values)["start"]) == ("pairing", time(11, 30))


# --- Meetings and training sessions -----------------------------------------------------------

MEETING_AT = NOON + 30


def meeting_crew(latest: int = 15 * 60, bob_break: int = 11 * 60) -> Crew:
    """Ann and Bob in a 30-minute meeting at 12:30 (window 10:00 to `latest`), breaks at 11:00."""
    meeting = Session("meeting:m1", SessionKind.MEETING, 30, PEOPLE, 10 * 60, latest, 30)
    placed = (PlacedSession("meeting:m1", MEETING_AT, 30, PEOPLE),)
    shifts = (shift("ann", 11 * 60), shift("bob", bob_break))
    return crew(shifts, sessions=placed, planned=(meeting,))


def meeting_day(required: dict[str, int]) -> tuple[list[int], list[int]]:
    need, cover = day(required)
    cover[24] = 2
    cover[22] = 0  # both at their break
    cover[25] = 0  # both in the meeting
    return need, cover


def test_a_meeting_moves_from_a_short_interval_into_an_over_staffed_one() -> None:
    required, scheduled = meeting_day({"12:30": 2, "14:00": 0})
    plan = propose(meeting_crew(), required, scheduled)
    assert [(m.session, m.start_minute, m.new_start_minute) for m in plan.sessions] == [
        ("meeting:m1", MEETING_AT, 14 * 60)
    ]
    assert plan.sessions[0].attending == PEOPLE
    assert [(g.period, g.before, g.after) for g in plan.sessions[0].gaps] == [
        (25, -2, 0),
        (28, 2, 0),
    ]
    assert (plan.under_before, plan.under_after) == (4, 2)
    assert plan.moves == ()  # 11:00 has nowhere over-staffed left to go


def test_a_meeting_stays_inside_its_window_and_out_of_breaks() -> None:
    required, scheduled = meeting_day({"12:30": 2, "14:00": 0})
    assert propose(meeting_crew(latest=13 * 60), required, scheduled).sessions == ()
    # Bob's break sits at 14:00 in this version: the meeting may not cut it.
    required, scheduled = meeting_day({"12:30": 2, "14:00": 0})
    crew_ = meeting_crew(bob_break=14 * 60)
    assert session_move_violations(crew_, "meeting:m1", 14 * 60)
    assert propose(crew_, required, scheduled).sessions == ()


def test_a_meeting_under_way_stays() -> None:
    required, scheduled = meeting_day({"12:30": 2, "14:00": 0})
    assert propose(meeting_crew(), required, scheduled, now=MEETING_AT + 5).sessions == ()


def test_a_meeting_whose_window_runs_into_tomorrow_stays_today() -> None:
    # Window Monday 10:00 to Tuesday 15:00, placed Monday 12:30, short then. Tuesday lies
    # outside the day's figures: moving the meeting there would look like pure gain.
    meeting = Session("meeting:m1", SessionKind.MEETING, 30, PEOPLE, 10 * 60, 1440 + 15 * 60, 30)
    shifts = tuple(
        Assignment(
            w, d, "D", d * 1440 + 480, 480, (Break(d * 1440 + 11 * 60, 30, False),), queue="q"
        )
        for w in PEOPLE
        for d in (0, 1)
    )
    placed = (PlacedSession("meeting:m1", MEETING_AT, 30, PEOPLE),)
    c = crew(shifts, sessions=placed, planned=(meeting,))
    required, scheduled = meeting_day({"12:30": 2})
    plan = propose(c, required, scheduled)
    assert plan.sessions == ()  # nowhere today is over-staffed
    required, scheduled = meeting_day({"12:30": 2, "15:00": 0})
    plan = propose(c, required, scheduled)
    assert [m.new_start_minute for m in plan.sessions] == [15 * 60]


def test_a_break_may_not_move_onto_the_persons_other_break() -> None:
    """A coffee and a lunch on one shift: the coffee may move next to the lunch, not into it
    (break_overlap), so neither a manager's move nor a proposed one puts it there."""
    coffee, lunch = BreakRule(30, 60, 300, 30, paid=True), BreakRule(30, 180, 300, 30)
    two = ShiftTemplate("T", 8 * 60, 8 * 60, (480,), breaks=(coffee, lunch))
    p = Problem(days=7, first_weekday=0, interval_minutes=30, templates=(two,),
                employees=(Employee("ann", Contract()),))  # fmt: skip
    breaks = (Break(10 * 60, 30, True), Break(NOON, 30, False))
    c = Crew("r1", p, (Assignment("ann", 0, "T", 8 * 60, 480, breaks, queue="q"),), None)
    assert break_move_violations(c, "ann", 10 * 60, NOON + 30) == []
    assert [v.rule for v in break_move_violations(c, "ann", 10 * 60, NOON)] == ["break_overlap"]
