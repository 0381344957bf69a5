"""Scale: a named roster for 500 operators x 28 days at 15-minute intervals.

    python bench/roster_scale.py [--operators 500] [--days 28] [--time-limit 30] [--workers 2]
        [--min-hours] [--queues 3]

Synthetic, seeded demand (weekday and intraday peaks) sized to about three quarters of the
team's contracted capacity; shift templates starting every 30 minutes from 07:00 to 15:00,
6, 8 or 9 hours, with a 30-minute lunch placed 3-5 hours in; full-time and part-time
contracts with 11 h rest. `--min-hours`: the contracts also have weekly minimums (32 h
full-time, 16 h part-time), as real ones do; `--queues N`: demand on N queues (shares 50/30/20
% for 3), templates per queue, each operator skilled for one to N of them. Reports the time to
the first complete named roster, its quality against the LP bound (relax.py) and peak memory;
ends with one JSON line.
"""

import argparse
import json
import math
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.rules import check
from scheduling.solver.model import (
    BreakRule,
    Contract,
    Employee,
    IntervalDemand,
    Problem,
    ShiftTemplate,
    Weights,
)
from scheduling.solver.solve import SolveOptions, solve

FULL_TIME = Contract(max_days_per_week=5, max_minutes_per_week=40 * 60, max_consecutive_days=6)
PART_TIME = Contract(max_days_per_week=4, max_minutes_per_week=24 * 60, max_consecutive_days=5)


def scale_problem(
    operators: int, days: int, seed: int = 7, *, min_hours: bool = False, queues: int = 1
) -> Problem:
    rng = np.random.default_rng(seed)
    lunch = BreakRule(30, 180, 300, 15)
    names = [f"q{n}" for n in range(queues)] if queues > 1 else [None]
    templates = tuple(
        ShiftTemplate(f"T{hours}h" + (f"_{queue}" if queue else ""), 7 * 60, 15 * 60,
                      (hours * 60,), start_step_minutes=30, queue=queue,
                      breaks=(lunch,) if hours > 6 else ())
        for queue in names
        for hours in (6, 8, 9)
    )  # fmt: skip
    full, part = FULL_TIME, PART_TIME
    if min_hours:
        full = replace(FULL_TIME, min_minutes_per_week=32 * 60)
        part = replace(PART_TIME, min_minutes_per_week=16 * 60)
    employees = []
    for n in range(operators):
        skills = frozenset()
        if queues > 1:
            count = int(rng.integers(1, queues + 1))
            skills = frozenset(str(q) for q in rng.choice(names, size=count, replace=False))
        employees.append(Employee(id=f"op{n:04d}", contract=full if n % 4 else part, skills=skills))
    capacity_hours = sum(
        (40 if e.contract.max_days_per_week == 5 else 24) * days / 7 for e in employees
    )
    hours = (np.arange(96) + 0.5) / 4
    shape = np.exp(-0.5 * ((hours - 10.5) / 2) ** 2) + 0.8 * np.exp(
        -0.5 * ((hours - 16) / 2.5) ** 2
    )
    shape[(hours < 7.5) | (hours > 22.5)] = 0
    weekday = np.array([1.0, 0.95, 0.92, 0.9, 0.88, 0.55, 0.4])
    raw = np.array([weekday[d % 7] * shape * rng.uniform(0.95, 1.05) for d in range(days)])
    agent_hours = raw.sum() / 4
    scale = 0.72 * capacity_hours / agent_hours
    shares = {1: [1.0], 2: [0.6, 0.4], 3: [0.5, 0.3, 0.2]}.get(queues, [1 / queues] * queues)
    demand = tuple(
        IntervalDemand(
            str(queue) if queue else "calls",
            tuple(tuple(math.ceil(v * scale * share) for v in row) for row in raw),
            1000,
            0,
        )
        for queue, share in zip(names, shares, strict=True)
    )
    return Problem(
        days=days, first_weekday=0, interval_minutes=15, templates=templates,
        employees=tuple(employees), interval_demand=demand, weights=Weights(paid_minute=1),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-hours", action="store_true")
    parser.add_argument("--queues", type=int, default=1)
    args = parser.parse_args()

    problem = scale_problem(args.operators, args.days, min_hours=args.min_hours, queues=args.queues)
    marks: list[tuple[float, float]] = []
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    solution = solve(
        problem,
        SolveOptions(time_limit_seconds=args.time_limit, num_workers=args.workers),
        progress=lambda seconds, objective, bound: marks.append((seconds, objective)),
    )
    wall = time.perf_counter() - started
    first_roster = marks[0][0] if marks else float("nan")
    under = solution.under_agent_intervals
    required = sum(sum(map(sum, d.required)) for d in problem.interval_demand)
    bounds = solution.lower_bounds
    under_bound = bounds.under_agent_intervals if bounds else None
    paid_bound = bounds.paid_minutes / 60 if bounds and bounds.paid_minutes is not None else None
    violations = check(problem, solution.assignments)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    paid_hours = sum(a.paid_minutes for a in solution.assignments) / 60
    print(
        f"{args.operators} operators x {args.days} days x 15-min; {args.workers} workers, "
        f"{args.time_limit:g} s limit"
    )
    for label, value in [
        ("status", solution.status), ("shifts", len(solution.assignments)),
        ("paid hours", f"{paid_hours:.1f}"), ("required agent-hours", f"{required / 4:.1f}"),
        ("paid hours, at least", "-" if paid_bound is None else f"{paid_bound:.1f}"),
        ("under-covered agent-intervals", under),
        ("  at least (LP bound)", "-" if under_bound is None else under_bound),
        ("hard-rule violations", len(violations)),
        ("objective", f"{solution.objective:.0f}"), ("bound", f"{solution.bound:.0f}"),
        ("gap", "unknown" if math.isnan(solution.gap) else f"{solution.gap:.2%}"),
        ("first complete roster", f"{first_roster:.1f} s"), ("wall time", f"{wall:.1f} s"),
        *((f"  {phase}", f"{seconds:.1f} s") for phase, seconds in solution.phase_seconds.items()),
        ("peak memory", f"{peak_mb:.0f} MB"),
        ("1-minute load (start, end)", f"{load_before:.2f}, {os.getloadavg()[0]:.2f}"),
    ]:  # fmt: skip
        print(f"{label:<32}{value}")
    print(json.dumps({
        "operators": args.operators, "days": args.days, "status": str(solution.status),
        "first_roster_seconds": round(first_roster, 2), "wall_seconds": round(wall, 2),
        "min_hours": args.min_hours, "queues": args.queues,
        "objective": solution.objective, "bound": solution.bound,
        "gap": None if math.isnan(solution.gap) else round(solution.gap, 5),
        "phase_seconds": {k: round(v, 2) for k, v in solution.phase_seconds.items()},
        "paid_hours": paid_hours, "paid_hours_bound": paid_bound, "under_agent_intervals": under,
        "under_bound": under_bound, "violations": len(violations),
        "peak_memory_mb": round(peak_mb),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
