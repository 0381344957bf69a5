"""The dashboard, the roster's day view and the board count a day as time runs (issue 26):
on the autumn day each occurrence of the repeated hour is an interval of its own with a label
of its own ("02:00" then "02:00 (2nd)" in Amsterdam, "01:00" then "01:00 (2nd)" in New York)
and shifts and breaks count against the instant they happen at; on the spring day the
skipped hour has no interval. The scene: tests/factories/dst_days.py."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories.dst_days import DstDay, dst_scene

pytestmark = pytest.mark.django_db

AUTUMN = {"amsterdam": (date(2026, 10, 25), "02"), "new_york": (date(2026, 11, 1), "01")}
SPRING = {"amsterdam": (date(2026, 3, 29), "02"), "new_york": (date(2026, 3, 8), "02")}


def _expected_autumn(hour: str) -> list[tuple[str, int, int]]:
    """(label, required, scheduled) of the night's half hours: the first occurrence of the
    repeated hour has the first operator on a break for its first half hour (0, then 1 of 3),
    the second both operators (2 of 2)."""
    h = int(hour)
    before = [(f"{m // 60:02d}:{m % 60:02d}", 1, 1) for m in range(0, h * 60, 30)]
    repeated = [
        (f"{hour}:00", 3, 0),
        (f"{hour}:30", 3, 1),
        (f"{hour}:00 (2nd)", 2, 2),
        (f"{hour}:30 (2nd)", 2, 2),
    ]
    after = [(f"{m // 60:02d}:{m % 60:02d}", 1, 2) for m in range((h + 1) * 60, 6 * 60, 30)]
    return before + repeated + after


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_dashboard_counts_each_occurrence_of_the_repeated_hour_apart(
    org: Org, login: Any, site: str
) -> None:
    day, hour = AUTUMN[site]
    _day, manager = dst_scene(org, site, day)
    response = login(manager).get(f"{reverse('web:dashboard')}?day={day}")
    assert response.status_code == 200
    (panel,) = response.context["panels"]
    assert len(panel.labels) == 50  # 25 hours of half hours
    assert len(set(panel.labels)) == 50  # each its own label
    night = list(zip(panel.labels, panel.required, panel.scheduled, strict=True))[:14]
    assert night == _expected_autumn(hour)
    ticks = [label for label, _x in panel.agents.x_labels]
    assert ticks == list(panel.labels[::6])  # the chart's x axis from the same labels


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_dashboard_has_no_interval_in_the_skipped_hour(org: Org, login: Any, site: str) -> None:
    day, _hour = SPRING[site]
    _day, manager = dst_scene(org, site, day)
    response = login(manager).get(f"{reverse('web:dashboard')}?day={day}")
    (panel,) = response.context["panels"]
    assert len(panel.labels) == 46
    assert "02:00" not in panel.labels
    assert "02:30" not in panel.labels
    cover = dict(zip(panel.labels, panel.scheduled, strict=True))
    assert [cover[t] for t in ("00:30", "01:00", "01:30", "03:00", "03:30", "04:00")] == [
        1,
        2,
        2,
        2,
        2,
        1,
    ]


def _day_view(org: Org, login: Any, site: str, day: date) -> tuple[Any, str, Any, list[Any]]:
    """The scene's day view: the client, its URL, the response and the busy rows of its one
    queue as (label, required, scheduled)."""
    scene, manager = dst_scene(org, site, day)
    client = login(manager)
    url = reverse("web:roster-day", args=[scene.roster.pk, str(day)])
    response = client.get(url)
    assert response.status_code == 200
    (panel,) = response.context["panels"]
    return client, url, response, [(lbl, r, s) for _k, lbl, r, s, _gap in panel.rows]


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_day_view_has_both_occurrences_and_who_is_on_the_phone_in_each(
    org: Org, login: Any, site: str
) -> None:
    day, hour = AUTUMN[site]
    client, url, response, rows = _day_view(org, login, site, day)
    (panel,) = response.context["panels"]
    assert len(panel.cover.required) == 50
    assert rows == _expected_autumn(hour)
    hits = [h.label for h in panel.chart.hits]
    assert hits[: len(rows)] == [label for label, _r, _s in rows]
    assert len(hits) == len(set(hits))
    ticks = [h for h, _pct in response.context["hours"]]
    assert ticks.count(hour) == 2  # the Gantt's hour ticks: the repeated hour twice
    # The first operator's 00:00-06:00 is 7 real hours: the axis ends 420 minutes on.
    axis = response.context["axis"]
    assert (axis.first, axis.last) == (0, 420)
    page = response.content.decode()
    assert f"{hour}:00 (2nd)" in page
    first = client.get(url, {"at": f"{hour}:00"}).context["on_phone"]
    second = client.get(url, {"at": f"{hour}:00-2"}).context["on_phone"]
    assert first == []  # the first operator's break, the second not yet in
    assert [len(q.people) for q in second] == [2]
    listed = client.get(url, {"at": f"{hour}:00-2"}).content.decode()
    assert f"{hour}:00 (2nd)\u201306:00" in listed  # the second operator's shift
    assert client.get(url, {"at": f"{hour}:15-2"}).status_code == 404


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_day_view_of_the_spring_day_has_no_skipped_hour(
    org: Org, login: Any, site: str
) -> None:
    day, _hour = SPRING[site]
    client, url, response, rows = _day_view(org, login, site, day)
    (panel,) = response.context["panels"]
    assert len(panel.cover.required) == 46
    assert rows == [
        ("00:00", 1, 1),
        ("00:30", 1, 1),
        ("01:00", 1, 2),
        ("01:30", 1, 2),
        ("03:00", 1, 2),
        ("03:30", 1, 2),
        ("04:00", 1, 1),
        ("04:30", 1, 1),
        ("05:00", 1, 1),
        ("05:30", 1, 1),
    ]
    assert "02" not in [h for h, _pct in response.context["hours"]]
    assert (response.context["axis"].first, response.context["axis"].last) == (0, 300)
    assert client.get(url, {"at": "02:00"}).status_code == 404
    assert [len(q.people) for q in client.get(url, {"at": "03:00"}).context["on_phone"]] == [2]


def _board_cover(client: Any, scene: DstDay) -> Any:
    url = reverse("web:roster", args=[scene.roster.pk])
    response = client.get(url, {"start": str(scene.day)})
    assert response.status_code == 200
    (queue,) = [q for q in response.context["cover"] if q.name == "Nights"]
    return queue


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_board_gives_the_repeated_hour_columns_of_its_own(
    org: Org, login: Any, site: str
) -> None:
    day, hour = AUTUMN[site]
    scene, manager = dst_scene(org, site, day)
    queue = _board_cover(login(manager), scene)
    columns = [label for label, _hour in queue.columns]
    expected = _expected_autumn(hour)
    assert columns == [label for label, _r, _s in expected]
    autumn, *others = queue.days
    assert autumn.day == day
    assert [(c.required, c.scheduled) for c in autumn.cells] == [(r, s) for _l, r, s in expected]
    for other in others:  # the other days have no second occurrence: an absent cell there
        absent = [columns[k] for k, c in enumerate(other.cells) if c.absent]
        assert absent == [f"{hour}:00 (2nd)", f"{hour}:30 (2nd)"]
    assert queue.required_agent_hours == sum(r for _l, r, _s in expected) / 2
    assert queue.scheduled_agent_hours == sum(s for _l, _r, s in expected) / 2


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_board_leaves_the_skipped_hour_of_the_spring_day_empty(
    org: Org, login: Any, site: str
) -> None:
    day, _hour = SPRING[site]
    scene, manager = dst_scene(org, site, day)
    queue = _board_cover(login(manager), scene)
    columns = [label for label, _hour in queue.columns]
    assert columns == [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 360, 30)]
    spring, *others = queue.days
    assert [columns[k] for k, c in enumerate(spring.cells) if c.absent] == ["02:00", "02:30"]
    assert [c.scheduled for c in spring.cells if not c.absent] == [1, 1, 2, 2, 2, 2, 1, 1, 1, 1]
    assert all(not c.absent for other in others for c in other.cells)


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_a_normal_day_is_48_half_hours_labelled_by_the_wall_clock(
    org: Org, login: Any, site: str
) -> None:
    day = date(2026, 10, 18)  # a week before either change
    scene, manager = dst_scene(org, site, day)
    client = login(manager)
    expected = [
        (f"{m // 60:02d}:{m % 60:02d}", 1, 2 if 60 <= m < 240 else 1) for m in range(0, 360, 30)
    ]
    (panel,) = client.get(f"{reverse('web:dashboard')}?day={day}").context["panels"]
    assert panel.labels == tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, 30))
    assert list(zip(panel.labels, panel.required, panel.scheduled, strict=True))[:12] == expected
    response = client.get(reverse("web:roster-day", args=[scene.roster.pk, str(day)]))
    (panel,) = response.context["panels"]
    assert len(panel.cover.required) == 48
    assert [(label, r, s) for _k, label, r, s, _g in panel.rows] == expected
    assert [h for h, _pct in response.context["hours"]] == [
        "00",
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
    ]
    queue = _board_cover(client, scene)
    assert [label for label, _hour in queue.columns] == [label for label, _r, _s in expected]
    assert [(c.required, c.scheduled) for c in queue.days[0].cells] == [
        (r, s) for _l, r, s in expected
    ]
    assert not any(c.absent for d in queue.days for c in d.cells)


@pytest.mark.parametrize("site", ["amsterdam", "new_york"])
def test_the_staffing_page_labels_the_repeated_hour_apart(org: Org, login: Any, site: str) -> None:
    day, hour = AUTUMN[site]
    scene, manager = dst_scene(org, site, day)
    query = {"queue": scene.queue.pk, "start": day, "end": day, "day": day}
    response = login(manager).get(reverse("web:staffing"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(f"<td>{hour}:00</td>") == 1
    assert page.count(f"<td>{hour}:00 (2nd)</td>") == 1
    assert page.count(f"<td>{hour}:30 (2nd)</td>") == 1
