"""Curtois & Qu instances one after another, idle or beside a CPU hog, with the summary the
engine's targets are stated in (issue 20).

    python bench/curtois_suite.py DIR [--instances 1-12] [--time-limit 60] [--workers 2]
        [--hog 0] [--compare IDLE.json] [--output RESULT.json]

Each instance runs in a process of its own (bench/curtois.py, scored by bench/curtois_eval.py).
`--hog N` starts N busy-loop processes for the whole run, each wanting a core, as other work on
a roster job's machine does. Prints per instance the objective, the gap to best known, the
engine's bound, the time to the first roster and the load, then the median and the largest gap.
`--compare` takes an earlier run's --output (e.g. the idle run) and checks the under-load
target: each gap within twice the earlier gap plus 2 points, and no objective above 1.5 times
the earlier one.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _busy() -> None:
    while True:
        pass


def _instances(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def run_one(path: Path, time_limit: float, workers: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench/curtois.py"), str(path),
         "--time-limit", str(time_limit), "--workers", str(workers)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{path.name}: exit {done.returncode}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compare(results: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> list[str]:
    """The instances that miss the under-load target against `earlier` (empty: all held)."""
    before = {r["instance"]: r for r in earlier}
    misses = []
    for r in results:
        b = before.get(r["instance"])
        if b is None or r["gap_percent"] is None or b["gap_percent"] is None:
            continue
        allowed = 2 * max(b["gap_percent"], 0.0) + 2.0
        if r["gap_percent"] > allowed:
            misses.append(f"{r['instance']}: gap {r['gap_percent']:.2f} % > {allowed:.2f} %")
        if r["objective"] > 1.5 * b["objective"]:
            misses.append(f"{r['instance']}: {r['objective']} > 1.5 x {b['objective']}")
    return misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--instances", default="1-12")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hog", type=int, default=0, help="busy-loop processes beside it")
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    hogs = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(args.hog)]
    for hog in hogs:
        hog.start()
    results = []
    try:
        print(f"{'instance':<12}{'objective':>10}{'best':>7}{'gap %':>8}{'bound':>9}"
              f"{'first s':>9}{'load':>12}")  # fmt: skip
        for number in _instances(args.instances):
            r = run_one(args.directory / f"Instance{number}.txt", args.time_limit, args.workers)
            results.append(r)
            gap = "-" if r["gap_percent"] is None else f"{r['gap_percent']:.2f}"
            bound = "-" if r["bound"] is None else f"{r['bound']:g}"
            first = "-" if r["first_roster_seconds"] is None else f"{r['first_roster_seconds']:.1f}"
            load = f"{r['load'][0]:.2f}-{r['load'][1]:.2f}"
            print(f"{r['instance']:<12}{r['objective']:>10}{r['best_known'] or '-':>7}{gap:>8}"
                  f"{bound:>9}{first:>9}{load:>12}", flush=True)  # fmt: skip
    finally:
        for hog in hogs:
            hog.terminate()
    gaps = [r["gap_percent"] for r in results if r["gap_percent"] is not None]
    summary = {
        "time_limit": args.time_limit, "workers": args.workers, "hog": args.hog,
        "median_gap_percent": round(statistics.median(gaps), 3) if gaps else None,
        "max_gap_percent": round(max(gaps), 3) if gaps else None,
        "violations": sum(r["violations"] for r in results),
        "load_at_end": round(os.getloadavg()[0], 2),
    }  # fmt: skip
    print(f"median gap {summary['median_gap_percent']} %, largest {summary['max_gap_percent']} %, "
          f"hard-rule violations {summary['violations']}")  # fmt: skip
    if args.compare:
        misses = compare(results, json.loads(args.compare.read_text())["results"])
        summary["under_load_misses"] = misses
        print("under-load target (gap <= 2 x earlier + 2, objective <= 1.5 x earlier): "
              + ("held" if not misses else "missed: " + "; ".join(misses)))  # fmt: skip
    if args.output:
        args.output.write_text(json.dumps({"summary": summary, "results": results}, indent=1))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
