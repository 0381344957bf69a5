"""A roster's review: cover per queue and interval, under/over totals, hours and weekends per
person, rule violations; and its CSV export. Times are shown in the site's zone."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduling.coverage import interval_cover
from scheduling.models import Roster, Shift
from scheduling.rules import check
from scheduling.selectors.roster_rules import roster_rules_input, shift_assignments
from scheduling.selectors.rosters import shifts_for_rules, shifts_of


@dataclass(frozen=True)
class RosterReview:
    cover: list[dict[str, Any]]
    totals: dict[str, Any]
    people: list[dict[str, Any]]
    violations: list[dict[str, Any]]


def roster_review(*, roster: Roster, now: datetime) -> RosterReview:
    built = roster_rules_input(roster, now=now)
    shifts = list(shifts_for_rules(roster=roster))
    assignments = shift_assignments(built, shifts)
    problem = built.problem
    minutes = problem.interval_minutes
    cover = []
    under = over = required_total = scheduled_total = full = 0
    for row in interval_cover(problem, assignments):
        under += row.under
        over += row.over
        required_total += row.required
        scheduled_total += row.scheduled
        full += row.scheduled >= row.required
        queue = built.queues.get(row.queue)
        cover.append(
            {
                "queue": row.queue,
                "queue_name": queue.name if queue else row.queue,
                "local_start": built.local_start(row.day, row.period),
                "required": row.required,
                "scheduled": row.scheduled,
            }
        )
    hours = minutes / 60
    totals = {
        "intervals": len(cover),
        "under_agent_intervals": under,
        "over_agent_intervals": over,
        "required_agent_hours": round(required_total * hours, 2),
        "scheduled_agent_hours": round(scheduled_total * hours, 2),
        "intervals_fully_covered_pct": round(100 * full / len(cover), 2) if cover else 100.0,
        "shifts": len(shifts),
        "paid_hours": round(sum(a.paid_minutes for a in assignments) / 60, 2),
        **_unavoidable(roster, under),
    }
    violations = [built.violation_json(v) for v in check(problem, assignments)]
    return RosterReview(cover, totals, _people(built, assignments), violations)


def _unavoidable(roster: Roster, under: int) -> dict[str, int | None]:
    """The build's lower bound on under-cover (no roster of these people under these rules
    could be short of less, against the demand of the build) and what the roster leaves
    above it; None when the build had no bound (built before bounds, or the LP ran out of
    time)."""
    bounds = (roster.solver or {}).get("lower_bounds")
    if not bounds:
        return {"unavoidable_under_agent_intervals": None, "under_left_by_roster": None}
    unavoidable = min(int(bounds["under_agent_intervals"]), under)
    return {
        "unavoidable_under_agent_intervals": unavoidable,
        "under_left_by_roster": under - unavoidable,
    }


def _people(built: Any, assignments: list[Any]) -> list[dict[str, Any]]:
    problem = built.problem
    weekend_days = {d: i for i, days in enumerate(problem.weekends()) for d in days}
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"shifts": 0, "paid_minutes": 0, "weekends": set()}
    )
    for a in assignments:
        mine = per[a.employee]
        mine["shifts"] += 1
        mine["paid_minutes"] += a.paid_minutes
        if a.day in weekend_days:
            mine["weekends"].add(weekend_days[a.day])
    rows = []
    for employee_id, person in sorted(built.employees.items(), key=lambda kv: kv[1].number):
        mine = per[employee_id]
        rows.append(
            {
                "employee": employee_id,
                "number": person.number,
                "name": person.full_name,
                "shifts": mine["shifts"],
                "paid_hours": round(mine["paid_minutes"] / 60, 2),
                "weekends_worked": len(mine["weekends"]),
                "max_weekly_hours": round(person.max_weekly_minutes / 60, 2),
            }
        )
    return rows


CSV_COLUMNS = [
    "employee_number",
    "employee_name",
    "local_date",
    "start",
    "end",
    "timezone",
    "queue",
    "activity",
    "breaks",
    "paid_minutes",
]


def roster_csv(*, roster: Roster) -> str:
    """One row per shift, local times with their UTC offset, sorted by person then start."""
    zone = ZoneInfo(roster.site.timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    shifts = sorted(shifts_of(roster=roster), key=lambda s: (s.employee.number, s.start))
    for s in shifts:
        writer.writerow(_csv_row(s, zone, roster.site.timezone))
    return out.getvalue()


def _csv_row(s: Shift, zone: ZoneInfo, tz: str) -> list[Any]:
    unpaid = timedelta(0)
    breaks = []
    for b in s.breaks.all():
        breaks.append(
            f"{b.start.astimezone(zone):%H:%M}-{b.end.astimezone(zone):%H:%M}"
            f"{' paid' if b.paid else ''}"
        )
        if not b.paid:
            unpaid += b.end - b.start
    return [
        s.employee.number,
        s.employee.full_name,
        s.local_date.isoformat(),
        s.start.astimezone(zone).isoformat(timespec="minutes"),
        s.end.astimezone(zone).isoformat(timespec="minutes"),
        tz,
        s.queue.name if s.queue else "",
        s.activity,
        "; ".join(breaks),
        int((s.end - s.start - unpaid).total_seconds() // 60),
    ]
