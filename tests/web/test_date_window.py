"""Dates and ids from query strings and forms outside what the product handles: a clear
refusal or the page's default, never a 500 (a day of year 1 or 9999 made date arithmetic
leave the calendar: OverflowError; a queue id that is no UUID raised ValidationError)."""

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from scheduling.models import TimeOffRequest
from tests.conftest import Org
from web.params import SaneDateField, date_or_none

pytestmark = pytest.mark.django_db
EDGES = ("0001-01-01", "9999-12-31", "1969-12-31", "2100-01-01")


def test_date_or_none_keeps_the_window() -> None:
    assert date_or_none("1970-01-01") is not None
    assert date_or_none("2099-12-31") is not None
    assert [date_or_none(text) for text in EDGES] == [None] * 4
    assert date_or_none("2026-02-30") is None
    assert date_or_none(None) is None


def test_a_form_date_outside_the_window_is_refused_with_its_code() -> None:
    field = SaneDateField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("9999-12-31")
    assert refused.value.code == "date_out_of_range"
    assert str(field.clean("2026-10-25")) == "2026-10-25"


@pytest.mark.parametrize("edge", EDGES)
def test_manager_pages_take_any_date_in_the_query(org: Org, login: Any, edge: str) -> None:
    manager = login(org.manager_a)
    for url in (
        f"{reverse('web:dashboard')}?day={edge}",
        f"{reverse('web:attendance')}?since={edge}",
        f"{reverse('web:staffing')}?start={edge}",
        f"{reverse('web:intraday')}?at={edge}T12:00%2B00:00",
    ):
        assert manager.get(url).status_code == 200, url


def test_a_queue_id_that_is_no_uuid_is_not_found(org: Org, login: Any) -> None:
    manager = login(org.manager_a)
    assert manager.get(f"{reverse('web:staffing')}?queue=abc").status_code == 404


def test_the_intraday_page_says_the_moment_is_out_of_range(org: Org, login: Any) -> None:
    page = login(org.manager_a).get(f"{reverse('web:intraday')}?at=9999-12-31T12:00%2B00:00")
    assert "Give a date from 1970-01-01 to 2099-12-31." in page.content.decode()


def test_time_off_in_year_9999_is_refused_and_nothing_stored(org: Org, login: Any) -> None:
    page = login(org.op_a1.user).post(
        reverse("web:time-off"),
        {"first_day": "9999-12-30", "last_day": "9999-12-31", "reason": "far away"},
    )
    assert page.status_code == 200
    assert "Give a date from 1970-01-01 to 2099-12-31." in page.content.decode()
    assert not TimeOffRequest.objects.exists()
