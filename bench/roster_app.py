"""Rosters in the application: end-to-end build of the demo organisation's 4-week rosters, and
bulk saving 500 operators x 28 days of shifts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wfm_bench python bench/roster_app.py \
        [--time-limit 60] [--operators 500] [--days 28]

The database named in DATABASE_URL (default the one above) is dropped and recreated. Part 1
loads the demo organisation, forecasts four weeks, and builds each site's roster as the job
does, timing the solver input (selectors), the solve and the save; the target is that input +
save stay within 10 % of the solve's own time. Part 2 saves a synthetic 500 x 28 roster
(target under 5 s on PostgreSQL, a fixed number of queries). Ends with one JSON line.
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
from bench.databases import fresh_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wfm_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--days", type=int, default=28)
    args = parser.parse_args()
    fresh_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    figures = {"database": os.environ["DATABASE_URL"].split(":", 1)[0]}
    figures.update(end_to_end(args.time_limit))
    figures.update(bulk_save(args.operators, args.days))
    print(json.dumps(figures))


def end_to_end(time_limit: float) -> dict[str, Any]:
    from django.conf import settings

    from fixtures.demo_organisation import demo_organisation
    from organisation.demo import demo_organisation_load
    from organisation.models import Site
    from scheduling.demo import demo_forecast_stage
    from scheduling.demo_rosters import demo_templates_load
    from scheduling.selectors.roster_problem import roster_problem_build
    from scheduling.selectors.rosters import scope_key
    from scheduling.services.roster_builds import roster_save
    from scheduling.solver.search import SolveOptions
    from scheduling.solver.solve import solve
    from wfm.celery import app

    app.conf.task_always_eager = True
    demo_organisation_load(spec=demo_organisation(), password="bench")
    today = datetime.now(UTC).date()
    start = today + timedelta(days=7 - today.weekday())
    with tempfile.TemporaryDirectory() as out:
        demo_forecast_stage(start=start, out_dir=Path(out), days=28)
    demo_templates_load()
    print(
        f"{'site':<12}{'input s':>9}{'solve s':>9}{'save s':>8}{'overhead':>10}{'shifts':>8}"
        f"{'status':>10}"
    )
    rows = {}
    for site in Site.objects.order_by("name"):
        t0 = time.perf_counter()
        built = roster_problem_build(
            site=site,
            team=None,
            first_day=start,
            days=28,
            now=datetime.now(UTC),
            exclude_series=scope_key(site=site, team=None),
        )
        t1 = time.perf_counter()
        solution = solve(
            built.problem,
            SolveOptions(time_limit_seconds=time_limit, num_workers=settings.WFM_SOLVER_WORKERS),
        )
        t2 = time.perf_counter()
        roster = roster_save(built=built, solution=solution, job=None, base=None, user=None)
        t3 = time.perf_counter()
        overhead = ((t1 - t0) + (t3 - t2)) / (t2 - t1)
        shifts = roster.shifts.count()
        print(
            f"{site.name:<12}{t1 - t0:>9.2f}{t2 - t1:>9.2f}{t3 - t2:>8.2f}"
            f"{100 * overhead:>9.1f}%{shifts:>8}{solution.status:>10}"
        )
        rows[site.name] = {
            "input_seconds": round(t1 - t0, 3),
            "solve_seconds": round(t2 - t1, 3),
            "save_seconds": round(t3 - t2, 3),
            "overhead_pct": round(100 * overhead, 2),
            "shifts": shifts,
            "status": str(solution.status),
            "under_cover": solution.terms.get("under_cover"),
        }
    return {"end_to_end": rows}


def bulk_save(operators: int, days: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scheduling.selectors.roster_problem import roster_problem_build
    from scheduling.services.roster_builds import roster_save
    from scheduling.solver.model import Assignment, Break, Solution, Status
    from tests.factories import employee_make, site_make, team_make
    from tests.factories.rosters import roster_setup

    site = site_make(name="Bench site")
    team = team_make(site=site, name="Bench team")
    people = [employee_make(team=team, username=f"bench{i:04d}") for i in range(operators)]
    setup = roster_setup(team=team, people=people, extra=0, days=days)
    built = roster_problem_build(
        site=site, team=team, first_day=setup.start, days=days, now=datetime.now(UTC)
    )
    template = next(iter(built.templates))
    assignments = tuple(
        Assignment(
            employee=person,
            day=day,
            template=template,
            start_minute=day * 1440 + 9 * 60,
            length_minutes=480,
            breaks=(Break(day * 1440 + 13 * 60, 30, False),),
            queue=str(setup.queue.pk),
        )
        for n, person in enumerate(built.employees)
        for day in range(days)
        if (day + n) % 7 < 5  # five days a week, rest days spread over the team
    )
    solution = Solution(Status.FEASIBLE, assignments, 0.0, 0.0, {}, 0.0)
    connection.queries_log.clear()  # the setup above filled the debug query log
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        roster = roster_save(built=built, solution=solution, job=None, base=None, user=None)
        seconds = time.perf_counter() - t0
    print(
        f"\nbulk save: {roster.shifts.count()} shifts with breaks for {operators} operators x "
        f"{days} days in {seconds:.2f} s, {len(queries)} queries"
    )
    return {
        "bulk_save": {
            "operators": operators,
            "days": days,
            "shifts": len(assignments),
            "seconds": round(seconds, 3),
            "queries": len(queries),
        }
    }


if __name__ == "__main__":
    main()
