"""Server time of the web pages: every page with the demo data, and the roster pages with a
synthetic 500 operators x 28 days roster.

    python bench/web_pages.py [--runs 5] [--operators 500] [--days 28]

Works on a copy of the demo database (var/wfm.sqlite3 after `make demo` / `make run`; without
it a fresh one is made with the demo, which takes a few minutes), so the demo stays as it was.
Each page is fetched once to warm up, then `--runs` times in-process through Django's test
client (server time: no network, no browser); the table shows the median, the queries and the
size. Target: under 300 ms per page with the demo data. The large roster's review and publish
diff load after their page (htmx) and are cached until the roster changes: they are measured
both as computed (cache cleared, `_first`) and as cached. Ends with one JSON line.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
WORK = Path(tempfile.mkdtemp(prefix="wfm-web-bench-"))
if "DATABASE_URL" not in os.environ:
    demo = ROOT / "var" / "wfm.sqlite3"
    if demo.exists():
        shutil.copy(demo, WORK / "wfm.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'wfm.sqlite3'}"


def measure(client: Any, url: str, runs: int, *, cached: bool = True) -> dict[str, Any]:
    """`cached=False` clears Django's cache before each run (the roster review and diff are
    cached until the roster changes: the first manager to open them pays this)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    times = []
    for _ in range(runs):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
    return {
        "url": url,
        "ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
        "kb": round(len(response.content) / 1024, 1),
    }


def demo_pages(runs: int) -> dict[str, dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from organisation.models import Employee
    from scheduling.models import Roster
    from timeclock.models import PayPeriod

    users = get_user_model().objects
    # The demo rosters are site rosters: only a manager of every team there (or the admin)
    # may open them.
    manager, payroll = users.get(username="admin"), users.get(username="pat.payroll")
    roster = Roster.objects.filter(status="published").order_by("site__name").first()
    home = Employee.objects.filter(is_home_worker=True, team__site=roster.site).first()
    closed = PayPeriod.objects.filter(status="closed", site=roster.site).first()
    shift = roster.shifts.first()
    week = roster.start_date.isoformat()
    clients = {}
    for name, user in (("manager", manager), ("payroll", payroll), ("operator", home.user)):
        clients[name] = Client()
        clients[name].force_login(user)
    pages = {
        "dashboard": ("manager", f"/manager/?day={week}"),
        "rosters": ("manager", "/manager/rosters/"),
        "roster": ("manager", f"/manager/rosters/{roster.pk}/"),
        "shift_edit": ("manager", f"/manager/shifts/{shift.pk}/"),
        "publish_diff": ("manager", f"/manager/rosters/{roster.pk}/publish/"),
        "attendance": ("manager", "/manager/attendance/"),
        "approvals": ("manager", "/manager/approvals/"),
        "my_week": ("operator", f"/me/week/?week={week}"),
        "clock": ("operator", "/me/clock/"),
        "timesheet": ("operator", f"/me/timesheet/?week={week}"),
        "payslips": ("operator", "/me/payslips/"),
        "calendar": ("operator", "/me/calendar/"),
        "swaps": ("operator", "/me/swaps/"),
        "time_off": ("operator", "/me/time-off/"),
        "pay_periods": ("payroll", "/payroll/"),
    }
    if closed is not None:
        pages["payslip"] = ("operator", f"/me/payslips/{closed.pk}/")
        pages["pay_period_closed"] = ("payroll", f"/payroll/periods/{closed.pk}/")
        open_period = PayPeriod.objects.filter(site=roster.site, status="open").first()
        if open_period is not None:
            pages["pay_period_open"] = ("payroll", f"/payroll/periods/{open_period.pk}/")
    pages |= planning_pages(roster, home)  # issue 21: planning, set-up and pay policy pages
    results = {name: measure(clients[who], url, runs) for name, (who, url) in pages.items()}
    # The review and the diff computed afresh (the rows above are served from the cache).
    for name in ("roster", "publish_diff"):
        who, url = pages[name]
        results[f"{name}_uncached"] = measure(clients[who], url, runs, cached=False)
    return results


def planning_pages(roster: Any, home: Any) -> dict[str, tuple[str, str]]:
    """The planning, set-up and pay policy pages (issue 21) with the demo data: the queue and
    week of the demo's roster."""
    from organisation.models import Queue
    from scheduling.models import ForecastOverride, ShiftTemplate

    queue = Queue.objects.filter(site=roster.site).order_by("name").first()
    week = f"start={roster.start_date}&end={roster.start_date + timedelta(days=6)}"
    whatif = (
        "whatif-service_level_percent=90&whatif-service_level_seconds=20&whatif-volume_factor=1.1"
        "&whatif-shrinkage_percent=35&whatif-max_occupancy_percent=85"
    )
    template = ShiftTemplate.objects.filter(site=roster.site).first()
    pages = {
        "queues": ("manager", "/manager/planning/"),
        "queue_history": ("manager", f"/manager/planning/queues/{queue.pk}/"),
        "forecast_form": ("manager", "/manager/planning/forecast/"),
        "forecast_result": ("manager", f"/manager/planning/queues/{queue.pk}/forecast/"),
        "staffing_week": ("manager", f"/manager/planning/staffing/?queue={queue.pk}&{week}"),
        "staffing_what_if": (
            "manager",
            f"/manager/planning/staffing/?queue={queue.pk}&{week}&{whatif}",
        ),
        "templates": ("manager", "/manager/setup/"),
        "template_edit": ("manager", f"/manager/setup/templates/{template.pk}/"),
        "people": ("manager", "/manager/setup/people/"),
        "person": ("manager", f"/manager/setup/people/{home.pk}/"),
        "devices": ("manager", "/manager/setup/devices/"),
        "my_availability": ("operator", "/me/availability/"),
        "pay_policies": ("payroll", "/payroll/policies/"),
        "pay_policy_change": ("payroll", f"/payroll/policies/change/?site={roster.site.pk}"),
    }
    override = ForecastOverride.objects.filter(queue=queue).first()
    if override is not None:
        pages["override_edit"] = ("manager", f"/manager/planning/overrides/{override.pk}/")
    return pages


def staffing_month(manager: Any, runs: int) -> dict[str, dict[str, Any]]:
    """The staffing page over 31 days x 96 intervals (target: under 500 ms), plain and with a
    what-if (issue 21)."""
    from django.test import Client

    from organisation.models import Site
    from tests.factories import queue_make
    from tests.factories.rosters import next_monday, staffing_make

    queue = queue_make(site=Site.objects.get(name="Web bench site"), name="Bench month")
    first = next_monday()
    staffing_make(
        queue=queue, first_day=first, days=31, agents=12, hours=range(7, 22), interval_minutes=15
    )
    client = Client()
    client.force_login(manager)
    base = (
        f"/manager/planning/staffing/?queue={queue.pk}&start={first}"
        f"&end={first + timedelta(days=30)}"
    )
    whatif = (
        "&whatif-service_level_percent=90&whatif-service_level_seconds=20"
        "&whatif-volume_factor=1.1&whatif-shrinkage_percent=35&whatif-max_occupancy_percent=85"
    )
    return {
        "staffing_31x96": measure(client, base, runs),
        "staffing_31x96_what_if": measure(client, base + whatif, runs),
    }


def big_roster(operators: int, days: int) -> tuple[Any, Any]:
    """A team of `operators` with a saved `days`-day roster, five shifts a week each."""
    from organisation.roles import Role
    from scheduling.selectors.roster_problem import roster_problem_build
    from scheduling.services.roster_builds import roster_save
    from scheduling.solver.model import Assignment, Break, Solution, Status
    from tests.factories import employee_make, site_make, team_make, user_make
    from tests.factories.rosters import roster_setup

    manager = user_make(role=Role.MANAGER, username="bench.manager")
    site = site_make(name="Web bench site")
    team = team_make(site=site, name="Web bench team", managers=[manager])
    people = [employee_make(team=team, username=f"webbench{i:04d}") for i in range(operators)]
    setup = roster_setup(team=team, people=people, extra=0, days=days, agents=operators // 3)
    built = roster_problem_build(
        site=site, team=team, first_day=setup.start, days=days, now=datetime.now(UTC)
    )
    template = next(iter(built.templates))
    assignments = tuple(
        Assignment(
            employee=person,
            day=day,
            template=template,
            start_minute=day * 1440 + (8 + n % 3) * 60,
            length_minutes=480,
            breaks=(Break(day * 1440 + (12 + n % 3) * 60, 30, False),),
            queue=str(setup.queue.pk),
        )
        for n, person in enumerate(built.employees)
        for day in range(days)
        if (day + n) % 7 < 5
    )
    solution = Solution(Status.FEASIBLE, assignments, 0.0, 0.0, {}, 0.0)
    roster = roster_save(built=built, solution=solution, job=None, base=None, user=manager)
    return manager, roster


def big_pages(operators: int, days: int, runs: int) -> dict[str, dict[str, Any]]:
    from django.test import Client

    manager, roster = big_roster(operators, days)
    client = Client()
    client.force_login(manager)
    last = (operators + 49) // 50
    base = f"/manager/rosters/{roster.pk}/"
    pages = {
        "roster_500x28_page1": (base, True),
        "roster_500x28_last_page": (f"{base}?page={last}", True),
        "roster_500x28_review_first": (f"{base}?part=coverage", False),
        "roster_500x28_review_cached": (f"{base}?part=coverage", True),
        "publish_500x28": (f"{base}publish/", True),
        "publish_500x28_diff_first": (f"{base}publish/?part=diff", False),
        "publish_500x28_diff_cached": (f"{base}publish/?part=diff", True),
        "attendance_500": ("/manager/attendance/", True),
    }
    # The schedule board (issue 22): the whole period at once, sorted, searched; a day; the
    # shift editor and its candidates.
    shift = roster.shifts.order_by("start", "employee__number").first()
    pages |= {
        "board_500x28_period": (f"{base}?span=period", True),
        "board_500x28_period_by_hours": (f"{base}?span=period&sort=under", True),
        "board_500x28_search": (f"{base}?q=webbench04", True),
        "day_500": (f"{base}day/{shift.local_date}/", True),
        "shift_editor_500": (f"/manager/shifts/{shift.pk}/", True),
        "candidates_500": (f"/manager/shifts/{shift.pk}/reassign/", True),
    }
    results = {
        name: measure(client, url, runs, cached=cached) for name, (url, cached) in pages.items()
    }
    return results | board_edits(client, roster, runs) | staffing_month(manager, runs)


def board_edits(client: Any, roster: Any, runs: int) -> dict[str, dict[str, Any]]:
    """In-place edits on the 500 x 28 board as htmx sends them, each re-checked by the rules
    (target: under 300 ms median): a saved change of a shift's note, and a move the rules
    refuse (the violations come back in the editor)."""
    from zoneinfo import ZoneInfo

    from scheduling.services.roster_edits import shift_version

    zone = ZoneInfo(roster.site.timezone)
    results = {}
    for name, extra, status in (
        ("edit_in_place_500x28", {}, 200),
        ("edit_refused_by_rules_500x28", {"nudge": "move:15"}, 422),
    ):
        times = []
        for n in range(runs + 1):  # the first warms up
            shift = roster.shifts.order_by("start", "employee__number")[n % 7]
            form = {
                "day": shift.local_date.isoformat(),
                "start_time": f"{shift.start.astimezone(zone):%H:%M}",
                "end_time": f"{shift.end.astimezone(zone):%H:%M}",
                "activity": shift.activity,
                "queue": str(shift.queue_id),
                "note": f"bench {n}",
                "seen": shift_version(shift),
                **extra,
            }
            t0 = time.perf_counter()
            response = client.post(
                f"/manager/shifts/{shift.pk}/", form, headers={"HX-Request": "true"}
            )
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code != status:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
            if n:
                times.append(elapsed)
        results[name] = {
            "url": "/manager/shifts/<id>/ (POST, htmx)",
            "ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
            "queries": 0,
            "kb": round(len(response.content) / 1024, 1),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--days", type=int, default=28)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from organisation.models import Site

    call_command("migrate", verbosity=0)
    if not Site.objects.exists():
        print("no demo database to copy: running the demo first (a few minutes) ...")
        call_command("demo", verbosity=0)  # the default 30 s a site, as `make demo`
    results = demo_pages(args.runs)
    results |= big_pages(args.operators, args.days, args.runs)
    print(f"{'page':<30}{'median ms':>10}{'max ms':>9}{'queries':>9}{'KB':>8}")
    for name, row in results.items():
        print(f"{name:<30}{row['ms']:>10}{row['max_ms']:>9}{row['queries']:>9}{row['kb']:>8}")
    demo = [r["ms"] for n, r in results.items() if "500" not in n and "31x96" not in n]
    month = [r["ms"] for n, r in results.items() if "31x96" in n]
    figures = {
        "runs": args.runs,
        "demo_pages": len(demo),
        "demo_max_median_ms": max(demo),
        "demo_under_300ms": all(ms < 300 for ms in demo),
        "staffing_31x96_under_500ms": all(ms < 500 for ms in month),
        # The schedule board (issue 22): every board page of 500 x 28 under 1 s (its coverage,
        # loaded after the page and cached, is measured apart), an edit in place under 300 ms
        # median.
        "board_500x28_under_1s": all(
            r["ms"] < 1000
            for n, r in results.items()
            if n.startswith(("roster_500x28_page", "roster_500x28_last", "board_500"))
        ),
        "edit_in_place_under_300ms": results["edit_in_place_500x28"]["ms"] < 300,
        "pages": {n: {k: r[k] for k in ("ms", "queries", "kb")} for n, r in results.items()},
    }
    print(json.dumps(figures))
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
