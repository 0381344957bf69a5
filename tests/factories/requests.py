"""A published team roster with hand-placed shifts, for swap and time-off tests."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from organisation.models import Employee, Team
from scheduling.models import Roster, Shift, ShiftBreak, ShiftTemplate
from scheduling.selectors.rosters import scope_key
from tests.factories.rosters import RosterSetup, roster_setup, swappable_monday, template_make


@dataclass
class Published:
    setup: RosterSetup
    roster: Roster
    late: ShiftTemplate

    @property
    def start(self) -> date:
        return self.setup.start

    def shift(
        self, employee: Employee, day: int, hour: int = 9, *, hours: int = 8, roster: Any = None
    ) -> Shift:
        """A shift of `employee` on day `day` of the period, local `hour` for `hours`, with a
        30-minute unpaid lunch four hours in."""
        roster = roster or self.roster
        zone = ZoneInfo(roster.site.timezone)
        local_day = self.start + timedelta(days=day)
        start = datetime.combine(local_day, time(hour), tzinfo=zone)
        template = self.setup.template if 8 <= hour <= 10 else self.late
        shift = Shift.objects.create(
            roster=roster,
            employee=employee,
            template=template,
            queue=self.setup.queue,
            start=start,
            end=start + timedelta(hours=hours),
            local_date=local_day,
            state=roster.status,
        )
        lunch = start + timedelta(hours=4)
        ShiftBreak.objects.create(shift=shift, start=lunch, end=lunch + timedelta(minutes=30))
        return shift


def published_make(*, team: Team, people: list[Employee], extra: int = 1) -> Published:
    """A published roster for the week of swappable_monday() (one agent needed 09-17 on
    weekdays), with no shifts yet: tests place them."""
    setup = roster_setup(team=team, people=people, agents=1, extra=extra, start=swappable_monday())
    late = template_make(
        site=team.site,
        name="Late",
        earliest_start=time(14),
        latest_start=time(16),
        lengths_minutes=[480],
    )
    roster = Roster.objects.create(
        site=team.site,
        team=team,
        scope_key=scope_key(site=team.site, team=team),
        start_date=setup.start,
        days=setup.days,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    return Published(setup, roster, late)
