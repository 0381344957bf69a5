"""Factories for rostering: shift templates, staffing rows, and a ready-to-build setup."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from organisation.models import Employee, Queue, Site, Team
from scheduling.models import ForecastRun, ShiftTemplate, StaffingRequirement
from scheduling.services.roster_inputs import shift_template_create
from tests.factories import employee_make, queue_make

LUNCH = {"length_minutes": 30, "earliest_offset_minutes": 180, "latest_offset_minutes": 300}


def template_make(*, site: Site, **fields: Any) -> ShiftTemplate:
    defaults: dict[str, Any] = {
        "name": f"Day {ShiftTemplate.objects.count() + 1}",
        "earliest_start": time(8),
        "latest_start": time(10),
        "start_step_minutes": 60,
        "lengths_minutes": [480],
        "breaks": [LUNCH],
    }
    return shift_template_create(site=site, **(defaults | fields))


def staffing_make(
    *,
    queue: Queue,
    first_day: date,
    days: int,
    agents: int,
    hours: range = range(9, 17),
    weekdays: frozenset[int] = frozenset(range(5)),
    interval_minutes: int = 60,
) -> None:
    """`agents` to schedule in each local hour of `hours` on the given weekdays."""
    zone = ZoneInfo(queue.site.timezone)
    run = ForecastRun.objects.create(
        queue=queue,
        start_date=first_day,
        days=days,
        interval_minutes=interval_minutes,
        method_requested="test",
        method_used="test",
        history_last_day=first_day - timedelta(days=1),
    )
    rows = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        for minute in range(0, 1440, interval_minutes):
            local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
            need = agents if day.weekday() in weekdays and local.hour in hours else 0
            rows.append(
                StaffingRequirement(
                    queue=queue,
                    forecast_run=run,
                    interval_start=local,
                    interval_minutes=interval_minutes,
                    forecast_calls=need * 10.0,
                    calls=need * 10.0,
                    aht_seconds=180,
                    agents=need,
                    scheduled_agents=need,
                    service_level=0.8,
                    asa_seconds=10,
                    occupancy=0.8,
                )
            )
    StaffingRequirement.objects.bulk_create(rows)


def next_monday(after: date | None = None) -> date:
    today = after or datetime.now(UTC).date()
    return today + timedelta(days=7 - today.weekday())


def swappable_monday() -> date:
    """The first Monday at least three days ahead: on a Sunday the next one starts within
    the swap notice (24 h by default), and tests that offer its shifts were refused. The
    clock is read once (twice could straddle midnight)."""
    today = datetime.now(UTC).date()
    monday = next_monday(today)
    return monday if monday - today >= timedelta(days=3) else monday + timedelta(days=7)


@dataclass
class RosterSetup:
    team: Team
    queue: Queue
    template: ShiftTemplate
    people: list[Employee]
    start: date
    days: int


def roster_setup(
    *,
    team: Team,
    people: list[Employee],
    agents: int = 2,
    days: int = 7,
    extra: int = 2,
    start: date | None = None,
) -> RosterSetup:
    """A queue at the team's site worked by `people` (plus `extra` new operators), a day
    template, and `agents` needed 09:00-17:00 on weekdays of the week from `start` (by
    default next Monday)."""
    queue = queue_make(site=team.site, name=f"Queue of {team.name}")
    people = [*people, *(employee_make(team=team) for _ in range(extra))]
    for person in people:
        person.queues.add(queue)
    start = start or next_monday()
    staffing_make(queue=queue, first_day=start, days=days, agents=agents)
    template = template_make(site=team.site)
    return RosterSetup(team, queue, template, people, start, days)
