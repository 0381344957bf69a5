"""Forecast jobs: history -> forecast -> overrides -> staffing, stored and served by the API."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisation.models import Job
from scheduling.errors import NoHistory, StartBeforeHistoryEnd
from scheduling.models import ForecastRun, StaffingRequirement
from scheduling.services.forecasting import forecast_build, forecast_override_create, history_import
from tests.conftest import Org, client_for
from tests.factories import queue_make

pytestmark = pytest.mark.django_db

FIRST = date(2026, 8, 3)  # a Monday; eight weeks of history follow
START = FIRST + timedelta(weeks=8)


def history_csv(weeks: int = 8, per_interval: int = 20) -> bytes:
    rows = ["interval_start,calls,aht_seconds"]
    for d in range(weeks * 7):
        day = FIRST + timedelta(days=d)
        for half_hour in range(16, 40):  # 08:00-20:00
            hh, mm = divmod(half_hour * 30, 60)
            calls = per_interval if day.weekday() < 5 else per_interval // 4
            rows.append(f"{day} {hh:02d}:{mm:02d},{calls},180")
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def queue(org: Org) -> Any:
    queue = queue_make(site=org.amsterdam, name="Retail")
    history_import(queue=queue, data=history_csv())
    return queue


def test_forecast_build_stores_staffing_for_every_local_interval(queue: Any) -> None:
    run = forecast_build(queue=queue, start=START, days=7, interval_minutes=30)
    rows = list(StaffingRequirement.objects.filter(queue=queue).order_by("interval_start"))
    assert len(rows) == 7 * 48
    assert run.method_used in {"weekday_profile", "daily_profile", "seasonal_naive"}
    weekday_peak = max(r.calls for r in rows[:48])
    assert weekday_peak == pytest.approx(20, rel=0.05)
    busy = [r for r in rows if r.calls > 19]
    # 20 calls x 180 s in 30 min is 2 Erlangs: 80/20 needs 4 agents, 30 % shrinkage 6.
    assert {r.agents for r in busy} == {4}
    assert {r.scheduled_agents for r in busy} == {6}
    night = [r for r in rows if r.calls == 0]
    assert night
    assert {r.agents for r in night} == {0}


def test_override_raises_calls_and_agents_on_its_dates_only(queue: Any, org: Org) -> None:
    forecast_override_create(
        queue=queue, start_date=START, end_date=START, factor=2, reason="campaign launch"
    )
    forecast_build(queue=queue, start=START, days=2, interval_minutes=30)
    rows = list(StaffingRequirement.objects.filter(queue=queue).order_by("interval_start"))
    monday, tuesday = rows[:48], rows[48:]
    assert max(r.calls for r in monday) == pytest.approx(2 * max(r.forecast_calls for r in monday))
    assert max(r.calls for r in tuesday) == pytest.approx(max(r.forecast_calls for r in tuesday))
    assert max(r.agents for r in monday) > max(r.agents for r in tuesday)


def test_a_new_forecast_replaces_the_staffing_of_its_period(queue: Any) -> None:
    forecast_build(queue=queue, start=START, days=3, interval_minutes=30)
    second = forecast_build(queue=queue, start=START, days=3, interval_minutes=30)
    assert StaffingRequirement.objects.count() == 3 * 48
    assert set(StaffingRequirement.objects.values_list("forecast_run", flat=True)) == {second.pk}


def test_forecast_across_the_autumn_change_has_the_repeated_hour_twice(org: Org) -> None:
    queue = queue_make(site=org.amsterdam, name="Night line")
    rows = ["interval_start,calls"]
    first = date(2026, 8, 30)  # 56 days end on 24 October
    for d in range(56):
        for half_hour in range(48):
            hh, mm = divmod(half_hour * 30, 60)
            rows.append(f"{first + timedelta(days=d)} {hh:02d}:{mm:02d},10")
    history_import(queue=queue, data=("\n".join(rows) + "\n").encode())
    forecast_build(queue=queue, start=date(2026, 10, 25), days=1, interval_minutes=30)
    assert StaffingRequirement.objects.filter(queue=queue).count() == 50  # a 25-hour day


def test_refusals_have_codes(org: Org, queue: Any) -> None:
    empty = queue_make(site=org.amsterdam, name="Empty")
    with pytest.raises(NoHistory):
        forecast_build(queue=empty, start=START, days=7, interval_minutes=30)
    with pytest.raises(StartBeforeHistoryEnd):
        forecast_build(queue=queue, start=START - timedelta(days=3), days=7, interval_minutes=30)


def test_forecast_job_through_the_api(
    org: Org, queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(org.manager_a)
    body = {"queue": str(queue.pk), "start": str(START), "days": 7, "interval_minutes": 30}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/forecasts", body, format="json")
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["intervals"] == 7 * 48
    assert job.result["peak_scheduled_agents"] == 6
    assert ForecastRun.objects.get().job == job
    staffing = client.get(
        "/api/v1/staffing", {"queue": str(queue.pk), "start": str(START), "end": str(START)}
    )
    assert staffing.status_code == 200
    assert len(staffing.json()) == 48
    assert staffing.json()[20]["scheduled_agents"] == 6


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 367}, "days"),
        ({"interval_minutes": 7}, "interval_minutes"),
        ({"method": "guess"}, "method"),
        ({"start": "not-a-date"}, "start"),
    ],
)
def test_bad_forecast_requests_are_400(
    org: Org, queue: Any, body: dict[str, Any], field: str
) -> None:
    base = {"queue": str(queue.pk), "start": str(START), "days": 7, "interval_minutes": 30}
    response = client_for(org.manager_a).post("/api/v1/forecasts", base | body, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]
    assert not Job.objects.exists()


def test_start_before_history_end_fails_the_job_with_its_code(
    org: Org, queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = {"queue": str(queue.pk), "start": str(FIRST), "days": 7, "interval_minutes": 30}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.manager_a).post("/api/v1/forecasts", body, format="json")
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.FAILED
    assert job.result["code"] == "start_before_history_end"
    assert not StaffingRequirement.objects.exists()


def test_forecast_permissions(org: Org, queue: Any) -> None:
    body = {"queue": str(queue.pk), "start": str(START), "days": 7, "interval_minutes": 30}
    assert (
        client_for(org.op_a1.user).post("/api/v1/forecasts", body, format="json").status_code == 403
    )
    response = client_for(org.manager_b).post("/api/v1/forecasts", body, format="json")
    assert response.status_code == 400  # not a queue they plan
    assert response.json()["extra"]["fields"]["queue"][0]["code"] == "does_not_exist"


def test_staffing_api_scoping_and_range(org: Org, queue: Any) -> None:
    forecast_build(queue=queue, start=START, days=1, interval_minutes=30)
    params = {"queue": str(queue.pk), "start": str(START), "end": str(START)}
    assert client_for(org.op_a1.user).get("/api/v1/staffing", params).status_code == 200
    assert client_for(org.manager_b).get("/api/v1/staffing", params).status_code == 404
    too_long = params | {"end": str(START + timedelta(days=40))}
    response = client_for(org.manager_a).get("/api/v1/staffing", too_long)
    assert response.status_code == 400
    assert response.json()["code"] == "range_too_long"
    missing = client_for(org.manager_a).get("/api/v1/staffing", {"queue": str(queue.pk)})
    assert missing.status_code == 400


def test_override_api_validates(org: Org, queue: Any) -> None:
    client = client_for(org.manager_a)
    body = {
        "queue": str(queue.pk),
        "start_date": str(START),
        "end_date": str(START - timedelta(days=1)),
        "factor": "1.15",
        "reason": "campaign",
    }
    assert client.post("/api/v1/forecast-overrides", body, format="json").status_code == 400
    body["end_date"] = str(START + timedelta(days=6))
    created = client.post("/api/v1/forecast-overrides", body, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/forecast-overrides/{created.json()['id']}"
    assert client_for(org.manager_b).delete(url).status_code == 404
    assert client.delete(url).status_code == 204


def test_forecast_command_needs_no_database(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(history_csv(weeks=4))
    output = tmp_path / "forecast.csv"
    call_command(
        "forecast",
        "--history", str(history), "--start", str(FIRST + timedelta(weeks=4)),
        "--days", "7", "--interval-minutes", "60", "--output", str(output),
    )  # fmt: skip
    lines = output.read_text().splitlines()
    assert lines[0] == "interval_start,calls,aht_seconds"
    assert len(lines) == 1 + 7 * 24
    values = np.array([float(line.split(",")[1]) for line in lines[1:]])
    assert values[8:20].sum() == pytest.approx(24 * 20, rel=0.05)  # Monday 08:00-20:00


def test_forecast_command_refuses_a_start_inside_the_history(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_bytes(history_csv(weeks=3))
    with pytest.raises(CommandError, match="start_before_history_end"):
        call_command(
            "forecast",
            "--history", str(history), "--start", str(FIRST), "--days", "7",
            "--interval-minutes", "30", "--output", str(tmp_path / "out.csv"),
        )  # fmt: skip


def test_queues_with_a_patience_are_staffed_with_erlang_a(org: Org) -> None:
    impatient = queue_make(site=org.amsterdam, name="Impatient", patience_seconds=60)
    patient = queue_make(site=org.amsterdam, name="Patient")
    for queue in (impatient, patient):
        history_import(queue=queue, data=history_csv(per_interval=60))
        forecast_build(queue=queue, start=START, days=1, interval_minutes=30)
    a = StaffingRequirement.objects.filter(queue=impatient).order_by("-calls").first()
    c = StaffingRequirement.objects.filter(queue=patient).order_by("-calls").first()
    assert a is not None
    assert c is not None
    assert a.abandon_rate > 0
    assert c.abandon_rate == 0
    assert a.agents <= c.agents
    assert a.service_level >= 0.8
