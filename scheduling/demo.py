"""Demo stage "forecasting": import each demo queue's history, forecast the planning week
through a job, store its staffing and draw a chart per queue."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from fixtures.demo_history import VOLUMES, demo_history_csv
from organisation.jobs import job_create
from organisation.models import Job, Queue
from scheduling import tasks
from scheduling.charts import forecast_chart
from scheduling.models import CallVolume
from scheduling.selectors import forecasting as selectors
from scheduling.services.forecasting import history_import

HISTORY_WEEKS = 8
INTERVAL_MINUTES = 15


@dataclass(frozen=True)
class QueueForecast:
    queue: str
    site: str
    history_days: int
    method: str
    backtest_wape: dict[str, float]
    calls: float
    peak_scheduled_agents: int
    scheduled_agent_hours: float
    chart: Path


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _local(rows: list[tuple[Any, float]], timezone: str) -> list[tuple[Any, float]]:
    if not rows:
        return []
    stamps = pd.DatetimeIndex([r[0] for r in rows]).tz_convert(timezone).tz_localize(None)
    return [(t.to_pydatetime(), v) for t, (_, v) in zip(stamps, rows, strict=True)]


def demo_forecast_stage(*, start: date, out_dir: Path, days: int = 7) -> list[QueueForecast]:
    results = []
    first_day = start - timedelta(weeks=HISTORY_WEEKS)
    for spec in VOLUMES:
        queue = Queue.objects.select_related("site").get(name=spec.queue)
        text = demo_history_csv(spec, first_day=first_day, days=HISTORY_WEEKS * 7)
        path = out_dir / "history" / f"{slug(spec.queue)}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        history_import(queue=queue, data=text.encode(), filename=path.name)
        job = job_create(
            kind="forecast",
            task=tasks.forecast_build,
            created_by=None,
            params={
                "queue": str(queue.pk),
                "start": start.isoformat(),
                "days": days,
                "interval_minutes": INTERVAL_MINUTES,
                "method": "auto",
            },
        )
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            raise RuntimeError(f"forecast of {queue.name} failed: {job.message}")
        results.append(_summarise(queue, job, start, out_dir))
    return results


def _summarise(queue: Queue, job: Job, start: date, out_dir: Path) -> QueueForecast:
    tz = queue.site.timezone
    staffing = list(
        selectors.staffing_list(queue=queue, first_day=start, last_day=start + timedelta(days=6))
    )
    history_from = start - timedelta(days=14)
    history = list(
        CallVolume.objects.filter(
            queue=queue, interval_start__gte=pd.Timestamp(history_from, tz=tz)
        )
        .order_by("interval_start")
        .values_list("interval_start", "calls")
    )
    chart = forecast_chart(
        path=out_dir / f"forecast_{slug(queue.name)}.png",
        title=f"{queue.name} ({queue.site.name}): last two weeks and the forecast week",
        history=_local(history, tz),
        forecast=_local([(r.interval_start, r.calls) for r in staffing], tz),
        scheduled_agents=_local([(r.interval_start, r.scheduled_agents) for r in staffing], tz),
        interval_minutes=INTERVAL_MINUTES,
    )
    result = job.result or {}
    return QueueForecast(
        queue=queue.name,
        site=queue.site.name,
        history_days=HISTORY_WEEKS * 7,
        method=str(result.get("method")),
        backtest_wape=dict(result.get("backtest_wape") or {}),
        calls=sum(r.calls for r in staffing),
        peak_scheduled_agents=max((r.scheduled_agents for r in staffing), default=0),
        scheduled_agent_hours=sum(r.scheduled_agents * r.interval_minutes / 60 for r in staffing),
        chart=chart,
    )
