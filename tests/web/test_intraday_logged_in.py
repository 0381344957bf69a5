"""Logged in where the phone system sends no agent states (issue 26 review): the operators
clocked in (punches, breaks left out) are counted and the column says so; with neither, a dash
(unknown), never 0."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories.intraday import agent_state, local, published_day
from tests.factories.punches import punch_make
from timeclock.selectors.intraday import intraday_day

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"
DASH = "\N{EN DASH}"


def _queue(org: Org):  # type: ignore[no-untyped-def]
    queue, _, _ = published_day(
        team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, name="Retail", hour=8, lunch=12
    )
    return queue


def test_without_agent_states_the_clocked_in_are_counted(org: Org, login) -> None:
    queue = _queue(org)
    punch_make(employee=org.op_a1, kind="in", at=local(DAY, 7, 55, TZ))
    punch_make(employee=org.op_a1, kind="break_start", at=local(DAY, 12, 0, TZ))
    punch_make(employee=org.op_a1, kind="break_end", at=local(DAY, 12, 30, TZ))
    punch_make(employee=org.op_a2, kind="in", at=local(DAY, 8, 5, TZ))
    punch_make(employee=org.op_a2, kind="out", at=local(DAY, 11, 0, TZ))
    day = intraday_day(queue=queue, now=local(DAY, 13, 10, TZ))
    assert day.logged_in_source == "punches"
    by = {i.start: i.logged_in for i in day.intervals}
    assert by[local(DAY, 7, 30, TZ)] == 0
    assert by[local(DAY, 9, 0, TZ)] == 2
    assert by[local(DAY, 11, 30, TZ)] == 1  # the second clocked out at 11:00
    assert by[local(DAY, 12, 0, TZ)] == 0  # the first on a punched break
    assert by[local(DAY, 13, 0, TZ)] == 1  # under way: counted at now
    assert by[local(DAY, 14, 0, TZ)] is None
    page = (
        login(org.manager_a)
        .get(reverse("web:intraday"), {"at": "2026-03-04T13:10+01:00"})
        .content.decode()
    )
    assert "Clocked in (punches)" in page
    assert "not logged in to the phones" in page


def test_agent_states_win_over_punches(org: Org) -> None:
    queue = _queue(org)
    punch_make(employee=org.op_a1, kind="in", at=local(DAY, 7, 55, TZ))
    punch_make(employee=org.op_a2, kind="in", at=local(DAY, 7, 55, TZ))
    agent_state(org.op_a1, "available", local(DAY, 8, 0, TZ))
    day = intraday_day(queue=queue, now=local(DAY, 13, 10, TZ))
    assert day.logged_in_source == "acd"
    assert next(i for i in day.intervals if i.start == local(DAY, 9, 0, TZ)).logged_in == 1


def test_with_neither_the_figure_is_unknown_not_zero(org: Org, login) -> None:
    queue = _queue(org)
    day = intraday_day(queue=queue, now=local(DAY, 13, 10, TZ))
    assert day.logged_in_source == ""
    assert all(i.logged_in is None for i in day.intervals)
    response = login(org.manager_a).get(reverse("web:intraday"), {"at": "2026-03-04T13:10+01:00"})
    rows = response.context["panels"][0].rows
    nine = next(r for r in rows if r.time == "09:00")
    assert nine.logged_in_unknown
    assert not next(r for r in rows if r.time == "14:00").logged_in_unknown
    assert "who is logged in is not known" in response.content.decode()
    assert '<td class="num missing">' + DASH + "</td>" in response.content.decode()
