"""A scene for rest-of-day break moves (issue 26, item 5): three operators 10:00-18:00 on a
queue, all at lunch at 13:00 when the plan is busy, while 14:00-15:00 is quiet."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from organisation.models import Employee, Queue, Team
from scheduling.models import (
    Meeting,
    PlacedActivity,
    Roster,
    Shift,
    ShiftBreak,
    StaffingRequirement,
)
from scheduling.selectors.rosters import scope_key
from tests.factories import queue_make
from tests.factories.intraday import local
from tests.factories.rosters import staffing_make, template_make


@dataclass
class MoveScene:
    queue: Queue
    day: date
    now: datetime  # 11:00 local
    roster: Roster
    shifts: list[Shift]


def break_move_scene(*, team: Team, people: list[Employee], day: date) -> MoveScene:
    tz = team.site.timezone
    queue = queue_make(site=team.site, name="Claims")
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
    quiet = (local(day, 14, 0, tz), local(day, 14, 30, tz))
    StaffingRequirement.objects.filter(queue=queue, interval_start__in=quiet).update(
        calls=1.0, forecast_calls=1.0
    )
    template_make(site=team.site)
    template = template_make(site=team.site, earliest_start=time(10), latest_start=time(10))
    roster = Roster.objects.create(
        site=team.site,
        team=team,
        scope_key=scope_key(site=team.site, team=team),
        start_date=day,
        days=7,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    shifts = []
    for person in people:
        start = local(day, 10, 0, tz)
        shift = Shift.objects.create(
            roster=roster,
            employee=person,
            template=template,
            queue=queue,
            start=start,
            end=start + timedelta(hours=8),
            local_date=day,
            state=roster.status,
        )
        lunch = local(day, 13, 0, tz)
        ShiftBreak.objects.create(shift=shift, start=lunch, end=lunch + timedelta(minutes=30))
        shifts.append(shift)
    return MoveScene(queue, day, local(day, 11, 0, tz), roster, shifts)


def meeting_place(scene: MoveScene, people: list[Employee]) -> Meeting:
    """A 30-minute meeting of `people` the roster placed at 12:30 (window 10:00-16:00)."""
    tz = scene.queue.site.timezone
    meeting = Meeting.objects.create(
        site=scene.queue.site,
        title="Team huddle",
        length_minutes=30,
        window_start=local(scene.day, 10, 0, tz),
        window_end=local(scene.day, 16, 0, tz),
    )
    meeting.attendees.set(people)
    for person in people:
        PlacedActivity.objects.create(
            roster=scene.roster,
            employee=person,
            meeting=meeting,
            start=local(scene.day, 12, 30, tz),
            end=local(scene.day, 13, 0, tz),
        )
    return meeting
