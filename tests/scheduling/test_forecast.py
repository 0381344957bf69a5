"""Forecasting on synthetic histories whose truth is known: methods, holidays, AHT, bad input."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from scheduling.errors import ForecastInputError
from scheduling.forecast import (
    DayCalendar,
    History,
    backtest,
    forecast,
    history_from_frame,
    holiday_calendar,
    rebin,
)

START = date(2026, 1, 5)  # a Monday
PERIODS = 48
# Calls per day by weekday (Monday first): a busy week and a quiet Sunday.
DAY_LEVEL = np.array([1200, 1100, 1050, 1000, 900, 300, 100], dtype=float)
SHAPE = np.exp(-0.5 * ((np.arange(PERIODS) - 24) / 6.0) ** 2)
SHAPE /= SHAPE.sum()


def synthetic(
    weeks: int,
    *,
    holidays: frozenset[date] = frozenset(),
    noise: bool = True,
    aht: float = 240.0,
) -> History:
    rng = np.random.default_rng(5)
    n = weeks * 7
    expected = np.array([DAY_LEVEL[(START + timedelta(days=d)).weekday()] for d in range(n)])
    for d in range(n):
        if START + timedelta(days=d) in holidays:
            expected[d] = DAY_LEVEL[6]  # a holiday is as quiet as a Sunday
    mean = expected[:, None] * SHAPE[None, :]
    calls = rng.poisson(mean).astype(float) if noise else mean
    return History(START, 30, calls, calls.copy(), calls * aht)


def test_rebin_conserves_volume_across_non_dividing_lengths() -> None:
    six_minute = np.arange(240, dtype=float).reshape(1, 240)
    fifteen = rebin(six_minute, 6, 15)
    assert fifteen.shape == (1, 96)
    assert fifteen.sum() == pytest.approx(six_minute.sum())
    # The first 15 minutes hold the first two 6-minute bins and half the third.
    assert fifteen[0, 0] == pytest.approx(0 + 1 + 2 / 2)


def test_history_from_frame_marks_days_without_data_missing() -> None:
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2026-01-05 08:00", "2026-01-07 08:30"]),
            "calls": [3.0, 4.0],
            "handled_calls": [3.0, 4.0],
            "handle_seconds": [600.0, 800.0],
        }
    )
    history = history_from_frame(frame, source_minutes=30, interval_minutes=60)
    assert history.days == 3
    assert history.calls[0, 8] == 3.0
    assert np.isnan(history.calls[1]).all()
    assert history.calls[2, 8] == 4.0


def test_seasonal_naive_repeats_last_week() -> None:
    history = synthetic(4)
    result = forecast(
        history, start=history.last_day + timedelta(days=1), days=7, method="seasonal_naive"
    )
    np.testing.assert_array_equal(result.calls, history.calls[-7:])


@pytest.mark.parametrize("method", ["weekday_profile", "daily_profile", "auto"])
def test_models_recover_the_weekly_pattern(method: str) -> None:
    history = synthetic(12)
    result = forecast(history, start=history.last_day + timedelta(days=1), days=7, method=method)
    truth = DAY_LEVEL[:, None] * SHAPE[None, :]
    wape = np.abs(result.calls - truth).sum() / truth.sum()
    assert wape < 0.06
    assert result.calls.sum(axis=1) == pytest.approx(DAY_LEVEL, rel=0.05)


def test_auto_reports_the_backtest_it_chose_by() -> None:
    history = synthetic(10)
    result = forecast(history, start=history.last_day + timedelta(days=1), days=7)
    assert set(result.backtest_wape) == {"seasonal_naive", "weekday_profile", "daily_profile"}
    assert result.method == min(result.backtest_wape, key=result.backtest_wape.get)
    assert result.method != "seasonal_naive"


def test_holidays_in_history_do_not_poison_the_weekday() -> None:
    holidays = frozenset({START + timedelta(days=7 * k) for k in (8, 9, 10)})  # three Mondays
    history = synthetic(11, holidays=holidays, noise=False)
    aware = forecast(
        history,
        start=history.last_day + timedelta(days=1),
        days=1,
        method="daily_profile",
        calendar=DayCalendar(holidays),
    )
    assert aware.calls.sum() == pytest.approx(DAY_LEVEL[0], rel=0.01)
    blind = forecast(
        history, start=history.last_day + timedelta(days=1), days=1, method="weekday_profile"
    )
    assert blind.calls.sum() < 0.9 * DAY_LEVEL[0]  # what happens without the calendar


def test_a_holiday_in_the_horizon_is_forecast_as_a_closed_day() -> None:
    history = synthetic(10, noise=False)
    tuesday = history.last_day + timedelta(days=2)
    assert tuesday.weekday() == 1
    result = forecast(
        history,
        start=history.last_day + timedelta(days=1),
        days=7,
        method="daily_profile",
        calendar=DayCalendar(frozenset({tuesday})),
    )
    totals = result.calls.sum(axis=1)
    assert totals[1] == pytest.approx(DAY_LEVEL[6], rel=0.02)  # like the closed Sunday
    # Its eve (Monday) is forecast like the week's short day, not a full Monday.
    assert totals[0] == pytest.approx(DAY_LEVEL[5], rel=0.02)
    assert totals[2] == pytest.approx(DAY_LEVEL[2], rel=0.02)


def test_past_holidays_teach_how_quiet_a_holiday_is() -> None:
    # Past holidays ran at half a Sunday; the next one is forecast at half a Sunday too.
    holidays = {START + timedelta(days=7 * k + 2) for k in (3, 6)}
    history = synthetic(10, holidays=frozenset(holidays), noise=False)
    for day in holidays:
        history.calls[(day - START).days] *= 0.5
    future_holiday = history.last_day + timedelta(days=3)
    result = forecast(
        history,
        start=history.last_day + timedelta(days=1),
        days=7,
        method="daily_profile",
        calendar=DayCalendar(frozenset(holidays | {future_holiday})),
    )
    assert result.calls[2].sum() == pytest.approx(0.5 * DAY_LEVEL[6], rel=0.03)


def test_a_broken_day_is_not_a_normal_day() -> None:
    history = synthetic(10, noise=False)
    history.calls[-7] *= 0.01  # last Monday's feed failed
    result = forecast(
        history, start=history.last_day + timedelta(days=1), days=1, method="daily_profile"
    )
    assert result.calls.sum() == pytest.approx(DAY_LEVEL[0], rel=0.01)


def test_short_history_uses_the_fallback() -> None:
    history = synthetic(1)
    result = forecast(history, start=history.last_day + timedelta(days=1), days=3)
    assert result.method == "fallback"
    assert result.calls.shape == (3, PERIODS)
    assert result.calls.sum() > 0


def test_aht_is_forecast_per_interval_weighted_by_calls() -> None:
    history = synthetic(6, aht=300.0)
    result = forecast(history, start=history.last_day + timedelta(days=1), days=2)
    assert result.aht_seconds is not None
    assert np.allclose(result.aht_seconds, 300.0)


def test_no_aht_when_history_has_none() -> None:
    history = synthetic(6)
    history.handled_calls[:] = 0
    result = forecast(history, start=history.last_day + timedelta(days=1), days=2)
    assert result.aht_seconds is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"days": 0}, "bad_horizon"),
        ({"days": 367}, "bad_horizon"),
        ({"method": "crystal_ball"}, "unknown_method"),
        ({"start_offset": 0}, "start_before_history_end"),
    ],
)
def test_bad_requests_have_stable_codes(kwargs: dict[str, object], code: str) -> None:
    history = synthetic(3)
    offset = int(kwargs.pop("start_offset", 1))  # type: ignore[call-overload]
    params = {"days": 7, "method": "auto"} | kwargs
    with pytest.raises(ForecastInputError) as caught:
        forecast(history, start=history.last_day + timedelta(days=offset), **params)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_backtest_scores_a_perfect_forecast_as_zero() -> None:
    history = synthetic(10, noise=False)
    score = backtest(
        history,
        DayCalendar(),
        method="daily_profile",
        origins=[history.last_day - timedelta(days=13)],
    )
    assert score.wape == pytest.approx(0.0, abs=1e-9)
    assert score.bias == pytest.approx(0.0, abs=1e-9)


def test_country_calendar_comes_from_the_holidays_package() -> None:
    calendar = holiday_calendar("NL", [2026])
    assert date(2026, 12, 25) in calendar.holidays
    assert calendar.day_type(date(2026, 12, 24)) == 8  # Christmas Eve
    assert holiday_calendar(None, [2026]).holidays == frozenset()


def test_the_same_inputs_give_the_same_forecast() -> None:
    history = synthetic(9)
    first = forecast(history, start=history.last_day + timedelta(days=1), days=14)
    second = forecast(history, start=history.last_day + timedelta(days=1), days=14)
    np.testing.assert_array_equal(first.calls, second.calls)
    assert first.method == second.method
