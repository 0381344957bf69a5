"""A queue's day as it happens: the plan (stored staffing), the ACD's interval statistics so far,
the reforecast of the rest of the day (scheduling/reforecast.py), agents required by Erlang
against those scheduled (published phone cover) and logged in (ACD agent states), and the
service level so far and projected to the end of the day.

The reads are a fixed handful of queries per queue; the arithmetic is pure.
"""

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from organisation.local_grid import local_date, local_day_bounds
from organisation.models import Queue
from scheduling.erlang import erlang_a_metrics, erlang_c_metrics, interval_requirement, offered_load
from scheduling.errors import IntradayNoPlan
from scheduling.models import Activity, PlacedActivity, Roster, Shift, StaffingRequirement
from scheduling.reforecast import LevelUpdate, level_update
from scheduling.selectors.roster_demand import phone_cover, shift_phone_periods
from scheduling.selectors.staffing import service_goal
from timeclock.models import AcdInterval, AgentState, Punch
from timeclock.selectors.timesheets import _effective_punches

PHONE_STATES = frozenset(
    {
        AgentState.State.LOGGED_IN,
        AgentState.State.AVAILABLE,
        AgentState.State.ON_CALL,
        AgentState.State.AFTER_CALL_WORK,
    }
)


@dataclass(frozen=True)
class IntradayInterval:
    start: datetime  # aware, UTC
    planned_calls: float
    reforecast_calls: float
    offered: int | None  # None: the interval has not ended, or its figures have not arrived
    handled: int | None
    answered_within_goal: int | None
    aht_seconds: float
    required: int  # agents on the phones for the goal at the reforecast (Erlang)
    planned_required: int  # the same at the plan
    scheduled: int  # published phone cover, breaks left out
    logged_in: int | None  # operators in a phone state (or clocked in) at the interval's middle
    ended: bool = False  # the interval is over (its figures may still be missing)

    @property
    def received(self) -> bool:
        """The ACD's figures for the interval are in."""
        return self.offered is not None

    @property
    def missing(self) -> bool:
        """Over, but the ACD's figures have not arrived (feed lag, or no feed): not zero."""
        return self.ended and self.offered is None

    @property
    def expected(self) -> bool:
        """Calls were planned (or handled): an interval the page shows."""
        return self.planned_calls >= 0.5 or bool(self.scheduled) or bool(self.offered)


@dataclass(frozen=True)
class IntradayDay:
    queue: Queue
    day: date
    now: datetime
    interval_minutes: int
    intervals: list[IntradayInterval]
    update: LevelUpdate
    tomorrow_planned: float
    tomorrow_reforecast: float
    service_level_so_far: float | None  # answered within the goal / offered
    service_level_projected: float | None  # with the rest at the scheduled cover (Erlang)
    intervals_received: int = 0  # ended intervals with the ACD's figures
    received_until: datetime | None = None  # the end of the last of them
    logged_in_source: str = "acd"  # "acd" (agent states), "punches" (clocked in), "" (neither)

    @property
    def intervals_missing(self) -> int:
        """Ended intervals the page shows whose figures have not arrived (the night's
        intervals without plan or figures are not counted)."""
        return sum(i.missing and i.expected for i in self.intervals)

    @property
    def planned_total(self) -> float:
        return sum(i.planned_calls for i in self.intervals)

    @property
    def reforecast_total(self) -> float:
        return sum(i.reforecast_calls for i in self.intervals)

    @property
    def offered_so_far(self) -> int:
        return sum(i.offered or 0 for i in self.intervals)

    @property
    def handled_so_far(self) -> int:
        return sum(i.handled or 0 for i in self.intervals)


def intraday_plan_check(*, queue: Queue, now: datetime) -> None:
    """Refuse at once (intraday_no_plan) what intraday_day would refuse later."""
    tz = queue.site.timezone
    day = local_date(instant=now, timezone=tz)
    start, end = local_day_bounds(first_day=day, last_day=day, timezone=tz)
    planned = StaffingRequirement.objects.filter(
        queue=queue, interval_start__gte=start, interval_start__lt=end
    )
    if not planned.exists():
        raise IntradayNoPlan(
            f"{queue.name} has no forecast for {day}: forecast the queue first.",
            extra={"day": day.isoformat()},
        )


def intraday_day(*, queue: Queue, now: datetime) -> IntradayDay:
    """The queue's local day containing `now`; refused (intraday_no_plan) without a stored
    forecast for it."""
    tz = queue.site.timezone
    day = local_date(instant=now, timezone=tz)
    start, end = local_day_bounds(first_day=day, last_day=day + timedelta(days=1), timezone=tz)
    rows = list(
        StaffingRequirement.objects.filter(
            queue=queue, interval_start__gte=start, interval_start__lt=end
        ).order_by("interval_start")
    )
    midnight = local_day_bounds(first_day=day, last_day=day, timezone=tz)[1]
    today = [r for r in rows if r.interval_start < midnight]
    if not today:
        raise IntradayNoPlan(
            f"{queue.name} has no forecast for {day}: forecast the queue first.",
            extra={"day": day.isoformat()},
        )
    minutes = today[0].interval_minutes
    step = timedelta(minutes=minutes)
    acd = _acd_by_interval(queue, start, midnight, [r.interval_start for r in today], step)
    ended = [r.interval_start + step <= now for r in today]
    k = sum(ended)
    plan = np.array([r.calls for r in today])
    # Missing figures are missing, not zero: the level is updated from the intervals whose
    # figures arrived, up to the last of them (an interval of feed lag is normal); a queue
    # without any keeps the plan.
    got = [n for n in range(k) if today[n].interval_start in acd]
    upto = got[-1] + 1 if got else 0
    actual = np.array(
        [float(acd[r.interval_start][0]) if r.interval_start in acd else np.nan for r in today]
    )
    actual[k:] = np.nan
    update = level_update(actual[:upto], plan)
    reforecast = np.where(np.isnan(actual), plan * update.multiplier_today, actual)
    tomorrow = [r for r in rows if r.interval_start >= midnight]
    cover = _scheduled(queue, day, minutes, today)
    logged_in, logged_in_source = _logged_in(queue, today, step, now)
    goal = service_goal(
        target=queue.service_level_target,
        answer_seconds=queue.service_level_seconds,
        max_occupancy=queue.max_occupancy,
    )
    intervals = []
    for i, row in enumerate(today):
        counts = acd.get(row.interval_start) if ended[i] else None
        need = interval_requirement(
            calls=float(reforecast[i]),
            aht_seconds=row.aht_seconds,
            interval_minutes=minutes,
            goal=goal,
            shrinkage=str(queue.shrinkage),
            patience_seconds=queue.patience_seconds,
        )
        intervals.append(
            IntradayInterval(
                start=row.interval_start,
                planned_calls=row.calls,
                reforecast_calls=float(reforecast[i]),
                offered=counts[0] if counts else None,
                handled=counts[1] if counts else None,
                answered_within_goal=counts[2] if counts else None,
                aht_seconds=row.aht_seconds,
                required=need.agents,
                planned_required=row.agents,
                scheduled=cover[i],
                logged_in=logged_in[i],
                ended=ended[i],
            )
        )
    return IntradayDay(
        queue=queue,
        day=day,
        now=now,
        interval_minutes=minutes,
        intervals=intervals,
        update=update,
        tomorrow_planned=sum(r.calls for r in tomorrow),
        tomorrow_reforecast=sum(r.calls for r in tomorrow) * update.multiplier_tomorrow,
        service_level_so_far=_so_far(intervals),
        service_level_projected=_projected(queue, intervals, minutes),
        intervals_received=len(got),
        logged_in_source=logged_in_source,
        received_until=today[got[-1]].interval_start + step if got else None,
    )


def _acd_by_interval(
    queue: Queue, start: datetime, end: datetime, slots: list[datetime], step: timedelta
) -> dict[datetime, tuple[int, int, int]]:
    """(offered, answered, answered within the goal) per plan interval (`slots`, each `step`
    long), for the plan intervals the ACD's figures cover whole; the others are missing.

    An interval the ACD restated counts with its latest row. An ACD interval longer than the
    plan's is spread over the plan intervals it covers in proportion to time (whole calls,
    by largest remainder, so they add up to the row's); shorter ones are summed into the plan
    interval, which counts only once all of its time has arrived."""
    latest: dict[datetime, AcdInterval] = {}
    for row in AcdInterval.objects.filter(
        queue=queue,
        interval_start__gte=start - timedelta(hours=1),
        interval_start__lt=end,
    ).order_by("interval_start", "received_at", "id"):
        latest[row.interval_start] = row
    counts: dict[datetime, list[int]] = {}
    covered: dict[datetime, float] = {}
    for instant, row in latest.items():
        length = timedelta(minutes=row.interval_minutes)
        first = bisect.bisect_right(slots, instant) - 1
        touched: list[tuple[datetime, float]] = []
        for n in range(max(first, 0), len(slots)):
            lo, hi = max(slots[n], instant), min(slots[n] + step, instant + length)
            if slots[n] >= instant + length:
                break
            if hi > lo:
                touched.append((slots[n], (hi - lo) / length))
        figures = (row.offered, row.answered, row.answered_within_goal)
        shares = [_apportion(total, [f for _, f in touched]) for total in figures]
        for k, (slot, fraction) in enumerate(touched):
            got = counts.setdefault(slot, [0, 0, 0])
            for m in range(3):
                got[m] += shares[m][k]
            covered[slot] = covered.get(slot, 0.0) + fraction * row.interval_minutes
    whole = step.total_seconds() / 60 - 1e-6
    return {
        slot: (c[0], c[1], c[2]) for slot, c in counts.items() if covered.get(slot, 0.0) >= whole
    }


def _apportion(total: int, fractions: list[float]) -> list[int]:
    """`total` split in whole numbers as near `fractions` (of the whole) as can be: largest
    remainder first, earlier first on ties. Fractions under one leave the rest out (the part
    of the interval outside the day)."""
    exact = [total * f for f in fractions]
    parts = [int(x) for x in exact]
    left = round(sum(exact)) - sum(parts)
    order = sorted(range(len(exact)), key=lambda n: (-(exact[n] - parts[n]), n))
    for n in order[: max(left, 0)]:
        parts[n] += 1
    return parts


def _scheduled(
    queue: Queue, day: date, minutes: int, today: list[StaffingRequirement]
) -> list[int]:
    """Published phone cover per interval: breaks and the meetings and training sessions the
    rosters placed inside the shifts left out. Counted on the day's time line (from its local
    midnight as time runs), so that the autumn day's two 02:00-03:00 hours are apart."""
    tz = queue.site.timezone
    start, end = local_day_bounds(first_day=day, last_day=day, timezone=tz)
    shifts = list(
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            queue=queue,
            activity=Activity.PHONE,
            start__lt=end,
            end__gt=start,
        ).prefetch_related("breaks")
    )
    cover = phone_cover(shifts, first_day=day, interval_minutes=minutes, tz=tz, origin=start)
    for t in _in_sessions(shifts, start, minutes, tz):
        cover[(str(queue.pk), t)] -= 1
    periods = [_period(r.interval_start, start, minutes) for r in today]
    return [cover.get((str(queue.pk), p), 0) for p in periods]


def _in_sessions(shifts: list[Shift], origin: datetime, minutes: int, tz: str) -> list[int]:
    """The periods of the day (from `origin`, its local midnight) each shift's person spends
    in a placed session instead of on the phone (once per person and period)."""
    if not shifts:
        return []
    placed = PlacedActivity.objects.filter(
        roster_id__in={s.roster_id for s in shifts},
        employee_id__in={s.employee_id for s in shifts},
        start__lt=max(s.end for s in shifts),
        end__gt=min(s.start for s in shifts),
    )
    out: set[tuple[object, int]] = set()
    for p in placed:
        shift = next(
            (s for s in shifts
             if (s.roster_id, s.employee_id) == (p.roster_id, p.employee_id)
             and s.start <= p.start and p.end <= s.end),
            None,
        )  # fmt: skip
        if shift is None:
            continue
        on = set(
            shift_phone_periods(
                shift, first_day=origin.date(), interval_minutes=minutes, tz=tz, origin=origin
            )
        )
        first = _period(p.start, origin, minutes)
        last = -(-int((p.end - origin).total_seconds() // 60) // minutes)
        out |= {(p.employee_id, t) for t in range(first, last) if t in on}
    return [t for _, t in out]


def _period(instant: datetime, origin: datetime, minutes: int) -> int:
    """The interval of the day's time line (from `origin`) the instant falls in."""
    return int((instant - origin).total_seconds() // 60) // minutes


def _logged_in(
    queue: Queue, today: list[StaffingRequirement], step: timedelta, now: datetime
) -> tuple[list[int | None], str]:
    """Operators of the queue's published shifts of the day in a phone state at each started
    interval's middle (or now, for the interval under way), and where that comes from:
    "acd" from their agent states; "punches" (clocked in, not on a punched break) when none
    of them has an agent state that day, the phone system sends none; "" when there are
    neither, and every started interval is None (unknown, not 0)."""
    start, end = today[0].interval_start, today[-1].interval_start + step
    people = set(
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED, queue=queue, start__lt=end, end__gt=start
        ).values_list("employee_id", flat=True)
    )
    until = min(end, now)
    spans: list[tuple[str, bool, datetime, datetime | None]] = []
    by_person: dict[str, list[tuple[datetime, datetime | None, str]]] = {}
    for state in AgentState.objects.filter(
        employee_id__in=people,
        started_at__lt=until,
        started_at__gte=start - timedelta(days=1),
    ).order_by("employee_id", "started_at", "id"):
        by_person.setdefault(str(state.employee_id), []).append(
            (state.started_at, state.ended_at, state.state)
        )
    for person, states in by_person.items():
        for i, (begun, ended, state) in enumerate(states):
            stop = ended or (states[i + 1][0] if i + 1 < len(states) else None)
            spans.append((person, state in PHONE_STATES, begun, stop))
    source = "acd"
    if not any(u is None or u > start for _, _, _, u in spans):
        spans = _clocked_in(people, start, until)
        source = "punches" if spans else ""
    out: list[int | None] = []
    for row in today:
        if row.interval_start > now or not source:
            out.append(None)
            continue
        moment = min(row.interval_start + step / 2, now)
        on = {p for p, phone, b, u in spans if phone and b <= moment and (u is None or u > moment)}
        out.append(len(on))
    return out, source


def _clocked_in(
    people: set[object], start: datetime, until: datetime
) -> list[tuple[str, bool, datetime, datetime | None]]:
    """Each person's clocked-in time from their punches (corrections applied), breaks left
    out: (person, True, from, to or None while still clocked in)."""
    if not people:
        return []
    spans: list[tuple[str, bool, datetime, datetime | None]] = []
    punches = _effective_punches(list(people), start - timedelta(days=1), until)
    for person, events in punches.items():
        working: datetime | None = None
        paused: datetime | None = None
        for event in sorted(events, key=lambda e: e.at):
            if event.kind == Punch.Kind.IN and working is None:
                working, paused = event.at, None
            elif event.kind == Punch.Kind.BREAK_START and working is not None and paused is None:
                spans.append((person, True, working, event.at))
                paused = event.at
            elif event.kind == Punch.Kind.BREAK_END and paused is not None:
                working, paused = event.at, None
            elif event.kind == Punch.Kind.OUT and working is not None:
                if paused is None:
                    spans.append((person, True, working, event.at))
                working, paused = None, None
        if working is not None and paused is None:
            spans.append((person, True, working, None))
    return [s for s in spans if s[3] is None or s[3] > start]


def _so_far(intervals: list[IntradayInterval]) -> float | None:
    """Answered within the goal over offered, of the intervals whose figures arrived."""
    offered = sum(i.offered or 0 for i in intervals)
    within = sum(i.answered_within_goal or 0 for i in intervals)
    return within / offered if offered else None


def _projected(queue: Queue, intervals: list[IntradayInterval], minutes: int) -> float | None:
    """Calls answered within the goal so far plus, for each interval to come (or over with its
    figures missing), the reforecast's calls times the service level Erlang gives with the
    scheduled cover, over all calls."""
    within = float(sum(i.answered_within_goal or 0 for i in intervals))
    calls = float(sum(i.offered or 0 for i in intervals))
    for i in intervals:
        if i.received or i.reforecast_calls <= 0:
            continue
        load = offered_load(
            calls=i.reforecast_calls, aht_seconds=i.aht_seconds, interval_minutes=minutes
        )
        if queue.patience_seconds:
            metrics = erlang_a_metrics(
                agents=i.scheduled,
                load=load,
                aht_seconds=i.aht_seconds,
                answer_seconds=queue.service_level_seconds,
                patience_seconds=queue.patience_seconds,
            )
        else:
            metrics = erlang_c_metrics(
                agents=i.scheduled,
                load=load,
                aht_seconds=i.aht_seconds,
                answer_seconds=queue.service_level_seconds,
            )
        within += metrics.service_level * i.reforecast_calls
        calls += i.reforecast_calls
    return within / calls if calls else None
