"""An intraday scene: a queue with today's plan, a published roster of two operators, the
ACD's intervals of the morning and the operators' states (issue 26)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from organisation.models import Employee, Queue, Team
from scheduling.models import Roster, Shift, ShiftBreak
from scheduling.selectors.rosters import scope_key
from tests.factories import queue_make
from tests.factories.rosters import staffing_make, template_make
from timeclock.models import AcdInterval, AgentState


@dataclass
class Scene:
    queue: Queue
    day: date
    now: datetime  # 13:10 local
    roster: Roster


def local(day: date, hour: int, minute: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))


def acd_interval(queue: Queue, start: datetime, offered: int, *, minutes: int = 30) -> AcdInterval:
    answered = offered - offered // 10
    return AcdInterval.objects.create(
        event_id=uuid.uuid4(),
        body_sha256="0" * 64,
        queue=queue,
        interval_start=start,
        interval_minutes=minutes,
        offered=offered,
        answered=answered,
        abandoned=offered - answered,
        answered_within_goal=answered - answered // 5,
        handle_seconds=answered * 180,
        wait_seconds=answered * 15,
        source="feed",
        ingest_id=uuid.uuid4(),
        received_at=start + timedelta(minutes=minutes),
    )


def agent_state(employee: Employee, state: str, at: datetime) -> AgentState:
    return AgentState.objects.create(
        event_id=uuid.uuid4(),
        body_sha256="0" * 64,
        employee=employee,
        state=state,
        started_at=at,
        source="feed",
        ingest_id=uuid.uuid4(),
        received_at=at,
    )


def intraday_scene(
    *, team: Team, people: list[Employee], day: date, busy: float = 1.5, name: str = "Retail"
) -> Scene:
    """Plan: 2 agents (20 calls a half hour) 08:00-18:00; the ACD's morning ran at `busy`
    times the plan until 13:00; both operators work 08:00-16:00 with a lunch at 12:00; the
    first is on the phone from 08:00, the second logged out at 11:00."""
    tz = team.site.timezone
    queue, roster, _ = published_day(team=team, people=people, day=day, name=name, hour=8, lunch=12)
    for half_hour in range(16, 26):
        start = local(day, half_hour // 2, 30 * (half_hour % 2), tz)
        acd_interval(queue, start, round(20 * busy))
    agent_state(people[0], "available", local(day, 7, 58, tz))
    agent_state(people[1], "available", local(day, 8, 1, tz))
    agent_state(people[1], "logged_out", local(day, 11, 0, tz))
    return Scene(queue=queue, day=day, now=local(day, 13, 10, tz), roster=roster)


def published_day(
    *,
    team: Team,
    people: list[Employee],
    day: date,
    name: str,
    hour: int,
    lunch: int,
    template: dict[str, Any] | None = None,
) -> tuple[Queue, Roster, list[Shift]]:
    """A queue `name` of the team's site that `people` work, planned for 2 agents 08:00-18:00
    on `day` and the next (half hours), and a published roster of the team in which each of
    them works 8 h on it from `hour` with a 30-min lunch at `lunch`, of a template made of the
    fields `template` when given. The site gets a day template first: the rules read the site's
    templates."""
    tz = team.site.timezone
    queue = queue_make(site=team.site, name=name)
    for person in people:
        person.queues.add(queue)
    staffing_make(
        queue=queue,
        first_day=day,
        days=2,
        agents=2,
        hours=range(8, 18),
        weekdays=frozenset(range(7)),
        interval_minutes=30,
    )
    roster = published_roster(team=team, day=day)
    worked = template_make(site=team.site, **template) if template is not None else None
    shifts = []
    for person in people:
        start = local(day, hour, 0, tz)
        shift = Shift.objects.create(
            roster=roster,
            employee=person,
            template=worked,
            queue=queue,
            start=start,
            end=start + timedelta(hours=8),
            local_date=day,
            state=roster.status,
        )
        at = local(day, lunch, 0, tz)
        ShiftBreak.objects.create(shift=shift, start=at, end=at + timedelta(minutes=30))
        shifts.append(shift)
    return queue, roster, shifts


def published_roster(*, team: Team, day: date) -> Roster:
    """The team's published week from `day`, empty; the site gets a day template (the rules
    read the site's templates)."""
    template_make(site=team.site)
    return Roster.objects.create(
        site=team.site,
        team=team,
        scope_key=scope_key(site=team.site, team=team),
        start_date=day,
        days=7,
        version=1,
        status=Roster.Status.PUBLISHED,
    )


def today_at(team: Team) -> date:
    """The site's today, read when the test runs."""
    return timezone.now().astimezone(ZoneInfo(team.site.timezone)).date()
