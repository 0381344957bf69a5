"""Odd query values on the payroll review answer a page, never a 500: a page number written
with a superscript digit ("²" passes str.isdigit, not int), a search with a NUL or other
control characters (PostgreSQL refuses a NUL in a string), open and closed periods alike."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Org
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from timeclock.models import PayPeriod
from timeclock.selectors.payroll_review import ReviewFilter
from timeclock.services.periods import period_close, period_create

pytestmark = pytest.mark.django_db
AFTER = datetime(2026, 6, 9, 12, tzinfo=UTC)


def _periods(org: Org) -> list[PayPeriod]:
    """Two Amsterdam weeks with a worked shift of op_a1's each: the first closed, the second
    open."""
    roster = _roster(org)
    for day in (0, 7):
        shift = _shift(roster, org.op_a1, day)
        _punch(org.op_a1, "in", shift.start)
        _punch(org.op_a1, "out", shift.end)
    week = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    closed = period_close(period=week, user=org.payroll, force_reason="test", now=AFTER)
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    return [following, closed]


def _get(org: Org, period: PayPeriod, **params: str) -> tuple[int, str]:
    client = Client()
    client.force_login(org.payroll)
    client.raise_request_exception = False
    response = client.get(reverse("web:period-review", args=[period.pk]), params)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("page", ["\u00b2", "\u0663", "1\u00b9", "-1", "1e3", "9" * 20, " 1"])
def test_a_page_number_that_is_not_ascii_digits_shows_the_first_page(org: Org, page: str) -> None:
    for period in _periods(org):
        status, body = _get(org, period, page=page)
        assert status == 200
        assert org.op_a1.number in body


@pytest.mark.parametrize("search", ["a\x00b", "\x00", "\x1b[2J", "op\x00_a1"])
def test_a_search_with_control_characters_answers_a_page(org: Org, search: str) -> None:
    for period in _periods(org):
        status, _ = _get(org, period, q=search)
        assert status == 200


def test_the_search_drops_control_characters_and_still_finds_the_person(org: Org) -> None:
    assert ReviewFilter(search=" op\x00_a1\t\x7f ").needle == "op_a1"
    for period in _periods(org):
        status, body = _get(org, period, q=f"{org.op_a1.number[:-1]}\x00{org.op_a1.number[-1]}")
        assert status == 200
        assert org.op_a1.number in body


@pytest.mark.usefixtures("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_search_with_a_nul_answers_a_page_on_postgresql(org: Org) -> None:
    for period in _periods(org):
        status, body = _get(org, period, q="a\x00b")
        assert status == 200
        status, body = _get(org, period, q=f"\x00{org.op_a1.number}")
        assert status == 200
        assert org.op_a1.number in body
