"""Scheduling use cases: import call history, forecast a queue, turn it into staffing."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from organisation.errors import DomainError
from organisation.jobs import EnqueueableTask, Progress, job_create
from organisation.local_grid import local_date, local_day_bounds, local_grid_instants
from organisation.models import Job, Queue
from organisation.services.organisation import save_validated
from scheduling.erlang import ServiceGoal, interval_requirement
from scheduling.errors import (
    BadHistoryFile,
    BadHorizon,
    BadInterval,
    HistoryFileError,
    IntervalMismatch,
    NoHistory,
    StartBeforeHistoryEnd,
    UnknownMethod,
)
from scheduling.forecast import MAX_HORIZON_DAYS, METHODS, Forecast, forecast, holiday_calendar
from scheduling.history_csv import read_history
from scheduling.models import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    StaffingRequirement,
)
from scheduling.selectors import forecasting as selectors
from scheduling.selectors.staffing import service_goal


def _no_progress(percent: int, message: str = "") -> None:
    return None


# --- History -------------------------------------------------------------------------------


def history_import(
    *,
    queue: Queue,
    data: bytes,
    filename: str = "",
    interval_minutes: int | None = None,
    created_by: AbstractBaseUser | None = None,
) -> tuple[HistoryImport, bool]:
    """Import a history file for a queue; (import, created). The same bytes again: no-op.

    Intervals already stored are replaced by the file's values; nothing is written when any
    row is bad.
    """
    digest = hashlib.sha256(data).hexdigest()
    existing = HistoryImport.objects.filter(queue=queue, file_sha256=digest).first()
    if existing:
        return existing, False
    try:
        counts = read_history(data, interval_minutes=interval_minutes, timezone=queue.site.timezone)
    except HistoryFileError as exc:
        raise BadHistoryFile(
            str(exc),
            extra={
                "problem": exc.problem,
                "errors": [{"line": e.line, "message": e.message} for e in exc.errors],
            },
        ) from exc
    stored = selectors.stored_interval_minutes(queue=queue)
    if stored and stored != counts.interval_minutes:
        raise IntervalMismatch(
            f"This file has {counts.interval_minutes}-minute intervals; {queue.name} stores "
            f"{stored}-minute history.",
            extra={"file_minutes": counts.interval_minutes, "stored_minutes": stored},
        )
    frame = counts.frame
    try:
        with transaction.atomic():
            record = HistoryImport.objects.create(
                queue=queue,
                file_sha256=digest,
                filename=filename[:255],
                layout=counts.layout,
                interval_minutes=counts.interval_minutes,
                rows_read=counts.rows_read,
                intervals_written=len(frame),
                first_interval=frame["interval_start"].iloc[0].to_pydatetime(),
                last_interval=frame["interval_start"].iloc[-1].to_pydatetime(),
                created_by=created_by,
            )
            CallVolume.objects.bulk_create(
                [
                    CallVolume(
                        queue=queue,
                        interval_start=start.to_pydatetime(),
                        interval_minutes=counts.interval_minutes,
                        calls=calls,
                        handled_calls=handled,
                        handle_seconds=seconds,
                        source=record,
                    )
                    for start, calls, handled, seconds in zip(
                        frame["interval_start"],
                        frame["calls"],
                        frame["handled_calls"],
                        frame["handle_seconds"],
                        strict=True,
                    )
                ],
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["queue", "interval_start"],
                update_fields=[
                    "interval_minutes",
                    "calls",
                    "handled_calls",
                    "handle_seconds",
                    "source",
                ],
            )
    except IntegrityError:
        # The same file imported concurrently: the other import won; report it.
        existing = HistoryImport.objects.filter(queue=queue, file_sha256=digest).first()
        if existing is None:
            raise
        return existing, False
    return record, True


# --- Overrides -----------------------------------------------------------------------------


@transaction.atomic
def forecast_override_create(
    *,
    queue: Queue,
    start_date: date,
    end_date: date,
    factor: Decimal,
    reason: str,
    created_by: AbstractBaseUser | None = None,
) -> ForecastOverride:
    override = ForecastOverride(
        queue=queue,
        start_date=start_date,
        end_date=end_date,
        factor=factor,
        reason=reason,
        created_by=created_by,
    )
    save_validated(override)
    return override


@transaction.atomic
def forecast_override_update(
    *, override: ForecastOverride, start_date: date, end_date: date, factor: Decimal, reason: str
) -> ForecastOverride:
    override.start_date, override.end_date = start_date, end_date
    override.factor, override.reason = factor, reason
    save_validated(override)
    return override


@transaction.atomic
def forecast_override_delete(*, override: ForecastOverride) -> None:
    override.delete()


# --- Forecast jobs -------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastRequest:
    start: date
    days: int
    interval_minutes: int
    method: str = "auto"


@dataclass(frozen=True)
class ForecastJobs:
    jobs: list[tuple[Queue, Job]]
    refused: list[tuple[Queue, DomainError]]


def forecast_request_check(*, queue: Queue, request: ForecastRequest) -> None:
    """Refuse at once what the forecast job would refuse later: an unknown method, a horizon
    or interval out of range, a queue without history, a start inside its history."""
    if request.method not in METHODS:
        raise UnknownMethod()
    if not 1 <= request.days <= MAX_HORIZON_DAYS:
        raise BadHorizon()
    if request.interval_minutes < 5 or 1440 % request.interval_minutes:
        raise BadInterval()
    last = selectors.history_last_instant(queue=queue)
    if last is None:
        raise NoHistory(f"{queue.name} has no call history; import some first.")
    last_day = local_date(instant=last, timezone=queue.site.timezone)
    if request.start <= last_day:
        raise StartBeforeHistoryEnd(
            f"The forecast must start after the history ends ({last_day}).",
            extra={"history_last_day": last_day.isoformat()},
        )


def forecast_jobs_request(
    *,
    queues: list[Queue],
    request: ForecastRequest,
    task: EnqueueableTask,
    user: AbstractBaseUser | None,
) -> ForecastJobs:
    """One forecast job per queue whose request passes the checks (each queue's forecast is
    its own task); the others are returned with their refusal."""
    jobs, refused = [], []
    for queue in queues:
        try:
            forecast_request_check(queue=queue, request=request)
        except DomainError as exc:
            refused.append((queue, exc))
            continue
        job = job_create(
            kind="forecast",
            task=task,
            created_by=user,
            params={
                "queue": str(queue.pk),
                "start": request.start.isoformat(),
                "days": request.days,
                "interval_minutes": request.interval_minutes,
                "method": request.method,
            },
        )
        jobs.append((queue, job))
    return ForecastJobs(jobs=jobs, refused=refused)


# --- Forecast and staffing -----------------------------------------------------------------


def _goal(queue: Queue) -> ServiceGoal:
    return service_goal(
        target=queue.service_level_target,
        answer_seconds=queue.service_level_seconds,
        max_occupancy=queue.max_occupancy,
    )


def _run_model(
    *, queue: Queue, start: date, days: int, interval_minutes: int, method: str
) -> tuple[Forecast, date]:
    if interval_minutes < 5 or 1440 % interval_minutes:
        raise BadInterval()
    history = selectors.history_load(queue=queue, interval_minutes=interval_minutes)
    if history is None:
        raise NoHistory(f"{queue.name} has no call history; import some first.")
    end = start + timedelta(days=max(days, 1))
    calendar = holiday_calendar(
        queue.site.country_code, range(history.first_day.year, end.year + 1)
    )
    # The forecaster's refusals (scheduling.errors.ForecastInputError) are the service's own.
    result = forecast(history, start=start, days=days, method=method, calendar=calendar)
    return result, history.last_day


def _staffing_rows(
    *, queue: Queue, run: ForecastRun, result: Forecast, days: int
) -> list[StaffingRequirement]:
    goal = _goal(queue)
    factors = selectors.override_factors(
        queue=queue, first_day=run.start_date, last_day=run.start_date + timedelta(days=days - 1)
    )
    rows = []
    minutes = result.interval_minutes
    for instant in local_grid_instants(
        first_day=run.start_date, days=days, interval_minutes=minutes, timezone=queue.site.timezone
    ):
        base = float(result.calls[instant.day, instant.period])
        calls = base * factors.get(run.start_date + timedelta(days=instant.day), 1.0)
        aht = (
            float(result.aht_seconds[instant.day, instant.period])
            if result.aht_seconds is not None
            else float(queue.default_aht_seconds)
        )
        need = interval_requirement(
            calls=calls,
            aht_seconds=aht,
            interval_minutes=minutes,
            goal=goal,
            shrinkage=str(queue.shrinkage),
            patience_seconds=queue.patience_seconds,
        )
        rows.append(
            StaffingRequirement(
                queue=queue,
                forecast_run=run,
                interval_start=instant.start,
                interval_minutes=minutes,
                forecast_calls=base,
                calls=calls,
                aht_seconds=aht,
                agents=need.agents,
                scheduled_agents=need.scheduled_agents,
                service_level=need.metrics.service_level,
                asa_seconds=need.metrics.asa_seconds,
                occupancy=need.metrics.occupancy,
                abandon_rate=need.metrics.probability_abandon,
            )
        )
    return rows


def forecast_build(
    *,
    queue: Queue,
    start: date,
    days: int,
    interval_minutes: int,
    method: str = "auto",
    created_by: AbstractBaseUser | None = None,
    job: Job | None = None,
    progress: Progress = _no_progress,
) -> ForecastRun:
    """Forecast the queue, apply overrides, compute and store staffing for every interval.

    Staffing rows of the period are replaced as a whole: the latest forecast is the plan.
    """
    progress(5, "Loading history")
    result, history_last_day = _run_model(
        queue=queue, start=start, days=days, interval_minutes=interval_minutes, method=method
    )
    progress(60, f"Forecast by {result.method}; computing staffing")
    run = ForecastRun(
        queue=queue,
        job=job,
        start_date=start,
        days=days,
        interval_minutes=interval_minutes,
        method_requested=method,
        method_used=result.method,
        backtest_wape={k: round(v, 4) for k, v in result.backtest_wape.items()},
        history_last_day=history_last_day,
        created_by=created_by,
    )
    rows = _staffing_rows(queue=queue, run=run, result=result, days=days)
    progress(85, "Saving")
    first, end = local_day_bounds(
        first_day=start, last_day=start + timedelta(days=days - 1), timezone=queue.site.timezone
    )
    with transaction.atomic():
        run.save()
        StaffingRequirement.objects.filter(
            queue=queue, interval_start__gte=first, interval_start__lt=end
        ).delete()
        StaffingRequirement.objects.bulk_create(rows, batch_size=2000)
    return run


def forecast_summary(run: ForecastRun) -> dict[str, Any]:
    rows = run.staffing.all()
    peak = max(rows, key=lambda r: r.scheduled_agents, default=None)
    return {
        "forecast_run": str(run.pk),
        "queue": run.queue.name,
        "method": run.method_used,
        "backtest_wape": run.backtest_wape,
        "calls": round(sum(r.calls for r in rows), 1),
        "intervals": len(rows),
        "peak_scheduled_agents": peak.scheduled_agents if peak else 0,
        "peak_interval_start": peak.interval_start.isoformat() if peak else None,
    }
