"""EU working-time rules in elapsed time (R1.11-R1.13)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from scheduling.working_time import WorkPeriod, working_time_issues

FIRST = date(2026, 6, 1)  # a Monday


def shift(day: int, start_hour: float, hours: float, break_minutes: int = 30) -> WorkPeriod:
    start = datetime(2026, 6, 1, tzinfo=UTC) + timedelta(days=day, hours=start_hour)
    return WorkPeriod(start, start + timedelta(hours=hours), break_minutes)


def rules(periods: list[WorkPeriod], **kwargs: object) -> set[str]:
    issues = working_time_issues(
        periods,
        first=FIRST,
        last=FIRST + timedelta(days=6),
        timezone="UTC",
        **kwargs,  # type: ignore[arg-type]
    )
    return {i.rule for i in issues}


@pytest.mark.parametrize(("next_start", "broken"), [(8 + 59 / 60, True), (9, False)])
def test_eleven_hours_of_rest_are_measured_to_the_minute(next_start: float, broken: bool) -> None:
    periods = [shift(0, 14, 8), shift(1, next_start, 8)]  # the first ends 22:00
    assert ("daily_rest" in rules(periods)) == broken


def test_a_week_without_35_hours_of_rest_is_flagged() -> None:
    every_day = [shift(d, 8, 12) for d in range(7)]  # 12 h rest each night only
    assert "weekly_rest" in rules(every_day)
    five_days = [shift(d, 8, 8) for d in range(5)]
    assert "weekly_rest" not in rules(five_days)


def test_a_day_over_six_hours_needs_a_break() -> None:
    assert "break_after_6h" in rules([shift(0, 8, 6 + 1 / 60, break_minutes=0)])
    assert "break_after_6h" not in rules([shift(0, 8, 6, break_minutes=0)])
    assert "break_after_6h" not in rules([shift(0, 8, 9, break_minutes=15)])


def test_the_48_hour_average_over_17_weeks_and_the_opt_out() -> None:
    # 17 weeks of 5 x 10.5 h (50 h of work a week, a 30-min break each day).
    heavy = [shift(d - 7 * w, 7, 10.5) for w in range(17) for d in range(5)]
    assert "average_48h" in rules(heavy)
    assert "average_48h" not in rules(heavy, opted_out_of_48h=True)
    normal = [shift(d - 7 * w, 8, 8.5) for w in range(17) for d in range(5)]
    assert "average_48h" not in rules(normal)


def test_night_workers_average_at_most_eight_hours() -> None:
    long_nights = [shift(d - 7 * w, 21, 10) for w in range(4) for d in range(4)]
    assert "night_worker_average" in rules(long_nights)
    short_nights = [shift(d - 7 * w, 22, 8) for w in range(4) for d in range(4)]
    assert "night_worker_average" not in rules(short_nights)
