"""Curtois & Qu shift scheduling benchmark on the roster engine.

    python bench/curtois.py INSTANCE.txt [--time-limit 60] [--workers 2] [--seed 0]
        [--output roster.json]

Parses the instance (CRLF tolerant), maps it onto the engine's own model (shift types become
templates, cover lines headcount demand, the staff table contracts), solves, then re-scores
the roster with bench/curtois_eval.py, which shares no code with the solver. Prints a table
and ends with one JSON line.
"""

import argparse
import json
import math
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.curtois_eval import evaluate
from scheduling.solver.model import (
    Contract,
    Employee,
    HeadcountDemand,
    Problem,
    Request,
    ShiftTemplate,
    Weights,
)
from scheduling.solver.solve import SolveOptions, solve

BEST_KNOWN = {
    "Instance1": 607, "Instance2": 828, "Instance3": 1001, "Instance4": 1716,
    "Instance5": 1143, "Instance6": 1950, "Instance7": 1056, "Instance8": 1300,
    "Instance9": 439, "Instance10": 4631, "Instance11": 3443, "Instance12": 4040,
}  # fmt: skip


def sections(text: str) -> dict[str, list[list[str]]]:
    """SECTION_NAME -> rows of comma-separated fields (comments and blank lines dropped)."""
    result: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("SECTION_"):
            current = line
            result[current] = []
        elif not line:
            current = None if current and result.get(current) else current
        elif not line.startswith("#") and current:
            result[current].append([field.strip() for field in line.split(",")])
    return result


def to_problem(text: str) -> Problem:
    s = sections(text)
    days = int(s["SECTION_HORIZON"][0][0])
    templates, forbidden = [], set()
    for shift_id, length, *rest in s["SECTION_SHIFTS"]:
        # Curtois shifts have no clock times: rest rules are the CannotFollow lists.
        templates.append(
            ShiftTemplate(
                id=shift_id,
                earliest_start_minute=0,
                latest_start_minute=0,
                lengths_minutes=(int(length),),
            )
        )
        for later in rest[0].split("|") if rest and rest[0] else []:
            forbidden.add((shift_id, later))
    days_off = {
        row[0]: frozenset(int(d) for d in row[1:] if d) for row in s.get("SECTION_DAYS_OFF", [])
    }
    employees = []
    for row in s["SECTION_STAFF"]:
        staff_id, max_shifts, max_total, min_total, max_cons, min_cons, min_off, max_weekends = row
        per_template = tuple(
            (name, int(count))
            for name, count in (item.split("=") for item in max_shifts.split("|") if item)
        )
        employees.append(
            Employee(
                id=staff_id,
                contract=Contract(
                    max_minutes_total=int(max_total),
                    min_minutes_total=int(min_total),
                    max_consecutive_days=int(max_cons),
                    min_consecutive_days=int(min_cons),
                    min_consecutive_days_off=int(min_off),
                    max_weekends=int(max_weekends),
                    max_shifts_per_template=per_template,
                    min_rest_minutes=0,
                ),
                unavailable_days=days_off.get(staff_id, frozenset()),
            )
        )
    requests = [
        Request(employee=e, day=int(d), on=on, weight=int(w), template=t)
        for section, on in (
            ("SECTION_SHIFT_ON_REQUESTS", True),
            ("SECTION_SHIFT_OFF_REQUESTS", False),
        )
        for e, d, t, w in s.get(section, [])
    ]
    cover = [
        HeadcountDemand(
            day=int(d), template=t, required=int(r), under_weight=int(u), over_weight=int(o)
        )
        for d, t, r, u, o in s["SECTION_COVER"]
    ]
    return Problem(
        days=days, first_weekday=0, interval_minutes=60, templates=tuple(templates),
        employees=tuple(employees), headcount_demand=tuple(cover),
        forbidden_transitions=frozenset(forbidden), requests=tuple(requests),
        weights=Weights(request=1), min_runs_exempt_at_borders=True,
    )  # fmt: skip


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
    problem = to_problem(text)
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
    print(f"{'wall time':<28}{wall:.1f} s")
    print(json.dumps({
        "instance": name, "objective": evaluation.objective, "engine_objective": solution.objective,
        "bound": bound, "best_known": best,
        "gap_percent": round(gap, 3) if gap is not None else None,
        "violations": len(evaluation.violations), "status": str(solution.status),
        "wall_seconds": round(wall, 2), "peak_memory_mb": round(peak_mb),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
