"""What the roster page shows, built from the roster review and one query of shifts: the
coverage heatmap per queue, and a per-person timeline for one page of people."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import formats

from organisation.models import Employee
from scheduling.models import Activity, Roster, ShiftBreak
from web.charts import Bar, Heatmap, day_bars, heatmap


@dataclass(frozen=True)
class PersonRow:
    person: Employee
    days: tuple[tuple[Bar, ...], ...]


def roster_days(roster: Roster) -> list[date]:
    return [roster.start_date + timedelta(days=d) for d in range(roster.days)]


def day_label(day: date) -> str:
    return formats.date_format(day, "D j M")


def coverage_heatmaps(*, roster: Roster, cover: list[dict[str, Any]]) -> list[tuple[str, Heatmap]]:
    """One heatmap per queue: rows are the period's days, cells its intervals."""
    by_queue: dict[str, dict[str, list[tuple[int, int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in cover:
        day, clock = row["local_start"].split("T")
        hours, minutes = clock.split(":")
        by_queue[row["queue_name"]][day].append(
            (int(hours) * 60 + int(minutes), row["required"], row["scheduled"])
        )
    maps = []
    for name in sorted(by_queue):
        days = by_queue[name]
        maps.append(
            (
                name,
                heatmap(
                    days=[(day_label(d), days.get(d.isoformat(), [])) for d in roster_days(roster)],
                    interval_minutes=roster.interval_minutes,
                ),
            )
        )
    return maps


def timeline(*, roster: Roster, people: list[Employee], edit_url: str = "") -> list[PersonRow]:
    """Bars per person and local day for one page of `people`, from one shift query; a
    shift's bar links to `edit_url` + its id + "/" when one is given."""
    zone = ZoneInfo(roster.site.timezone)
    ids = [p.pk for p in people]
    days = roster_days(roster)
    starts = {d: datetime.combine(d, time(), tzinfo=zone) for d in days}
    spans: dict[tuple[str, date], list[tuple[datetime, datetime, str, str, str]]] = defaultdict(
        list
    )
    # Only what a bar needs: no employee, queue or template rows per shift.
    shifts = (
        roster.shifts.filter(employee_id__in=ids)
        .only("id", "roster_id", "employee_id", "start", "end", "activity", "local_date")
        .prefetch_related(
            Prefetch("breaks", queryset=ShiftBreak.objects.only("id", "shift_id", "start", "end"))
        )
    )
    for shift in shifts:
        start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
        css = "bar-phone" if shift.activity == Activity.PHONE else "bar-other"
        label = f"{start:%H:%M}-{end:%H:%M}"
        key = (str(shift.employee_id), shift.local_date)
        href = f"{edit_url}{shift.pk}/" if edit_url else ""
        spans[key].append((start, end, css, label, href))
        for b in shift.breaks.all():
            spans[key].append(
                (b.start.astimezone(zone), b.end.astimezone(zone), "bar-break", "", "")
            )
    return [
        PersonRow(
            person,
            tuple(
                day_bars(day_start=starts[d], spans=spans.get((str(person.pk), d), []))
                for d in days
            ),
        )
        for person in people
    ]
