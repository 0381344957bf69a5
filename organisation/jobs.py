"""The Job lifecycle shared by every long task: create and enqueue on commit, run, report.

Tasks stay thin: `job_run(job_id, work)` loads the job, marks it running, hands `work` a
progress callback, and stores the result or the failure. Cancelled jobs are not started.
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from organisation.errors import DomainError, JobNotCancellable
from organisation.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


class EnqueueableTask(Protocol):
    def delay(self, *args: Any, **kwargs: Any) -> Any: ...


@transaction.atomic
def job_create(
    *,
    kind: str,
    task: EnqueueableTask,
    created_by: AbstractBaseUser | None,
    params: dict[str, Any] | None = None,
) -> Job:
    """Create a queued Job and send `task(job_id)` once this transaction commits."""
    job = Job.objects.create(kind=kind, created_by=created_by, params=params or {})
    job_id = str(job.pk)
    transaction.on_commit(lambda: _send(task, job_id))
    return job


_background: list[threading.Thread] = []


# The task of each kind of job, by its registered name (the organisation imports no app
# above it): what jobs_waiting_send sends once the broker is back.
JOB_TASK_NAMES = {
    "forecast": "scheduling.forecast_build",
    "roster_build": "scheduling.roster_build",
    "payroll_export": "timeclock.payroll_export",
    "intraday_reforecast": "timeclock.intraday_reforecast",
    "headcount_report": "wfm.headcount_report",
}
WAITING_FOR_BROKER = "Waiting for the job queue, which is out of reach; it starts when it is back."


def _send(task: EnqueueableTask, job_id: str) -> None:
    """To the broker; or, with no broker and WFM_JOBS_IN_BACKGROUND (`make run`), in a thread
    of this process, so that a page can show the job's progress while it runs. A broker out
    of reach leaves the job queued and saying so (never a 500 for the request that made it);
    jobs_waiting_send sends it when the broker is back."""
    if not (settings.WFM_JOBS_IN_BACKGROUND and current_app.conf.task_always_eager):
        try:
            task.delay(job_id)
        except Exception:
            if current_app.conf.task_always_eager:
                raise  # eager: the task itself failed, not the broker
            logger.warning("job %s: the broker is out of reach; it waits", job_id, exc_info=True)
            Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
                message=WAITING_FOR_BROKER
            )
        return

    def run() -> None:
        try:
            task.delay(job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=f"job-{job_id}", daemon=True)
    _background[:] = [t for t in _background if t.is_alive()] + [thread]
    thread.start()


def task_enqueue_on_commit(name: str, *args: str) -> None:
    """Enqueue the Celery task registered as `name` once the transaction commits. Services name
    their task instead of importing it: the tasks modules sit above the services they call."""
    transaction.on_commit(lambda: _registered_task(name).delay(*args))


def _registered_task(name: str) -> Any:
    app = current_app
    if name not in app.tasks:
        # No module has imported that app's tasks yet: load every app's, as a worker does.
        app.loader.import_default_modules()
    return app.tasks[name]


def jobs_background_join() -> None:
    """Wait for the jobs running in this process's threads (tests, shutdown)."""
    for thread in list(_background):
        thread.join()


def job_progress(*, job_id: str, progress: int, message: str = "") -> None:
    """Record progress 0-100; a separate UPDATE so pollers see it while the job runs."""
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        progress=max(0, min(100, progress)), message=message[:500], updated_at=timezone.now()
    )


@transaction.atomic
def job_cancel(*, job: Job) -> Job:
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status in Job.FINISHED:
        raise JobNotCancellable()
    job.status = Job.Status.CANCELLED
    job.finished_at = timezone.now()
    job.message = "Cancelled."
    job.save(update_fields=["status", "finished_at", "message", "updated_at"])
    return job


def job_is_cancelled(*, job_id: str) -> bool:
    """Long tasks ask this between steps and stop early."""
    return Job.objects.filter(pk=job_id, status=Job.Status.CANCELLED).exists()


# A job whose worker was lost is delivered again (tasks with acks_late and
# reject_on_worker_lost); after this many starts it fails instead of being tried for ever.
JOB_MAX_ATTEMPTS = 5
# A job still RUNNING this long after its last sign of life lost its worker for good (no task
# runs past CELERY_TASK_TIME_LIMIT): jobs_lost_fail marks it failed.
JOB_LOST_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 10 * 60)


def _job_start(job_id: str) -> bool:
    """QUEUED -> RUNNING; False when the job is gone, cancelled or already finished, or has
    been started JOB_MAX_ATTEMPTS times already (then it fails, saying why)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in Job.FINISHED:
            return False
        if job.attempts >= JOB_MAX_ATTEMPTS:
            job.status = Job.Status.FAILED
            job.finished_at = timezone.now()
            job.message = (
                f"Stopped after {job.attempts} attempts: the worker running it was lost each "
                "time. Start it again."
            )
            job.save(update_fields=["status", "finished_at", "message", "updated_at"])
            logger.error("job %s (%s) given up after %s attempts", job_id, job.kind, job.attempts)
            return False
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "updated_at"])
    return True


def _job_finish(job_id: str, status: str, message: str, result: Any) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": status,
        "message": message[:500],
        "result": result,
        "finished_at": now,
        "updated_at": now,
    }
    if status == Job.Status.SUCCEEDED:
        fields["progress"] = 100
    # Only a running job finishes: a cancellation that arrived meanwhile stands.
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**fields)


def jobs_waiting_send() -> int:
    """Send the jobs that could not be sent when they were made (the broker was out of
    reach); how many were sent. A job of an unknown kind fails, saying so."""
    sent = 0
    for job in Job.objects.filter(status=Job.Status.QUEUED, message=WAITING_FOR_BROKER):
        name = JOB_TASK_NAMES.get(job.kind)
        if name is None:
            _job_finish_queued(job, "This kind of job cannot be sent again; start it again.")
            continue
        _registered_task(name).delay(str(job.pk))
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(message="")
        sent += 1
    return sent


def _job_finish_queued(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.FAILED, message=message, finished_at=timezone.now()
    )


def jobs_lost_fail(*, now: Any = None) -> int:
    """Fail the jobs still RUNNING long after their last sign of life (their worker died and
    no other picked them up): never stuck RUNNING. How many were failed."""
    now = now or timezone.now()
    return Job.objects.filter(
        status=Job.Status.RUNNING, updated_at__lt=now - JOB_LOST_AFTER
    ).update(
        status=Job.Status.FAILED,
        finished_at=now,
        updated_at=now,
        message="The worker running it was lost and no other took it up; start it again.",
    )


def job_run(job_id: str, work: Callable[[Job, Progress], Any]) -> None:
    """Run `work(job, progress)` for a job; its return value (JSON) becomes the result.

    A DomainError fails the job with its code and message (the caller's input was wrong);
    anything else fails it with a generic message and is logged, then re-raised so the
    worker's own error reporting sees it.
    """
    if not _job_start(job_id):
        return
    job = Job.objects.get(pk=job_id)

    def progress(percent: int, message: str = "") -> None:
        job_progress(job_id=job_id, progress=percent, message=message)

    try:
        result = work(job, progress)
    except DomainError as exc:
        _job_finish(job_id, Job.Status.FAILED, exc.message, {"code": exc.code, "extra": exc.extra})
        return
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _job_finish(job_id, Job.Status.FAILED, "Internal error; see the worker log.", None)
        raise
    _job_finish(job_id, Job.Status.SUCCEEDED, "Done.", result)
