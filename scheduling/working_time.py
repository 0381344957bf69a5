"""Working-time rules of the EU directive 2003/88/EC on a person's shifts, in elapsed time.
Pure (stdlib only); checked when a roster is published (R1.11-R1.13).

- 11 h of consecutive daily rest between shifts (Art. 3), measured as UTC elapsed time;
- 35 h of uninterrupted rest (24 h + the 11 h) in every 7-day window (Art. 5);
- a break in any working day over 6 h (Art. 4);
- at most 48 h a week on average over the reference period, 17 weeks (Art. 6, 16), unless
  the employee opted out (the opt-out suppresses only this rule);
- night workers (3 h or more in 00:00-05:00 on most of their shifts) at most 8 h per 24 h
  on average over the reference period (Art. 8).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from organisation.sentences import Sentence, english, gettext_noop

WORKING_TIME_SENTENCES = {
    "daily_rest": gettext_noop("{rest} of rest before this shift, {limit} h required"),
    "break_after_6h": gettext_noop("{worked} without a break"),
    "weekly_rest": gettext_noop("the 7 days from {date} have no {limit} h rest (longest {rest})"),
    "average_48h": gettext_noop("{worked} a week on average over {count} weeks, {limit} h allowed"),
    "night_worker_average": gettext_noop(
        "a night worker averaging {worked} per 24 h, {limit} h allowed"
    ),
}

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class WorkPeriod:
    start: datetime  # aware
    end: datetime
    break_minutes: int = 0


@dataclass(frozen=True)
class WorkingTimeLimits:
    daily_rest: timedelta = timedelta(hours=11)
    weekly_rest: timedelta = timedelta(hours=35)
    break_after: timedelta = timedelta(hours=6)
    average_weekly_hours: float = 48.0
    reference_weeks: int = 17
    night_average_hours: float = 8.0


@dataclass(frozen=True)
class WorkingTimeIssue:
    rule: str
    day: date
    reason: Sentence

    @property
    def message(self) -> str:
        return english([self.reason], WORKING_TIME_SENTENCES)


def _issue(rule: str, day: date, **values: Decimal | int | date) -> WorkingTimeIssue:
    return WorkingTimeIssue(rule, day, Sentence.of(rule, **values))


def _minutes(span: timedelta) -> int:
    """Whole minutes of a span (sentences write them as "10 h 50 min")."""
    return int(span.total_seconds() // 60)


def _hours(value: float | timedelta) -> Decimal:
    """Hours to two decimals at most, without trailing zeros (6.5, not 6.50)."""
    hours = value.total_seconds() / 3600 if isinstance(value, timedelta) else value
    return Decimal(f"{hours:.2f}").normalize()


def working_time_issues(
    periods: Sequence[WorkPeriod],
    *,
    first: date,
    last: date,
    timezone: str,
    opted_out_of_48h: bool = False,
    limits: WorkingTimeLimits | None = None,
) -> list[WorkingTimeIssue]:
    """Issues on the local days first..last; `periods` may reach back over the reference
    period before `first` (for the averages and the rest at the start)."""
    limits = limits or WorkingTimeLimits()
    zone = ZoneInfo(timezone)
    spans = sorted(
        (
            WorkPeriod(p.start.astimezone(UTC), p.end.astimezone(UTC), p.break_minutes)
            for p in periods
        ),
        key=lambda p: p.start,
    )
    found = _daily_rest(spans, first, last, zone, limits)
    found += _breaks(spans, first, last, zone, limits)
    found += _weekly_rest(spans, first, last, zone, limits)
    found += _averages(spans, last, zone, limits, opted_out_of_48h)
    return found


def _day(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def _daily_rest(
    spans: list[WorkPeriod], first: date, last: date, zone: ZoneInfo, limits: WorkingTimeLimits
) -> list[WorkingTimeIssue]:
    found = []
    for before, after in pairwise(spans):
        rest = after.start - before.end
        day = _day(after.start, zone)
        if rest < limits.daily_rest and first <= day <= last:
            minutes = int(rest.total_seconds() // 60)
            found.append(_issue("daily_rest", day, rest=minutes, limit=_hours(limits.daily_rest)))
    return found


def _breaks(
    spans: list[WorkPeriod], first: date, last: date, zone: ZoneInfo, limits: WorkingTimeLimits
) -> list[WorkingTimeIssue]:
    return [
        _issue("break_after_6h", _day(p.start, zone), worked=_minutes(p.end - p.start))
        for p in spans
        if p.end - p.start > limits.break_after
        and p.break_minutes <= 0
        and first <= _day(p.start, zone) <= last
    ]


def _weekly_rest(
    spans: list[WorkPeriod], first: date, last: date, zone: ZoneInfo, limits: WorkingTimeLimits
) -> list[WorkingTimeIssue]:
    """Every 7-day window starting on a day of the period needs one rest of 35 h."""
    found = []
    day = first
    while day + timedelta(days=6) <= last:
        start = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=7), time(), tzinfo=zone).astimezone(UTC)
        cursor, longest = start, timedelta(0)
        for p in spans:
            if p.end <= start or p.start >= end:
                continue
            longest = max(longest, p.start - cursor)
            cursor = max(cursor, p.end)
        longest = max(longest, end - cursor)
        if longest < limits.weekly_rest:
            found.append(
                _issue(
                    "weekly_rest",
                    day,
                    date=day,
                    limit=_hours(limits.weekly_rest),
                    rest=_minutes(longest),
                )
            )
        day += timedelta(days=1)
    return found


def _worked_hours(p: WorkPeriod) -> float:
    return (p.end - p.start).total_seconds() / 3600 - p.break_minutes / 60


def _night_hours(p: WorkPeriod, zone: ZoneInfo) -> float:
    total = 0.0
    day = _day(p.start, zone)
    for d in (day, day + timedelta(days=1)):
        a = datetime.combine(d, time(0), tzinfo=zone).astimezone(UTC)
        b = datetime.combine(d, time(5), tzinfo=zone).astimezone(UTC)
        total += max(0.0, (min(b, p.end) - max(a, p.start)).total_seconds() / 3600)
    return total


def _averages(
    spans: list[WorkPeriod],
    last: date,
    zone: ZoneInfo,
    limits: WorkingTimeLimits,
    opted_out: bool,
) -> list[WorkingTimeIssue]:
    weeks = limits.reference_weeks
    since = last - timedelta(weeks=weeks) + timedelta(days=1)
    window = [p for p in spans if since <= _day(p.start, zone) <= last]
    found = []
    average = sum(_worked_hours(p) for p in window) / weeks
    if average > limits.average_weekly_hours and not opted_out:
        found.append(
            _issue(
                "average_48h",
                last,
                worked=round(average * 60),
                count=weeks,
                limit=_hours(limits.average_weekly_hours),
            )
        )
    nights = [p for p in window if _night_hours(p, zone) >= 3]
    if window and len(nights) * 2 > len(window):
        per_day = sum(_worked_hours(p) for p in window) / len({_day(p.start, zone) for p in window})
        if per_day > limits.night_average_hours:
            found.append(
                _issue(
                    "night_worker_average",
                    last,
                    worked=round(per_day * 60),
                    limit=_hours(limits.night_average_hours),
                )
            )
    return found
