"""Personal iCalendar feeds: a secret URL per operator (only its hash is stored), rotated or
revoked by the operator, serving their published shifts in the site's zone."""

import hashlib
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from organisation.models import Employee
from scheduling.icalendar import CalendarEvent, calendar_text
from scheduling.models import CalendarFeed, PlacedActivity, Shift
from scheduling.selectors.rosters import my_shifts
from scheduling.selectors.training import placed_for

FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 120


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_rotate(*, employee: Employee) -> str:
    """A new secret token (returned once); the previous URL stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        employee=employee, defaults={"token_sha256": _digest(token)}
    )
    return token


def calendar_feed_revoke(*, employee: Employee) -> None:
    CalendarFeed.objects.filter(employee=employee).delete()


def calendar_feed_employee(*, token: str) -> Employee | None:
    feed = (
        CalendarFeed.objects.select_related("employee__team__site", "employee__user")
        .filter(token_sha256=_digest(token))
        .first()
    )
    return feed.employee if feed else None


def calendar_feed_text(*, employee: Employee, now: datetime) -> str:
    start = now - timedelta(days=FEED_PAST_DAYS)
    end = now + timedelta(days=FEED_FUTURE_DAYS)
    shifts = list(my_shifts(employee=employee, start=start, end=end))
    tz = employee.team.site.timezone
    return calendar_text(
        name=f"Shifts of {employee.full_name}",
        tz=tz,
        events=[
            *(_event(s) for s in shifts),
            *(_session_event(p) for p in placed_for(employee=employee, start=start, end=end)),
        ],
        now=now,
        span=(start, end),
    )


def _event(shift: Shift) -> CalendarEvent:
    what = shift.queue.name if shift.queue else shift.get_activity_display()
    zone = ZoneInfo(shift.roster.site.timezone)
    breaks = ", ".join(
        f"{'paid ' if b.paid else ''}break {b.start.astimezone(zone):%H:%M}-"
        f"{b.end.astimezone(zone):%H:%M}"
        for b in shift.breaks.all()
    )
    return CalendarEvent(
        uid=f"{shift.origin or shift.pk}@wfm",
        start=shift.start,
        end=shift.end,
        summary=f"{what} ({shift.activity})",
        description=breaks,
        sequence=shift.roster.version,
    )


def _session_event(placed: PlacedActivity) -> CalendarEvent:
    """A classroom session or meeting the published roster placed for the operator: its own
    event, inside the shift's. Its UID is stable across versions (the session and the
    operator), so a re-published roster moves it instead of adding another."""
    minutes = int((placed.end - placed.start).total_seconds() // 60)
    if placed.session is not None:
        row = placed.session
        summary = f"Training: {row.topic} ({row.programme.name})"
        location = row.room or "Online"
        key = f"session-{row.pk}"
        trainer = f", trainer {row.trainer.full_name}" if row.trainer else ""
        description = (
            f"Classroom session of the programme {row.programme.name}: {row.topic}, "
            f"{minutes} min{trainer}, {location}. Placed by the published roster."
        )
    else:  # a check constraint: a session or a meeting
        meeting = placed.meeting
        summary = f"{meeting.get_kind_display()}: {meeting.title}" if meeting else "Meeting"
        location, key = "", f"meeting-{placed.meeting_id}"
        description = f"{summary}, {minutes} min. Placed by the published roster."
    return CalendarEvent(
        uid=f"{key}-{placed.employee_id}@wfm",
        start=placed.start,
        end=placed.end,
        summary=summary,
        description=description,
        location=location,
        sequence=placed.roster.version,
    )
