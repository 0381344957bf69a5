"""Adherence from the database: 500 operators x one day at minute resolution, on PostgreSQL.

    python bench/adherence.py [--operators 500] [--repeat 5]

Builds a fresh database (DATABASE_URL's name + "_adherencebench"): a site, 500 operators with
a published 8-hour shift and two breaks each, about 60 agent states per operator through the
day (calls, after-call work, not ready, the breaks taken a little late, some late log-ins);
the last 10 % have no ACD feed and punched in and out instead. Then times
adherence_report(...) for the day (every read and the minute arithmetic), first call and the
best of `repeat`, in a fresh process. Ends with one JSON line. Goal: under 1 s.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.databases import fresh_database  # noqa: E402

BASE = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wfm")
DAY = date(2026, 3, 10)
ZONE = ZoneInfo("Europe/Amsterdam")


def _database_url() -> str:
    base, name = BASE.rsplit("/", 1)
    return f"{base}/{name}_adherencebench"


def _setup(url: str, operators: int) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "wfm.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(operators: int) -> tuple[object, list[object]]:
    from organisation.models import Employee
    from scheduling.models import Roster, Shift, ShiftBreak
    from scheduling.selectors.rosters import scope_key
    from tests.factories import employee_make, site_make, team_make
    from timeclock.models import AgentState, Punch

    rng = random.Random(7)
    site = site_make(name="Bench site", timezone="Europe/Amsterdam")
    team = team_make(site=site, name="Bench team")
    for n in range(operators):
        employee_make(team=team, username=f"bench{n:04d}")
    people = list(Employee.objects.filter(team=team).order_by("number"))
    roster = Roster.objects.create(
        site=site,
        team=team,
        scope_key=scope_key(site=site, team=team),
        start_date=DAY,
        days=1,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    shifts, breaks, states, punches = [], [], [], []
    received = datetime.now(ZONE)
    for n, person in enumerate(people):
        start = datetime.combine(DAY, datetime.min.time(), tzinfo=ZONE) + timedelta(
            hours=7 + (n % 6), minutes=15 * (n % 4)
        )
        shift = Shift(
            roster=roster,
            employee=person,
            start=start,
            end=start + timedelta(hours=8),
            local_date=DAY,
            state=Roster.Status.PUBLISHED,
        )
        shifts.append(shift)
        first_break = start + timedelta(hours=2)
        lunch = start + timedelta(hours=4)
        breaks += [
            ShiftBreak(shift=shift, start=first_break, end=first_break + timedelta(minutes=15)),
            ShiftBreak(shift=shift, start=lunch, end=lunch + timedelta(minutes=30)),
        ]
        if n >= operators * 0.9:  # no ACD feed: punches
            for kind, at in (
                ("in", start + timedelta(minutes=rng.randint(-5, 12))),
                ("out", start + timedelta(hours=8, minutes=rng.randint(-10, 10))),
            ):
                punches.append(
                    Punch(
                        event_id=uuid.uuid4(),
                        body_sha256="b",
                        employee=person,
                        kind=kind,
                        occurred_at=at,
                        corrected_at=at,
                        received_at=received,
                        source="remote",
                        ingest_id=uuid.uuid4(),
                    )
                )
            continue
        at = start + timedelta(minutes=rng.choice([0, 0, 0, 2, 9]))
        end = start + timedelta(hours=8)
        while at < end:
            if first_break <= at < first_break + timedelta(
                minutes=15
            ) or lunch <= at < lunch + timedelta(minutes=30):
                state, length = "break", 15 + rng.randint(0, 6)
            else:
                state = rng.choice(["on_call"] * 5 + ["after_call_work", "available", "not_ready"])
                length = rng.randint(2, 12)
            states.append(
                AgentState(
                    event_id=uuid.uuid4(),
                    body_sha256="b",
                    employee=person,
                    state=state,
                    started_at=at,
                    ended_at=at + timedelta(minutes=length),
                    source="feed",
                    ingest_id=uuid.uuid4(),
                    received_at=received,
                )
            )
            at += timedelta(minutes=length)
        states.append(
            AgentState(
                event_id=uuid.uuid4(),
                body_sha256="b",
                employee=person,
                state="logged_out",
                started_at=at,
                source="feed",
                ingest_id=uuid.uuid4(),
                received_at=received,
            )
        )
    Shift.objects.bulk_create(shifts)
    ShiftBreak.objects.bulk_create(breaks)
    AgentState.objects.bulk_create(states, batch_size=5000)
    Punch.objects.bulk_create(punches, batch_size=5000)
    return site, people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = _database_url()
    if not args.measure_only:
        # Build, then time in a process of its own, as a server process would run it (not
        # one holding the build's 30,000 objects' worth of heap).
        fresh_database(url)
        _setup(url, args.operators)
        _build(args.operators)
        command = [sys.executable, __file__, "--measure-only", "--repeat", str(args.repeat)]
        child = subprocess.run(command, check=False, env={**os.environ, "DATABASE_URL": BASE})
        raise SystemExit(child.returncode)
    _setup(url, args.operators)
    from django.db import connection, reset_queries

    from organisation.models import Site

    site = Site.objects.get(name="Bench site")

    from timeclock.models import AgentState
    from timeclock.selectors.adherence import adherence_employees, adherence_report

    after = datetime.combine(DAY + timedelta(days=1), datetime.min.time(), tzinfo=ZONE)
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    timings = []
    report = None
    for n in range(args.repeat):
        reset_queries()
        connection.close()  # each run opens its connection, as a request would
        started = time.perf_counter()
        people = adherence_employees(site=site)  # the page's read, timed with it
        report = adherence_report(site=site, first=DAY, last=DAY, employees=people, now=after)
        timings.append(time.perf_counter() - started)
        if n == 0:
            with connection.execute_wrapper(count):
                adherence_report(site=site, first=DAY, last=DAY, employees=people, now=after)
    assert report is not None
    total = report.total
    figures = {
        "operators": len(report.rows),
        "agent_states": AgentState.objects.count(),
        "queries": len(queries),
        "first_seconds": round(timings[0], 3),
        "best_seconds": round(min(timings), 3),
        "all_seconds": [round(t, 3) for t in timings],
        "adherence_percent": round(total.adherence_percent or 0, 1),
        "conformance_percent": round(total.conformance_percent or 0, 1),
        "events": sum(len(r.events) for r in report.rows),
        "goal_under_1_s": min(timings) < 1 and timings[0] < 1,
    }
    print(
        f"{'operators':>10}{'states':>9}{'queries':>9}{'first s':>9}{'best s':>8}{'adh %':>7}"
        f"{'conf %':>8}{'events':>8}"
    )
    print(
        f"{figures['operators']:>10}{figures['agent_states']:>9}{figures['queries']:>9}"
        f"{figures['first_seconds']:>9}{figures['best_seconds']:>8}"
        f"{figures['adherence_percent']:>7}{figures['conformance_percent']:>8}{figures['events']:>8}"
    )
    print(f"goal under 1 s: {'met' if figures['goal_under_1_s'] else 'NOT met'}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
