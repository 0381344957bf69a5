"""Celery tasks of scheduling: load the job's parameters, call the service, report progress."""

from datetime import date
from typing import Any

from celery import shared_task

from scheduling.services.forecasting import forecast_build as forecast_build_service
from scheduling.services.forecasting import forecast_summary
from wfm.jobs import Progress, job_run
from wfm.models import Job, Queue


@shared_task(name="scheduling.forecast_build")
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
