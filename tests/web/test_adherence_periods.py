"""Adherence pages over a period whose days have different sources (review of issue 26,
item 4): the manager's report and its CSV add the days' minutes and say which days came from
the phone system and which from the punches; /me/adherence/ takes a period (from, to) with
the same date checks as the other pages."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import Org
from tests.timeclock.test_adherence_days import punches_then_states, shift_with_lunch

AMS = ZoneInfo("Europe/Amsterdam")


def _today() -> date:
    return timezone.now().astimezone(AMS).date()


@pytest.mark.django_db
def test_the_report_and_its_csv_add_a_punched_day_and_an_acd_day(org: Org, login: Any) -> None:
    first = _today() - timedelta(days=3)
    second = first + timedelta(days=1)
    punches_then_states(org, first)
    client = login(org.manager_a)
    query = f"?team={org.team_a.pk}&first={first}&last={second}"
    text = client.get(f"/manager/adherence/{query}").content.decode()
    assert "Mixed" in text
    assert "96.9 %" in text  # 930 of 960 minutes (was 52.1 %: the punched day as absent)
    assert "52.1 %" not in text
    lines = client.get(f"/manager/adherence/{query}&format=csv").content.decode().splitlines()
    header = lines[0].split(",")
    assert header[-2:] == ["acd_days", "punch_days"]
    row = next(x for x in lines if x.startswith(org.op_a1.number)).split(",")
    a1 = dict(zip(header, row, strict=True))
    assert (a1["source"], a1["adherence_percent"], a1["conformance_percent"]) == (
        "mixed",
        "96.9",
        "96.7",
    )
    assert (a1["acd_days"], a1["punch_days"]) == (second.isoformat(), first.isoformat())
    one_day = client.get(
        f"/manager/adherence/?team={org.team_a.pk}&first={first}&last={first}&format=csv"
    ).content.decode()
    a1_first = next(x for x in one_day.splitlines() if x.startswith(org.op_a1.number))
    assert ",punches,480,460,95.8,450,430,95.6," in a1_first


@pytest.mark.django_db
def test_my_adherence_takes_a_period_and_shows_each_days_source(org: Org, login: Any) -> None:
    first = _today() - timedelta(days=3)
    second = first + timedelta(days=1)
    punches_then_states(org, first)
    client = login(org.op_a1.user)
    text = client.get(f"/me/adherence/?first={first}&last={second}").content.decode()
    assert 'data-testid="my-adherence">96.9 %' in text
    assert 'data-testid="my-source">Mixed' in text
    days = text[text.index('data-testid="my-days"') :]
    assert days.index("Phone system") < days.index("Punches")  # the later day first
    # The default (the last 14 days) holds the same two days.
    assert 'data-testid="my-adherence">96.9 %' in client.get("/me/adherence/").content.decode()


@pytest.mark.django_db
def test_my_adherence_shows_an_earlier_period_when_asked(org: Org, login: Any) -> None:
    day = _today() - timedelta(days=40)
    shift_with_lunch(org.op_a1, day)
    client = login(org.op_a1.user)
    default = client.get("/me/adherence/").content.decode()
    assert "No scheduled shifts in this period." in default
    chosen = client.get(f"/me/adherence/?first={day}&last={day}").content.decode()
    assert "No scheduled shifts in this period." not in chosen
    assert 'data-testid="my-adherence">6.3 %' in chosen  # absent: only the 30-minute break
    assert f'value="{day}"' in chosen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("first=9999-12-31", "Give a date from 1970-01-01 to 2099-12-31."),
        ("last=0001-01-01", "Give a date from 1970-01-01 to 2099-12-31."),
        ("first=tomorrow", "Enter a valid date."),
    ],
)
def test_my_adherence_refuses_a_date_out_of_range_with_the_pages_message(
    org: Org, login: Any, query: str, message: str
) -> None:
    client = login(org.op_a1.user)
    page = client.get(f"/me/adherence/?{query}")
    assert page.status_code == 200
    text = page.content.decode()
    assert message in text
    assert f'value="{_today() - timedelta(days=13)}"' in text  # the default period instead


@pytest.mark.django_db
def test_my_adherence_period_is_at_most_31_days_and_in_order(org: Org, login: Any) -> None:
    today = _today()
    client = login(org.op_a1.user)
    long = client.get(f"/me/adherence/?first={today - timedelta(days=90)}&last={today}")
    assert f'value="{today - timedelta(days=30)}"' in long.content.decode()
    swapped = client.get(f"/me/adherence/?first={today}&last={today - timedelta(days=2)}")
    text = swapped.content.decode()
    assert f'id="id_first" name="first" value="{today - timedelta(days=2)}"' in text
    assert f'id="id_last" name="last" value="{today}"' in text
