"""Celery tasks of the organisation app: load by id, call the selector or service."""

from datetime import date
from typing import Any

from celery import shared_task
from django.utils import timezone

from organisation.jobs import Progress, job_run, jobs_lost_fail, jobs_waiting_send
from organisation.models import Job
from organisation.selectors.organisation import headcount_report_build
from organisation.services.notices import notices_send_pending
from organisation.services.pay_rates import pay_rates_due


@shared_task(name="wfm.headcount_report")
def headcount_report(job_id: str) -> None:
    """Headcount and contracted hours per site/team/queue; read-only, so safe to repeat."""

    def work(job: Job, progress: Progress) -> dict[str, Any]:
        progress(10, "Counting employees")
        on = job.params.get("on") or timezone.localdate().isoformat()
        return headcount_report_build(on=date.fromisoformat(on))

    job_run(job_id, work)


@shared_task(name="organisation.notices_send")
def notices_send() -> int:
    """E-mail pending request notices; each is sent once, however many workers run this."""
    return notices_send_pending()


@shared_task(name="organisation.jobs_lost_fail")
def jobs_lost_fail_task() -> int:
    """Fail jobs whose worker was lost for good (celery beat, every 10 minutes)."""
    return jobs_lost_fail()


@shared_task(name="organisation.jobs_waiting_send")
def jobs_waiting_send_task() -> int:
    """Send the jobs made while the broker was out of reach (celery beat, every 30 s)."""
    return jobs_waiting_send()


@shared_task(name="organisation.pay_rates_due")
def pay_rates_due_task() -> int:
    """Upcoming rates whose first day has come become the hourly rate (celery beat, hourly)."""
    return pay_rates_due()
