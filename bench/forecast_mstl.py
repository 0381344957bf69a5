"""statsforecast's MSTL (seasons 48 and 336) on the same rolling origins as
forecast_accuracy.py, for comparison. statsforecast is not a project dependency:

    python -m venv /tmp/sf && /tmp/sf/bin/pip install statsforecast pandas
    /tmp/sf/bin/python bench/forecast_mstl.py HISTORY_6MIN.csv [--first-origin 1999-04-04]
        [--last-origin 1999-06-20]

Reads `interval_start,calls` at any interval length dividing 30 minutes; ends with a JSON line.
"""

import argparse
import json
import time

import numpy as np
import pandas as pd

try:
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS
except ImportError as exc:  # pragma: no cover - optional tool
    raise SystemExit("statsforecast is needed: pip install statsforecast (see docstring)") from exc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("history")
    parser.add_argument("--first-origin", default="1999-04-04")
    parser.add_argument("--last-origin", default="1999-06-20")
    args = parser.parse_args()
    frame = pd.read_csv(args.history, parse_dates=["interval_start"])
    series = frame.set_index("interval_start")["calls"].resample("30min").sum()
    origins = pd.date_range(args.first_origin, args.last_origin, freq="7D")
    error = actual = 0.0
    started = time.perf_counter()
    for origin in origins:
        past = series[series.index < origin]
        model = MSTL(season_length=[48, 336], trend_forecaster=AutoETS(model="ZNN"))
        data = pd.DataFrame({"unique_id": "q", "ds": past.index, "y": past.values})
        predicted = StatsForecast(models=[model], freq="30min").forecast(df=data, h=336)
        y = series[(series.index >= origin) & (series.index < origin + pd.Timedelta(days=7))]
        error += float(np.abs(y.values - np.clip(predicted["MSTL"].values, 0, None)).sum())
        actual += float(y.sum())
    seconds = (time.perf_counter() - started) / len(origins)
    wape = error / actual
    print(f"MSTL(48, 336) WAPE {wape:.4f} over {len(origins)} origins, {seconds:.2f} s/origin")
    print(json.dumps({"mstl_wape": round(wape, 4), "seconds_per_origin": round(seconds, 2)}))


if __name__ == "__main__":
    main()
