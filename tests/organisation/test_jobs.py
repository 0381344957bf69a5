"""Jobs: created and enqueued on commit, run eagerly, polled, cancelled, failed cleanly."""

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from organisation.errors import DomainError
from organisation.jobs import (
    JOB_LOST_AFTER,
    WAITING_FOR_BROKER,
    Progress,
    job_create,
    job_run,
    jobs_lost_fail,
    jobs_waiting_send,
)
from organisation.models import Job
from tests.conftest import Org, client_for
from wfm.celery import app as celery_app

pytestmark = pytest.mark.django_db


def start_headcount(client: Any, capture: Any, body: dict[str, Any] | None = None) -> Any:
    with capture(execute=True) as callbacks:
        response = client.post("/api/v1/reports/headcount", body or {}, format="json")
    return response, callbacks


def test_headcount_job_runs_on_commit_and_reports(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(org.manager_a)
    response, callbacks = start_headcount(
        client, django_capture_on_commit_callbacks, {"on": "2026-01-05"}
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert len(callbacks) == 1
    job = client.get(f"/api/v1/jobs/{response.json()['id']}").json()
    assert job["status"] == "succeeded"
    assert job["progress"] == 100
    assert job["attempts"] == 1
    sites = {s["name"]: s for s in job["result"]["sites"]}
    assert job["result"]["on"] == "2026-01-05"
    assert sites["Amsterdam"]["employees"] == 2
    assert sites["New York"]["employees"] == 1
    assert sites["Amsterdam"]["teams"][0]["managers"] == ["manager_a"]


def test_headcount_counts_only_employees_active_that_day(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    response, _ = start_headcount(
        client_for(org.admin), django_capture_on_commit_callbacks, {"on": "2024-12-31"}
    )
    job = Job.objects.get(pk=response.json()["id"])
    assert all(site["employees"] == 0 for site in job.result["sites"])


def test_no_task_is_sent_when_the_transaction_rolls_back(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    from organisation import tasks
    from organisation.jobs import job_create

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                job_create(kind="headcount_report", task=tasks.headcount_report, created_by=None)
                raise RuntimeError("abort")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Job.objects.exists()


def test_operator_cannot_start_reports(org: Org) -> None:
    response = client_for(org.op_a1.user).post("/api/v1/reports/headcount", {}, format="json")
    assert response.status_code == 403


def test_job_is_visible_only_to_its_creator_and_admins(org: Org) -> None:
    job = Job.objects.create(kind="headcount_report", created_by=org.manager_a)
    url = f"/api/v1/jobs/{job.pk}"
    assert client_for(org.manager_b).get(url).status_code == 404
    assert client_for(org.admin).get(url).status_code == 200
    assert client_for(org.manager_a).get(url).status_code == 200


def test_cancelled_job_is_not_started_and_finished_job_not_cancellable(org: Org) -> None:
    job = Job.objects.create(kind="headcount_report", created_by=org.manager_a)
    client = client_for(org.manager_a)
    assert client.post(f"/api/v1/jobs/{job.pk}/cancel").json()["status"] == "cancelled"
    calls: list[str] = []
    job_run(str(job.pk), lambda job, progress: calls.append("ran"))
    assert calls == []
    response = client.post(f"/api/v1/jobs/{job.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "job_not_cancellable"


def test_domain_error_fails_the_job_with_its_code(org: Org) -> None:
    class NoHistory(DomainError):
        code = "no_history"

    job = Job.objects.create(kind="test")

    def work(job: Job, progress: Progress) -> None:
        progress(40, "halfway")
        raise NoHistory("No call history for this queue.")

    job_run(str(job.pk), work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "No call history for this queue."
    assert job.result == {"code": "no_history", "extra": {}}
    assert job.progress == 40


def test_unexpected_error_fails_the_job_and_propagates(org: Org) -> None:
    job = Job.objects.create(kind="test")

    def work(job: Job, progress: Progress) -> None:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        job_run(str(job.pk), work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "worker log" in job.message
    assert job.finished_at is not None


def test_job_run_twice_has_one_effect(org: Org) -> None:
    job = Job.objects.create(kind="test")
    runs: list[int] = []
    job_run(str(job.pk), lambda job, progress: runs.append(1) or {"n": len(runs)})
    job_run(str(job.pk), lambda job, progress: runs.append(1) or {"n": len(runs)})
    job.refresh_from_db()
    assert runs == [1]
    assert job.result == {"n": 1}
    assert job.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_jobs_can_run_in_a_background_thread(settings: Any) -> None:
    """`make run`: the request that starts a job returns at once; the job runs in a thread
    of the web process, so its page can poll the progress."""
    from organisation import tasks
    from organisation.jobs import job_create, jobs_background_join

    settings.WFM_JOBS_IN_BACKGROUND = True
    ran_in: list[str] = []

    class Recording:
        def delay(self, job_id: str) -> None:
            ran_in.append(threading.current_thread().name)
            tasks.headcount_report.delay(job_id)

    job = job_create(kind="headcount_report", task=Recording(), created_by=None)
    jobs_background_join()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert ran_in == [f"job-{job.pk}"], "not in the request's thread"


def test_job_whose_worker_was_lost_runs_again_and_gives_up_after_five_starts(org: Org) -> None:
    """A redelivered job (its worker died mid-run: still RUNNING) is started again; after
    JOB_MAX_ATTEMPTS starts it fails saying why, never stuck RUNNING."""
    job = Job.objects.create(kind="roster_build", status=Job.Status.RUNNING, attempts=1)
    runs: list[int] = []
    job_run(str(job.pk), lambda j, p: runs.append(j.attempts))
    job.refresh_from_db()
    assert (job.status, job.attempts, runs) == ("succeeded", 2, [2])
    lost = Job.objects.create(kind="roster_build", status=Job.Status.RUNNING, attempts=5)
    job_run(str(lost.pk), lambda j, p: runs.append(j.attempts))
    lost.refresh_from_db()
    assert lost.status == "failed"
    assert lost.message.startswith("Stopped after 5 attempts")
    assert runs == [2]


def test_job_lost_for_good_is_failed_by_the_sweep_not_left_running(org: Org) -> None:
    now = timezone.now()
    lost = Job.objects.create(kind="roster_build", status=Job.Status.RUNNING, attempts=1)
    alive = Job.objects.create(kind="roster_build", status=Job.Status.RUNNING, attempts=1)
    Job.objects.filter(pk=lost.pk).update(updated_at=now - JOB_LOST_AFTER - timedelta(seconds=1))
    Job.objects.filter(pk=alive.pk).update(updated_at=now - JOB_LOST_AFTER + timedelta(minutes=1))
    assert jobs_lost_fail(now=now) == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert (lost.status, alive.status) == ("failed", "running")
    assert "worker running it was lost" in lost.message


def test_job_made_while_the_broker_is_out_of_reach_waits_and_is_sent_when_it_is_back(
    org: Org, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    class Unreachable:
        def delay(self, *args: Any) -> None:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    sent: list[str] = []

    class Back:
        def delay(self, job_id: str) -> None:
            sent.append(job_id)

    celery_app.conf.task_always_eager = False  # the autouse fixture puts it back
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="headcount_report", task=Unreachable(), created_by=org.manager_a)
    celery_app.conf.task_always_eager = True
    job.refresh_from_db()
    assert (job.status, job.message) == ("queued", WAITING_FOR_BROKER)
    monkeypatch.setattr("organisation.jobs._registered_task", lambda name: Back())
    assert jobs_waiting_send() == 1
    job.refresh_from_db()
    assert (job.status, job.message, sent) == ("queued", "", [str(job.pk)])
    assert jobs_waiting_send() == 0
