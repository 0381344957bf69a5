"""ACD intervals on a grid (issue 26 review): a length that divides the hour, a start on its
grid in the site's local time, no overlap with another start or length of the queue (per-row
refusals with stable codes); the intraday page spreads a longer ACD interval over the plan's
shorter ones in proportion to time, and sums shorter ones only into a complete plan interval."""

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.conftest import Org, client_for
from tests.factories import queue_make
from tests.factories.intraday import acd_interval, intraday_scene
from tests.factories.rosters import staffing_make
from timeclock.models import AcdInterval
from timeclock.selectors.intraday import _apportion, intraday_day
from timeclock.services.devices import device_register

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
DAY = date(2026, 3, 10)


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=AMS)


def _row(queue: str, start: datetime, minutes: int, offered: int = 10) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "queue": queue,
        "interval_start": start.isoformat(),
        "interval_minutes": minutes,
        "offered": offered,
        "answered": offered,
        "abandoned": 0,
        "answered_within_goal": offered,
        "handle_seconds": offered * 200,
        "wait_seconds": offered * 10,
    }


def _post(org: Org, rows: list[dict[str, Any]]) -> list[str]:
    _, token = device_register(
        site=org.amsterdam, name=f"ACD {uuid.uuid4()}", is_kiosk=False, created_by=None,
        is_acd_feed=True,
    )  # fmt: skip
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    response = client.post("/api/v1/acd/intervals", {"intervals": rows}, format="json")
    assert response.status_code == 200, response.content
    return [r.get("error", {}).get("code", r["status"]) for r in response.json()["results"]]


def test_lengths_starts_and_overlaps_are_checked_per_row(org: Org) -> None:
    queue_make(site=org.amsterdam, name="Sales")
    assert _post(org, [_row("Sales", _at(9), 15), _row("Sales", _at(9, 7), 15)]) == [
        "accepted",
        "acd_interval_misaligned",
    ]
    assert _post(
        org,
        [
            _row("Sales", _at(10), 7),  # not a divisor of the hour
            _row("Sales", _at(10), 45),
            _row("Sales", _at(10, 15), 30),  # a half hour from :15
            _row("Sales", _at(9), 30),  # over the stored 09:00 quarter
            _row("Sales", _at(9, 15), 15),  # the next quarter: fine
            _row("Sales", _at(9, 15), 5),  # inside the quarter of the row above
            _row("Sales", _at(9), 15, offered=12),  # a restatement: same start and length
            _row("Sales", _at(11), 60),
            _row("Sales", _at(11, 30), 30),  # inside the hour above
        ],
    ) == [
        "acd_interval_length",
        "acd_interval_length",
        "acd_interval_misaligned",
        "acd_interval_overlap",
        "accepted",
        "acd_interval_overlap",
        "accepted",
        "accepted",
        "acd_interval_overlap",
    ]
    assert AcdInterval.objects.count() == 4


def test_a_half_hour_start_in_a_half_hour_offset_zone_is_on_its_local_grid(org: Org) -> None:
    site = org.amsterdam
    site.timezone = "Asia/Kolkata"  # +05:30
    site.save()
    queue_make(site=site, name="Sales")
    local = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))  # 03:30 UTC
    assert _post(org, [_row("Sales", local, 60)]) == ["accepted"]
    assert _post(org, [_row("Sales", local + timedelta(minutes=30), 60)]) == [
        "acd_interval_misaligned"
    ]


def test_a_half_hour_csv_over_quarter_hours_of_the_feed_is_refused_not_counted_twice(
    org: Org,
) -> None:
    queue_make(site=org.amsterdam, name="Sales")
    assert _post(org, [_row("Sales", _at(9), 15), _row("Sales", _at(9, 15), 15)]) == [
        "accepted",
        "accepted",
    ]
    csv = (
        "Interval start,Offered,Handled,Abandoned,ASA,AHT,Service level\n"
        f"{_at(9).isoformat()},40,36,4,12,240,80%\n"
    )
    response = client_for(org.manager_a).post(
        "/api/v1/acd/import",
        {
            "site": str(org.amsterdam.pk),
            "queue": "Sales",
            "interval_minutes": 30,
            "file": SimpleUploadedFile("cms.csv", csv.encode(), "text/csv"),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["error"]["code"] == "acd_interval_overlap"
    assert AcdInterval.objects.count() == 2


def test_a_half_hour_acd_interval_is_spread_over_the_plans_quarter_hours(org: Org) -> None:
    queue = queue_make(site=org.amsterdam, name="Quarter")
    staffing_make(queue=queue, first_day=DAY, days=2, agents=2, hours=range(8, 18),
                  weekdays=frozenset(range(7)), interval_minutes=15)  # fmt: skip
    acd_interval(queue, _at(9), 7, minutes=30)
    day = intraday_day(queue=queue, now=_at(9, 40))
    by_start = {i.start: i for i in day.intervals}
    first, second = by_start[_at(9)], by_start[_at(9, 15)]
    assert (first.offered, second.offered) == (4, 3)  # 7 calls over two quarters, not 7 and 0
    assert by_start[_at(9, 30)].offered is None  # under way
    assert day.offered_so_far == 7


def test_quarter_hours_fill_a_half_hour_of_the_plan_only_when_both_are_in(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, busy=0.0)
    acd_interval(scene.queue, _at(14), 7, minutes=15)
    half = intraday_day(queue=scene.queue, now=_at(14, 31))
    two = next(i for i in half.intervals if i.start == _at(14))
    assert two.offered is None  # 14:15-14:30 has not arrived: missing, not 7
    assert two.missing
    acd_interval(scene.queue, _at(14, 15), 8, minutes=15)
    whole = intraday_day(queue=scene.queue, now=_at(14, 31))
    assert next(i for i in whole.intervals if i.start == _at(14)).offered == 15


def test_apportion_keeps_whole_calls_that_add_up() -> None:
    assert _apportion(7, [0.5, 0.5]) == [4, 3]
    assert _apportion(10, [1 / 3, 1 / 3, 1 / 3]) == [4, 3, 3]
    assert _apportion(0, [0.5, 0.5]) == [0, 0]
    assert sum(_apportion(101, [0.25] * 4)) == 101
