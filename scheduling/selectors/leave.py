"""Who is away when: approved time off and unavailability by person and local day, whether a
shift falls on approved leave, and a person's own leave for their week."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from organisation.local_grid import local_day_bounds
from organisation.models import Employee
from scheduling.models import AvailabilityBlock, Shift, ShiftSwap

AWAY = [AvailabilityBlock.Kind.TIME_OFF, AvailabilityBlock.Kind.UNAVAILABLE]


def leave_days(
    *, people: list[str], first: date, last: date, timezone: str
) -> dict[tuple[str, date], str]:
    """The local days of first..last each person is away: "time_off" (approved leave, which
    wins) or "unavailable", by (person id, day)."""
    zone = ZoneInfo(timezone)
    start, end = local_day_bounds(first_day=first, last_day=last, timezone=timezone)
    blocks = AvailabilityBlock.objects.filter(
        employee_id__in=people, kind__in=AWAY, start__lt=end, end__gt=start
    ).values_list("employee_id", "kind", "start", "end")
    away: dict[tuple[str, date], str] = {}
    for who, kind, a, b in blocks:
        day = max(a.astimezone(zone).date(), first)
        until = min((b - timedelta(microseconds=1)).astimezone(zone).date(), last)
        while day <= until:
            if away.get((str(who), day)) != AvailabilityBlock.Kind.TIME_OFF:
                away[(str(who), day)] = kind
            day += timedelta(days=1)
    return away


def employee_leave_days(*, employee: Employee, first: date, last: date) -> dict[date, str]:
    """The person's own days away in first..last (their site's local days)."""
    found = leave_days(
        people=[str(employee.pk)], first=first, last=last, timezone=employee.team.site.timezone
    )
    return {day: kind for (_who, day), kind in found.items()}


def shift_on_leave(*, shift: Shift) -> bool:
    """Whether the shift overlaps its person's approved time off."""
    return AvailabilityBlock.objects.filter(
        employee_id=shift.employee_id,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start__lt=shift.end,
        end__gt=shift.start,
    ).exists()


def shifts_offered(*, shifts: list[Shift]) -> set[str]:
    """The stable keys of the shifts posted for colleagues (an open request is active)."""
    keys = [s.origin or s.pk for s in shifts]
    return {
        str(k)
        for k in ShiftSwap.objects.filter(
            shift_key__in=keys, status__in=ShiftSwap.ACTIVE
        ).values_list("shift_key", flat=True)
    }
