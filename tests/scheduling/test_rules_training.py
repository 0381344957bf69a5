"""The training rules checked without the solver (rules_training.py through rules.check), on
hand-made rosters, and the training contradictions found before solving."""

from dataclasses import replace

import pytest

from scheduling.rules import check
from scheduling.solver.model import (
    Assignment,
    Break,
    BreakRule,
    Employee,
    IntervalDemand,
    PlacedSession,
    Problem,
    Proficiency,
    QueueProficiency,
    Session,
    SessionKind,
    ShiftTemplate,
    Status,
    TraineePlan,
)
from scheduling.solver.solve import SolveOptions, solve
from scheduling.solver.training_precheck import training_contradictions

# A lunch hour at 12:00 and a half-hour between 09:00 and 11:00, either or none.
BREAKS = (BreakRule(60, 240, 240, 60), BreakRule(30, 60, 180, 30))
DAY = ShiftTemplate("D", 8 * 60, 8 * 60, (480,), queue="q", breaks=BREAKS)


def person(name: str, level: Proficiency | None = None) -> Employee:
    levels = (QueueProficiency("q", level),) if level else ()
    return Employee(name, skills=frozenset({"q"}), proficiency=levels)


PEOPLE = (
    person("m", Proficiency.MENTOR),
    person("t1", Proficiency.TRAINEE),
    person("t2", Proficiency.TRAINEE),
    person("t3", Proficiency.TRAINEE),
    person("p"),
)
LESSON = Session("intro", SessionKind.CLASSROOM, 60, ("m", "t1"), 9 * 60, 12 * 60, 60, trainer="m")


def problem(**fields: object) -> Problem:
    row = tuple(2 if 8 <= h < 16 else 0 for h in range(24))
    base = Problem(
        days=1,
        first_weekday=0,
        interval_minutes=60,
        templates=(DAY,),
        employees=PEOPLE,
        interval_demand=(IntervalDemand("q", (row,)),),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def shift(who: str, breaks: tuple[Break, ...] = ()) -> Assignment:
    return Assignment(who, 0, "D", 8 * 60, 480, breaks=breaks, queue="q")


def rules(p: Problem, shifts: list[Assignment], sessions=None) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(v.rule, v.employee) for v in check(p, shifts, sessions=sessions)]


def test_three_trainees_beside_one_mentor_break_pairing_once_for_the_whole_run():
    found = check(problem(), [shift("m"), shift("t1"), shift("t2"), shift("t3")])
    (violation,) = found
    assert violation.rule == "pairing"
    assert (
        violation.message
        == "3 trainees on q from 08:00 to 16:00, room for 2 beside the mentors on the phone"
    )


def test_a_trainee_alone_while_the_mentor_is_on_a_break_breaks_pairing():
    lunch = (Break(12 * 60, 60, False),)
    found = check(problem(), [shift("m", lunch), shift("t1")])
    assert [(v.rule, v.message) for v in found] == [
        (
            "pairing",
            "1 trainees on q from 12:00 to 13:00, room for 0 beside the mentors on the phone",
        )
    ]
    assert rules(problem(), [shift("m", lunch), shift("t1", lunch)]) == []


def test_a_mentor_in_a_session_is_off_the_phone_for_pairing():
    placed = PlacedSession("intro", 9 * 60, 60, ("m",), ("t1",))
    lesson = replace(LESSON, attendees=("m", "t2"), min_attendance_percent=50)
    p = problem(sessions=(lesson,))
    assert rules(p, [shift("m"), shift("t1")], [placed]) == [("pairing", None)]


def test_supervised_minutes_above_and_below_the_plan():
    plans = (
        TraineePlan("t1", "q", 0, 240),
        TraineePlan("t2", "q", 600 * 7, None),
    )
    found = check(problem(trainee_plans=plans), [shift("m"), shift("t1"), shift("t2")])
    assert [(v.rule, v.employee, v.message) for v in found] == [
        ("supervised_above_plan", "t1", "8 h supervised on q in the week, 4 h allowed"),
        ("supervised_below_plan", "t2", "8 h supervised on q in the week, 10 h planned"),
    ]


def test_sessions_are_checked_only_when_their_placements_are_given():
    p = problem(sessions=(LESSON,))
    assert rules(p, [shift("m"), shift("t1")]) == []
    assert rules(p, [shift("m"), shift("t1")], []) == [("session_unplaced", "m")]


@pytest.mark.parametrize(
    ("placed", "shifts", "expected"),
    [
        (PlacedSession("intro", 13 * 60, 60, ("m", "t1")), ["m", "t1"], [("session_window", "m")]),
        (
            PlacedSession("intro", 9 * 60 + 30, 60, ("m", "t1")),
            ["m", "t1"],
            [("session_window", "m")],
        ),
        (
            PlacedSession("intro", 9 * 60, 60, ("m",), ("t1",)),
            ["m", "t1"],
            [("session_attendance", "m"), ("pairing", None)],
        ),
        (
            PlacedSession("intro", 9 * 60, 60, ("t1",), ("m",)),
            ["m", "t1"],
            [("session_attendance", "m"), ("session_trainer", "m")],
        ),
        (PlacedSession("intro", 9 * 60, 60, ("m", "t1")), ["m"], [("session_not_working", "t1")]),
        (
            PlacedSession("nope", 9 * 60, 60, ("m", "t1")),
            ["m", "t1"],
            [("session_unknown", None), ("session_unplaced", "m")],
        ),
    ],
)
def test_each_session_rule_is_caught(placed, shifts, expected):  # type: ignore[no-untyped-def]
    p = problem(sessions=(LESSON,))
    assert rules(p, [shift(w) for w in shifts], [placed]) == expected


def test_a_break_during_a_session_and_two_sessions_at_once_are_caught():
    other = Session("coach", SessionKind.COACHING, 60, ("m",), 9 * 60, 12 * 60, 60, trainer="m")
    p = problem(sessions=(LESSON, other))
    placed = [
        PlacedSession("intro", 9 * 60, 60, ("m", "t1")),
        PlacedSession("coach", 9 * 60, 60, ("m",)),
    ]
    lunch = (Break(9 * 60 + 30, 30, False),)
    assert rules(p, [shift("m"), shift("t1", lunch)], placed) == [
        ("session_break", "t1"),
        ("session_overlap", "m"),
    ]


# --- Before solving ----------------------------------------------------------------------------


def test_a_trainee_with_no_mentor_on_their_queue_is_refused():
    p = problem(employees=(person("t1", Proficiency.TRAINEE), person("p")))
    solution = solve(p, SolveOptions(time_limit_seconds=2))
    assert solution.status == Status.INFEASIBLE
    assert [(c.employee, c.rule) for c in solution.contradictions] == [("t1", "no_mentor")]
    assert "no one in the roster mentors it" in solution.contradictions[0].message


def test_a_trainee_whose_mentors_never_work_their_days_is_refused():
    mentor = replace(person("m", Proficiency.MENTOR), unavailable_days=frozenset({0}))
    p = problem(employees=(mentor, person("t1", Proficiency.TRAINEE)))
    assert [c.rule for c in training_contradictions(p)] == ["no_mentor"]


def test_a_session_longer_than_any_shift_or_of_negative_length_is_refused():
    long = replace(LESSON, length_minutes=600)
    negative = replace(LESSON, id="neg", length_minutes=-30)
    found = training_contradictions(problem(sessions=(long, negative)))
    assert [c.rule for c in found] == ["session", "session"]
    assert found[0].message == "session intro: 600 min is longer than any shift (480 min)"
    assert found[1].message.startswith("session neg: length -30 min")


def test_a_session_whose_window_fits_no_shift_is_refused_with_its_window():
    late = replace(LESSON, earliest_start_minute=15 * 60 + 30, latest_start_minute=16 * 60)
    (found,) = training_contradictions(problem(sessions=(late,)))
    assert found.rule == "session_no_slot"
    assert "from minute 930 to 960" in found.message


def test_a_trainer_in_two_sessions_that_always_overlap_is_refused():
    # 10:30-11:30 and 11:00-12:00 (clear of the nominal breaks at 10:00 and 12:00).
    first = replace(LESSON, earliest_start_minute=10 * 60 + 30, latest_start_minute=10 * 60 + 30)
    second = replace(
        LESSON, id="again", attendees=("m", "t2"), earliest_start_minute=11 * 60,
        latest_start_minute=11 * 60,
    )  # fmt: skip
    found = training_contradictions(problem(sessions=(first, second)))
    assert [(c.employee, c.rule) for c in found] == [("m", "double_booked")]
    apart = replace(second, earliest_start_minute=9 * 60)
    assert training_contradictions(problem(sessions=(first, apart))) == []


def test_a_plan_minimum_above_its_maximum_is_refused():
    plan = TraineePlan("t1", "q", 600, 300)
    (found,) = training_contradictions(problem(trainee_plans=(plan,)))
    assert (found.employee, found.rule) == ("t1", "supervised_minutes")
