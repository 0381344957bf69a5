"""The dashboard opens on the site's today (not the server's UTC date), with a date picker
whose value stays ISO in every language, and points to the forecast when a day has none."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.rosters import staffing_make

pytestmark = pytest.mark.django_db
# 02:30 UTC on 10 March is still 9 March in New York, already 10 March in Amsterdam.
NIGHT = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("manager", "today"), [("manager_b", date(2026, 3, 9)), ("manager_a", date(2026, 3, 10))]
)
def test_the_dashboard_opens_on_the_sites_today(
    org: Org, login, monkeypatch: pytest.MonkeyPatch, manager: str, today: date
) -> None:
    client = login(getattr(org, manager))
    monkeypatch.setattr(timezone, "now", lambda: NIGHT)
    response = client.get(reverse("web:dashboard"))
    assert response.context["day"] == today
    assert f'name="day" value="{today.isoformat()}"' in response.content.decode()


def test_the_date_picker_keeps_iso_values_in_dutch(org: Org, login) -> None:
    queue = queue_make(site=org.amsterdam, name="Retail")
    staffing_make(queue=queue, first_day=date(2026, 12, 7), days=1, agents=3)
    html = login(org.manager_a, language="nl").get(reverse("web:dashboard"), {"day": "2026-12-07"})
    page = html.content.decode()
    assert '<input type="date" id="day-picker" name="day" value="2026-12-07" required>' in page
    assert 'href="?day=2026-12-06"' in page
    assert 'href="?day=2026-12-08"' in page
    assert "maandag 7 december 2026" in page


def test_a_day_without_forecast_points_to_the_forecast_page(org: Org, login) -> None:
    html = login(org.manager_a).get(reverse("web:dashboard"), {"day": "2026-12-07"})
    page = html.content.decode()
    assert "No forecast for this day in your queues." in page
    assert f'href="{reverse("web:forecast")}"' in page
