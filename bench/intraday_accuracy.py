"""Intraday reforecast accuracy: rest-of-day WAPE of the reforecast against the week-ahead plan.

    python bench/intraday_accuracy.py HISTORY.csv [--first-day 1999-03-01] [--last-day 1999-06-30]
        [--cuts 10:00,13:00] [--weekdays 0,1,2,3,4] [--method auto] [--interval-minutes 30]
        [--country IL]

For every chosen weekday (0 = Monday; default Monday-Friday) from the first to the last day and
at each cut time: the plan is the week-ahead forecast of the method (history up to seven days
before the day); the reforecast (scheduling/reforecast.py) updates a forecast from every full
day before today (same method) with today's calls up to the cut; "plan updated" applies the same
level update to the week-ahead plan itself (what the update alone is worth); "oracle lvl" scales
the plan by the rest of the day's true total (the best any level update could do); "noise
floor" is the WAPE a forecast of each interval's true Poisson rate would still have, E|X - r| / r
summed over the intervals with r taken as the calls that came (Poisson noise alone; real calls
are burstier, so the true floor is higher). WAPE is over the intervals from the cut to
midnight. Days without data are skipped and counted. Prints a table, then one JSON line with
the figures.
"""

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.forecast import History, forecast, history_from_frame, holiday_calendar
from scheduling.history_csv import read_history
from scheduling.reforecast import intraday_forecast, reforecast

VARIANTS = ("plan", "reforecast", "plan_updated", "level_oracle")


@dataclass
class CutScore:
    """Sums over days at one cut time."""

    actual: float = 0.0
    errors: dict[str, float] = field(default_factory=lambda: dict.fromkeys(VARIANTS, 0.0))
    days: int = 0
    worse_days: int = 0  # reforecast's rest-of-day error above the plan's
    noise: float = 0.0  # expected absolute error of a perfect-rate forecast

    def wape(self, variant: str) -> float:
        return self.errors[variant] / self.actual if self.actual else float("nan")


def week_ahead(history: History, day: date, method: str, calendar) -> np.ndarray:
    """The plan: the forecast made seven days before, from the history up to then."""
    origin = day - timedelta(days=6)
    return forecast(
        history.until(origin), start=origin, days=7, method=method, calendar=calendar
    ).calls[6]


def poisson_mean_abs_deviation(rate: float) -> float:
    """E|X - rate| for X ~ Poisson(rate): 2 rate^(m+1) e^-rate / m!, m = floor(rate)."""
    if rate <= 0:
        return 0.0
    m = math.floor(rate)
    return 2 * math.exp((m + 1) * math.log(rate) - rate - math.lgamma(m + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("history")
    parser.add_argument("--first-day", default="1999-03-01")
    parser.add_argument("--last-day", default="1999-06-30")
    parser.add_argument("--cuts", default="10:00,13:00")
    parser.add_argument("--weekdays", default="0,1,2,3,4")
    parser.add_argument("--method", default="auto")
    parser.add_argument("--interval-minutes", type=int, default=30)
    parser.add_argument("--country", default="IL")
    args = parser.parse_args()

    counts = read_history(Path(args.history).read_bytes())
    history = history_from_frame(
        counts.frame, source_minutes=counts.interval_minutes, interval_minutes=args.interval_minutes
    )
    first, last = date.fromisoformat(args.first_day), date.fromisoformat(args.last_day)
    calendar = holiday_calendar(args.country, range(first.year - 1, last.year + 2))
    weekdays = {int(w) for w in args.weekdays.split(",")}
    cuts = {
        c: (int(c[:2]) * 60 + int(c[3:])) // args.interval_minutes for c in args.cuts.split(",")
    }
    scores = {c: CutScore() for c in cuts}
    step = timedelta(minutes=args.interval_minutes)
    skipped = 0
    started = time.perf_counter()
    day = first
    while day <= min(last, history.last_day):
        row = history.calls[(day - history.first_day).days]
        if day.weekday() in weekdays:
            if np.isnan(row).any() or row.sum() <= 0:
                skipped += 1
            else:
                plan = week_ahead(history, day, args.method, calendar)
                for name, k in cuts.items():
                    start = datetime.combine(day, datetime.min.time()) + k * step
                    fresh = intraday_forecast(
                        history, start=start, days=1, method=args.method, calendar=calendar
                    )
                    score_day(scores[name], row, plan, fresh.calls, k)
        day += timedelta(days=1)
    seconds = time.perf_counter() - started
    report(args, scores, skipped, seconds)


def score_day(
    score: CutScore, actual: np.ndarray, plan: np.ndarray, rest_forecast: np.ndarray, k: int
) -> None:
    """Add one day at one cut: `rest_forecast` is the reforecast from the cut to midnight."""
    rest = actual[k:]
    if rest.sum() <= 0:
        return
    predicted = {
        "plan": plan[k:],
        "reforecast": rest_forecast,
        "plan_updated": reforecast(plan[None, :], actual[:k]).calls[0, k:],
        # What the best level update could do: the plan scaled by the rest's true total.
        "level_oracle": plan[k:] * (rest.sum() / plan[k:].sum() if plan[k:].sum() else 1.0),
    }
    errors = {v: float(np.abs(rest - p).sum()) for v, p in predicted.items()}
    score.actual += float(rest.sum())
    for v in VARIANTS:
        score.errors[v] += errors[v]
    score.days += 1
    score.worse_days += errors["reforecast"] > errors["plan"]
    score.noise += sum(poisson_mean_abs_deviation(float(r)) for r in rest)


def report(args, scores: dict[str, CutScore], skipped: int, seconds: float) -> None:
    print(
        f"{Path(args.history).name}: {args.first_day}..{args.last_day}, weekdays {args.weekdays}, "
        f"method {args.method}, {args.interval_minutes}-min intervals, holidays {args.country}; "
        f"{skipped} day(s) without data skipped; {seconds:.1f} s"
    )
    header = (
        f"{'cut':<7}{'days':>6}{'plan':>9}{'reforecast':>12}{'plan upd.':>11}"
        f"{'lower by':>10}{'worse days':>12}{'oracle lvl':>12}{'noise floor':>13}"
    )
    print("rest-of-day WAPE")
    print(header)
    print("-" * len(header))
    figures = {}
    for name, s in scores.items():
        gain = 1 - s.wape("reforecast") / s.wape("plan")
        worse = s.worse_days / s.days if s.days else float("nan")
        noise = s.noise / s.actual if s.actual else float("nan")
        print(
            f"{name:<7}{s.days:>6}{s.wape('plan'):>9.3f}{s.wape('reforecast'):>12.3f}"
            f"{s.wape('plan_updated'):>11.3f}{gain:>10.1%}{worse:>12.1%}"
            f"{s.wape('level_oracle'):>12.3f}{noise:>13.3f}"
        )
        figures[name] = {
            "days": s.days,
            "plan_wape": round(s.wape("plan"), 4),
            "reforecast_wape": round(s.wape("reforecast"), 4),
            "plan_updated_wape": round(s.wape("plan_updated"), 4),
            "level_oracle_wape": round(s.wape("level_oracle"), 4),
            "lower_by": round(gain, 4),
            "worse_day_share": round(worse, 4),
            "poisson_noise_floor_wape": round(noise, 4),
        }
    name = Path(args.history).name
    print(json.dumps({"history": name, "skipped_days": skipped, "cuts": figures}))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
