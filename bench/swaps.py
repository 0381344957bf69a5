"""Swaps on a big published roster: how long an operator's request, the colleague's
acceptance and the manager's approval take, each with its rule checks, when the team is
500 operators x 28 days (an approval writes and publishes a whole new version).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wfm_bench_swaps python bench/swaps.py \
        [--operators 500] [--days 28] [--swaps 10]

The database named in DATABASE_URL is dropped and recreated. Ends with one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.databases import fresh_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wfm_bench_swaps")


def roster(operators: int, days: int) -> tuple[Any, Any, list[Any]]:
    """A published team roster: everyone works 09:00-17:00 (lunch at 13:00) five days a
    week, each on their own rotation; contracts allow six days and 48 hours."""
    from zoneinfo import ZoneInfo

    from organisation.roles import Role
    from scheduling.models import Roster, Shift, ShiftBreak
    from scheduling.selectors.rosters import scope_key
    from tests.factories import employee_make, queue_make, site_make, team_make, user_make
    from tests.factories.rosters import next_monday, staffing_make, template_make

    site = site_make(name="Bench")
    manager = user_make(role=Role.MANAGER, username="bench_manager")
    team = team_make(site=site, name="Bench team", managers=[manager])
    queue = queue_make(site=site, name="Bench queue")
    people = []
    for i in range(operators):
        person = employee_make(
            team=team,
            username=f"bench{i:04d}",
            number=f"B{i:05d}",
            max_weekly_minutes=48 * 60,
            max_days_per_week=6,
        )
        person.queues.add(queue)
        people.append(person)
    start = next_monday()
    staffing_make(queue=queue, first_day=start, days=days, agents=operators // 2)
    template = template_make(site=site)
    line = Roster.objects.create(
        site=site,
        team=team,
        scope_key=scope_key(site=site, team=team),
        start_date=start,
        days=days,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    zone = ZoneInfo(site.timezone)
    shifts, breaks = [], []
    for i, person in enumerate(people):
        for d in range(days):
            if (d + i) % 7 >= 5:
                continue
            day = start + timedelta(days=d)
            begin = datetime(day.year, day.month, day.day, 9, tzinfo=zone)
            shift = Shift(
                roster=line,
                employee=person,
                template=template,
                queue=queue,
                start=begin,
                end=begin + timedelta(hours=8),
                local_date=day,
                state=Roster.Status.PUBLISHED,
            )
            shifts.append(shift)
            lunch = begin + timedelta(hours=4)
            breaks.append(ShiftBreak(shift=shift, start=lunch, end=lunch + timedelta(minutes=30)))
    Shift.objects.bulk_create(shifts, batch_size=2000)
    ShiftBreak.objects.bulk_create(breaks, batch_size=2000)
    return line, manager, people


def trade(line: Any, manager: Any, people: list[Any], k: int) -> dict[str, float]:
    """Operator k gives a shift to the next operator, on a day that is the first of the
    taker's two days off (so nobody works more than six days in a row)."""
    from scheduling.models import Shift
    from scheduling.services import swaps

    giver, taker = people[k], people[(k + 1) % len(people)]
    # The taker is off on days with (d + i) % 7 in {5, 6}; take their first day off.
    i = (k + 1) % len(people)
    day = next(d for d in range(7, line.days) if (d + i) % 7 == 5 and (d + k) % 7 < 5)
    shift = Shift.objects.get(
        roster__scope_key=line.scope_key,
        state="published",
        employee=giver,
        local_date=line.start_date + timedelta(days=day),
    )
    timings = {}
    began = time.perf_counter()
    ask = swaps.SwapAsk(kind="give_away", shift=shift, counterpart=taker)
    swap = swaps.swap_request(requester=giver, ask=ask, user=giver.user)
    timings["request_s"] = time.perf_counter() - began
    began = time.perf_counter()
    swap = swaps.swap_accept(swap=swap, employee=taker, user=taker.user)
    timings["accept_s"] = time.perf_counter() - began
    began = time.perf_counter()
    swaps.swap_approve(swap=swap, approver=manager)
    timings["approve_s"] = time.perf_counter() - began
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--swaps", type=int, default=10)
    args = parser.parse_args()
    fresh_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from scheduling.models import RequestPolicy, Roster, Shift

    # 500 users to create: a fast hasher for the setup (the timings below hash nothing).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    began = time.perf_counter()
    line, manager, people = roster(args.operators, args.days)
    RequestPolicy.objects.create(team=line.team, max_accepts_per_hour=10_000)
    setup_s = time.perf_counter() - began
    shifts = Shift.objects.filter(roster=line).count()
    rows = [trade(line, manager, people, k) for k in range(args.swaps)]
    print(f"{args.operators} operators x {args.days} days: {shifts} published shifts")
    print(f"{'step':<10}{'median s':>10}{'max s':>8}")
    figures: dict[str, Any] = {
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        "operators": args.operators,
        "days": args.days,
        "shifts": shifts,
        "swaps": args.swaps,
        "setup_s": round(setup_s, 2),
    }
    for step in ("request_s", "accept_s", "approve_s"):
        values = [r[step] for r in rows]
        median, worst = statistics.median(values), max(values)
        print(f"{step[:-2]:<10}{median:>10.3f}{worst:>8.3f}")
        figures[f"{step[:-2]}_median_s"] = round(median, 3)
        figures[f"{step[:-2]}_max_s"] = round(worst, 3)
    versions = Roster.objects.filter(scope_key=line.scope_key).count()
    figures["versions"] = versions
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
