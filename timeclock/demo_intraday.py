"""Demo stage "intraday" (issue 26): the planning week replayed as an ACD feed (interval
statistics drawn from the same synthetic history generator, continued past the history), the
reforecast's rest-of-day error at 10:00 and 13:00 against the plan, and the week's adherence of
the three operators furthest from their schedule (from their punches: the demo's ACD sends no
agent states)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from fixtures.demo_history import VOLUMES, VolumeSpec, demo_history_csv
from organisation.local_grid import local_day_bounds
from organisation.models import Queue, Site
from scheduling.demo import HISTORY_WEEKS
from scheduling.history_csv import read_history
from scheduling.models import StaffingRequirement
from scheduling.reforecast import level_update
from timeclock.selectors.adherence import adherence_employees, adherence_report
from timeclock.services.acd import AcdIntervalInput, acd_intervals_ingest

CUTS = (time(10), time(13))
BATCH = 500
ANSWERED_SHARE = 0.93
WITHIN_GOAL_SHARE = 0.8
# Event ids derived from the queue and the interval: a replay of the demo is all duplicates.
NAMESPACE = uuid.UUID("5f1d2a0c-26ac-4d0e-9c1e-2026a0c0ffee")


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
    worst = [w for site in Site.objects.order_by("name") for w in _adherence(site, start, days)]
    worst.sort(key=lambda w: w.adherence_percent)
    return DemoIntraday(accepted, duplicate, queues, worst[:3])


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
