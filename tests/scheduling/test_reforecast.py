"""The intraday reforecast: the level update (pure) and `manage.py forecast --start DATE-TIME`."""

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from scheduling.errors import BadInterval, ReforecastOutsideHistory
from scheduling.forecast import History
from scheduling.reforecast import (
    DAY_PERSISTENCE,
    GAP_INTERVALS,
    MULTIPLIER_BOUNDS,
    RECENT_SHARE,
    intraday_forecast,
    level_update,
    recent_intervals,
    reforecast,
)

PERIODS = 48


def wall(*fields: int) -> datetime:
    """A local wall-clock time, as the forecaster and the history file speak."""
    return datetime(*fields)  # noqa: DTZ001


FLAT = np.r_[np.zeros(16), np.full(24, 20.0), np.zeros(8)]  # 08:00-20:00, 20 calls a half hour


def test_a_day_running_as_planned_keeps_the_plan() -> None:
    result = reforecast(np.vstack([FLAT, FLAT]), FLAT[:26])
    assert result.update.multiplier_today == pytest.approx(1.0)
    assert np.allclose(result.calls, np.vstack([FLAT, FLAT]))


def test_a_busy_morning_raises_the_rest_of_the_day_less_than_it_ran_over() -> None:
    result = reforecast(np.vstack([FLAT, FLAT, FLAT]), 1.5 * FLAT[:26])
    update = result.update
    assert 1.0 < update.multiplier_today < 1.5
    assert update.multiplier_tomorrow == pytest.approx(
        1 + DAY_PERSISTENCE * (update.multiplier_today - 1)
    )
    assert np.allclose(result.calls[0, :26], 1.5 * FLAT[:26])  # what happened stays
    assert np.allclose(result.calls[0, 26:], FLAT[26:] * update.multiplier_today)
    assert np.allclose(result.calls[2], FLAT)  # the day after tomorrow is left alone


def test_the_weight_grows_as_the_day_passes() -> None:
    weights = [level_update(1.3 * FLAT[:k], FLAT).weight for k in (17, 20, 26, 34)]
    assert weights == sorted(weights)
    assert 0.3 < weights[1] < 0.5  # 10:00: a sixth of the day gone, about half the weight
    assert 0.55 < weights[2] < 0.8  # 13:00


def test_before_the_first_call_nothing_moves() -> None:
    update = level_update(np.zeros(10), FLAT)
    assert update.weight == 0.0
    assert update.multiplier_today == 1.0


def test_a_quiet_queue_moves_little_on_few_calls() -> None:
    quiet = FLAT / 20  # one call a half hour
    busy_update = level_update(2 * FLAT[:20], FLAT)
    quiet_update = level_update(2 * quiet[:20], quiet)
    assert quiet_update.weight < busy_update.weight / 2


@given(st.floats(min_value=0, max_value=1000), st.integers(min_value=0, max_value=PERIODS))
def test_the_multiplier_stays_between_one_and_the_bounded_ratio(scale: float, k: int) -> None:
    update = level_update(scale * FLAT[:k] / 20, FLAT)
    bottom, top = MULTIPLIER_BOUNDS
    assert bottom <= update.multiplier_today <= top
    ratio = update.actual_so_far / update.base_so_far if update.base_so_far else 1.0
    low, high = sorted((1.0, min(max(ratio, bottom), top)))
    assert low - 1e-9 <= update.multiplier_today <= high + 1e-9


def test_the_last_hours_count_more_than_the_early_morning() -> None:
    """Two mornings with the same total: the one that is busy now moves the afternoon up."""
    k = 26  # 13:00; calls from 08:00 (interval 16)
    recent = recent_intervals(PERIODS)
    late = FLAT[:k].copy()
    early = FLAT[:k].copy()
    late[k - recent : k] *= 1.5
    early[16 : 16 + recent] *= 1.5
    assert late.sum() == pytest.approx(early.sum())
    busy_now, busy_then = level_update(late, FLAT), level_update(early, FLAT)
    assert busy_now.multiplier_today > 1.0
    assert busy_then.multiplier_today < busy_now.multiplier_today
    day_ratio = late.sum() / FLAT[:k].sum()
    assert busy_now.ratio == pytest.approx((1 - RECENT_SHARE) * day_ratio + RECENT_SHARE * 1.5)


def test_a_recorded_gap_in_the_morning_gives_no_update() -> None:
    """Hours of zeros where calls were planned are a missing recording, not a quiet day."""
    morning = 1.4 * FLAT[:26]
    morning[18 : 18 + GAP_INTERVALS] = 0.0
    update = level_update(morning, FLAT)
    assert update.gap
    assert update.weight == 0.0
    assert update.multiplier_today == 1.0
    result = reforecast(np.vstack([FLAT, FLAT]), morning)
    assert np.allclose(result.calls[0, 26:], FLAT[26:])
    assert np.allclose(result.calls[1], FLAT)


def test_a_short_quiet_spell_is_not_a_gap() -> None:
    morning = 1.4 * FLAT[:26]
    morning[18 : 18 + GAP_INTERVALS - 1] = 0.0
    update = level_update(morning, FLAT)
    assert not update.gap
    assert update.multiplier_today != 1.0


def test_zeros_before_the_queue_opens_are_not_a_gap() -> None:
    update = level_update(1.2 * FLAT[:26], FLAT)  # midnight to 08:00 planned and recorded zero
    assert not update.gap
    assert update.multiplier_today > 1.0


def test_the_recent_window_is_three_hours_at_any_interval_length() -> None:
    assert [recent_intervals(p) for p in (24, 48, 96, 240)] == [3, 6, 12, 30]
    assert recent_intervals(4) == 1


@given(st.floats(min_value=0.1, max_value=10), st.floats(min_value=0.1, max_value=10))
def test_the_update_does_not_depend_on_the_units_of_the_calls(scale: float, level: float) -> None:
    """Scaling plan and calls together leaves the ratio (not the Poisson weight) alone."""
    one = level_update(level * FLAT[:26], FLAT)
    other = level_update(scale * level * FLAT[:26], scale * FLAT)
    assert one.ratio == pytest.approx(other.ratio)
    assert (one.multiplier_today - 1.0) * (other.multiplier_today - 1.0) >= 0.0


def _history(days: int, last_day_calls: np.ndarray | None = None) -> History:
    calls = np.tile(FLAT, (days, 1))
    if last_day_calls is not None:
        calls[-1] = last_day_calls
    zeros = np.zeros_like(calls)
    return History(date(2026, 1, 5), 30, calls, zeros, zeros)


def test_intraday_forecast_runs_from_the_start_to_the_end_of_the_last_day() -> None:
    history = _history(42, 1.2 * FLAT)
    start = wall(2026, 2, 15, 13, 0)  # the history's last day
    result = intraday_forecast(history, start=start, days=2)
    assert len(result.calls) == PERIODS - 26 + PERIODS
    assert result.interval_starts()[0] == start
    assert result.interval_starts()[-1] == wall(2026, 2, 16, 23, 30)
    assert result.update.multiplier_today > 1.05
    # What follows the start in the history is never read.
    later = _history(42, np.r_[1.2 * FLAT[:26], np.full(22, 999.0)])
    assert np.allclose(intraday_forecast(later, start=start, days=2).calls, result.calls)


@pytest.mark.parametrize(
    ("start", "error"),
    [
        (wall(2026, 2, 16, 10, 0), ReforecastOutsideHistory),  # after the history
        (wall(2026, 1, 5, 10, 0), ReforecastOutsideHistory),  # its first day: no base
        (wall(2026, 2, 15, 0, 0), ReforecastOutsideHistory),  # midnight: a day forecast
        (wall(2026, 2, 15, 10, 10), BadInterval),  # not on the half hour
    ],
)
def test_intraday_forecast_refuses_a_start_outside_the_history(
    start: datetime, error: type[Exception]
) -> None:
    with pytest.raises(error):
        intraday_forecast(_history(42), start=start, days=1)


def _history_file(path: Path, *, until: datetime, busy: float = 1.0) -> Path:
    rows = ["interval_start,calls,aht_seconds"]
    first = until.date() - timedelta(days=41)
    moment = datetime.combine(first, datetime.min.time())
    while moment < until:
        half_hour = moment.hour * 2 + moment.minute // 30
        scale = busy if moment.date() == until.date() else 1.0
        rows.append(f"{moment:%Y-%m-%d %H:%M},{FLAT[half_hour] * scale:g},180")
        moment += timedelta(minutes=30)
    path.write_text("\n".join(rows) + "\n")
    return path


def test_forecast_command_reforecasts_from_a_time_of_day(tmp_path: Path) -> None:
    start = wall(2026, 3, 4, 13, 0)
    history = _history_file(tmp_path / "history.csv", until=start, busy=1.5)
    output = tmp_path / "out.csv"
    call_command(
        "forecast",
        "--history", str(history), "--start", "2026-03-04T13:00", "--days", "2",
        "--interval-minutes", "30", "--output", str(output),
    )  # fmt: skip
    lines = output.read_text().splitlines()
    assert lines[0] == "interval_start,calls,aht_seconds"
    assert lines[1].startswith("2026-03-04 13:00,")
    assert lines[-1].startswith("2026-03-05 23:30,")
    assert len(lines) == 1 + (PERIODS - 26) + PERIODS
    first_value = float(lines[1].split(",")[1])
    assert 20 < first_value < 30  # above plan, by less than the morning's 50 %


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("2026-03-04T15:00", "reforecast_outside_history"),  # the file ends at 13:00
        ("2026-03-06T10:00", "reforecast_outside_history"),  # a day the file lacks
        ("2026-03-04T12:10", "bad_interval"),
    ],
)
def test_forecast_command_refuses_a_start_the_history_does_not_reach(
    tmp_path: Path, start: str, code: str
) -> None:
    history = _history_file(tmp_path / "history.csv", until=wall(2026, 3, 4, 13, 0))
    output = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=code):
        call_command(
            "forecast",
            "--history", str(history), "--start", start, "--days", "1",
            "--interval-minutes", "30", "--output", str(output),
        )  # fmt: skip
    assert not output.exists()
