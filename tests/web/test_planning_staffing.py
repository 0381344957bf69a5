"""The staffing page: required agents per interval and day with the predicted service; the
what-if beside it, saved only when applied; bad input beside its field; roles and scope."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from organisation.models import AuditEvent
from scheduling.models import StaffingRequirement
from scheduling.services.forecasting import forecast_build
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.history import history_make, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(org: Org) -> Any:
    queue = queue_make(site=org.amsterdam, name="Retail")
    history_make(queue)
    forecast_build(queue=queue, start=next_monday(queue), days=7, interval_minutes=30)
    return queue


def _url(queue: Any, **query: Any) -> str:
    monday = next_monday(queue)
    base = {"queue": queue.pk, "start": monday, "end": monday + timedelta(days=6)}
    return reverse("web:staffing") + "?" + "&".join(f"{k}={v}" for k, v in (base | query).items())


WHATIF = {
    "whatif-service_level_percent": "80",
    "whatif-service_level_seconds": "20",
    "whatif-aht_seconds": "",
    "whatif-volume_factor": "1",
    "whatif-shrinkage_percent": "30",
    "whatif-patience_seconds": "",
    "whatif-max_occupancy_percent": "85",
}


def test_the_page_shows_every_day_and_the_intervals_of_one(org: Org, queue: Any, login) -> None:
    html = login(org.manager_a).get(_url(queue)).content.decode()
    days = html.split('data-testid="staffing-days"')[1].split("</table>")[0]
    assert days.count("<tr") == 1 + 7
    intervals = html.split('data-testid="staffing-intervals"')[1].split("</table>")[0]
    assert intervals.count("<tr") == 1 + 48
    # Local times of the site: the history's 08:00-20:00, its service level predicted.
    assert "<td>08:00</td>" in intervals
    assert "<td>07:30</td>" not in intervals.split("08:00")[1]
    assert "86.0 %" in intervals
    assert 'data-testid="staffing-chart"' in html


def test_the_what_if_shows_beside_the_stored_requirement_without_saving(
    org: Org, queue: Any, login
) -> None:
    stored = list(StaffingRequirement.objects.values_list("scheduled_agents", flat=True))
    more = WHATIF | {"whatif-shrinkage_percent": "50", "whatif-volume_factor": "1.5"}
    html = login(org.manager_a).get(_url(queue), more).content.decode()
    assert 'data-testid="whatif-hours"' in html
    assert "What-if: to schedule" in html
    assert "Apply as the requirement" in html
    assert list(StaffingRequirement.objects.values_list("scheduled_agents", flat=True)) == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service_level_percent", "100"),
        ("shrinkage_percent", "99"),
        ("volume_factor", "0"),
        ("aht_seconds", "-5"),
        ("patience_seconds", "abc"),
    ],
)
def test_bad_what_if_values_show_beside_their_field(
    org: Org, queue: Any, login, field: str, value: str
) -> None:
    html = login(org.manager_a).get(_url(queue), WHATIF | {f"whatif-{field}": value})
    page = html.content.decode()
    assert f'id="id_whatif-{field}_error"' in page
    assert f'aria-describedby="id_whatif-{field}' in page
    assert "What-if: to schedule" not in page


def test_applying_the_what_if_to_the_day_saves_that_day_only(org: Org, queue: Any, login) -> None:
    monday = next_monday(queue)
    client = login(org.manager_a)
    body = WHATIF | {
        "whatif-shrinkage_percent": "50",
        "queue": queue.pk,
        "start": monday,
        "end": monday + timedelta(days=6),
        "day": monday,
        "apply_to": "day",
    }
    before = {r.pk: r.scheduled_agents for r in StaffingRequirement.objects.all()}
    response = client.post(reverse("web:staffing-apply"), body)
    assert response.status_code == 302
    rows = list(StaffingRequirement.objects.order_by("interval_start"))
    changed = {r.pk for r in rows if r.scheduled_agents != before[r.pk]}
    assert changed
    assert {r.interval_start.date() for r in rows if r.pk in changed} == {monday}
    # 4 agents on the phones at 30 % shrinkage schedule 6; at 50 %, 8.
    assert max(r.scheduled_agents for r in rows if r.pk in changed) == 8
    event = AuditEvent.objects.filter(action="staffing_scenario_applied").get()
    assert event.data["scenario"]["shrinkage"] == "0.5"


def test_applying_to_every_day_shown_changes_the_week(org: Org, queue: Any, login) -> None:
    monday = next_monday(queue)
    body = WHATIF | {
        "whatif-volume_factor": "2",
        "queue": queue.pk,
        "start": monday,
        "end": monday + timedelta(days=6),
        "day": monday,
        "apply_to": "range",
    }
    calls_before = sum(StaffingRequirement.objects.values_list("calls", flat=True))
    login(org.manager_a).post(reverse("web:staffing-apply"), body)
    assert sum(StaffingRequirement.objects.values_list("calls", flat=True)) == pytest.approx(
        2 * calls_before
    )


def test_a_range_over_31_days_is_refused_beside_the_last_day(org: Org, queue: Any, login) -> None:
    monday = next_monday(queue)
    page = login(org.manager_a).get(_url(queue, end=monday + timedelta(days=40)))
    html = page.content.decode()
    assert 'id="id_end_error"' in html
    assert "Show at most 31 days at a time." in html


def test_days_without_staffing_point_to_the_forecast(org: Org, queue: Any, login) -> None:
    monday = next_monday(queue) + timedelta(days=70)
    html = login(org.manager_a).get(_url(queue, start=monday, end=monday)).content.decode()
    assert "No staffing requirement for these days." in html
    assert reverse("web:forecast") in html


def test_roles_and_scope_of_the_staffing_pages(org: Org, queue: Any, login) -> None:
    for user in (org.op_a1.user, org.payroll):
        assert login(user).get(_url(queue)).status_code == 403
        assert login(user).post(reverse("web:staffing-apply"), {}).status_code == 403
    other = login(org.manager_b)
    assert other.get(_url(queue)).status_code == 404
    body = WHATIF | {"queue": queue.pk, "start": next_monday(queue), "end": next_monday(queue)}
    assert other.post(reverse("web:staffing-apply"), body | {"apply_to": "day"}).status_code == 404
    assert other.get(reverse("web:staffing")).status_code == 200  # their own queues (none)
    assert login(org.admin).get(_url(queue)).status_code == 200
