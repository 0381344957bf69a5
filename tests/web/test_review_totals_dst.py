"""The totals above the board are the sums of the board's own coverage columns on the days
the clocks change (the autumn day's repeated hour twice, the spring day's skipped hour not at
all), and its paid hours the people's paid time beside the board. The scene:
tests/factories/dst_days.py."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories.dst_days import dst_scene

pytestmark = pytest.mark.django_db

AUTUMN = {"amsterdam": date(2026, 10, 25), "new_york": date(2026, 11, 1)}
SPRING = {"amsterdam": date(2026, 3, 29), "new_york": date(2026, 3, 8)}


@pytest.mark.parametrize(("site", "season"), [(s, k) for s in AUTUMN for k in ("autumn", "spring")])
def test_the_totals_are_the_sums_of_the_boards_columns(
    org: Org, login: Any, site: str, season: str
) -> None:
    day = AUTUMN[site] if season == "autumn" else SPRING[site]
    scene, manager = dst_scene(org, site, day)
    response = login(manager).get(
        reverse("web:roster", args=[scene.roster.pk]), {"start": str(day), "span": "week"}
    )
    assert response.status_code == 200
    totals = response.context["totals"]
    cells = [
        (c.required, c.scheduled)
        for queue in response.context["cover"]
        for d in queue.days
        for c in d.cells
        if not c.absent
    ]
    assert totals["required_agent_hours"] == sum(r for r, _s in cells) / 2
    assert totals["scheduled_agent_hours"] == sum(s for _r, s in cells) / 2
    assert totals["under_agent_intervals"] == sum(max(0, r - s) for r, s in cells)
    assert totals["over_agent_intervals"] == sum(max(0, s - r) for r, s in cells)
    board_paid = sum(row.person.paid_minutes for row in response.context["rows"])
    assert totals["paid_hours"] == board_paid / 60
