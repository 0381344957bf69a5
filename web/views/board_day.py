"""The board's day view: an intraday Gantt of everyone working the day at the roster's
interval (breaks and activities), under it per queue the agents required against scheduled
with the gap shaded; an interval clicked (or chosen in the table) lists who is on the phone."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from organisation.local_grid import timeline_minute
from organisation.models import Queue
from organisation.roles import MANAGERS
from scheduling.models import Activity, Roster, Shift
from scheduling.selectors.roster_day import (
    QueueDayCover,
    RosterDay,
    day_periods,
    roster_day,
    roster_day_on_phone,
)
from web import day_page, roster_page
from web.access import role_required
from web.labels import LABELS, time_key, time_label
from web.params import date_or_none
from web.views.board import managed_roster, open_draft


@dataclass(frozen=True)
class GanttRow:
    shift: Shift
    times: str
    what: str
    name: str  # the bar's accessible name
    pieces: tuple[day_page.Piece, ...]
    on_leave: bool


@dataclass(frozen=True)
class QueuePanel:
    cover: QueueDayCover
    chart: day_page.CoverChart
    colour: str
    # key ("02:00-2"), label ("02:00 (2nd)"), required, scheduled, gap (the busy ones)
    rows: list[tuple[str, str, int, int, int]]


def _day(roster: Roster, text: str) -> date:
    day = date_or_none(text)
    if day is None:
        raise Http404
    if not roster.start_date <= day < roster.start_date + timedelta(days=roster.days):
        raise Http404
    return day


@role_required(*MANAGERS)
def roster_day_view(request: HttpRequest, pk: Any, day: str) -> HttpResponse:
    roster = managed_roster(request, pk)
    local_day = _day(roster, day)
    data = roster_day(roster=roster, day=local_day)
    tz = roster.site.timezone
    zone = ZoneInfo(tz)
    # The day's intervals as time runs: on the autumn day each 02:00 hour its own.
    named = [
        (time_key(at.astimezone(zone)), time_label(at.astimezone(zone)))
        for _t, at in day_periods(data)
    ]
    if "at" in request.GET:
        periods = {key: (t, label) for t, (key, label) in enumerate(named)}
        found = periods.get(request.GET["at"])
        if found is None:
            raise Http404
        on_phone = {
            "at": found[1],
            "on_phone": roster_day_on_phone(day=data, period=found[0], timezone=tz),
            "roster": roster,
        }
        return render(request, "web/manager/_day_on_phone.html", on_phone)
    spans = [
        (timeline_minute(s.start, data.origin), timeline_minute(s.end, data.origin))
        for s in data.shifts
    ]
    busy = [
        t * data.interval_minutes
        for c in data.cover
        for t, (r, s) in enumerate(zip(c.required, c.scheduled, strict=True))
        if r or s
    ]
    axis = day_page.day_axis(
        spans, busy=busy + [m + data.interval_minutes for m in busy], day_minutes=data.minutes
    )

    def hour(minute: int) -> str:
        return f"{(data.origin + timedelta(minutes=minute)).astimezone(zone):%H}"

    colours = roster_page.queue_colours(list(Queue.objects.filter(site_id=roster.site_id)))
    label = roster_page.day_label(local_day)
    rows = [
        _gantt_row(s, span, label, axis, colours, data, zone)
        for s, span in zip(data.shifts, spans, strict=True)
    ]
    panels = [
        QueuePanel(
            cover=c,
            chart=day_page.cover_chart(
                required=c.required,
                scheduled=c.scheduled,
                interval_minutes=data.interval_minutes,
                axis=axis,
                width=960,
                height=180,
                labels=named,
                hour_label=hour,
            ),
            colour=colours.get(c.queue_id, "q0"),
            rows=[
                (key, lbl, c.required[t], c.scheduled[t], c.scheduled[t] - c.required[t])
                for t, (key, lbl) in enumerate(named)
                if c.required[t] or c.scheduled[t]
            ],
        )
        for c in data.cover
    ]
    first_day = roster.start_date
    last_day = first_day + timedelta(days=roster.days - 1)
    context = {
        "roster": roster,
        "draft": open_draft(roster),
        "day": local_day,
        "label": formats.date_format(local_day, "l j F Y"),
        "previous": local_day - timedelta(days=1) if local_day > first_day else None,
        "next": local_day + timedelta(days=1) if local_day < last_day else None,
        "axis": axis,
        "hours": axis.hours(hour),
        "grid_pct": 100 * data.interval_minutes / axis.span,
        "rows": rows,
        "panels": panels,
        "interval": data.interval_minutes,
        "week_start": local_day - timedelta(days=(local_day - first_day).days % 7),
        "editable": roster.status in (Roster.Status.DRAFT, Roster.Status.PUBLISHED),
    }
    return render(request, "web/manager/roster_day.html", context)


def _gantt_row(
    shift: Shift,
    span: tuple[int, int],
    label: str,
    axis: day_page.Axis,
    colours: dict[str, str],
    data: RosterDay,
    zone: ZoneInfo,
) -> GanttRow:
    start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
    breaks = [
        (timeline_minute(b.start, data.origin), timeline_minute(b.end, data.origin))
        for b in shift.breaks.all()
    ]
    if shift.activity == Activity.PHONE:
        css = colours.get(str(shift.queue_id), "q0")
        what = shift.queue.name if shift.queue else str(LABELS["phone"])
    else:
        css, what = f"act-{shift.activity}", str(LABELS.get(shift.activity, shift.activity))
    times = f"{time_label(start)}{roster_page.DASH}{time_label(end)}"
    on_leave = str(shift.employee_id) in data.on_leave
    parts = [shift.employee.full_name, label, times, what]
    for b in shift.breaks.all():
        b_start, b_end = b.start.astimezone(zone), b.end.astimezone(zone)
        times_of_break = f"{time_label(b_start)}{roster_page.DASH}{time_label(b_end)}"
        parts.append(_("break %(times)s") % {"times": times_of_break})
    if on_leave:
        parts.append(_("on leave: needs cover"))
    return GanttRow(
        shift=shift,
        times=times,
        what=what,
        name=", ".join(parts),
        pieces=day_page.bar_pieces(axis, span[0], span[1], breaks, css),
        on_leave=on_leave,
    )
