"""Rolling-origin forecast accuracy: WAPE, open-hours WAPE, daily WAPE and bias per method.

    python bench/forecast_accuracy.py HISTORY.csv [--first-origin 1999-04-04]
        [--last-origin 1999-06-20] [--horizon-days 7] [--interval-minutes 30] [--country IL]

Origins every 7 days from the first to the last origin; each forecasts `horizon-days` ahead from
the history before it. Prints a table, then one JSON line with the figures.
"""

import argparse
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.forecast import (
    BacktestScore,
    History,
    backtest,
    history_from_frame,
    holiday_calendar,
    open_hours,
)
from scheduling.history_csv import read_history

METHODS = ("seasonal_naive", "weekday_profile", "daily_profile", "auto")


def plain_eight_week_average(history: History, origins: list[date], horizon: int) -> BacktestScore:
    """The textbook reference: mean of the same interval over the last 8 same weekdays, with no
    holiday or outlier handling at all."""
    score = BacktestScore()
    for origin in origins:
        k = (origin - history.first_day).days
        actual = history.calls[k : k + horizon]
        lags = [k + i - 7 * w for i in range(horizon) for w in range(1, 9)]
        predicted = history.calls[lags].reshape(horizon, 8, -1).mean(axis=1)
        score = score.add(actual, predicted, open_hours(history.until(origin), origin, horizon))
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("history")
    parser.add_argument("--first-origin", default="1999-04-04")
    parser.add_argument("--last-origin", default="1999-06-20")
    parser.add_argument("--horizon-days", type=int, default=7)
    parser.add_argument("--interval-minutes", type=int, default=30)
    parser.add_argument("--country", default="IL")
    args = parser.parse_args()

    counts = read_history(Path(args.history).read_bytes())
    history = history_from_frame(
        counts.frame, source_minutes=counts.interval_minutes, interval_minutes=args.interval_minutes
    )
    first, last = date.fromisoformat(args.first_origin), date.fromisoformat(args.last_origin)
    origins = [first + timedelta(days=7 * k) for k in range((last - first).days // 7 + 1)]
    calendar = holiday_calendar(args.country, range(history.first_day.year - 1, last.year + 2))
    rows: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    reference = plain_eight_week_average(history, origins, args.horizon_days)
    rows["8wk_average_plain"] = figures(reference, time.perf_counter() - started, len(origins))
    for method in METHODS:
        started = time.perf_counter()
        score = backtest(
            history, calendar, method=method, origins=origins, horizon_days=args.horizon_days
        )
        rows[method] = figures(score, time.perf_counter() - started, len(origins))

    print(
        f"{Path(args.history).name}: {len(origins)} origins {first}..{last}, "
        f"{args.horizon_days} days ahead, {args.interval_minutes}-min intervals, "
        f"holidays {args.country or 'none'}"
    )
    header = f"{'method':<20}{'WAPE':>8}{'open':>8}{'daily':>8}{'bias':>8}{'s/origin':>10}"
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(
            f"{name:<20}{row['wape']:>8.3f}{row['open_wape']:>8.3f}{row['daily_wape']:>8.3f}"
            f"{row['bias']:>+8.3f}{row['seconds_per_origin']:>10.3f}"
        )
    naive = rows["seasonal_naive"]["wape"]
    print(f"auto / seasonal naive = {rows['auto']['wape'] / naive:.3f}")
    print(json.dumps({"origins": len(origins), "methods": rows}))


def figures(score: BacktestScore, seconds: float, origins: int) -> dict[str, float]:
    return {
        "wape": round(score.wape, 4),
        "open_wape": round(score.open_wape, 4),
        "daily_wape": round(score.daily_wape, 4),
        "bias": round(score.bias, 4),
        "seconds_per_origin": round(seconds / max(origins, 1), 4),
    }


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
