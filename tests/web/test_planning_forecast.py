"""The forecast pages: a queue or a whole site forecast as jobs with a progress page, the
result beside the history with the backtest, overrides added, edited and removed; refusals
beside their field; who may see what."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from organisation.models import Job
from scheduling.models import ForecastOverride, StaffingRequirement
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.history import history_make, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues(org: Org) -> list[Any]:
    retail = queue_make(site=org.amsterdam, name="Retail")
    business = queue_make(site=org.amsterdam, name="Business")
    for queue in (retail, business):
        history_make(queue)
    return [retail, business]


def _forecast(client: Any, scope: str, start: Any, **extra: Any) -> Any:
    body = {
        "scope": scope,
        "start": str(start),
        "days": 7,
        "interval_minutes": 30,
        "method": "auto",
    }
    return client.post(reverse("web:forecast"), body | extra)


def test_forecasting_a_site_runs_one_job_per_queue_and_stores_their_staffing(
    org: Org, queues: list[Any], login, commits: None
) -> None:
    client = login(org.manager_a)
    start = next_monday(queues[0])
    response = _forecast(client, f"site:{org.amsterdam.pk}", start)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:forecast-jobs"))
    jobs = Job.objects.filter(kind="forecast")
    assert jobs.count() == 2
    assert {job.status for job in jobs} == {Job.Status.SUCCEEDED}
    for queue in queues:
        assert StaffingRequirement.objects.filter(queue=queue).count() == 7 * 48
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-progress"' in page
    progress = page.split('id="job-progress"', 1)[1].split(">", 1)[0]
    assert "hx-get" not in progress  # finished: no more polling
    assert page.count("Open the forecast of") == 2


def test_forecast_progress_polls_then_opens_the_result_of_one_queue(
    org: Org, queues: list[Any], login, commits: None
) -> None:
    client = login(org.manager_a)
    start = next_monday(queues[0])
    response = _forecast(client, f"queue:{queues[0].pk}", start)
    polled = client.get(response["Location"], headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert "<html" not in polled.content.decode()
    target = reverse("web:forecast-queue", args=[queues[0].pk])
    assert polled["HX-Redirect"] == f"{target}?start={start}"


def test_a_running_forecast_job_keeps_polling(org: Org, login) -> None:
    job = Job.objects.create(kind="forecast", created_by=org.manager_a, params={}, progress=40)
    page = login(org.manager_a).get(f"{reverse('web:forecast-jobs')}?job={job.pk}")
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html


def test_another_managers_forecast_job_is_not_found(org: Org, login) -> None:
    job = Job.objects.create(kind="forecast", created_by=org.manager_a, params={})
    url = f"{reverse('web:forecast-jobs')}?job={job.pk}"
    assert login(org.manager_b).get(url).status_code == 404


def test_a_queue_without_history_is_refused_beside_the_queue_field(
    org: Org, login, commits: None
) -> None:
    empty = queue_make(site=org.amsterdam, name="Empty")
    response = _forecast(login(org.manager_a), f"queue:{empty.pk}", next_monday(empty))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_scope_error"' in html
    assert 'aria-describedby="id_scope_error"' in html
    assert "The queue has no call history to forecast from." in html
    assert not Job.objects.exists()


def test_a_forecast_inside_the_history_is_refused_beside_the_first_day(
    org: Org, queues: list[Any], login, commits: None
) -> None:
    start = next_monday(queues[0]) - timedelta(days=14)
    response = _forecast(login(org.manager_a), f"queue:{queues[0].pk}", start)
    html = response.content.decode()
    assert 'id="id_start_error"' in html
    assert "The forecast must start after the history ends." in html
    assert not Job.objects.exists()


def test_bad_form_values_show_beside_their_fields_in_dutch(
    org: Org, queues: list[Any], login
) -> None:
    client = login(org.manager_a, language="nl")
    response = client.post(
        reverse("web:forecast"),
        {"scope": "queue:nope", "start": "soon", "days": "9", "interval_minutes": "7"},
    )
    html = response.content.decode()
    for field in ("scope", "start", "days", "interval_minutes"):
        assert f'id="id_{field}_error"' in html, field
    assert "Voer een geldige datum in." in html
    assert not Job.objects.exists()


def _run(org: Org, queue: Any, login: Any) -> Any:
    client = login(org.manager_a)
    start = next_monday(queue)
    _forecast(client, f"queue:{queue.pk}", start)
    return client, start


def test_the_result_shows_history_forecast_and_the_backtest_of_each_method(
    org: Org, queues: list[Any], login, commits: None
) -> None:
    client, _start = _run(org, queues[0], login)
    html = client.get(reverse("web:forecast-queue", args=[queues[0].pk])).content.decode()
    assert 'data-testid="forecast-chart"' in html
    assert "<polyline" in html
    wape = html.split('data-testid="wape"')[1].split("</table>")[0]
    for method in ("Recent same weekdays", "Day level times intraday shares", "Same day last week"):
        assert method in wape
    assert "used" in wape


@pytest.mark.parametrize("factor", ["0", "100", "-1"])
def test_an_override_factor_of_0_or_100_is_refused_beside_the_field(
    org: Org, queues: list[Any], login, factor: str
) -> None:
    start = next_monday(queues[0])
    response = login(org.manager_a).post(
        reverse("web:forecast-queue", args=[queues[0].pk]),
        {
            "override-start_date": str(start),
            "override-end_date": str(start),
            "override-factor": factor,
            "override-reason": "campaign",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_override-factor_error"' in html
    assert 'aria-describedby="id_override-factor_helptext id_override-factor_error"' in html
    assert not ForecastOverride.objects.exists()


def test_an_override_ending_before_it_starts_is_refused_in_dutch(
    org: Org, queues: list[Any], login
) -> None:
    start = next_monday(queues[0])
    response = login(org.manager_a, language="nl").post(
        reverse("web:forecast-queue", args=[queues[0].pk]),
        {
            "override-start_date": str(start),
            "override-end_date": str(start - timedelta(days=1)),
            "override-factor": "1.2",
            "override-reason": "campaign",
        },
    )
    html = response.content.decode()
    assert 'id="id_override-end_date_error"' in html
    assert "De laatste dag ligt vóór de eerste." in html
    assert not ForecastOverride.objects.exists()


def test_overrides_are_added_edited_removed_and_shown_on_the_chart(
    org: Org, queues: list[Any], login, commits: None
) -> None:
    client, start = _run(org, queues[0], login)
    url = reverse("web:forecast-queue", args=[queues[0].pk])
    added = client.post(
        url,
        {
            "override-start_date": str(start),
            "override-end_date": str(start + timedelta(days=1)),
            "override-factor": "1.5",
            "override-reason": "campaign",
        },
    )
    assert added.status_code == 302
    override = ForecastOverride.objects.get()
    assert override.factor == Decimal("1.5")
    html = client.get(url).content.decode()
    assert "Forecast with overrides" in html
    assert "Forecast again" in html  # the staffing still has the old calls
    assert html.count('class="line series-b dashed"') == 1
    edit = reverse("web:override", args=[override.pk])
    edited = client.post(
        edit,
        {
            "override-start_date": str(start),
            "override-end_date": str(start),
            "override-factor": "0.8",
            "override-reason": "quiet day",
        },
    )
    assert edited.status_code == 302
    override.refresh_from_db()
    assert (override.factor, override.reason, override.end_date) == (
        Decimal("0.8"),
        "quiet day",
        start,
    )
    assert client.post(reverse("web:override-delete", args=[override.pk])).status_code == 302
    assert not ForecastOverride.objects.exists()


def test_forecasting_again_applies_the_overrides_to_the_staffing(
    org: Org, queues: list[Any], login, commits: None
) -> None:
    client, start = _run(org, queues[0], login)
    before = StaffingRequirement.objects.filter(queue=queues[0]).order_by("interval_start")
    peak_before = max(r.calls for r in before)
    ForecastOverride.objects.create(
        queue=queues[0], start_date=start, end_date=start + timedelta(days=6), factor=2, reason="x"
    )
    _forecast(client, f"queue:{queues[0].pk}", start)
    after = StaffingRequirement.objects.filter(queue=queues[0])
    assert max(r.calls for r in after) == pytest.approx(2 * peak_before)
    html = client.get(reverse("web:forecast-queue", args=[queues[0].pk])).content.decode()
    assert "Forecast again" not in html


def test_roles_and_scope_of_the_forecast_pages(org: Org, queues: list[Any], login) -> None:
    override = ForecastOverride.objects.create(
        queue=queues[0],
        start_date=next_monday(queues[0]),
        end_date=next_monday(queues[0]),
        factor=2,
        reason="x",
    )
    urls = [
        reverse("web:forecast"),
        reverse("web:forecast-queue", args=[queues[0].pk]),
        reverse("web:override", args=[override.pk]),
    ]
    for user in (org.op_a1.user, org.payroll):
        for url in urls:
            assert login(user).get(url).status_code == 403, (user, url)
    other = login(org.manager_b)
    assert other.get(urls[0]).status_code == 200
    for url in urls[1:]:
        assert other.get(url).status_code == 404, url
    assert other.post(reverse("web:override-delete", args=[override.pk])).status_code == 404
    assert ForecastOverride.objects.exists()
    admin = login(org.admin).get(urls[0]).content.decode()
    assert "All queues at Amsterdam" in admin
    assert "All queues at New York" in admin
    assert login(org.admin).get(urls[1]).status_code == 200


def test_the_first_day_is_an_iso_value_in_dutch(org: Org, queues: list[Any], login) -> None:
    html = login(org.manager_a, language="nl").get(reverse("web:forecast")).content.decode()
    monday = next_monday(queues[0])
    assert f'type="date" name="start" value="{monday.isoformat()}"' in html
