"""Call history for planning tests: interval counts that end before the site's today, so a
forecast of next week is allowed; read the clock when called, never at import."""

from datetime import date, timedelta

from django.utils import timezone

from organisation.local_grid import local_date
from organisation.models import Queue, Team
from scheduling.services.forecasting import history_import


def site_today(placed: Queue | Team) -> date:
    """Today in the site of a queue or team."""
    return local_date(instant=timezone.now(), timezone=placed.site.timezone)


def history_csv(*, last_day: date, weeks: int = 8, per_interval: int = 20) -> bytes:
    """Half-hour counts 08:00-20:00 for `weeks` weeks up to `last_day`; weekends a quarter."""
    rows = ["interval_start,calls,aht_seconds"]
    first = last_day - timedelta(days=weeks * 7 - 1)
    for d in range(weeks * 7):
        day = first + timedelta(days=d)
        for half_hour in range(16, 40):
            hh, mm = divmod(half_hour * 30, 60)
            calls = per_interval if day.weekday() < 5 else per_interval // 4
            rows.append(f"{day} {hh:02d}:{mm:02d},{calls},180")
    return ("\n".join(rows) + "\n").encode()


def history_make(queue: Queue, *, weeks: int = 8, per_interval: int = 20) -> date:
    """Import history up to the site's yesterday; the last local day of it."""
    last_day = site_today(queue) - timedelta(days=1)
    history_import(
        queue=queue, data=history_csv(last_day=last_day, weeks=weeks, per_interval=per_interval)
    )
    return last_day


def next_monday(queue: Queue) -> date:
    today = site_today(queue)
    return today + timedelta(days=7 - today.weekday())
