"""Pages that open on "today" take the site's calendar day, not the server's UTC date."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.local_grid import local_date
from tests.conftest import Org

pytestmark = pytest.mark.django_db
# 02:30 UTC on 10 March is still 9 March (21:30 or 22:30) in New York, already 10 March in
# Amsterdam.
NIGHT = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


def test_local_date_is_the_day_in_the_zone() -> None:
    assert local_date(instant=NIGHT, timezone="America/New_York") == date(2026, 3, 9)
    assert local_date(instant=NIGHT, timezone="Europe/Amsterdam") == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("manager", "today"), [("manager_b", date(2026, 3, 9)), ("manager_a", date(2026, 3, 10))]
)
def test_attendance_ends_on_the_sites_today(
    org: Org, login, monkeypatch: pytest.MonkeyPatch, manager: str, today: date
) -> None:
    client = login(getattr(org, manager))
    monkeypatch.setattr(timezone, "now", lambda: NIGHT)
    response = client.get(reverse("web:attendance"))
    assert response.status_code == 200
    assert response.context["until"] == today
