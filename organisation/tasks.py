"""Celery tasks of the organisation app: load by id, call the selector or service."""

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from organisation.jobs import Progress, job_run
from organisation.models import Job
from organisation.selectors import headcount_report_build


@shared_task(name="wfm.headcount_report")
def headcount_report(job_id: str) -> None:
    """Headcount and contracted hours per site/team/queue; read-only, so safe to repeat."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        progress(10, "Counting employees")
        on = job.params.get("on") or timezone.localdate().isoformat()
        return headcount_report_build(on=date.fromisoformat(on))

    job_run(job_id, work)
