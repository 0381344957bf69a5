"""Adherence day by day (review of issue 26, item 4): each day of an operator on its own
source (the ACD's states where that day has any, the punches otherwise), a period's figures
added from its days; a state (or a punch) left open counts no further than now, the day and
the end of the shift it began in, never on to days without a newer state."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.models import ShiftBreak
from tests.conftest import Org
from tests.factories.punches import punch_make
from tests.timeclock.test_adherence import _state, past_shift
from timeclock.adherence import (
    OPEN_STATE_GRACE_MINUTES,
    SOURCE_ACD,
    SOURCE_MIXED,
    SOURCE_NONE,
    SOURCE_PUNCHES,
    Actual,
    Planned,
    Span,
    StateRow,
    figures_total,
    operator_days,
    period_source,
    state_spans,
)
from timeclock.selectors.adherence import adherence_report

AMS = ZoneInfo("Europe/Amsterdam")
DAY = 1440
# Two days, each with a 08:00-16:00 phone shift and a 12:00-12:30 break.
PLANNED = [
    span
    for d in (0, DAY)
    for span in (Span(d + 480, d + 960, Planned.PHONE), Span(d + 720, d + 750, Planned.BREAK))
]
TWO_DAYS = [(0, DAY), (DAY, 2 * DAY)]


def test_each_day_takes_its_own_source_and_the_period_adds_their_minutes() -> None:
    """Punches on day 1 (in 08:20, break 12:00-12:30, out 16:00), ACD states on day 2 (10
    minutes late): day 1 is not absent for want of ACD states."""
    punched = [Span(500, 960, Actual.WORKING), Span(720, 750, Actual.BREAK)]
    acd = [
        Span(DAY + 490, DAY + 720, Actual.PHONE),
        Span(DAY + 720, DAY + 750, Actual.BREAK),
        Span(DAY + 750, DAY + 960, Actual.PHONE),
    ]
    days = operator_days("a", PLANNED, acd, punched, day_bounds=TWO_DAYS, judged_minutes=3 * DAY)
    assert [d.source for d in days] == [SOURCE_PUNCHES, SOURCE_ACD]
    assert [(d.figures.adherent_minutes, d.figures.worked_minutes) for d in days] == [
        (460, 430),
        (470, 440),
    ]
    total = figures_total([d.figures for d in days])
    assert total.adherence_percent == pytest.approx(100 * 930 / 960)
    assert total.conformance_percent == pytest.approx(100 * 870 / 900)
    assert period_source(days) == SOURCE_MIXED
    assert period_source(days[:1]) == SOURCE_PUNCHES
    # Events keep the window's minutes, and only today's last one is ongoing.
    assert [(e.start_minute, e.minutes, e.ongoing) for d in days for e in d.events] == [
        (480, 20, False),
        (DAY + 480, 10, False),
    ]


def test_a_day_without_either_source_is_absent_and_does_not_make_a_period_mixed() -> None:
    acd = [Span(DAY + 480, DAY + 960, Actual.PHONE)]
    days = operator_days("a", PLANNED, acd, [], day_bounds=TWO_DAYS, judged_minutes=3 * DAY)
    assert [d.source for d in days] == [SOURCE_NONE, SOURCE_ACD]
    assert days[0].figures.adherent_minutes == 30  # absent: in adherence only in the break
    assert period_source(days) == SOURCE_ACD


def test_an_event_still_running_today_is_ongoing() -> None:
    acd = [Span(DAY + 480, DAY + 600, Actual.PHONE), Span(DAY + 600, DAY + 660, Actual.NOT_READY)]
    days = operator_days("a", PLANNED, acd, [], day_bounds=TWO_DAYS, judged_minutes=DAY + 660)
    (event,) = days[1].events
    assert (event.start_minute, event.ongoing, event.actual) == (DAY + 600, True, Actual.NOT_READY)


def _spans(states: list[StateRow], judged: int = 5 * DAY) -> list[Span]:
    shifts = [(s, e) for s, e, code in PLANNED if code != Planned.BREAK]
    return state_spans(states, shifts=shifts, day_starts=[0, DAY, 2 * DAY], judged_minutes=judged)


def test_an_open_state_with_no_later_one_counts_to_the_end_of_its_shift() -> None:
    """on_call from 15:00, nothing after: worked to 16:00, then unknown, whenever 'now' is."""
    assert _spans([StateRow(900, None, None, Actual.PHONE)]) == [Span(900, 960, Actual.PHONE)]
    # Its next state only the next morning: the same.
    later = [StateRow(900, None, DAY + 480, Actual.PHONE), StateRow(DAY + 480, None, None, 1)]
    assert _spans(later)[0] == Span(900, 960, Actual.PHONE)
    # Begun outside any shift: the grace after its start.
    assert _spans([StateRow(1200, None, None, Actual.PHONE)]) == [
        Span(1200, 1200 + OPEN_STATE_GRACE_MINUTES, Actual.PHONE)
    ]


def test_an_open_state_ends_at_a_later_state_that_day_and_never_after_now() -> None:
    """A next state the same day is the ACD's word: 15:00-18:00 on the phone is real extra
    work. Today, an open state counts up to now."""
    overtime = [StateRow(900, None, 1080, Actual.PHONE), StateRow(1080, None, None, 0)]
    assert _spans(overtime)[0] == Span(900, 1080, Actual.PHONE)
    assert _spans([StateRow(900, None, None, Actual.PHONE)], judged=930) == [
        Span(900, 930, Actual.PHONE)
    ]
    # A state begun 10 minutes before its shift belongs to it.
    assert _spans([StateRow(470, None, None, Actual.PHONE)]) == [Span(470, 960, Actual.PHONE)]


# --- From the database ---------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


def shift_with_lunch(employee, day: date) -> None:  # type: ignore[no-untyped-def]
    shift = past_shift(employee=employee, day=day, hour=8, hours=8)
    ShiftBreak.objects.create(shift=shift, start=_at(day, 12), end=_at(day, 12, 30))


def punches_then_states(org: Org, first: date) -> None:
    """op_a1: punches on `first` (in 08:20, lunch 12:00-12:30, out 16:00), ACD states the
    day after (10 minutes late, lunch on time, logged out at 16:00)."""
    second = first + timedelta(days=1)
    for day in (first, second):
        shift_with_lunch(org.op_a1, day)
    punch_make(employee=org.op_a1, kind="in", at=_at(first, 8, 20))
    punch_make(employee=org.op_a1, kind="break_start", at=_at(first, 12))
    punch_make(employee=org.op_a1, kind="break_end", at=_at(first, 12, 30))
    punch_make(employee=org.op_a1, kind="out", at=_at(first, 16))
    _state(org.op_a1, "available", _at(second, 8, 10))
    _state(org.op_a1, "break", _at(second, 12), _at(second, 12, 30))
    _state(org.op_a1, "on_call", _at(second, 12, 30))
    _state(org.op_a1, "logged_out", _at(second, 16))


@pytest.mark.django_db
def test_a_period_of_a_punched_day_and_an_acd_day_adds_the_days(org: Org) -> None:
    first, second = date(2026, 12, 1), date(2026, 12, 2)
    punches_then_states(org, first)

    def report(a: date, b: date):  # type: ignore[no-untyped-def]
        (row,) = adherence_report(
            site=org.amsterdam, first=a, last=b, employees=[org.op_a1], now=_at(second, 23)
        ).rows
        return row

    one, two, both = report(first, first), report(second, second), report(first, second)
    assert (one.source, two.source) == ("punches", "acd")
    assert both.source == "mixed"
    assert both.figures == one.figures + two.figures
    assert both.figures.adherence_percent == pytest.approx(100 * 930 / 960)  # was 52.1
    assert both.figures.conformance_percent == pytest.approx(100 * 870 / 900)
    assert [(d.day, d.source) for d in both.days] == [(first, "punches"), (second, "acd")]
    assert len(both.events) == len(one.events) + len(two.events)


@pytest.mark.django_db
def test_a_state_left_open_does_not_count_until_now(org: Org) -> None:
    """on_call from 3 Dec 15:00 with no later state, judged on 5 Dec 23:00: worked to the
    end of the shift (16:00), and nothing on the 4th and 5th (was: conformance 439.8 %)."""
    day = date(2026, 12, 3)
    shift_with_lunch(org.op_a1, day)
    _state(org.op_a1, "available", _at(day, 8), _at(day, 12))
    _state(org.op_a1, "break", _at(day, 12), _at(day, 12, 30))
    _state(org.op_a1, "available", _at(day, 12, 30), _at(day, 15))
    _state(org.op_a1, "on_call", _at(day, 15))
    now = _at(day + timedelta(days=2), 23)
    report = adherence_report(
        site=org.amsterdam, first=day, last=day + timedelta(days=2), employees=[org.op_a1], now=now
    )
    (row,) = report.rows
    assert row.figures.worked_minutes == 450
    assert row.figures.conformance_percent == 100.0
    assert row.source == "acd"
    assert [d.source for d in row.days] == ["acd", "none", "none"]
    # The same state today, at 15:40: up to now.
    today = adherence_report(
        site=org.amsterdam, first=day, last=day, employees=[org.op_a1], now=_at(day, 15, 40)
    )
    assert today.rows[0].figures.worked_minutes == 450 - 20


@pytest.mark.django_db
def test_a_clock_in_without_a_clock_out_does_not_count_until_now(org: Org) -> None:
    day = date(2026, 12, 3)
    shift_with_lunch(org.op_a2, day)
    punch_make(employee=org.op_a2, kind="in", at=_at(day, 8))
    report = adherence_report(
        site=org.amsterdam,
        first=day,
        last=day + timedelta(days=1),
        employees=[org.op_a2],
        now=_at(day + timedelta(days=1), 20),
    )
    (row,) = report.rows
    assert row.figures.worked_minutes == 480  # 08:00-16:00: the lunch was not punched
    assert [d.source for d in row.days] == ["punches", "none"]
