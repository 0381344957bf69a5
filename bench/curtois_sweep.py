"""Sweep the roster engine over generated Curtois & Qu instances, size class by size class.

    python bench/curtois_sweep.py [--time-limit 60] [--workers 2] [--seeds 0] [--runs 1]
        [--classes S20,S40,...] [--reference sweep.json]

Each class is an instance from bench/curtois_gen.py (staff x shift types x days, seeded);
each run solves it, re-scores the roster with bench/curtois_eval.py and prints the objective,
the engine's bound and gap, the time to a first roster, the time in each phase and the share
of the time limit LNS actually had. `--runs N` solves each instance N times with seeds
0..N-1 (the median is reported). `--reference FILE`: a JSON line of an earlier sweep (say,
five runs of 300 s) to compare each class's objective against its best there. Ends with one
JSON line.
"""

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.curtois_eval import evaluate
from bench.curtois_gen import generate
from bench.curtois_read import read_problem
from scheduling.solver.solve import SolveOptions, solve

# name -> (staff, shift types, days). Up to 150 staff x 28 days, then longer horizons.
CLASSES: dict[str, tuple[int, int, int]] = {
    "S20": (20, 3, 28),
    "S40": (40, 6, 28),
    "S60": (60, 10, 28),
    "S100": (100, 16, 28),
    "S120": (120, 18, 28),
    "S150": (150, 24, 28),
    "T150": (150, 32, 28),
    "H30x84": (30, 4, 84),
    "H60x182": (60, 8, 182),
}
DEFAULT = ("S20", "S40", "S60", "S100", "S120", "S150", "T150")


def run_once(text: str, time_limit: float, workers: int, seed: int) -> dict[str, object]:
    problem = read_problem(text)
    marks: list[float] = []
    started = time.perf_counter()
    solution = solve(
        problem,
        SolveOptions(time_limit_seconds=time_limit, num_workers=workers, seed=seed),
        progress=lambda seconds, objective, bound: marks.append(seconds),
    )
    wall = time.perf_counter() - started
    roster: dict[str, list[str | None]] = {e.id: [None] * problem.days for e in problem.employees}
    for a in solution.assignments:
        roster[a.employee][a.day] = a.template
    evaluation = evaluate(text, roster)
    phases = {name: round(seconds, 2) for name, seconds in solution.phase_seconds.items()}
    return {
        "objective": evaluation.objective,
        "violations": len(evaluation.violations),
        "bound": solution.bound if math.isfinite(solution.bound) else None,
        "gap": None if math.isnan(solution.gap) else round(solution.gap, 4),
        "first_roster_seconds": round(marks[0], 2) if marks else None,
        "phases": phases,
        "lns_share": round(solution.phase_seconds.get("lns", 0.0) / time_limit, 3),
        "wall_seconds": round(wall, 2),
    }


def _row(name: str, size: tuple[int, int, int], runs: list[dict[str, object]]) -> str:
    objectives = [int(str(r["objective"])) for r in runs]
    first = runs[0]
    bound = "-" if first["bound"] is None else f"{first['bound']:.0f}"
    gap = "?" if first["gap"] is None else f"{100 * float(str(first['gap'])):.1f}%"
    phases = " ".join(f"{k}={v}" for k, v in dict(first["phases"]).items())  # type: ignore[call-overload]
    return (
        f"{name:<9}{'x'.join(map(str, size)):<11}{statistics.median(objectives):>9.0f}"
        f"{min(objectives):>9}{bound:>9}{gap:>8}{first['first_roster_seconds']!s:>8}"
        f"{first['lns_share']!s:>6}  {phases}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", default="0", help="instance seeds, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="solver seeds per instance")
    parser.add_argument("--classes", default=",".join(DEFAULT))
    parser.add_argument("--reference", type=Path)
    args = parser.parse_args()
    reference = json.loads(args.reference.read_text()) if args.reference else {}

    print(f"{args.workers} workers, {args.time_limit:g} s a run, {args.runs} run(s) an instance")
    print(f"{'class':<9}{'size':<11}{'median':>9}{'best':>9}{'bound':>9}{'gap':>8}"
          f"{'first':>8}{'lns':>6}  phases (s)")  # fmt: skip
    results: dict[str, object] = {}
    for name in args.classes.split(","):
        size = CLASSES[name]
        for instance_seed in (int(s) for s in args.seeds.split(",")):
            text = generate(*size, seed=instance_seed).text
            runs = [run_once(text, args.time_limit, args.workers, s) for s in range(args.runs)]
            key = f"{name}/{instance_seed}"
            print(_row(key, size, runs))
            entry: dict[str, object] = {"size": size, "runs": runs}
            best = reference.get("results", {}).get(key, {}).get("best")
            if best:
                median = statistics.median(int(str(r["objective"])) for r in runs)
                entry["over_reference"] = round(median / best - 1, 4)
                print(f"{'':<9}reference best {best}: median {100 * (median / best - 1):+.1f} %")
            entry["best"] = min(int(str(r["objective"])) for r in runs)
            results[key] = entry
    print(json.dumps({"time_limit": args.time_limit, "workers": args.workers, "results": results}))


if __name__ == "__main__":
    main()
