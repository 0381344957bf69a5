"""Availability entered from the pages: a kind, a range of local days, optional weekdays and
an optional time of day, stored as the blocks the solver reads. Managers enter it for their
people; operators for themselves, before the deadline and before a roster covers the days."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from organisation.errors import InvalidInput, LocalTimeAmbiguous, LocalTimeSkipped, NotPermitted
from organisation.local_grid import local_date, local_day_bounds, local_instant
from organisation.models import Employee
from organisation.services.organisation import save_validated
from scheduling.errors import AvailabilityPastDeadline, AvailabilityRosterBuilt
from scheduling.models import AvailabilityBlock
from scheduling.selectors.availability import roster_built_for

MAX_DAYS = 366
# Operators enter their own availability at least this many days ahead: rosters are built
# two weeks out, so later changes would come after the roster was planned.
NOTICE_DAYS = 14
OWN_KINDS = (AvailabilityBlock.Kind.UNAVAILABLE, AvailabilityBlock.Kind.PREFER_OFF)


@dataclass(frozen=True)
class AvailabilityPattern:
    kind: str
    first_day: date
    last_day: date
    weekdays: tuple[int, ...] = ()  # empty: every day
    start: time | None = None  # both None: whole days
    end: time | None = None  # at or before `start`: the next day
    reason: str = ""


def _invalid(field: str, code: str, message: str) -> InvalidInput:
    return InvalidInput(message, extra={"fields": {field: [{"code": code, "message": message}]}})


def _days(pattern: AvailabilityPattern) -> list[date]:
    if pattern.last_day < pattern.first_day:
        raise _invalid("last_day", "end_before_start", "The last day comes before the first.")
    if (pattern.last_day - pattern.first_day).days >= MAX_DAYS:
        raise _invalid("last_day", "too_long", f"At most {MAX_DAYS} days at a time.")
    if (pattern.start is None) != (pattern.end is None):
        raise _invalid("end", "times_in_pairs", "Give both times, or neither for whole days.")
    days = [
        pattern.first_day + timedelta(days=n)
        for n in range((pattern.last_day - pattern.first_day).days + 1)
    ]
    found = [d for d in days if not pattern.weekdays or d.weekday() in pattern.weekdays]
    if not found:
        raise _invalid("weekdays", "no_days", "None of these days falls on the weekdays chosen.")
    return found


def _spans(
    pattern: AvailabilityPattern, days: list[date], tz: str
) -> list[tuple[datetime, datetime]]:
    """Whole days in runs of consecutive days; times of day as one span a day."""
    if pattern.start is None or pattern.end is None:
        runs: list[list[date]] = []
        for day in days:
            if runs and runs[-1][-1] == day - timedelta(days=1):
                runs[-1].append(day)
            else:
                runs.append([day])
        return [local_day_bounds(first_day=r[0], last_day=r[-1], timezone=tz) for r in runs]
    spans = []
    for day in days:
        end_day = day if pattern.end > pattern.start else day + timedelta(days=1)
        try:
            spans.append(
                (
                    local_instant(day=day, wall=pattern.start, timezone=tz, fold=0),
                    local_instant(day=end_day, wall=pattern.end, timezone=tz, fold=0),
                )
            )
        except (LocalTimeSkipped, LocalTimeAmbiguous) as exc:
            raise _invalid("start", "bad_local_time", str(exc)) from exc
    return spans


@transaction.atomic
def availability_pattern_create(
    *,
    employee: Employee,
    pattern: AvailabilityPattern,
    created_by: AbstractBaseUser | None,
) -> list[AvailabilityBlock]:
    """The blocks of the pattern in the employee's site zone, all saved or none."""
    days = _days(pattern)
    blocks = []
    for start, end in _spans(pattern, days, employee.team.site.timezone):
        block = AvailabilityBlock(
            employee=employee,
            kind=pattern.kind,
            start=start,
            end=end,
            reason=pattern.reason,
            created_by=created_by,
        )
        save_validated(block)
        blocks.append(block)
    return blocks


def availability_deadline(*, employee: Employee, now: datetime | None = None) -> date:
    """The first local day an operator may still change their own availability for."""
    today = local_date(instant=now or timezone.now(), timezone=employee.team.site.timezone)
    return today + timedelta(days=NOTICE_DAYS)


def _check_own(employee: Employee, first_day: date, last_day: date, now: datetime | None) -> None:
    deadline = availability_deadline(employee=employee, now=now)
    if first_day < deadline:
        raise AvailabilityPastDeadline(extra={"deadline": deadline.isoformat()})
    if roster_built_for(employee=employee, first_day=first_day, last_day=last_day):
        raise AvailabilityRosterBuilt()


@transaction.atomic
def availability_own_create(
    *, employee: Employee, pattern: AvailabilityPattern, now: datetime | None = None
) -> list[AvailabilityBlock]:
    """An operator's own unavailability or wish to be off, from the deadline on and only for
    days no roster covers yet."""
    if pattern.kind not in OWN_KINDS:
        raise NotPermitted("Operators enter unavailability or wishes; time off is requested.")
    _check_own(employee, pattern.first_day, pattern.last_day, now)
    return availability_pattern_create(employee=employee, pattern=pattern, created_by=employee.user)


@transaction.atomic
def availability_own_delete(
    *, employee: Employee, block: AvailabilityBlock, now: datetime | None = None
) -> None:
    if block.employee_id != employee.pk or block.kind not in OWN_KINDS:
        raise NotPermitted()
    tz = employee.team.site.timezone
    first = local_date(instant=block.start, timezone=tz)
    last = local_date(instant=block.end - timedelta(microseconds=1), timezone=tz)
    _check_own(employee, first, last, now)
    block.delete()


@transaction.atomic
def availability_delete(*, block: AvailabilityBlock) -> None:
    block.delete()
