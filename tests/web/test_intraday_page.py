"""The intraday page (issue 26, item 3): per queue the plan, the reforecast, offered and handled
so far, agents required, scheduled and logged in, service level so far and projected; in English
and Dutch; a replayed moment needs its offset."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.intraday import intraday_scene

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)
AT = "2026-03-04T13:10:00+01:00"


def test_the_manager_sees_the_day_so_far_and_the_rest_reforecast(org: Org, login) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    queue_make(site=org.amsterdam, name="Quiet")  # no plan: named below the panels
    response = login(org.manager_a).get(reverse("web:intraday"), {"at": AT})
    assert response.status_code == 200
    page = response.content.decode()
    panel = response.context["panels"][0]
    assert panel.day.offered_so_far == 300
    for text in (
        "Retail",
        "Calls planned today",
        "Reforecast for today",
        "Offered so far",
        "Service level so far",
        "Service level projected for the day",
        "Agents: required, scheduled and logged in",
        "Without a forecast for today: Quiet",
        'class="now"',
    ):
        assert text in page, text
    assert "Wednesday 4 March 2026 13:10" in page
    # The second operator logged out at 11:00 during a phone shift: listed live, ongoing.
    ((site, lines),) = response.context["adherence"]
    assert site == org.amsterdam
    late = [line for line in lines if line.event.employee_id == str(org.op_a2.pk)]
    assert late
    assert late[0].event.ongoing
    assert (late[0].planned, late[0].actual) == ("Phone", "Absent")
    assert "Out of adherence today" in page


def test_the_page_in_dutch(org: Org, login) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    page = login(org.manager_a, language="nl").get(reverse("web:intraday"), {"at": AT})
    text = page.content.decode()
    for dutch in (
        "Intraday",
        "Gesprekken gepland vandaag",
        "Nieuwe prognose voor vandaag",
        "Aangeboden tot nu toe",
        "Serviceniveau tot nu toe",
        "Agenten: nodig, ingeroosterd en ingelogd",
        "woensdag 4 maart 2026 13:10",
        "Vandaag buiten het rooster",
        "loopt nog",
    ):
        assert dutch in text, dutch


def test_a_replayed_moment_without_an_offset_is_refused_and_now_is_shown(org: Org, login) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    response = login(org.manager_a).get(reverse("web:intraday"), {"at": "2026-03-04T13:10"})
    assert response.status_code == 200
    assert "Give the time with its UTC offset" in response.content.decode()


def test_another_sites_manager_does_not_see_the_queue(org: Org, login) -> None:
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    response = login(org.manager_b).get(reverse("web:intraday"), {"at": AT})
    assert response.context["panels"] == []


def test_operators_are_kept_out(org: Org, login) -> None:
    response = login(org.op_a1.user).get(reverse("web:intraday"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("en", "The latest day with a forecast is Thu 5 Mar 2026 (Retail)."), ("nl", "do 5 mrt 2026")],
)
def test_without_a_plan_today_the_page_opens_the_latest_day_with_one(
    org: Org, login, language: str, sentence: str
) -> None:
    """A day after the plan (a demo's week replayed, next week's forecast not there yet): the
    page names the last day with a forecast and links to it at 13:00 local, which opens it."""
    intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)
    client = login(org.manager_a, language=language)
    page = client.get(reverse("web:intraday"), {"at": "2026-03-09T10:00:00+01:00"})
    assert page.context["panels"] == []
    assert sentence in page.content.decode()
    assert page.context["latest_at"] == "2026-03-05T13:00+01:00"
    assert 'href="?at=2026-03-05T13%3A00%2B01%3A00"' in page.content.decode()
    opened = client.get(reverse("web:intraday"), {"at": page.context["latest_at"]})
    assert [p.day.queue.name for p in opened.context["panels"]] == ["Retail"]
    # Before any plan there is nothing to open.
    before = client.get(reverse("web:intraday"), {"at": "2026-03-01T10:00:00+01:00"})
    assert before.context["latest"] is None
    assert 'id="latest-planned"' not in before.content.decode()
