"""A demo site's week roster against its bound and, optionally, its proven least under-cover.

    python bench/roster_site_gap.py [--site Amsterdam] [--time-limit 30] [--seed 0]
        [--optimum SECONDS]

Loads the demo organisation into a fresh SQLite database in a temporary directory, forecasts
the demo's week, loads the site templates and builds the site's roster input as
`manage.py build_roster --site S` does (no training set up: the ordinary solve), then
solves it with the product's settings (2 workers). Prints the roster's under-cover, the
reported bound ("at least Y unavoidable") and the gap; with `--optimum`, CP-SAT also
minimises under-cover alone on the model with breaks placed by it (build(break_choices=
True), exact for cover) for that many seconds, and the roster it finds is re-checked by
rules.py and re-scored from its shifts. Ends with one JSON line.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="Amsterdam")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--optimum", type=float, default=0.0, help="CP-SAT seconds (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        os.environ["WFM_VAR_DIR"] = var
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
        os.environ.setdefault("DJANGO_DEBUG", "1")
        problem = site_problem(args.site, Path(var))
        figures = roster(problem, args.time_limit, args.seed)
        if args.optimum:
            figures["optimum"] = least_under_cover(problem, args.optimum)
    print(json.dumps(figures))


def site_problem(name: str, out: Path) -> Any:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from fixtures.demo_organisation import demo_organisation
    from organisation.demo import demo_organisation_load
    from organisation.models import Site
    from scheduling.demo import demo_forecast_stage
    from scheduling.demo_rosters import demo_templates_load
    from scheduling.selectors.roster_problem import roster_problem_build
    from scheduling.selectors.rosters import scope_key
    from wfm.celery import app
    from wfm.management.commands.demo import _dst_week

    call_command("migrate", verbosity=0)
    app.conf.task_always_eager = True
    demo_organisation_load(spec=demo_organisation(), password="bench")
    start = _dst_week(timezone.localdate())
    demo_forecast_stage(start=start, out_dir=out)
    demo_templates_load()
    site = Site.objects.get(name=name)
    planned = datetime.combine(start - timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    built = roster_problem_build(
        site=site, team=None, first_day=start, days=7, now=planned,
        exclude_series=scope_key(site=site, team=None),
    )  # fmt: skip
    print(f"{name}, week of {start}: {len(built.problem.employees)} operators")
    return built.problem


def roster(problem: Any, limit: float, seed: int) -> dict[str, Any]:
    from scheduling.solver.search import SolveOptions
    from scheduling.solver.solve import solve

    began = time.perf_counter()
    solution = solve(problem, SolveOptions(time_limit_seconds=limit, num_workers=2, seed=seed))
    bounds = solution.lower_bounds
    least = bounds.under_agent_intervals if bounds is not None else None
    short = solution.under_agent_intervals
    gap = None if not least or not short else (short - least) / short
    first = solution.progress[0][0] if solution.progress else None
    print(
        f"roster: short {short} agent-intervals, at least {least} unavoidable "
        f"(gap {'unknown' if gap is None else f'{100 * gap:.1f} %'}); first roster at "
        f"{first} s, {time.perf_counter() - began:.1f} s in all; load {os.getloadavg()[0]:.2f}"
    )
    return {
        "time_limit": limit,
        "under_agent_intervals": short,
        "bound_under_agent_intervals": least,
        "under_gap": gap,
        "first_roster_seconds": first,
        "phases": {k: round(v, 2) for k, v in solution.phase_seconds.items()},
        "load": os.getloadavg()[0],
    }


def least_under_cover(problem: Any, seconds: float) -> dict[str, Any]:
    from ortools.sat.python import cp_model

    from scheduling.rules import check
    from scheduling.solver.build import build
    from scheduling.solver.search import SolveOptions, assignment_of, new_search, solved_values
    from scheduling.solver.solve import _breaks_from_counts, interval_terms

    rm = build(problem, break_choices=True)
    rm.model.minimize(sum(rm.interval_short.values()))
    search = new_search(rm, SolveOptions())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(rm.model)
    values, _ = solved_values(solver, status, search.variables)
    result: dict[str, Any] = {
        "status": solver.status_name(status),
        "under_agent_intervals": solver.objective_value if values is not None else None,
        "proven_at_least": solver.best_objective_bound,
        "wall_seconds": round(solver.wall_time, 1),
    }
    if values is not None:
        search.best_values = values
        chosen = zip(values, search.keys, strict=True)
        shifts = [assignment_of(search, e, d, o) for v, (e, d, o) in chosen if v]
        shifts, exact = _breaks_from_counts(search, solver, shifts)
        result["breaks_as_counted"] = exact
        _, unmet = interval_terms(problem, shifts)
        result["rescored_under"] = sum(u.required - u.scheduled for u in unmet)
        result["violations"] = len(check(problem, shifts))
    print(f"least under-cover: {result}")
    return result


if __name__ == "__main__":
    main()
