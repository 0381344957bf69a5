"""The intraday page per queue: charts of calls (plan, reforecast, offered, handled) and of
agents (required at the reforecast, scheduled, logged in), from timeclock/selectors/intraday."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.selectors.organisation import User
from scheduling.selectors.intraday_moves import (
    BreakMovePlan,
    ProposedMove,
    ProposedSession,
    break_moves_plan,
)
from timeclock.selectors.adherence import AdherenceEvent
from timeclock.selectors.intraday import IntradayDay
from web.charts import LineChart, line_chart
from web.labels import time_label


@dataclass(frozen=True)
class IntradayRow:
    time: str  # local HH:MM
    planned: float
    reforecast: float
    offered: int | None
    handled: int | None
    required: int
    scheduled: int
    logged_in: int | None
    gap: int  # scheduled - required: over (+) or short (-)
    now: bool  # the interval under way
    missing: bool = False  # over, but the phone system's figures have not arrived
    logged_in_unknown: bool = False  # started, but neither agent states nor punches


@dataclass(frozen=True)
class IntradayPanel:
    day: IntradayDay
    calls: LineChart
    agents: LineChart
    rows: list[IntradayRow]
    offers: tuple[Any, ...] = ()  # the queue's VTO and overtime offers of the day
    offer_form: Any = None
    moves: "MovePanel | None" = None  # breaks to move for the rest of the day
    logged_in_label: str = ""  # "Logged in", or "Clocked in (punches)" without agent states


def intraday_panel(day: IntradayDay) -> IntradayPanel:
    zone = ZoneInfo(day.queue.site.timezone)
    local = [i.start.astimezone(zone) for i in day.intervals]
    labels = [time_label(t) for t in local]  # the autumn day's second 02:00 "02:00 (2nd)"
    every = max(1, len(labels) // 8)
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    its = day.intervals
    calls = line_chart(
        labels=labels,
        series=[
            (_("Plan"), "series-a", [i.planned_calls for i in its], False),
            (_("Reforecast"), "series-d", [i.reforecast_calls for i in its], True),
            (_("Offered"), "series-b", [_or_none(i.offered) for i in its], False),
            (_("Handled"), "series-c", [_or_none(i.handled) for i in its], False),
        ],
        label_every=every,
        decimal=decimal,
    )
    agents = line_chart(
        labels=labels,
        series=[
            (_("Required"), "series-a", [float(i.required) for i in its], False),
            (_("Scheduled"), "series-c", [float(i.scheduled) for i in its], False),
            (logged_in_label(day), "series-b", [_or_none(i.logged_in) for i in its], False),
        ],
        label_every=every,
        decimal=decimal,
    )
    step = day.interval_minutes * 60
    rows = [
        IntradayRow(
            time=labels[n],
            planned=i.planned_calls,
            reforecast=i.reforecast_calls,
            offered=i.offered,
            handled=i.handled,
            required=i.required,
            scheduled=i.scheduled,
            logged_in=i.logged_in,
            gap=i.scheduled - i.required,
            now=0 <= (day.now - i.start).total_seconds() < step,
            missing=i.missing,
            logged_in_unknown=i.start <= day.now and i.logged_in is None,
        )
        for n, i in enumerate(its)
        if i.expected
    ]
    return IntradayPanel(
        day=day, calls=calls, agents=agents, rows=rows, logged_in_label=logged_in_label(day)
    )


def logged_in_label(day: IntradayDay) -> str:
    """The agents chart's and table's third figure, named by its source: the phone system's
    agent states, or the punches where the site sends none."""
    if day.logged_in_source == "punches":
        return _("Clocked in (punches)")
    return _("Logged in")


def intraday_back(request: HttpRequest) -> str:
    """Where a form of the intraday page returns: the page as it was (its `at`), never off it."""
    back = request.POST.get("next") or "/manager/intraday/"
    return back if back.startswith("/manager/intraday/") else "/manager/intraday/"


def _or_none(value: int | None) -> float | None:
    return None if value is None else float(value)


# What the schedule planned and what the ACD (or the punches) showed, in the reader's language.
ADHERENCE_LABELS = {
    "phone": gettext_lazy("Phone"),
    "break": gettext_lazy("Break"),
    "meeting": gettext_lazy("Meeting"),
    "training": gettext_lazy("Training"),
    "other_work": gettext_lazy("Other work"),
    "absent": gettext_lazy("Absent"),
    "not_ready": gettext_lazy("Not ready"),
    "working": gettext_lazy("Working"),
}


@dataclass(frozen=True)
class AdherenceLine:
    event: AdherenceEvent
    planned: str
    actual: str


def adherence_lines(events: list[AdherenceEvent]) -> list[AdherenceLine]:
    return [
        AdherenceLine(
            event=ev,
            planned=str(ADHERENCE_LABELS.get(ev.planned, ev.planned)),
            actual=str(ADHERENCE_LABELS.get(ev.actual, ev.actual)),
        )
        for ev in events
    ]


@dataclass(frozen=True)
class MoveLine:
    proposed: ProposedMove
    name: str
    old: str  # local "HH:MM" to "HH:MM", en dash between
    new: str
    gaps: list[tuple[str, int, int]]  # (local HH:MM, over/short before, after)


@dataclass(frozen=True)
class SessionLine:
    proposed: ProposedSession
    title: str
    names: str  # who attends, by name
    old: str  # local "HH:MM" to "HH:MM", en dash between
    new: str
    gaps: list[tuple[str, int, int]]


@dataclass(frozen=True)
class MovePanel:
    plan: BreakMovePlan
    lines: list[MoveLine]
    sessions: list[SessionLine]


def intraday_moves(day: IntradayDay, user: User) -> MovePanel:
    """The meetings, training sessions and breaks of the rosters `user` manages to move for
    the rest of the day, with the gain each brings."""
    plan = break_moves_plan(
        queue=day.queue,
        now=day.now,
        interval_minutes=day.interval_minutes,
        intervals=[(i.start, i.required, i.scheduled) for i in day.intervals],
        user=user,
    )
    zone = ZoneInfo(day.queue.site.timezone)

    def hhmm(instant: Any) -> str:
        return time_label(instant.astimezone(zone))

    def gaps(move: Any) -> list[tuple[str, int, int]]:
        """Per interval the move changes: its local start (the autumn day's second 02:00
        "02:00 (2nd)"), over or short before and after."""
        return [(hhmm(plan.period_start(g.period)), g.before, g.after) for g in move.gaps]

    sessions = [
        SessionLine(
            proposed=p,
            title=str(p.row),
            names=", ".join(e.full_name for e in p.attending),
            old=f"{hhmm(p.start)}\u2013{hhmm(p.end)}",
            new=f"{hhmm(p.new_start)}\u2013{hhmm(p.new_end)}",
            gaps=gaps(p.move),
        )
        for p in plan.sessions
    ]
    lines = [
        MoveLine(
            proposed=p,
            name=p.shift.employee.full_name,
            old=f"{hhmm(p.break_start)}\u2013{hhmm(p.break_end)}",
            new=f"{hhmm(p.new_start)}\u2013{hhmm(p.new_end)}",
            gaps=gaps(p.move),
        )
        for p in plan.moves
    ]
    return MovePanel(plan=plan, lines=lines, sessions=sessions)
