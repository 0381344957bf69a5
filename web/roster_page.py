"""What the schedule board shows, built from its selectors: one row per person (paid time
against the contract, a cell per local day with the shift blocks, their breaks and leave),
the colour of each queue, and the coverage of the window per queue as a table of numbers."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from organisation.models import Queue
from scheduling.models import Activity, Roster
from scheduling.selectors.roster_board import BoardPerson, BoardShift
from scheduling.selectors.roster_day import CoverDay
from web.charts import heat_class
from web.day_page import CoverChart, window_chart
from web.labels import LABELS, time_label
from web.sentences import duration_text

QUEUE_COLOURS = 8  # .q0 .. .q7 in app.css
DASH = "\u2013"  # between times: 09:00-17:00 with an en dash


@dataclass(frozen=True)
class Segment:
    style: str  # "left:12.50%;width:6.25%": a break inside the block's mini bar


@dataclass(frozen=True)
class BoardUrls:
    """The editor's and the add form's URLs without the ids: one reverse per page."""

    edit: str  # + shift id + "/"
    add: str  # + "?employee=...&day=..."

    @classmethod
    def of(cls, roster: Roster) -> "BoardUrls":
        blank = "00000000-0000-0000-0000-000000000000"
        edit = reverse("web:shift-edit", args=[blank]).removesuffix(f"{blank}/")
        return cls(edit, reverse("web:shift-add", args=[roster.pk]))


def drop_token(employee_id: Any, start: datetime, end: datetime) -> str:
    """Whose shift a board showed and when: a drag sends it back, and the drop is refused
    when the shift has moved or changed hands since (another manager's edit)."""
    return f"{employee_id}|{int(start.timestamp())}|{int(end.timestamp())}"


@dataclass(frozen=True)
class Block:
    shift: BoardShift
    href: str
    times: str  # "09:00-17:00" (with an en dash)
    what: str  # the queue's name, or the activity
    css: str
    name: str  # the accessible name: person, day, time, queue or activity
    breaks: tuple[Segment, ...]
    breaks_text: str  # "13:00-13:30"

    @property
    def was(self) -> str:
        return drop_token(self.shift.employee_id, self.shift.start, self.shift.end)


@dataclass(frozen=True)
class Cell:
    day: date
    label: str  # "Mon 7 Dec"
    blocks: tuple[Block, ...]
    away: str  # "" | "time_off" | "unavailable"
    add_name: str  # the add button's accessible name
    add_href: str

    @property
    def css(self) -> str:
        return (
            "cell"
            + (f" away-{self.away}" if self.away else "")
            + (" weekend" if self.day.weekday() >= 5 else "")
        )


@dataclass(frozen=True)
class Row:
    person: BoardPerson
    hours: str  # "38 h 30 min"
    contract: str  # "32 h-40 h"
    balance_css: str  # "over" | "under" | ""
    cells: tuple[Cell, ...]


def roster_days(roster: Roster) -> list[date]:
    return [roster.start_date + timedelta(days=d) for d in range(roster.days)]


def window_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=d) for d in range((last - first).days + 1)]


def day_label(day: date) -> str:
    return formats.date_format(day, _("D j M"))


def queue_colours(queues: list[Queue]) -> dict[str, str]:
    """A colour class per queue of the site, stable for a given set of queues (by name)."""
    ordered = sorted(queues, key=lambda q: q.name)
    return {str(q.pk): f"q{i % QUEUE_COLOURS}" for i, q in enumerate(ordered)}


def board_rows(
    *,
    people: list[BoardPerson],
    urls: BoardUrls,
    days: list[date],
    shifts: dict[tuple[str, date], list[BoardShift]],
    away: dict[tuple[str, date], str],
    queues: dict[str, Queue],
    colours: dict[str, str],
) -> list[Row]:
    labels = {d: day_label(d) for d in days}
    adding = _("Add a shift for %(name)s on %(day)s")
    rows = []
    for person in people:
        who = str(person.employee.pk)
        name = person.employee.full_name
        cells = tuple(
            Cell(
                day=d,
                label=labels[d],
                blocks=tuple(
                    _block(s, urls, name, labels[d], queues, colours)
                    for s in shifts.get((who, d), [])
                ),
                away=away.get((who, d), ""),
                add_name=adding % {"name": name, "day": labels[d]},
                add_href=f"{urls.add}?employee={who}&day={d.isoformat()}",
            )
            for d in days
        )
        balance = person.balance_minutes
        rows.append(
            Row(
                person=person,
                hours=duration_text(person.paid_minutes),
                contract=_contract(person),
                balance_css="over" if balance > 0 else "under" if balance < 0 else "",
                cells=cells,
            )
        )
    return rows


def _contract(person: BoardPerson) -> str:
    most = duration_text(person.max_minutes)
    if not person.min_minutes:
        return _("at most %(most)s") % {"most": most}
    return f"{duration_text(person.min_minutes)}{DASH}{most}"


def _block(
    shift: BoardShift,
    urls: BoardUrls,
    name: str,
    day: str,
    queues: dict[str, Queue],
    colours: dict[str, str],
) -> Block:
    times = f"{time_label(shift.start)}{DASH}{time_label(shift.end)}"
    queue = queues.get(shift.queue_id or "")
    if shift.activity == Activity.PHONE:
        what = queue.name if queue else str(LABELS["phone"])
        css = colours.get(shift.queue_id or "", "q0")
    else:
        what = str(LABELS.get(shift.activity, shift.activity))
        css = f"act-{shift.activity}"
    if shift.pinned:
        css += " pinned"
    if shift.on_leave:
        css += " clash"
    length = (shift.end - shift.start).total_seconds() or 1.0
    segments = tuple(
        Segment(
            f"left:{100 * (b.start - shift.start).total_seconds() / length:.2f}%;"
            f"width:{100 * (b.end - b.start).total_seconds() / length:.2f}%"
        )
        for b in shift.breaks
    )
    breaks_text = ", ".join(f"{time_label(b.start)}{DASH}{time_label(b.end)}" for b in shift.breaks)
    parts = [name, day, times, what]
    if breaks_text:
        parts.append(_("break %(times)s") % {"times": breaks_text})
    if shift.pinned:
        parts.append(_("pinned"))
    if shift.on_leave:
        parts.append(_("on leave: needs cover"))
    href = f"{urls.edit}{shift.id}/"
    return Block(shift, href, times, what, css, ", ".join(parts), segments, breaks_text)


@dataclass(frozen=True)
class HeatCell:
    required: int
    scheduled: int
    css: str
    absent: bool = False  # the day has no such time (the spring change skips it)


@dataclass(frozen=True)
class HeatDay:
    day: date
    label: str
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class QueueCover:
    """One queue's cover in the window: a row per day, a column per interval of the hours
    that hold any demand or cover (the autumn day's second 02:00 hour columns of their own);
    the numbers are in every cell."""

    queue_id: str
    name: str
    colour: str
    columns: tuple[tuple[str, bool], ...]  # ("08:15", whether it starts an hour)
    days: tuple[HeatDay, ...]
    required_agent_hours: float
    scheduled_agent_hours: float
    under_agent_intervals: int
    chart: CoverChart  # required against scheduled over the days, the gap shaded


ABSENT = HeatCell(0, 0, "heat-none heat-absent", absent=True)


def cover_tables(
    *,
    cover: list[CoverDay],
    timezone: str,
    colours: dict[str, str],
) -> list[QueueCover]:
    """Per queue, the window's days (each on its time line, roster_cover_window) as rows of
    a table whose columns are the local times of the busy hours: a column per wall-clock
    interval, and one more for each interval the autumn change repeats."""
    zone = ZoneInfo(timezone)
    interval_minutes = cover[0].interval_minutes if cover else 60
    # Per queue: (local minute of the day, fold) -> (required, scheduled), per day.
    by_queue: dict[str, list[dict[tuple[int, int], tuple[int, int]]]] = defaultdict(list)
    names: dict[str, str] = {}
    labels: dict[tuple[int, int], str] = {}  # "02:00", "02:00 (2nd)"
    for day in cover:
        for q in day.cover:
            cells = {}
            for t, (r, s) in enumerate(zip(q.required, q.scheduled, strict=True)):
                at = (day.origin + timedelta(minutes=t * interval_minutes)).astimezone(zone)
                key = (at.hour * 60 + at.minute, at.fold)
                cells[key] = (r, s)
                labels.setdefault(key, time_label(at))
            by_queue[q.queue_id].append(cells)
            names[q.queue_id] = q.name
    tables = []
    for queue_id in sorted(by_queue, key=lambda q: names[q]):
        per_day = by_queue[queue_id]
        busy = [m for cells in per_day for (m, _f), (r, s) in cells.items() if r or s]
        if not busy:
            continue
        first = (min(busy) // 60) * 60
        last = min(-(-(max(busy) + interval_minutes) // 60) * 60, 1440)
        grid = _in_time_order(
            {key for cells in per_day for key in cells if first <= key[0] < last},
            interval_minutes,
        )
        heat_days = []
        for day, cells in zip(cover, per_day, strict=True):
            heat_days.append(
                HeatDay(
                    day.day,
                    day_label(day.day),
                    tuple(
                        HeatCell(*cells[k], heat_class(*cells[k])) if k in cells else ABSENT
                        for k in grid
                    ),
                )
            )
        counted = [v for cells in per_day for v in cells.values()]
        required = sum(r for r, _ in counted)
        scheduled = sum(s for _, s in counted)
        tables.append(
            QueueCover(
                queue_id=queue_id,
                name=names[queue_id],
                colour=colours.get(queue_id, "q0"),
                columns=tuple((labels[(m, fold)], m % 60 == 0) for m, fold in grid),
                days=tuple(heat_days),
                required_agent_hours=round(required * interval_minutes / 60, 1),
                scheduled_agent_hours=round(scheduled * interval_minutes / 60, 1),
                under_agent_intervals=sum(max(0, r - s) for r, s in counted),
                chart=window_chart(
                    days=[
                        (
                            formats.date_format(h.day, "D j"),
                            [c.required for c in h.cells if not c.absent],
                            [c.scheduled for c in h.cells if not c.absent],
                        )
                        for h in heat_days
                    ],
                    interval_minutes=interval_minutes,
                    first_minute=0,
                    last_minute=max(sum(not c.absent for c in h.cells) for h in heat_days)
                    * interval_minutes,
                ),
            )
        )
    return tables


def _in_time_order(keys: set[tuple[int, int]], interval_minutes: int) -> list[tuple[int, int]]:
    """(minute of the local day, fold) as time runs: the repeated times' second occurrences
    (fold 1) after the first occurrences of the whole repeated hour, before what follows."""
    second = [m for m, fold in keys if fold]
    block_end = max(second) + interval_minutes if second else 0
    return sorted(keys, key=lambda k: (block_end - 0.5, k[0]) if k[1] else (k[0], 0))


def binding_rules(solver: dict[str, Any]) -> list[tuple[str, int]]:
    """The engine's rules that bind ("max_days_per_week: 12": how many of the sampled short
    intervals the rule kept someone from covering) as labels and counts, most first."""
    found = []
    for item in solver.get("binding_rules") or []:
        code, _sep, count = str(item).partition(":")
        code = code.strip()
        found.append((str(LABELS.get(code, code.replace("_", " "))), int(count or 0)))
    return found
