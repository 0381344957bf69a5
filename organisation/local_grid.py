"""Local-day interval grids and UTC instants, across DST changes. Pure: stdlib zoneinfo only.

A planning day has 1440 / interval_minutes wall-clock intervals. On the spring-forward day the
skipped intervals do not exist and are left out; on the autumn day the repeated wall-clock
intervals happen twice, so both instants are produced.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from organisation.errors import LocalTimeAmbiguous, LocalTimeSkipped


@dataclass(frozen=True)
class GridInstant:
    day: int  # index of the local day from the first one
    period: int  # index of the interval within the local day
    start: datetime  # aware, UTC


def local_grid_instants(
    *, first_day: date, days: int, interval_minutes: int, timezone: str
) -> list[GridInstant]:
    zone = ZoneInfo(timezone)
    periods = 1440 // interval_minutes
    instants: list[GridInstant] = []
    for d in range(days):
        midnight = datetime.combine(first_day + timedelta(days=d), time())
        for p in range(periods):
            wall = midnight + timedelta(minutes=p * interval_minutes)
            earlier = wall.replace(tzinfo=zone)
            if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
                continue  # skipped by the spring change
            later = wall.replace(tzinfo=zone, fold=1)
            instants.append(GridInstant(d, p, earlier.astimezone(UTC)))
            if later.utcoffset() != earlier.utcoffset():
                instants.append(GridInstant(d, p, later.astimezone(UTC)))
    return instants


def local_day_bounds(
    *, first_day: date, last_day: date, timezone: str
) -> tuple[datetime, datetime]:
    """UTC instants of first_day's local midnight and of the midnight after last_day."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first_day, time(), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def timeline_minute(instant: datetime, origin: datetime) -> int:
    """Whole minutes from `origin` to `instant`, as time runs: a local day's time line from
    its midnight (local_day_bounds) keeps the two autumn 02:30s 60 minutes apart and has no
    minute in the hour the spring change skips (50 half hours in the autumn day, 46 in the
    spring one)."""
    return int((instant - origin).total_seconds() // 60)


def wall_minute(*, instant: datetime, first_day: date, timezone: str) -> int:
    """Wall-clock minutes from first_day's local midnight to `instant` (day * 1440 + minute of
    the local day): the solver's time axis. Both autumn 01:30s give the same number."""
    wall = instant.astimezone(ZoneInfo(timezone))
    return (wall.date() - first_day).days * 1440 + wall.hour * 60 + wall.minute


def wall_instant(*, minute: int, first_day: date, timezone: str) -> datetime:
    """The UTC instant of a wall-clock minute on the solver's axis (the earlier of an
    ambiguous pair; a time skipped by the spring change is read with the offset before it)."""
    wall = datetime.combine(first_day, time()) + timedelta(minutes=minute)
    return wall.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def local_instant(*, day: date, wall: time, timezone: str, fold: int | None = None) -> datetime:
    """The UTC instant of a wall-clock time on a local day, as a person reads their clock.
    A time the spring change skips raises LocalTimeSkipped; one the autumn change repeats
    raises LocalTimeAmbiguous unless `fold` says which (0: the first, 1: the second)."""
    zone = ZoneInfo(timezone)
    naive = datetime.combine(day, wall)
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise LocalTimeSkipped(f"{naive:%Y-%m-%d %H:%M} does not exist in {timezone}")
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            raise LocalTimeAmbiguous(f"{naive:%Y-%m-%d %H:%M} happens twice in {timezone}")
        return (second if fold else first).astimezone(UTC)
    return first.astimezone(UTC)


def local_date(*, instant: datetime, timezone: str) -> date:
    """The calendar day `instant` falls on in `timezone` (a site's "today" is
    `local_date(instant=now, timezone=site.timezone)`, never the server's UTC date)."""
    return instant.astimezone(ZoneInfo(timezone)).date()
