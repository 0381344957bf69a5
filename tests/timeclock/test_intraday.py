"""The intraday selector: plan, ACD actuals, reforecast, agents and service level (issue 26)."""

from datetime import date, timedelta

import pytest
from django.test import TestCase

from organisation.models import Job
from scheduling.errors import IntradayNoPlan
from tests.conftest import Org, client_for
from tests.factories import queue_make
from tests.factories.intraday import acd_interval, intraday_scene, local
from timeclock.selectors.intraday import intraday_day

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)


def test_a_busy_morning_raises_the_rest_of_the_day_and_tomorrow(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    result = intraday_day(queue=scene.queue, now=scene.now)
    ended = [i for i in result.intervals if i.ended]
    assert len(ended) == 26  # until 13:00
    assert result.offered_so_far == 10 * 30
    assert result.handled_so_far == 10 * 27
    assert 1.0 < result.update.multiplier_today < 1.5
    later = [i for i in result.intervals if not i.ended and i.planned_calls]
    assert all(i.reforecast_calls > i.planned_calls for i in later)
    assert result.tomorrow_planned < result.tomorrow_reforecast < 1.5 * result.tomorrow_planned
    assert result.service_level_so_far == pytest.approx((30 - 3 - 5) / 30)
    assert result.service_level_projected is not None


def test_agents_required_scheduled_and_logged_in_per_interval(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    tz = org.amsterdam.timezone
    by_time = {i.start: i for i in intraday_day(queue=scene.queue, now=scene.now).intervals}
    nine = by_time[local(DAY, 9, 0, tz)]
    assert nine.scheduled == 2
    assert nine.logged_in == 2
    assert by_time[local(DAY, 12, 0, tz)].scheduled == 0  # both at lunch
    assert by_time[local(DAY, 11, 30, tz)].logged_in == 1  # the second logged out at 11:00
    assert by_time[local(DAY, 13, 0, tz)].logged_in == 1  # under way: counted at now
    assert by_time[local(DAY, 14, 0, tz)].logged_in is None  # not started
    assert (
        by_time[local(DAY, 14, 0, tz)].required >= by_time[local(DAY, 14, 0, tz)].planned_required
    )


def test_a_restated_acd_interval_counts_once_with_its_latest_figures(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, busy=1.0)
    acd_interval(scene.queue, local(DAY, 9, 0, org.amsterdam.timezone), 50)
    result = intraday_day(queue=scene.queue, now=scene.now)
    nine = next(i for i in result.intervals if i.start == local(DAY, 9, 0, "Europe/Amsterdam"))
    assert nine.offered == 50
    assert result.offered_so_far == 9 * 20 + 50


def test_fifteen_minute_acd_intervals_are_summed_into_the_plans_half_hours(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, busy=0.0)
    start = local(DAY, 14, 0, org.amsterdam.timezone)
    acd_interval(scene.queue, start, 7, minutes=15)
    acd_interval(scene.queue, start + timedelta(minutes=15), 8, minutes=15)
    result = intraday_day(queue=scene.queue, now=start + timedelta(minutes=31))
    two = next(i for i in result.intervals if i.start == start)
    assert two.offered == 15


def test_a_queue_without_a_plan_for_today_is_refused(org: Org) -> None:
    queue = queue_make(site=org.amsterdam, name="Empty")
    with pytest.raises(IntradayNoPlan) as caught:
        intraday_day(queue=queue, now=local(DAY, 10, 0, org.amsterdam.timezone))
    assert caught.value.code == "intraday_no_plan"


def test_the_reforecast_job_from_the_api_stores_the_reforecast_as_its_result(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    client = client_for(org.manager_a)
    body = {"queue": str(scene.queue.pk), "at": scene.now.isoformat()}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/api/v1/intraday/reforecasts", body, format="json")
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "intraday_reforecast"
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["offered_so_far"] == 300
    assert job.result["multiplier_today"] > 1
    assert len(job.result["intervals"]) == 48


def test_the_reforecast_job_refuses_a_time_without_offset_and_a_day_without_plan(
    org: Org,
) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    client = client_for(org.manager_a)
    url = "/api/v1/intraday/reforecasts"
    naive = client.post(
        url, {"queue": str(scene.queue.pk), "at": "2026-03-04T13:10"}, format="json"
    )
    assert naive.status_code == 400
    later = {"queue": str(scene.queue.pk), "at": "2026-03-09T10:00:00+01:00"}
    refused = client.post(url, later, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "intraday_no_plan"
    other = client_for(org.manager_b).post(url, {"queue": str(scene.queue.pk)}, format="json")
    assert other.status_code == 400  # not a queue of theirs
    assert not Job.objects.filter(kind="intraday_reforecast").exists()
