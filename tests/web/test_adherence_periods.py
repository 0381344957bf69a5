"""Adherence pages over a period whose days have different sources (review of issue 26,
item 4): the manager's report and its CSV add the days' minutes and say which days came from
the phone system and which from the punches."""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.conftest import Org
from tests.timeclock.test_adherence_days import punches_then_states

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
