"""A scene for rest-of-day break moves (issue 26, item 5): three operators 10:00-18:00 on a
queue, all at lunch at 13:00 when the plan is busy, while 14:00-15:00 is quiet."""

from dataclasses import dataclass
from datetime import date, datetime, time

from organisation.models import Employee, Queue, Team
from scheduling.models import (
    Meeting,
    PlacedActivity,
    Roster,
    Shift,
    StaffingRequirement,
)
from tests.factories.intraday import local, published_day


@dataclass
class MoveScene:
    queue: Queue
    day: date
    now: datetime  # 11:00 local
    roster: Roster
    shifts: list[Shift]


def break_move_scene(*, team: Team, people: list[Employee], day: date) -> MoveScene:
    tz = team.site.timezone
    at_ten = {"earliest_start": time(10), "latest_start": time(10)}
    queue, roster, shifts = published_day(
        team=team, people=people, day=day, name="Claims", hour=10, lunch=13, template=at_ten
    )
    quiet = (local(day, 14, 0, tz), local(day, 14, 30, tz))
    StaffingRequirement.objects.filter(queue=queue, interval_start__in=quiet).update(
        calls=1.0, forecast_calls=1.0
    )
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
