"""Celery tasks of scheduling: load the job's parameters, call the service, report progress.

The forecast and roster jobs are acknowledged when they end (acks_late) and put back when
their worker dies (reject_on_worker_lost): another worker runs them again, which is safe
(a redelivered job has one effect), up to organisation.jobs.JOB_MAX_ATTEMPTS starts."""

from datetime import date
from typing import Any

from celery import shared_task

from organisation.jobs import Progress, job_run
from organisation.models import Job, Queue
from scheduling.models import TimeOffRequest
from scheduling.services.forecasting import forecast_build as forecast_build_service
from scheduling.services.forecasting import forecast_summary
from scheduling.services.intraday_offers import offers_expire as offers_expire_service
from scheduling.services.leave_cover import time_off_cover_request
from scheduling.services.roster_builds import roster_build as roster_build_service
from scheduling.services.roster_notices import roster_notices_send
from scheduling.services.swaps import swaps_expire as swaps_expire_service


@shared_task(name="scheduling.forecast_build", acks_late=True, reject_on_worker_lost=True)
def forecast_build(job_id: str) -> None:
    """Forecast one queue and store its staffing; rerunning replaces the same staffing rows."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        params = job.params
        run = forecast_build_service(
            queue=Queue.objects.select_related("site").get(pk=params["queue"]),
            start=date.fromisoformat(params["start"]),
            days=int(params["days"]),
            interval_minutes=int(params["interval_minutes"]),
            method=params.get("method", "auto"),
            created_by=job.created_by,
            job=job,
            progress=progress,
        )
        return forecast_summary(run)

    job_run(job_id, work)


@shared_task(name="scheduling.roster_build", acks_late=True, reject_on_worker_lost=True)
def roster_build(job_id: str) -> None:
    """Solve a roster period into a new draft version; a redelivered job returns the roster it
    already saved (one effect)."""

    def work(job: Job, progress: Progress) -> dict[str, Any] | None:
        roster = roster_build_service(job=job, progress=progress)
        if roster is None:
            return None
        return {"roster": str(roster.pk), "version": roster.version, **_brief(roster.solver)}

    job_run(job_id, work)


def _brief(stats: dict[str, Any]) -> dict[str, Any]:
    keys = ("status", "objective", "bound", "gap", "wall_seconds", "unmet_intervals")
    bounds = stats.get("lower_bounds") or {}
    return {
        **{key: stats.get(key) for key in keys},
        "under_agent_intervals": stats.get("under_agent_intervals"),
        "unavoidable_under_agent_intervals": bounds.get("under_agent_intervals"),
    }


@shared_task(name="scheduling.roster_notify")
def roster_notify(roster_id: str) -> int:
    """E-mail the operators a published version changed; each notice is sent once."""
    return roster_notices_send(roster_id=roster_id)


@shared_task(name="scheduling.swaps_expire")
def swaps_expire() -> int:
    """Expire open swap requests whose shift now starts too soon (celery beat, every 5 min)."""
    return swaps_expire_service()


@shared_task(name="scheduling.offers_expire")
def offers_expire() -> int:
    """Mark rest-of-day offers past their expiry as expired (celery beat, every 5 min)."""
    return offers_expire_service()


@shared_task(name="scheduling.time_off_cover")
def time_off_cover(request_id: str) -> int:
    """Post the shifts a granted time off overlaps on the open-shift board and tell the
    managers (after the approval commits; running it twice has one effect)."""
    request = TimeOffRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    return len(time_off_cover_request(request=request).shifts)
