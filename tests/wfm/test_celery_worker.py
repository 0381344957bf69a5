"""The headcount job end to end through Redis and a real Celery worker on PostgreSQL."""

import pytest

from organisation.models import Job
from tests.conftest import Org, client_for, skip_or_fail
from tests.worker import celery_worker, redis_broker_url, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_headcount_job_runs_on_a_real_worker(postgres: None, org: Org) -> None:
    broker_url = redis_broker_url()
    if broker_url is None:
        skip_or_fail("needs a Redis broker on 127.0.0.1:6379 (or CELERY_BROKER_URL)")
    with celery_worker(broker_url) as worker_log:
        response = client_for(org.manager_a).post(
            "/api/v1/reports/headcount", {"on": "2026-01-05"}, format="json"
        )
        assert response.status_code == 202
        job = Job.objects.get(pk=response.json()["id"])
        finished = wait_for(
            lambda: Job.objects.filter(pk=job.pk, status__in=Job.FINISHED).exists(),
            timeout_seconds=60,
        )
        # It ran in the worker process, not eagerly in this one.
        assert wait_for(lambda: "wfm.headcount_report[" in worker_log.text(), timeout_seconds=10), (
            worker_log.text()
        )
    job.refresh_from_db()
    assert finished, f"job still {job.status} after 60 s"
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.attempts == 1
    sites = {site["name"]: site["employees"] for site in job.result["sites"]}
    assert sites == {"Amsterdam": 2, "New York": 1}
