"""Named call-centre roster on a roster-bench instance (../shared/data/roster-bench).

    python bench/roster_callcenter.py INSTANCE.json [--time-limit 30] [--workers 2]
        [--output shifts.json]

`pool_size` operators with the same contract: at most 5 days per Monday-Sunday week, 40 paid
hours per week, 11 h rest, 6 consecutive days; the instance's shifts with their fixed breaks.
Objective: paid time, with every uncovered agent-interval costing more than any shift. The
roster is re-scored here from its shifts alone; prints a table, then a JSON line.
"""

import argparse
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

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

UNDER_WEIGHT = 1000  # per agent-interval short: above the paid minutes of any shift


def to_problem(instance: dict) -> Problem:  # type: ignore[type-arg]
    minutes = instance["interval_minutes"]
    day_start = instance["day_start_minute"]
    templates = []
    for shift in instance["shifts"]:
        start = day_start + shift["start"] * minutes
        breaks = ()
        if shift["break_length"]:
            offset = shift["break_start"] * minutes
            breaks = (BreakRule(shift["break_length"] * minutes, offset, offset),)
        templates.append(
            ShiftTemplate(
                id=shift["name"],
                earliest_start_minute=start,
                latest_start_minute=start,
                lengths_minutes=(shift["length"] * minutes,),
                breaks=breaks,
            )
        )
    periods_per_day = 1440 // minutes
    offset = day_start // minutes
    required = tuple(
        tuple(row[p - offset] if 0 <= p - offset < len(row) else 0 for p in range(periods_per_day))
        for row in instance["required"]
    )
    contract = Contract(
        max_days_per_week=5,
        max_minutes_per_week=40 * 60,
        max_consecutive_days=6,
        min_rest_minutes=11 * 60,
    )
    employees = tuple(Employee(id=str(n), contract=contract) for n in range(instance["pool_size"]))
    return Problem(
        days=instance["num_days"],
        first_weekday=instance["first_weekday"],
        interval_minutes=minutes,
        templates=tuple(templates),
        employees=employees,
        interval_demand=(IntervalDemand("calls", required, UNDER_WEIGHT, 0),),
        weights=Weights(paid_minute=1),
    )


def rescore(instance: dict, shifts: list[dict]) -> dict[str, float]:  # type: ignore[type-arg]
    """Coverage and paid hours from the output shifts alone (intervals from day start)."""
    days, periods = instance["num_days"], instance["periods_per_day"]
    cover = Counter()
    paid_intervals = 0
    for s in shifts:
        worked = set(range(s["start"], s["start"] + s["length"]))
        worked -= set(range(s["break_start"], s["break_start"] + s["break_length"]))
        paid_intervals += s["length"] - s["break_length"]
        for t in worked:
            cover[(s["day"], t)] += 1
    under = over = full = 0
    for d in range(days):
        for p in range(periods):
            need, got = instance["required"][d][p], cover[(d, p)]
            under += max(0, need - got)
            over += max(0, got - need)
            full += got >= need
    return {
        "paid_hours": paid_intervals * instance["interval_minutes"] / 60,
        "under_agent_intervals": under,
        "over_agent_intervals": over,
        "covered_share": full / (days * periods),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--bounds", type=Path)
    args = parser.parse_args()

    instance = json.loads(args.instance.read_text())
    bounds_path = args.bounds or args.instance.parent / "bounds.json"
    bounds = json.loads(bounds_path.read_text()).get(instance["name"], {})
    problem = to_problem(instance)
    started = time.perf_counter()
    solution = solve(
        problem,
        SolveOptions(time_limit_seconds=args.time_limit, num_workers=args.workers, seed=args.seed),
    )
    wall = time.perf_counter() - started
    minutes, day_start = instance["interval_minutes"], instance["day_start_minute"]
    employee_index = {e.id: n for n, e in enumerate(problem.employees)}
    shifts = []
    for a in solution.assignments:
        start = (a.start_minute - a.day * 1440 - day_start) // minutes
        brk = a.breaks[0] if a.breaks else None
        break_start = (brk.start_minute - a.day * 1440 - day_start) // minutes if brk else start
        shifts.append({
            "employee": employee_index[a.employee], "day": a.day, "start": start,
            "length": a.length_minutes // minutes,
            "break_start": break_start,
            "break_length": brk.length_minutes // minutes if brk else 0,
        })  # fmt: skip
    if args.output:
        args.output.write_text(json.dumps({"shifts": shifts}))
    score = rescore(instance, shifts)
    violations = check(problem, solution.assignments)
    mip_hours = bounds.get("mip_hours")
    lower = solution.lower_bounds
    paid_bound = lower.paid_minutes / 60 if lower and lower.paid_minutes is not None else None
    ratio = score["paid_hours"] / mip_hours if mip_hours else None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{instance['name']}: {problem.days} days, {instance['pool_size']} operators, "
        f"{len(problem.templates)} shifts; {args.workers} workers, {args.time_limit:g} s"
    )
    rows = [
        ("status", solution.status), ("paid hours", f"{score['paid_hours']:.2f}"),
        ("MIP hours (anonymous optimum)", mip_hours),
        ("paid / MIP hours", f"{ratio:.4f}" if ratio else "-"),
        ("paid hours, at least (LP)", "-" if paid_bound is None else f"{paid_bound:.2f}"),
        ("under-covered agent-intervals", score["under_agent_intervals"]),
        ("  at least (LP)", lower.under_agent_intervals if lower else "-"),
        ("over-cover agent-intervals", score["over_agent_intervals"]),
        ("intervals fully covered", f"{score['covered_share']:.2%}"),
        ("hard-rule violations", len(violations)),
        ("wall time", f"{wall:.1f} s"), ("peak memory", f"{peak_mb:.0f} MB"),
    ]  # fmt: skip
    for label, value in rows:
        print(f"{label:<32}{value}")
    print(json.dumps({
        "instance": instance["name"], "paid_hours": score["paid_hours"], "mip_hours": mip_hours,
        "ratio": round(ratio, 4) if ratio else None, "paid_hours_bound": paid_bound,
        "under_bound": lower.under_agent_intervals if lower else None,
        "under_agent_intervals": score["under_agent_intervals"],
        "over_agent_intervals": score["over_agent_intervals"],
        "covered_share": round(score["covered_share"], 4), "violations": len(violations),
        "status": str(solution.status), "wall_seconds": round(wall, 2),
        "peak_memory_mb": round(peak_mb),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
