"""The intraday page when ACD figures are missing (issue 26 review): a queue without a feed keeps
its plan and says so, an interval without figures shows a dash, the feed's lag is named."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories.intraday import intraday_scene, local, published_day
from timeclock.selectors.intraday import intraday_day

DASH = "\N{EN DASH}"
DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"


@pytest.mark.django_db
def test_a_queue_without_a_feed_keeps_its_plan_and_the_page_says_so(org: Org, login) -> None:
    queue, _, _ = published_day(
        team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, name="Silent", hour=8, lunch=12
    )
    result = intraday_day(queue=queue, now=local(DAY, 13, 10, TZ))
    assert result.intervals_received == 0
    assert result.update.multiplier_today == 1.0
    assert result.reforecast_total == pytest.approx(result.planned_total)
    assert all(i.reforecast_calls == i.planned_calls for i in result.intervals)
    nine = next(i for i in result.intervals if i.start == local(DAY, 9, 0, TZ))
    assert nine.missing
    assert nine.required > 0
    assert nine.scheduled - nine.required <= 0  # not "+2 over-staffed" on no figures
    assert result.service_level_so_far is None
    response = login(org.manager_a).get(reverse("web:intraday"), {"at": "2026-03-04T13:10+01:00"})
    page = response.content.decode()
    assert "No phone-system figures yet for this queue today" in page
    assert "calls so far against" not in page  # no level sentence on no figures
    assert '<td class="num missing">' + DASH + "</td>" in page
    assert response.context["panels"][0].rows[2].missing


@pytest.mark.django_db
def test_the_page_names_the_intervals_still_missing(org: Org, login) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    page = (
        login(org.manager_a)
        .get(reverse("web:intraday"), {"at": "2026-03-04T13:40+01:00"})
        .content.decode()
    )
    assert "Phone-system figures received up to 13:00" in page
    assert "No phone-system figures yet" not in page
