"""The review's totals count a day as time runs (pure): on the autumn change day a shift from
local midnight to 06:00 is 7 hours of work and on the phone in both occurrences of the
repeated hour, on the spring day 5 hours and in no interval of the skipped hour; the totals
of (required, scheduled) per interval count each occurrence of the repeated hour."""

from datetime import date, time

import pytest

from organisation.local_grid import local_day_bounds, local_instant, timeline_minute, wall_minute
from scheduling.coverage import cover_totals, phone_periods
from scheduling.solver.model import Assignment, Break

AMSTERDAM = "Europe/Amsterdam"


def _night(day: date, *, break_at: time | None = None, fold: int = 0) -> Assignment:
    """00:00-06:00 local on `day` on the day's time line, a 30-minute unpaid break at
    `break_at` (the `fold`-th occurrence)."""
    origin, _end = local_day_bounds(first_day=day, last_day=day, timezone=AMSTERDAM)
    six = local_instant(day=day, wall=time(6), timezone=AMSTERDAM)
    breaks = ()
    if break_at is not None:
        at = local_instant(day=day, wall=break_at, timezone=AMSTERDAM, fold=fold)
        breaks = (Break(timeline_minute(at, origin), 30, paid=False),)
    return Assignment(
        employee="e",
        day=0,
        template="manual",
        start_minute=0,
        length_minutes=timeline_minute(six, origin),
        breaks=breaks,
        queue="q",
    )


def test_the_autumn_night_is_seven_hours_and_on_the_phone_in_both_repeated_hours() -> None:
    day = date(2026, 10, 25)
    night = _night(day, break_at=time(2), fold=0)
    six = local_instant(day=day, wall=time(6), timezone=AMSTERDAM)
    assert wall_minute(instant=six, first_day=day, timezone=AMSTERDAM) == 360  # the wall clock
    assert night.paid_minutes == 7 * 60 - 30
    periods = phone_periods(night, 30)
    assert periods == [t for t in range(14) if t != 4]  # the first 02:00 is the break
    required = [1, 1, 1, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1]
    scheduled = [int(t in periods) for t in range(14)]
    totals = cover_totals(zip(required, scheduled, strict=True), 30)
    assert totals == {
        "intervals": 14,
        "under_agent_intervals": 3 + 2 + 1 + 1,
        "over_agent_intervals": 0,
        "required_agent_hours": 10.0,
        "scheduled_agent_hours": 6.5,
        "intervals_fully_covered_pct": round(100 * 10 / 14, 2),
    }


def test_the_spring_night_is_five_hours_with_no_interval_in_the_skipped_hour() -> None:
    night = _night(date(2026, 3, 29))
    assert night.paid_minutes == 5 * 60
    assert phone_periods(night, 30) == list(range(10))
    totals = cover_totals([(1, 1)] * 10 + [(0, 0)] * 38, 30)
    assert totals["intervals"] == 10
    assert totals["required_agent_hours"] == totals["scheduled_agent_hours"] == 5.0
    assert totals["intervals_fully_covered_pct"] == 100.0


@pytest.mark.parametrize(
    ("cells", "pct"), [([], 100.0), ([(2, 1), (0, 3)], 50.0), ([(0, 0), (1, 1)], 100.0)]
)
def test_only_intervals_with_demand_or_cover_count(
    cells: list[tuple[int, int]], pct: float
) -> None:
    totals = cover_totals(cells, 15)
    assert totals["intervals"] == sum(1 for r, s in cells if r or s)
    assert totals["intervals_fully_covered_pct"] == pct
    assert totals["over_agent_intervals"] == sum(max(0, s - r) for r, s in cells)
