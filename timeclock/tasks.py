"""Celery tasks of the time clock: load the job's parameters, call the service. The export
job is acknowledged when it ends and put back if its worker dies (writing it twice is safe)."""

from datetime import datetime
from typing import Any

from celery import shared_task

from organisation.jobs import Progress, job_run
from organisation.models import Job, Queue, Team
from timeclock.models import PayPeriod
from timeclock.services.intraday import intraday_reforecast_run
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.points_cases import points_cases_open


@shared_task(name="timeclock.payroll_export", acks_late=True, reject_on_worker_lost=True)
def payroll_export_job(job_id: str) -> None:
    """Write a closed period's export; running it again returns the same file."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        period = PayPeriod.objects.get(pk=job.params["period"])
        export = payroll_export(period=period, format=job.params["format"])
        return {
            "period": str(period.pk),
            "format": export.format,
            "sha256": export.sha256,
            "bytes": len(export.content),
        }

    job_run(job_id, work)


@shared_task(name="timeclock.points_cases_open")
def points_cases_open_all() -> int:
    """Daily: open the attendance-points cases every team's members reached (issue 25)."""
    return sum(len(points_cases_open(team=team)) for team in Team.objects.select_related("site"))


@shared_task(name="timeclock.intraday_reforecast", acks_late=True, reject_on_worker_lost=True)
def intraday_reforecast(job_id: str) -> None:
    """Reforecast a queue's day from the ACD's calls so far (issue 26); it only reads, so
    running it again is safe."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        queue = Queue.objects.select_related("site").get(pk=job.params["queue"])
        at = datetime.fromisoformat(job.params["at"])
        return intraday_reforecast_run(queue=queue, at=at)

    job_run(job_id, work)
