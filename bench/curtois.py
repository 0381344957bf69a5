"""Curtois & Qu shift scheduling benchmark on the roster engine.

    python bench/curtois.py INSTANCE.txt [--time-limit 60] [--workers 2] [--seed 0]
        [--output roster.json]

Reads the instance (bench/curtois_read.py: a bad file is refused with the line, exit 2,
nothing solved), maps it onto the engine's own model, solves, then re-scores
the roster with bench/curtois_eval.py, which shares no code with the solver. Prints a table
and ends with one JSON line.
"""

import argparse
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.curtois_eval import evaluate
from bench.curtois_read import InstanceError, read_problem
from scheduling.solver.solve import SolveOptions, solve

to_problem = read_problem  # the name the tests and other benchmarks know

BEST_KNOWN = {
    "Instance1": 607, "Instance2": 828, "Instance3": 1001, "Instance4": 1716,
    "Instance5": 1143, "Instance6": 1950, "Instance7": 1056, "Instance8": 1300,
    "Instance9": 439, "Instance10": 4631, "Instance11": 3443, "Instance12": 4040,
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--log", action="store_true")
    args = parser.parse_args()

    text = args.instance.read_text()
    try:
        problem = read_problem(text)
    except InstanceError as error:
        print(f"error: {args.instance}: {error}", file=sys.stderr)
        sys.exit(2)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    solution = solve(
        problem,
        SolveOptions(time_limit_seconds=args.time_limit, num_workers=args.workers,
                     seed=args.seed, log=args.log),
    )  # fmt: skip
    wall = time.perf_counter() - started
    roster: dict[str, list[str | None]] = {e.id: [None] * problem.days for e in problem.employees}
    for a in solution.assignments:
        roster[a.employee][a.day] = a.template
    if args.output:
        args.output.write_text(json.dumps({"roster": roster}, indent=1))
    evaluation = evaluate(text, roster)
    name = args.instance.stem
    best = BEST_KNOWN.get(name)
    gap = (evaluation.objective - best) / best * 100 if best else None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name}: {len(problem.employees)} staff, {problem.days} days, "
        f"{len(problem.templates)} shift types; {args.workers} workers, {args.time_limit:g} s"
    )
    print(f"{'status':<28}{solution.status}")
    print(f"{'objective (engine)':<28}{solution.objective:g}")
    print(f"{'objective (evaluator)':<28}{evaluation.objective}")
    bound = solution.bound if math.isfinite(solution.bound) else None  # None: no full solve
    print(f"{'lower bound (engine)':<28}{'-' if bound is None else f'{bound:g}'}")
    print(f"{'best known':<28}{best if best is not None else '-'}")
    print(f"{'gap to best known':<28}{f'{gap:.2f} %' if gap is not None else '-'}")
    print(f"{'hard-rule violations':<28}{len(evaluation.violations)}")
    for violation in evaluation.violations[:10]:
        print(f"  {violation}")
    engine_gap = None if math.isnan(solution.gap) else solution.gap * 100
    print(f"{'gap to own bound':<28}{'unknown' if engine_gap is None else f'{engine_gap:.2f} %'}")
    first = solution.progress[0][0] if solution.progress else None
    print(f"{'first roster':<28}{'-' if first is None else f'{first:.1f} s'}")
    phases = {k: round(v, 2) for k, v in solution.phase_seconds.items()}
    for phase, seconds in phases.items():
        print(f"  {phase:<26}{seconds:.1f} s")
    lns_share = phases.get("lns", 0.0) / args.time_limit
    print(f"{'LNS share of the limit':<28}{lns_share:.0%}")
    print(f"{'1-minute load (start, end)':<28}{load_before:.2f}, {os.getloadavg()[0]:.2f}")
    print(f"{'wall time':<28}{wall:.1f} s")
    print(json.dumps({
        "instance": name, "objective": evaluation.objective, "engine_objective": solution.objective,
        "bound": bound, "best_known": best,
        "gap_percent": round(gap, 3) if gap is not None else None,
        "violations": len(evaluation.violations), "status": str(solution.status),
        "wall_seconds": round(wall, 2), "peak_memory_mb": round(peak_mb),
        "engine_gap_percent": None if engine_gap is None else round(engine_gap, 3),
        "first_roster_seconds": first, "phase_seconds": phases,
        "lns_share": round(lns_share, 3),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
