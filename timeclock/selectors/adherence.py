"""Adherence from the database: the published roster against the ACD's agent states (or the
punches of operators the ACD does not report), for a day, a period or today so far.

The reads are a fixed number of queries whatever the head count; the minute arithmetic is in
timeclock/adherence.py. The intraday page lists today's events with `adherence_events_live`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from organisation.local_grid import local_date, local_day_bounds
from organisation.models import Employee, Site, Team
from scheduling.models import Roster, Shift, ShiftBreak
from timeclock.adherence import (
    DEFAULT_THRESHOLD_MINUTES,
    Actual,
    Figures,
    OutOfAdherence,
    Planned,
    Span,
    StateRow,
    figures_total,
    has_spans,
    open_state_bound,
    operator_days,
    period_source,
    state_spans,
)
from timeclock.models import AgentState, ClockPolicy, Punch
from timeclock.selectors.timesheets import _effective_punches

# States and punches read from before the window (open into it): those of the day before.
LOOKBACK = timedelta(hours=24)

PLANNED_OF_ACTIVITY = {
    "phone": Planned.PHONE,
    "meeting": Planned.MEETING,
    "coaching": Planned.MEETING,
    "training": Planned.TRAINING,
    "backoffice": Planned.OTHER_WORK,
}
S = AgentState.State
ACTUAL_OF_STATE = {
    S.LOGGED_IN: Actual.PHONE,
    S.AVAILABLE: Actual.PHONE,
    S.ON_CALL: Actual.PHONE,
    S.AFTER_CALL_WORK: Actual.PHONE,
    S.BREAK: Actual.BREAK,
    S.MEETING: Actual.MEETING,
    S.TRAINING: Actual.TRAINING,
    S.NOT_READY: Actual.NOT_READY,
    S.LOGGED_OUT: Actual.ABSENT,
}


@dataclass(frozen=True)
class AdherenceEvent:
    """An operator out of adherence for at least the site's threshold."""

    employee_id: str
    employee_number: str
    employee_name: str
    team_name: str
    start: datetime
    end: datetime
    minutes: int
    planned: str  # phone | break | meeting | training | other_work
    actual: str  # absent | phone | break | meeting | training | not_ready | working
    ongoing: bool


@dataclass(frozen=True)
class AdherenceDay:
    """One local day of an employee: its source (acd | punches | none) and figures."""

    day: date
    source: str
    figures: Figures


@dataclass(frozen=True)
class AdherenceRow:
    employee_id: str
    employee_number: str
    employee_name: str
    team_name: str
    source: str  # acd | punches | mixed (days of both) | none
    figures: Figures  # the days' minutes added
    events: tuple[AdherenceEvent, ...]
    days: tuple[AdherenceDay, ...] = ()


@dataclass(frozen=True)
class AdherenceReport:
    start: datetime
    end: datetime
    judged_until: datetime
    threshold_minutes: int
    rows: list[AdherenceRow]
    total: Figures


def adherence_threshold(*, site: Site) -> int:
    policy = ClockPolicy.objects.filter(site=site).only("adherence_threshold_minutes").first()
    return policy.adherence_threshold_minutes if policy else DEFAULT_THRESHOLD_MINUTES


def adherence_employees(*, site: Site, team: Team | None = None) -> list[Employee]:
    rows = Employee.objects.filter(team__site=site).select_related("user", "team")
    if team is not None:
        rows = rows.filter(team=team)
    return list(rows.order_by("team__name", "number"))


def adherence_report(
    *,
    site: Site,
    first: date,
    last: date,
    employees: list[Employee],
    now: datetime | None = None,
) -> AdherenceReport:
    """Adherence and conformance of each employee over the local days first..last, judged up
    to `now` (minutes still to come count for nothing yet). Each day of each employee is
    judged on its own source (the ACD's states where that day has any, the punches
    otherwise); a period's and the team's figures add the days' minutes."""
    now = now or timezone.now()
    start, end = local_day_bounds(first_day=first, last_day=last, timezone=site.timezone)
    judged_until = max(start, min(end, now))
    judged = _minute(judged_until, start)
    threshold = adherence_threshold(site=site)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    day_bounds = [_day_minutes(day, site.timezone, start) for day in days]
    day_starts = [s for s, _ in day_bounds]
    planned = _planned(employees, start - LOOKBACK, end, start)
    states = _states(employees, start, end)
    acd = {
        str(e.pk): state_spans(
            states.get(str(e.pk), []),
            shifts=_shifts(planned.get(str(e.pk), [])),
            day_starts=day_starts,
            judged_minutes=judged,
        )
        for e in employees
    }
    # Punches are read only for those with a day without ACD states.
    lacking = [
        e for e in employees if not all(has_spans(acd[str(e.pk)], s, t) for s, t in day_bounds)
    ]
    punched = _punched(lacking, planned, start, end, judged_until)
    rows = []
    for e in employees:
        key = str(e.pk)
        per_day = operator_days(
            key,
            planned.get(key, []),
            acd[key],
            punched.get(key, []),
            day_bounds=day_bounds,
            judged_minutes=judged,
            threshold_minutes=threshold,
        )
        who = {
            "employee_id": key,
            "employee_number": e.number,
            "employee_name": e.user.get_full_name() or e.user.get_username(),
            "team_name": e.team.name,
        }
        rows.append(
            AdherenceRow(
                **who,
                source=period_source(per_day),
                figures=figures_total([d.figures for d in per_day]),
                events=tuple(_event(who, ev, start) for d in per_day for ev in d.events),
                days=tuple(AdherenceDay(days[d.index], d.source, d.figures) for d in per_day),
            )
        )
    return AdherenceReport(
        start, end, judged_until, threshold, rows, figures_total([r.figures for r in rows])
    )


def adherence_events_live(
    *, site: Site, team: Team | None = None, now: datetime | None = None
) -> list[AdherenceEvent]:
    """Today's out-of-adherence events at the site (or one team) so far, those still going
    on first, then the latest first: the live list of the intraday page."""
    now = now or timezone.now()
    today = local_date(instant=now, timezone=site.timezone)
    report = adherence_report(
        site=site,
        first=today,
        last=today,
        employees=adherence_employees(site=site, team=team),
        now=now,
    )
    events = [ev for row in report.rows for ev in row.events]
    return sorted(events, key=lambda ev: (not ev.ongoing, -ev.end.timestamp(), ev.employee_number))


def _minute(instant: datetime, start: datetime) -> int:
    """Whole minutes from `start`, to the nearest (a state at 10:00:40 starts at 10:01)."""
    return int((instant - start).total_seconds() + 30) // 60


def _event(who: dict[str, str], ev: OutOfAdherence, start: datetime) -> AdherenceEvent:
    return AdherenceEvent(
        **who,
        start=start + timedelta(minutes=ev.start_minute),
        end=start + timedelta(minutes=ev.end_minute),
        minutes=ev.minutes,
        planned=ev.planned.name.lower(),
        actual=ev.actual.name.lower(),
        ongoing=ev.ongoing,
    )


def _day_minutes(day: date, zone: str, start: datetime) -> tuple[int, int]:
    s, e = local_day_bounds(first_day=day, last_day=day, timezone=zone)
    return _minute(s, start), _minute(e, start)


def _planned(
    employees: list[Employee], low: datetime, end: datetime, start: datetime
) -> dict[str, list[Span]]:
    """The published shifts from `low` to `end` (those of the day before bound the states
    open into the window), breaks painted over them; minutes from `start`."""
    spans: dict[str, list[Span]] = defaultdict(list)
    shifts = Shift.objects.filter(
        employee__in=employees, state=Roster.Status.PUBLISHED, start__lt=end, end__gt=low
    ).values_list("id", "employee_id", "activity", "start", "end")
    owner = {}
    for pk, employee_id, activity, s, e in shifts:
        owner[pk] = str(employee_id)
        code = PLANNED_OF_ACTIVITY.get(activity, Planned.OTHER_WORK)
        spans[str(employee_id)].append(Span(_minute(s, start), _minute(e, start), code))
    breaks = ShiftBreak.objects.filter(shift_id__in=list(owner)).values_list(
        "shift_id", "start", "end"
    )
    for shift_id, s, e in breaks:
        spans[owner[shift_id]].append(Span(_minute(s, start), _minute(e, start), Planned.BREAK))
    return spans


def _shifts(planned: list[Span]) -> list[tuple[int, int]]:
    return [(s, e) for s, e, code in planned if code != Planned.BREAK]


def _states(employees: list[Employee], start: datetime, end: datetime) -> dict[str, list[StateRow]]:
    """Each employee's ACD states over the window (and those open into it), in order."""
    rows: dict[str, list[StateRow]] = defaultdict(list)
    for key, state, s, e, following in _state_rows(employees, start, end):
        rows[key].append(StateRow(s, e, following, ACTUAL_OF_STATE[state]))
    return rows


def _state_rows(
    employees: list[Employee], start: datetime, end: datetime
) -> list[tuple[str, str, int, int | None, int | None]]:
    """(employee id, state, start minute, end minute, next state's start minute), minutes
    from `start` to the nearest. On PostgreSQL the minutes are computed by the database: a
    day of 500 operators is some 30,000 states, and reading their instants as datetimes
    costs more than the whole computation."""
    ids = [e.pk for e in employees]
    if connection.vendor != "postgresql":
        rows = list(
            AgentState.objects.filter(
                employee__in=ids, started_at__lt=end, started_at__gte=start - LOOKBACK
            )
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start - LOOKBACK))
            .order_by("employee_id", "started_at")
            .values_list("employee_id", "state", "started_at", "ended_at")
        )
        return [
            (
                str(k),
                state,
                _minute(s, start),
                None if e is None else _minute(e, start),
                _minute(rows[n + 1][2], start)
                if n + 1 < len(rows) and rows[n + 1][0] == k
                else None,
            )
            for n, (k, state, s, e) in enumerate(rows)
        ]
    table = connection.ops.quote_name(AgentState._meta.db_table)
    minute = "floor((extract(epoch from {0}) - %(origin)s + 30) / 60)::int"
    sql = (
        f"SELECT employee_id::text, state, {minute.format('started_at')}, "
        f"{minute.format('ended_at')}, {minute.format('following')} FROM ("
        "SELECT employee_id, state, started_at, ended_at, "
        "lead(started_at) OVER (PARTITION BY employee_id ORDER BY started_at) AS following "
        f"FROM {table} "
        "WHERE employee_id = ANY(%(ids)s::uuid[]) AND started_at < %(end)s "
        "AND started_at >= %(low)s AND (ended_at IS NULL OR ended_at > %(low)s)) AS states"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"origin": start.timestamp(), "ids": ids, "end": end, "low": start - LOOKBACK},
        )
        return cursor.fetchall()


def _punched(
    employees: list[Employee],
    planned: dict[str, list[Span]],
    start: datetime,
    end: datetime,
    until: datetime,
) -> dict[str, list[Span]]:
    """Clocked in (working) and on a punched break, from the punches. A punch left open
    counts, like an open ACD state, no further than `open_state_bound` and `until` (now)."""
    spans: dict[str, list[Span]] = defaultdict(list)
    if not employees:
        return spans
    last = _minute(until, start)
    punches = _effective_punches(employees, start - LOOKBACK, end)
    for key, events in punches.items():
        since: dict[str, datetime] = {}
        for p in sorted(events, key=lambda p: p.at):
            opening = {Punch.Kind.IN: "work", Punch.Kind.BREAK_START: "break"}.get(p.kind)
            closing = {Punch.Kind.OUT: "work", Punch.Kind.BREAK_END: "break"}.get(p.kind)
            if opening:
                since.setdefault(opening, p.at)
            elif closing and closing in since:
                spans[key].append(_punched_span(closing, since.pop(closing), p.at, start))
                if closing == "work":
                    since.pop("break", None)
        shifts = _shifts(planned.get(key, []))
        for what, at in since.items():
            s, _, code = _punched_span(what, at, at, start)
            stop = min(open_state_bound(s, shifts), last)
            if stop > s:
                spans[key].append(Span(s, stop, code))
    for key in spans:  # a break lies over its working time
        spans[key].sort(key=lambda s: s.code == Actual.BREAK)
    return spans


def _punched_span(what: str, s: datetime, e: datetime, start: datetime) -> Span:
    code = Actual.BREAK if what == "break" else Actual.WORKING
    return Span(_minute(s, start), _minute(e, start), code)
