"""Worked shifts in the past with their punches, for correction and timesheet tests."""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from organisation.models import Employee
from scheduling.models import Roster, Shift
from scheduling.selectors.rosters import scope_key
from timeclock.models import FineAcknowledgement, Punch
from timeclock.services.punches import PunchInput, punches_ingest


def local_today(employee: Employee) -> date:
    return timezone.now().astimezone(ZoneInfo(employee.team.site.timezone)).date()


def past_shift(
    *, employee: Employee, day: date | None = None, hour: int = 9, hours: int = 8
) -> Shift:
    """A published shift of `employee` (no breaks) starting at local `hour` on `day` (by
    default two days ago), on a one-day roster of its own."""
    site = employee.team.site
    day = day or local_today(employee) - timedelta(days=2)
    roster = Roster.objects.create(
        site=site,
        team=employee.team,
        scope_key=scope_key(site=site, team=employee.team),
        start_date=day,
        days=1,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    start = datetime.combine(day, time(hour), tzinfo=ZoneInfo(site.timezone))
    return Shift.objects.create(
        roster=roster,
        employee=employee,
        start=start,
        end=start + timedelta(hours=hours),
        local_date=day,
        state=Roster.Status.PUBLISHED,
    )


def punch_make(*, employee: Employee, kind: str, at: datetime) -> Punch:
    """A remote punch stored as the clock would store it, received at `at`."""
    event_id = uuid.uuid4()
    punches_ingest(
        items=[
            PunchInput(
                event_id=event_id, kind=kind, occurred_at=at, employee_number=employee.number
            )
        ],
        source=Punch.Source.REMOTE,
        device=None,
        now=at,
    )
    return Punch.objects.get(event_id=event_id)


def fine_rules_received(employee: Employee, on: date = date(2020, 1, 6)) -> None:
    """The employee received the written fine rules (BW art. 7:650), long before any fine."""
    FineAcknowledgement.objects.create(
        employee=employee, received_on=on, document="Staff rules", recorded_at=timezone.now()
    )
