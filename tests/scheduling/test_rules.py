"""The rule checker finds every kind of broken roster on its own (no solver involved)."""

from dataclasses import replace

import pytest

from scheduling.rules import check
from scheduling.solver.model import (
    Assignment,
    Break,
    BreakRule,
    CarriedState,
    Contract,
    Employee,
    Pin,
    Problem,
    ShiftTemplate,
)

DAY = ShiftTemplate(
    "D", 8 * 60, 10 * 60, (480, 540), start_step_minutes=30,
    breaks=(BreakRule(30, 180, 300, 15),), weekdays=frozenset(range(5)),
)  # fmt: skip
LATE = ShiftTemplate("L", 15 * 60, 15 * 60, (480,))


def shift(
    day: int, hour: int = 8, template: str = "D", length: int = 480, who: str = "ann"
) -> Assignment:
    return Assignment(who, day, template, day * 1440 + hour * 60, length)


def rules(assignments: list[Assignment], **contract: object) -> set[str]:
    employee = Employee("ann", Contract(**contract))  # type: ignore[arg-type]
    p = Problem(days=14, first_weekday=0, interval_minutes=30, templates=(DAY, LATE),
                employees=(employee,), forbidden_transitions=frozenset({("L", "D")}),
                min_runs_exempt_at_borders=True)  # fmt: skip
    return {v.rule for v in check(p, assignments)}


def test_a_valid_roster_has_no_violations() -> None:
    assert rules([shift(0), shift(1), shift(2)], max_days_per_week=5) == set()


@pytest.mark.parametrize(
    ("assignments", "contract", "rule"),
    [
        ([shift(0), shift(0, hour=9)], {}, "one_shift_per_day"),
        ([shift(0, template="L", hour=15), shift(1, hour=8)], {}, "min_rest"),
        ([shift(0, template="L", hour=15), shift(1, hour=10)], {"min_rest_minutes": 0}, "forbidden_transition"),  # noqa: E501
        ([shift(5)], {}, "template_day"),
        ([shift(0, hour=11)], {}, "template_start"),
        ([shift(0, length=600)], {}, "template_length"),
        ([shift(d) for d in range(4)], {"max_days_per_week": 3}, "max_days_per_week"),
        ([shift(d) for d in range(4)], {"max_minutes_per_week": 3 * 480}, "max_minutes_per_week"),
        ([shift(0)], {"min_minutes_total": 2 * 480}, "min_minutes_total"),
        ([shift(d) for d in (0, 1, 2, 3)], {"max_consecutive_days": 3}, "max_consecutive_days"),
        ([shift(d) for d in (0, 1, 3, 4)], {"min_consecutive_days_off": 2}, "min_consecutive_days_off"),  # noqa: E501
        ([shift(d) for d in (0, 1, 3, 5, 6)], {"min_consecutive_days": 2}, "min_consecutive_days"),
        ([shift(d, template="L", hour=15) for d in (5, 12)], {"max_weekends": 1}, "max_weekends"),
        ([shift(d, template="L", hour=15) for d in (0, 2)], {"max_shifts_per_template": (("L", 1),)}, "max_per_template"),  # noqa: E501
    ],
)  # fmt: skip
def test_each_rule_is_caught(
    assignments: list[Assignment], contract: dict[str, object], rule: str
) -> None:
    assert rule in rules(assignments, **contract)


def test_border_runs_are_exempt_from_minimum_lengths() -> None:
    assert rules([shift(0), shift(13, template="L", hour=15)], min_consecutive_days=2) == set()


def test_carried_state_counts_toward_consecutive_days_and_rest() -> None:
    employee = Employee(
        "ann", Contract(max_consecutive_days=3),
        carried=CarriedState(consecutive_days_worked=3, last_shift_end_minute=-120),
    )  # fmt: skip
    p = Problem(
        days=7, first_weekday=0, interval_minutes=30, templates=(DAY,), employees=(employee,)
    )
    found = {v.rule for v in check(p, [shift(0)])}
    assert found == {"max_consecutive_days", "min_rest"}


def test_breaks_must_sit_in_their_window() -> None:
    good = replace(shift(0), breaks=(Break(8 * 60 + 240, 30, False),))
    bad = replace(shift(1), breaks=(Break(1440 + 8 * 60 + 30, 30, False),))
    assert rules([good]) == set()
    assert rules([bad]) == {"break_window"}
    assert good.paid_minutes == 450


def test_unavailability_skills_pins_and_unknowns() -> None:
    employee = Employee("ann", unavailable_days=frozenset({1}), skills=frozenset({"x"}))
    queue_day = replace(DAY, queue="q")
    p = Problem(
        days=7, first_weekday=0, interval_minutes=30, templates=(queue_day,), employees=(employee,),
        pins=(Pin("ann", 2, "D", 2 * 1440 + 480, 480),),
    )  # fmt: skip
    found = {v.rule for v in check(p, [shift(1), shift(3, who="bob"), shift(4, template="Z")])}
    assert found == {"unavailable", "skill", "unknown_employee", "unknown_template", "pin"}


def _sentences(assignments: list[Assignment], **contract: object) -> dict[str, str]:
    employee = Employee("ann", Contract(**contract))  # type: ignore[arg-type]
    p = Problem(days=14, first_weekday=0, interval_minutes=30, templates=(DAY, LATE),
                employees=(employee,), min_runs_exempt_at_borders=True)  # fmt: skip
    return {v.reason.code: v.message for v in check(p, assignments)}


def test_sentences_give_local_times_and_durations_not_minutes() -> None:
    early = _sentences([shift(0, hour=6)])
    assert early["template_start"] == "D starts between 08:00 and 10:00, not at 06:00"
    off_step = _sentences([replace(shift(0), start_minute=8 * 60 + 10)])
    assert off_step["template_start_step"] == "D starts every 30 min from 08:00, not at 08:10"
    assert (
        _sentences([shift(0, length=650)])["template_length"] == "10 h 50 min is not a length of D"
    )
    week = _sentences([shift(d, length=540) for d in range(5)], max_minutes_per_week=40 * 60)
    assert week["max_minutes_per_week"] == "45 h in the week, 40 h allowed"
    rest = _sentences([shift(0, template="L", hour=15), shift(1, hour=8)])
    assert rest["min_rest"] == "9 h of rest before this shift, 11 h required"


def test_a_break_outside_its_window_says_when_it_may_be() -> None:
    late_break = replace(shift(0), breaks=(Break(8 * 60 + 60, 30, False),))
    text = _sentences([late_break])["break_window"]
    assert text == "the break at 09:00 is outside its window, 11:00 to 13:00"
    odd_length = replace(shift(0), breaks=(Break(12 * 60, 45, False),))
    assert _sentences([odd_length])["break_length"] == "D has no break of 45 min"


def test_breaks_of_one_shift_may_not_overlap() -> None:
    """A person takes one break at a time: a coffee inside the lunch is named once, by the
    later start, whatever order the shift lists them in; breaks end to end are fine."""
    coffee, lunch = BreakRule(15, 60, 240, 15, paid=True), BreakRule(30, 180, 300, 15)
    two = ShiftTemplate("T", 8 * 60, 8 * 60, (480,), breaks=(coffee, lunch))
    p = Problem(days=1, first_weekday=0, interval_minutes=15, templates=(two,),
                employees=(Employee("ann"),))  # fmt: skip

    def found(*breaks: Break) -> list[tuple[str, str]]:
        a = Assignment("ann", 0, "T", 8 * 60, 480, breaks=breaks)
        return [(v.rule, v.message) for v in check(p, [a])]

    at_11 = Break(11 * 60, 30, False)
    assert found(Break(11 * 60 + 15, 15, True), at_11) == [
        ("break_overlap", "the break at 11:15 overlaps the break at 11:00")
    ]
    assert found(Break(11 * 60, 15, True), at_11) == [
        ("break_overlap", "the break at 11:00 overlaps the break at 11:00")
    ]
    assert found(Break(11 * 60 + 30, 15, True), at_11) == []
    assert found(Break(10 * 60 + 45, 15, True), at_11) == []
