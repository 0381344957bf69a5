"""Pay period boundaries by frequency. Pure date arithmetic."""

import calendar
from datetime import date, timedelta

FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly")


def next_period(frequency: str, *, after: date | None, anchor: date) -> tuple[date, date]:
    """The period that follows the one ending on `after` (or the first one, starting on
    `anchor`, when there is none)."""
    start = anchor if after is None else after + timedelta(days=1)
    if frequency == "weekly":
        return start, start + timedelta(days=6)
    if frequency == "biweekly":
        return start, start + timedelta(days=13)
    last_day = calendar.monthrange(start.year, start.month)[1]
    if frequency == "semimonthly":
        if start.day <= 15:
            return start, start.replace(day=15)
        return start, start.replace(day=last_day)
    if frequency == "monthly":
        return start, start.replace(day=last_day)
    raise ValueError(f"unknown pay frequency {frequency!r}")
