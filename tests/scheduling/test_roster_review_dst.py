"""The roster review (its totals above the board, the API's figures, the CSV export) and the
planning basis count the days the clocks change as time runs, like the board's coverage below
them: on the autumn day each occurrence of the repeated hour is an interval of its own and a
night's hours are the time that elapses; the spring day has no interval in the skipped hour.
The scene: tests/factories/dst_days.py (a night of two operators on a half-hour plan)."""

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from scheduling.models import Shift
from scheduling.selectors.roster_basis import roster_demand_basis
from tests.conftest import Org, client_for
from tests.factories.dst_days import DstDay, dst_scene

pytestmark = pytest.mark.django_db

AUTUMN = {
    "amsterdam": (date(2026, 10, 25), "02", "+02:00", "+01:00"),
    "new_york": (date(2026, 11, 1), "01", "-04:00", "-05:00"),
}
SPRING = {"amsterdam": date(2026, 3, 29), "new_york": date(2026, 3, 8)}


def _review(manager: Any, scene: DstDay) -> dict[str, Any]:
    response = client_for(manager).get(f"/api/v1/rosters/{scene.roster.pk}/review")
    assert response.status_code == 200, response.content
    return response.json()


def _worked_hours(scene: DstDay) -> dict[str, float]:
    """Each operator's paid hours from the stored instants (a break is unpaid)."""
    hours: dict[str, float] = {}
    for shift in Shift.objects.filter(roster=scene.roster).prefetch_related("breaks"):
        unpaid = sum((b.end - b.start for b in shift.breaks.all() if not b.paid), timedelta())
        hours[str(shift.employee_id)] = (shift.end - shift.start - unpaid) / timedelta(hours=1)
    return hours


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_review_counts_both_occurrences_of_the_repeated_hour(org: Org, site: str) -> None:
    day, hour, first, second = AUTUMN[site]
    scene, manager = dst_scene(org, site, day)
    review = _review(manager, scene)
    # Required per half hour before 06:00: 1, the repeated hour 3 then 2 (the day's 50 half
    # hours: 14 before 06:00). Scheduled: the first operator from midnight with a break in
    # the first half hour of the repeated hour, the second from its second occurrence.
    h = int(hour)
    before = [(1, 1)] * (2 * h)
    repeated = [(3, 0), (3, 1), (2, 2), (2, 2)]
    after = [(1, 2)] * (2 * (6 - h - 1))
    cells = before + repeated + after
    totals = review["totals"]
    assert totals["intervals"] == len(cells) == 14
    assert totals["required_agent_hours"] == sum(r for r, _s in cells) / 2 == 10.0
    assert totals["scheduled_agent_hours"] == sum(s for _r, s in cells) / 2
    assert totals["under_agent_intervals"] == 3 + 2 == 5
    assert totals["over_agent_intervals"] == len(after)
    worked = _worked_hours(scene)
    # Amsterdam: 00:00-06:00 is 7 h (6.5 paid), the second 02:00-06:00 4 h; New York: 7 h
    # (6.5 paid) and the second 01:00-06:00 5 h.
    assert sorted(worked.values()) == ([4.0, 6.5] if site == "amsterdam" else [5.0, 6.5])
    assert totals["paid_hours"] == sum(worked.values())
    people = {p["employee"]: p["paid_hours"] for p in review["people"] if p["shifts"]}
    assert people == worked
    rows = [(r["local_start"], r["required"], r["scheduled"]) for r in review["cover"]]
    assert rows[2 * h : 2 * h + 4] == [
        (f"{day}T{hour}:00{first}", 3, 0),
        (f"{day}T{hour}:30{first}", 3, 1),
        (f"{day}T{hour}:00{second}", 2, 2),
        (f"{day}T{hour}:30{second}", 2, 2),
    ]
    starts = [datetime.fromisoformat(r["local_start"]) for r in review["cover"]]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_review_has_no_interval_in_the_skipped_hour(org: Org, site: str) -> None:
    day = SPRING[site]
    scene, manager = dst_scene(org, site, day)
    review = _review(manager, scene)
    totals = review["totals"]
    # 1 agent required in each of the 10 half hours before 06:00 (none at 02:00 or 02:30);
    # the first operator 00:00-06:00 is 5 h, the second 01:00-04:00 2 h.
    assert totals["intervals"] == 10
    assert totals["required_agent_hours"] == 5.0
    assert totals["scheduled_agent_hours"] == 7.0
    assert totals["over_agent_intervals"] == 4
    assert totals["paid_hours"] == 7.0
    assert sorted(_worked_hours(scene).values()) == [2.0, 5.0]
    assert not [r for r in review["cover"] if f"{day}T02:" in r["local_start"]]


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_planning_basis_counts_both_occurrences_of_the_repeated_hour(
    org: Org, site: str
) -> None:
    day = AUTUMN[site][0]
    scene, _manager = dst_scene(org, site, day)
    (nights,) = [
        q for q in roster_demand_basis(roster=scene.roster).queues if q.queue == scene.queue
    ]
    assert nights.required_agent_hours == 10.0  # 3 + 3 + 2 + 2 half hours in the repeated hour
    assert nights.planned_agent_hours == 10.0


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_csv_export_pays_the_night_as_it_elapses(org: Org, site: str) -> None:
    day, hour, first, second = AUTUMN[site]
    scene, manager = dst_scene(org, site, day)
    response = client_for(manager).get(f"/api/v1/rosters/{scene.roster.pk}/export")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    paid = sorted(int(r["paid_minutes"]) for r in rows)
    assert paid == sorted(int(h * 60) for h in _worked_hours(scene).values())
    starts = sorted(r["start"] for r in rows)
    assert starts == sorted([f"{day}T00:00{first}", f"{day}T{hour}:00{second}"])
