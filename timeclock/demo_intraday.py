"""Demo stage "intraday" (issue 26): the planning week replayed as an ACD feed (interval
statistics drawn from the same synthetic history generator, continued past the history, and
the operators' agent states as the phone system logged the people the punches show at work),
the reforecast's rest-of-day error at 10:00 and 13:00 against the plan, and the week's
adherence of the three operators furthest from their schedule (from the agent states)."""

import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np

from fixtures.demo_history import VOLUMES, VolumeSpec, demo_history_csv
from organisation.local_grid import local_day_bounds
from organisation.models import Queue, Site
from scheduling.demo import HISTORY_WEEKS
from scheduling.history_csv import read_history
from scheduling.models import Roster, Shift, StaffingRequirement
from scheduling.reforecast import level_update
from timeclock.models import Punch
from timeclock.selectors.adherence import adherence_employees, adherence_report
from timeclock.services.acd import (
    AcdIntervalInput,
    AgentStateInput,
    acd_intervals_ingest,
    agent_states_ingest,
)

CUTS = (time(10), time(13))
BATCH = 500
ANSWERED_SHARE = 0.93
WITHIN_GOAL_SHARE = 0.8
# Event ids derived from the queue and the interval: a replay of the demo is all duplicates.
NAMESPACE = uuid.UUID("5f1d2a0c-26ac-4d0e-9c1e-2026a0c0ffee")
# Agent states: the state a punch starts, and the state of a shift's own activity.
STATE_OF_PUNCH = {"in": "available", "break_start": "break", "break_end": "available"}
STATE_OF_ACTIVITY = {"meeting": "meeting", "training": "training"}
# A few phone shifts get a not-ready stretch the schedule does not have (a long tidy-up after
# a call, a headset changed): the out-of-adherence events the supervisor sees.
NOT_READY_SHARE = 0.12
NOT_READY_MINUTES = (6, 25)


@dataclass(frozen=True)
class QueueReforecast:
    queue: str
    days: int
    plan_wape: dict[str, float]  # cut "10:00" -> rest-of-day WAPE of the plan
    reforecast_wape: dict[str, float]


@dataclass(frozen=True)
class WorstAdherence:
    name: str
    team: str
    adherence_percent: float
    conformance_percent: float | None


@dataclass(frozen=True)
class DemoIntraday:
    intervals_accepted: int
    intervals_duplicate: int
    states_accepted: int
    states_duplicate: int
    queues: list[QueueReforecast]
    worst: list[WorstAdherence]


def demo_intraday_stage(*, start: date, days: int = 7) -> DemoIntraday:
    accepted = duplicate = 0
    queues = []
    for spec in VOLUMES:
        queue = Queue.objects.select_related("site").get(name=spec.queue)
        actual = _replayed(spec, queue, start, days)
        results = []
        items = list(actual.values())
        for n in range(0, len(items), BATCH):
            results += acd_intervals_ingest(
                items=items[n : n + BATCH], site=queue.site, device=None
            )
        accepted += sum(r.status == "accepted" for r in results)
        duplicate += sum(r.status == "duplicate" for r in results)
        queues.append(_errors(queue, {k: float(v.offered) for k, v in actual.items()}, start, days))
    states = Counter[str]()
    for site in Site.objects.order_by("name"):
        items = _replayed_states(site, start, days)
        for n in range(0, len(items), BATCH):
            results = agent_states_ingest(items=items[n : n + BATCH], site=site, device=None)
            states.update(r.status for r in results)
    worst = [w for site in Site.objects.order_by("name") for w in _adherence(site, start, days)]
    worst.sort(key=lambda w: w.adherence_percent)
    return DemoIntraday(
        accepted, duplicate, states["accepted"], states["duplicate"], queues, worst[:3]
    )


def _replayed_states(site: Site, start: date, days: int) -> list[AgentStateInput]:
    """The week's agent states of the site's operators, as the phone system logged the people
    the punches show at work: from a clock-in available (or in the meeting or training their
    shift is), on break between their break punches, until their clock-out; a few phone
    shifts (seeded) with a not-ready stretch of their own. Each state with its end, as an
    ACD's state log sends them. Someone who did not clock out has no end of day in the punches
    and none here: their last state is sent without an end."""
    rng = random.Random(f"demo agent states {site.name}")
    lo, hi = local_day_bounds(
        first_day=start, last_day=start + timedelta(days=days - 1), timezone=site.timezone
    )
    shifts = list(
        Shift.objects.filter(
            employee__team__site=site,
            state=Roster.Status.PUBLISHED,
            start__lt=hi,
            end__gt=lo,
        )
        .select_related("employee")
        .order_by("employee__number", "start")
    )
    punches: dict[str, list[tuple[datetime, str]]] = {}
    for employee_id, kind, at in (
        Punch.objects.filter(employee__team__site=site, corrected_at__gte=lo, corrected_at__lt=hi)
        .order_by("corrected_at", "id")
        .values_list("employee_id", "kind", "corrected_at")
    ):
        punches.setdefault(str(employee_id), []).append((at, kind))
    items: list[AgentStateInput] = []
    for shift in shifts:
        mine = [
            (at, kind)
            for at, kind in punches.get(str(shift.employee_id), [])
            if shift.start - timedelta(hours=2) <= at <= shift.end + timedelta(hours=2)
        ]
        items += _shift_states(shift, mine, rng)
    return items


def _shift_states(
    shift: Shift, punches: list[tuple[datetime, str]], rng: random.Random
) -> list[AgentStateInput]:
    """One shift's states from its punches: each punch starts a state that lasts to the next."""
    own = STATE_OF_ACTIVITY.get(shift.activity)
    changes: list[tuple[datetime, str | None]] = []
    for at, kind in punches:
        if kind == "out":
            changes.append((at, None))
        elif kind in STATE_OF_PUNCH:
            state = STATE_OF_PUNCH[kind]
            changes.append((at, own if state == "available" and own else state))
    if not changes or changes[0][1] is None:
        return []
    if own is None and rng.random() < NOT_READY_SHARE:
        changes = _with_not_ready(changes, shift, rng)
    items = []
    for (at, state), following in zip(changes, [*changes[1:], None], strict=True):
        if state is None:
            continue
        ended = following[0] if following else None
        items.append(
            AgentStateInput(
                event_id=uuid.uuid5(NAMESPACE, f"state/{shift.employee.number}/{at.isoformat()}"),
                employee_number=shift.employee.number,
                state=state,
                started_at=at,
                ended_at=ended,
            )
        )
    return items


def _with_not_ready(
    changes: list[tuple[datetime, str | None]], shift: Shift, rng: random.Random
) -> list[tuple[datetime, str | None]]:
    """A not-ready stretch inside the first stretch available of the shift long enough."""
    for k, ((at, state), (until, _)) in enumerate(pairwise(changes)):
        minutes = rng.randint(*NOT_READY_MINUTES)
        room = (until - at).total_seconds() / 60 - minutes - 60
        if state != "available" or room <= 0:
            continue
        begin = at + timedelta(minutes=30 + rng.randint(0, int(room)))
        stretch = [(begin, "not_ready"), (begin + timedelta(minutes=minutes), "available")]
        return [*changes[: k + 1], *stretch, *changes[k + 1 :]]
    return changes


def _replayed(
    spec: VolumeSpec, queue: Queue, start: date, days: int
) -> dict[datetime, AcdIntervalInput]:
    """The generator run on from the history's first day: its first weeks are the imported
    history, byte for byte, and the days after are what the phones 'saw' in the planning week."""
    first = start - timedelta(weeks=HISTORY_WEEKS)
    text = demo_history_csv(spec, first_day=first, days=HISTORY_WEEKS * 7 + days)
    frame = read_history(text, timezone=queue.site.timezone).frame
    lo, hi = local_day_bounds(
        first_day=start, last_day=start + timedelta(days=days - 1), timezone=queue.site.timezone
    )
    out = {}
    for row in frame.itertuples(index=False):
        instant = row.interval_start.to_pydatetime()
        if not lo <= instant < hi:
            continue
        offered = int(row.calls)
        answered = round(offered * ANSWERED_SHARE)
        out[instant] = AcdIntervalInput(
            event_id=uuid.uuid5(NAMESPACE, f"{queue.pk}/{instant.isoformat()}"),
            queue=str(queue.pk),
            interval_start=instant,
            interval_minutes=15,
            offered=offered,
            answered=answered,
            abandoned=offered - answered,
            answered_within_goal=round(answered * WITHIN_GOAL_SHARE),
            handle_seconds=round(row.handle_seconds or answered * spec.aht_seconds),
            wait_seconds=answered * 20,
        )
    return out


def _errors(queue: Queue, actual: dict[datetime, float], start: date, days: int) -> QueueReforecast:
    """Rest-of-day WAPE of the plan and of the reforecast at each cut, over the week's days."""
    tz = queue.site.timezone
    errors = {c.strftime("%H:%M"): [0.0, 0.0, 0.0] for c in CUTS}  # plan, reforecast, actual
    for d in range(days):
        day = start + timedelta(days=d)
        lo, hi = local_day_bounds(first_day=day, last_day=day, timezone=tz)
        rows = list(
            StaffingRequirement.objects.filter(
                queue=queue, interval_start__gte=lo, interval_start__lt=hi
            ).order_by("interval_start")
        )
        plan = np.array([r.calls for r in rows])
        seen = np.array([actual.get(r.interval_start, 0.0) for r in rows])
        for cut in CUTS:
            moment = datetime.combine(day, cut, tzinfo=ZoneInfo(tz))
            k = sum(r.interval_start < moment for r in rows)
            update = level_update(seen[:k], plan)
            sums = errors[cut.strftime("%H:%M")]
            sums[0] += float(np.abs(seen[k:] - plan[k:]).sum())
            sums[1] += float(np.abs(seen[k:] - plan[k:] * update.multiplier_today).sum())
            sums[2] += float(seen[k:].sum())
    return QueueReforecast(
        queue=queue.name,
        days=days,
        plan_wape={c: s[0] / s[2] if s[2] else 0.0 for c, s in errors.items()},
        reforecast_wape={c: s[1] / s[2] if s[2] else 0.0 for c, s in errors.items()},
    )


def _adherence(site: Site, start: date, days: int) -> list[WorstAdherence]:
    last = start + timedelta(days=days - 1)
    end = local_day_bounds(first_day=last, last_day=last, timezone=site.timezone)[1]
    report = adherence_report(
        site=site,
        first=start,
        last=last,
        employees=adherence_employees(site=site),
        now=end,
    )
    return [
        WorstAdherence(
            row.employee_name,
            row.team_name,
            row.figures.adherence_percent,
            row.figures.conformance_percent,
        )
        for row in report.rows
        if row.figures.adherence_percent is not None
    ]
