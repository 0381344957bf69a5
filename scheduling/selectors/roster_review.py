"""A roster's review: cover per queue and interval, under/over totals, hours and weekends per
person, rule violations; and its CSV export. Times are shown in the site's zone.

Cover, hours and totals count the period as time runs from its first local midnight, on the
time line of the board's coverage below them (roster_day.roster_cover_days): the autumn change
day's repeated hour twice, nothing in the hour the spring change skips, hours worked as the
time that elapses. The rules read the shifts on the solver's wall-clock axis."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduling.coverage import cover_totals
from scheduling.models import Roster, Shift
from scheduling.rules import check
from scheduling.selectors.roster_day import CoverDay, roster_cover_days
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
    last_day = roster.start_date + timedelta(days=roster.days - 1)
    interval, days = roster_cover_days(
        roster=roster,
        first_day=roster.start_date,
        last_day=last_day,
        shifts=shifts,
        people=list(built.employees.values()),
    )
    worked = shift_assignments(built, shifts, origin=days[0].origin)
    cover = _cover_rows(days, roster.site.timezone)
    totals: dict[str, Any] = {
        **cover_totals(((r["required"], r["scheduled"]) for r in cover), interval),
        "shifts": len(shifts),
        "paid_hours": round(sum(a.paid_minutes for a in worked) / 60, 2),
    }
    totals |= _unavoidable(roster, int(totals["under_agent_intervals"]))
    violations = [
        built.violation_json(v) for v in check(built.problem, shift_assignments(built, shifts))
    ]
    return RosterReview(cover, totals, _people(built, worked), violations)


def _cover_rows(days: list[CoverDay], timezone: str) -> list[dict[str, Any]]:
    """Required and scheduled agents per queue and interval of the days' time lines where
    either is non-zero, queue by queue in time order; each interval's local start with its
    UTC offset (the autumn day's two 02:00s apart)."""
    zone = ZoneInfo(timezone)
    rows: dict[str, list[dict[str, Any]]] = {}
    for day in days:
        step = timedelta(minutes=day.interval_minutes)
        for q in day.cover:
            mine = rows.setdefault(q.queue_id, [])
            for t, (required, scheduled) in enumerate(zip(q.required, q.scheduled, strict=True)):
                if required or scheduled:
                    at = (day.origin + t * step).astimezone(zone)
                    mine.append(
                        {
                            "queue": q.queue_id,
                            "queue_name": q.name,
                            "local_start": at.isoformat(timespec="minutes"),
                            "required": required,
                            "scheduled": scheduled,
                        }
                    )
    return [row for queue_rows in rows.values() for row in queue_rows]


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
