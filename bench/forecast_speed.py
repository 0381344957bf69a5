"""Forecast speed: N queues x a year of 15-minute history, 7 days ahead; Erlang inverse timing.

    python bench/forecast_speed.py [--queues 50] [--days-history 365] [--method auto]

Histories are synthetic (weekly and intraday seasonality, Poisson noise, a few holidays) and
generated before the clock starts. Prints a table, then one JSON line with the figures.
"""

import argparse
import json
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.erlang import ServiceGoal, erlang_c_agents, offered_load
from scheduling.forecast import DayCalendar, History, forecast

FIRST = date(2025, 1, 6)


def synthetic_history(rng: np.random.Generator, days: int, interval_minutes: int) -> History:
    periods = 1440 // interval_minutes
    hours = (np.arange(periods) + 0.5) * interval_minutes / 60
    shape = np.exp(-0.5 * ((hours - 11) / 2.5) ** 2) + 0.7 * np.exp(-0.5 * ((hours - 16) / 2) ** 2)
    shape /= shape.sum()
    weekly = np.array([1.0, 0.95, 0.92, 0.9, 0.85, 0.4, 0.2]) * rng.uniform(500, 5000)
    level = np.array([weekly[(FIRST + timedelta(days=d)).weekday()] for d in range(days)])
    trend = 1 + 0.1 * np.arange(days) / 365
    calls = rng.poisson(level[:, None] * trend[:, None] * shape[None, :]).astype(float)
    aht = rng.uniform(150, 400)
    return History(FIRST, interval_minutes, calls, calls.copy(), calls * aht)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queues", type=int, default=50)
    parser.add_argument("--days-history", type=int, default=365)
    parser.add_argument("--interval-minutes", type=int, default=15)
    parser.add_argument("--horizon-days", type=int, default=7)
    parser.add_argument("--method", default="auto")
    args = parser.parse_args()

    rng = np.random.default_rng(42)
    histories = [
        synthetic_history(rng, args.days_history, args.interval_minutes) for _ in range(args.queues)
    ]
    holidays = frozenset({FIRST + timedelta(days=d) for d in (0, 110, 140, 300)})
    calendar = DayCalendar(holidays)
    start = FIRST + timedelta(days=args.days_history)

    started = time.perf_counter()
    methods: dict[str, int] = {}
    total_calls = 0.0
    forecasts = []
    for history in histories:
        result = forecast(
            history, start=start, days=args.horizon_days, method=args.method, calendar=calendar
        )
        methods[result.method] = methods.get(result.method, 0) + 1
        total_calls += float(result.calls.sum())
        forecasts.append(result)
    forecast_seconds = time.perf_counter() - started

    goal = ServiceGoal(target=0.8, answer_seconds=20, max_occupancy=0.85)
    intervals = 0
    started = time.perf_counter()
    for result in forecasts:
        aht = (
            result.aht_seconds
            if result.aht_seconds is not None
            else np.full_like(result.calls, 180)
        )
        for calls, seconds in zip(result.calls.ravel(), aht.ravel(), strict=True):
            load = offered_load(
                calls=calls, aht_seconds=seconds, interval_minutes=args.interval_minutes
            )
            erlang_c_agents(load=load, aht_seconds=seconds, goal=goal)
            intervals += 1
    erlang_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"{args.queues} queues x {args.days_history} days of {args.interval_minutes}-min history, "
        f"{args.horizon_days} days ahead, method {args.method}"
    )
    print(f"{'forecast, all queues':<32}{forecast_seconds:>10.2f} s")
    print(f"{'forecast, per queue':<32}{forecast_seconds / args.queues * 1000:>10.1f} ms")
    print(f"{'methods chosen':<32}{methods}")
    print(f"{'Erlang C inverse, per interval':<32}{erlang_seconds / intervals * 1000:>10.4f} ms")
    print(f"{'intervals staffed':<32}{intervals:>10}")
    print(f"{'peak memory':<32}{peak_mb:>10.0f} MB")
    print(
        json.dumps(
            {
                "queues": args.queues,
                "forecast_seconds": round(forecast_seconds, 3),
                "erlang_inverse_ms": round(erlang_seconds / intervals * 1000, 5),
                "intervals": intervals,
                "methods": methods,
                "peak_memory_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
