"""The roster's wall-clock axis across DST, the calendar feed text and the cover counts."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from organisation.local_grid import (
    LocalTimeAmbiguous,
    LocalTimeSkipped,
    local_instant,
    wall_instant,
    wall_minute,
)
from scheduling.coverage import interval_cover, uncoverable
from scheduling.icalendar import CalendarEvent, calendar_text, transitions
from scheduling.solver.model import (
    Assignment,
    Break,
    Employee,
    IntervalDemand,
    Problem,
    ShiftTemplate,
)


def test_a_wall_clock_time_is_read_with_the_offset_of_its_day() -> None:
    amsterdam = "Europe/Amsterdam"
    # 17:30 on the Monday after the autumn change is winter time (+01:00), on the Friday
    # before it summer time (+02:00).
    after = local_instant(day=date(2026, 10, 26), wall=time(17, 30), timezone=amsterdam)
    before = local_instant(day=date(2026, 10, 23), wall=time(17, 30), timezone=amsterdam)
    assert after == datetime(2026, 10, 26, 16, 30, tzinfo=UTC)
    assert before == datetime(2026, 10, 23, 15, 30, tzinfo=UTC)
    with pytest.raises(LocalTimeSkipped):
        local_instant(day=date(2026, 3, 29), wall=time(2, 30), timezone=amsterdam)
    with pytest.raises(LocalTimeAmbiguous):
        local_instant(day=date(2026, 10, 25), wall=time(2, 30), timezone=amsterdam)
    first = local_instant(day=date(2026, 10, 25), wall=time(2, 30), timezone=amsterdam, fold=0)
    second = local_instant(day=date(2026, 10, 25), wall=time(2, 30), timezone=amsterdam, fold=1)
    assert (first, second - first) == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        timedelta(hours=1),
    )
    ny = local_instant(day=date(2026, 11, 1), wall=time(1, 30), timezone="America/New_York", fold=1)
    assert ny == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "night", "hours"),
    [
        ("Europe/Paris", date(2025, 3, 29), 7),
        ("Europe/Paris", date(2025, 10, 25), 9),
        ("America/New_York", date(2025, 3, 8), 7),
        ("America/New_York", date(2025, 11, 1), 9),
        ("Europe/Paris", date(2025, 6, 14), 8),
    ],
)
def test_a_22_to_06_shift_lasts_7_or_9_hours_on_change_nights(
    tz: str, night: date, hours: int
) -> None:
    first_day = night - timedelta(days=2)
    start_minute = 2 * 1440 + 22 * 60
    start = wall_instant(minute=start_minute, first_day=first_day, timezone=tz)
    end = wall_instant(minute=start_minute + 8 * 60, first_day=first_day, timezone=tz)
    assert end - start == timedelta(hours=hours)
    assert wall_minute(instant=start, first_day=first_day, timezone=tz) == start_minute
    assert wall_minute(instant=end, first_day=first_day, timezone=tz) == start_minute + 480


def test_vtimezone_lists_the_changes_of_the_feed_span() -> None:
    span = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    changes = transitions(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"), *span)
    assert changes == [
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    ]
    event = CalendarEvent(
        uid="a@wfm",
        start=datetime(2026, 3, 28, 21, 0, tzinfo=UTC),
        end=datetime(2026, 3, 29, 4, 0, tzinfo=UTC),
        summary="Retail NL, phone; night",
        description="break 01:00-01:30",
    )
    text = calendar_text(
        name="Shifts", tz="Europe/Amsterdam", events=[event], now=span[0], span=span
    )
    assert "DTSTART;TZID=Europe/Amsterdam:20260328T220000" in text
    assert "DTEND;TZID=Europe/Amsterdam:20260329T060000" in text  # 7 h across the change
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\n" in text
    assert "TZOFFSETTO:+0200" in text
    assert "BEGIN:STANDARD" in text
    assert "SUMMARY:Retail NL\\, phone\\; night" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def _problem(required: list[int], *, start: int, latest: int) -> Problem:
    template = ShiftTemplate(
        id="day",
        earliest_start_minute=start,
        latest_start_minute=latest,
        lengths_minutes=(240,),
        start_step_minutes=60,
        queue="q",
    )
    return Problem(
        days=1,
        first_weekday=0,
        interval_minutes=60,
        templates=(template,),
        employees=(Employee(id="e"),),
        interval_demand=(IntervalDemand("q", (tuple(required),)),),
    )


def test_uncoverable_lists_intervals_no_template_reaches() -> None:
    required = [0] * 24
    required[9] = required[13] = required[20] = 1
    problem = _problem(required, start=8 * 60, latest=10 * 60)  # on duty 08:00-14:00 at most
    assert uncoverable(problem) == [("q", 0, 20)]


def test_interval_cover_counts_phone_time_without_breaks() -> None:
    required = [0] * 24
    for hour in range(8, 12):
        required[hour] = 1
    problem = _problem(required, start=8 * 60, latest=8 * 60)
    shift = Assignment(
        employee="e",
        day=0,
        template="day",
        start_minute=8 * 60,
        length_minutes=240,
        breaks=(Break(start_minute=10 * 60, length_minutes=60, paid=False),),
        queue="q",
    )
    rows = {row.period: row for row in interval_cover(problem, [shift])}
    assert [rows[h].scheduled for h in range(8, 12)] == [1, 1, 0, 1]
    assert rows[10].under == 1
    assert sum(r.over for r in rows.values()) == 0
