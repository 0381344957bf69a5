"""Who the payroll review lists and what it costs (issue 25): a closed period lists exactly the
people of its frozen lines (leavers, people moved to another team or site since), an open one
everyone with shifts of the site in it (someone who left or moved during it too, never their
shifts elsewhere); the review pages filter and page on the server, work out pay in bulk (a
query count that does not grow with the head count) and keep the figures of each payslip."""

import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Employee
from scheduling.models import Roster, Shift
from tests.conftest import Org, client_for
from tests.factories import employee_make, queue_make, team_make
from tests.timeclock.test_payroll import AMS, FIRST, _punch, _roster, _shift
from timeclock.exports.billable import billable_hours_csv
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy
from timeclock.selectors.pay import payslip_get
from timeclock.selectors.payroll_review import ReviewFilter, payroll_review
from timeclock.services.adjustments import adjustments_pending
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db
AFTER = datetime(2026, 6, 9, 12, tzinfo=UTC)  # the week of FIRST is over


def _worked(roster: Roster, employee: Employee, day: int, late_minutes: int = 0) -> Shift:
    shift = _shift(roster, employee, day)
    _punch(employee, "in", shift.start + timedelta(minutes=late_minutes))
    _punch(employee, "out", shift.end)
    return shift


def _punched_late(employee: Employee, shift: Shift, *, received: datetime) -> None:
    """The shift's clock-in and clock-out, received at `received` (after a close)."""
    for kind, at in (("in", shift.start), ("out", shift.end)):
        punches_ingest(
            items=[PunchInput(uuid.uuid4(), kind, at, employee_number=employee.number)],
            source="remote",
            device=None,
            now=received,
        )


def _week(org: Org) -> PayPeriod:
    return period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))


def _move(employee: Employee, **fields: Any) -> None:
    Employee.objects.filter(pk=employee.pk).update(**fields)


def _names(review: Any) -> list[str]:
    return sorted(r.number for r in review.rows)


def test_closed_review_lists_exactly_the_people_paid_leavers_and_moved_included(org: Org) -> None:
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    _worked(roster, org.op_a2, 1)
    period = period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    old_name = org.op_a1.full_name
    # Since the close: op_a1 left and moved to New York, op_a2 moved to another team,
    # someone joined the site; the frozen period keeps who it paid.
    _move(org.op_a1, team=org.team_b, employment_end=FIRST + timedelta(days=10))
    org.op_a1.user.first_name = "Renamed"
    org.op_a1.user.save()
    other_team = team_make(site=org.amsterdam, name="Team C")
    _move(org.op_a2, team=other_team)
    employee_make(team=org.team_a, username="newcomer", employment_start=FIRST)
    review = payroll_review(period=PayPeriod.objects.get(pk=period.pk))
    assert _names(review) == sorted([org.op_a1.number, org.op_a2.number])
    leaver = next(r for r in review.rows if r.number == org.op_a1.number)
    assert leaver.name == old_name  # as frozen at the close
    assert leaver.regular_hours == Decimal("8.00")
    frozen = PayLineRecord.objects.filter(period=period)
    assert review.totals.gross == sum(r.amount for r in frozen)
    assert review.lines == frozen.count()
    # Under the team they were paid in (frozen at the close), not the team of today.
    paid_in = payroll_review(period=period, filters=ReviewFilter(team=org.team_a))
    assert _names(paid_in) == sorted([org.op_a1.number, org.op_a2.number])
    assert payroll_review(period=period, filters=ReviewFilter(team=other_team)).people == 0


def test_open_review_and_close_include_who_left_or_moved_during_the_period(org: Org) -> None:
    PayPolicy.objects.create(site=org.amsterdam, daily_overtime_hours=Decimal(4))
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    _worked(roster, org.op_a1, 1)
    _worked(roster, org.op_a2, 0)
    # op_a1 moves to New York on day 2 and works a shift there; op_a2 leaves after day 0.
    _move(org.op_a1, team=org.team_b)
    _move(org.op_a2, employment_end=FIRST)
    new_york = Roster.objects.create(
        site=org.new_york,
        team=org.team_b,
        scope_key=f"team:{org.team_b.pk}",
        start_date=FIRST,
        days=7,
        version=1,
        status="published",
    )
    start = datetime.combine(FIRST + timedelta(days=3), time(9), tzinfo=AMS)
    Shift.objects.create(
        roster=new_york,
        employee=org.op_a1,
        start=start,
        end=start + timedelta(hours=8),
        local_date=start.date(),
        state="published",
    )
    period = _week(org)
    review = payroll_review(period=period)
    assert _names(review) == sorted([org.op_a1.number, org.op_a2.number])
    moved = next(r for r in review.rows if r.number == org.op_a1.number)
    # The New York shift is New York's to pay (nor is it absent here); the Amsterdam ones
    # are paid by Amsterdam's policy (overtime past 4 h a day), not by New York's.
    assert (moved.regular_hours, moved.overtime_hours) == (Decimal(8), Decimal(8))
    assert moved.exceptions == ["moved_site"]  # no absence; the rate and overtime to check
    left = next(r for r in review.rows if r.number == org.op_a2.number)
    assert (left.regular_hours, left.overtime_hours) == (Decimal(4), Decimal(4))
    assert payslip_get(employee=org.op_a1, period=period)["gross"] == moved.gross
    closed = period_close(period=period, user=org.payroll, force_reason="test", now=AFTER)
    frozen = payroll_review(period=closed)
    assert [(r.number, r.gross) for r in frozen.rows] == [(r.number, r.gross) for r in review.rows]


def test_open_review_totals_match_each_payslip_and_pages_on_the_server(org: Org) -> None:
    roster = _roster(org)
    people = [org.op_a1, org.op_a2]
    people += [employee_make(team=org.team_a, username=f"extra{n}") for n in range(3)]
    for n, person in enumerate(people):
        _worked(roster, person, 0, late_minutes=10 * n)
        _worked(roster, person, 2)
    _shift(roster, people[-1], 3)  # absent: an open exception
    period = _week(org)
    whole = payroll_review(period=period)
    gross = {p.number: payslip_get(employee=p, period=period)["gross"] for p in people}
    assert {r.number: r.gross for r in whole.rows} == gross
    assert whole.totals.gross == sum(gross.values())
    assert whole.people == 5
    pages = [payroll_review(period=period, page=n, per_page=2) for n in (1, 2, 3)]
    assert [len(p.rows) for p in pages] == [2, 2, 1]
    assert [r.number for p in pages for r in p.rows] == [r.number for r in whole.rows]
    assert all(p.totals.gross == whole.totals.gross and p.pages == 3 for p in pages)
    assert payroll_review(period=period, page=99, per_page=2).page == 3
    only = payroll_review(period=period, filters=ReviewFilter(only_exceptions=True))
    # The late ones (10 minutes and more past a grace of 5) and the absent one.
    assert sorted(r.number for r in only.rows) == sorted(p.number for p in people[1:])
    found = payroll_review(period=period, filters=ReviewFilter(search="EXTRA1"))
    assert [r.number for r in found.rows] == [people[3].number]


def _site_of(org: Org, size: int) -> PayPeriod:
    roster = _roster(org)
    for n in range(size):
        person = employee_make(team=org.team_a, username=f"p{size}_{n}")
        _worked(roster, person, 0, late_minutes=20)
        _worked(roster, person, 1)
        _shift(roster, person, 2)
    return _week(org)


def _queries(action: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


@pytest.mark.parametrize("closed", [False, True])
def test_review_queries_do_not_grow_with_the_head_count(
    org: Org, login: Any, django_assert_max_num_queries: Any, closed: bool
) -> None:
    period = _site_of(org, 2)
    if closed:
        period = period_close(period=period, user=org.payroll, force_reason="t", now=AFTER)
    client = login(org.payroll)
    review_url = reverse("web:period-review", args=[period.pk])
    period_url = reverse("web:period", args=[period.pk])
    small = [
        _queries(lambda: payroll_review(period=period)),
        _queries(lambda: client.get(review_url)),
    ]
    small.append(_queries(lambda: client.get(period_url)))
    more = [employee_make(team=org.team_a, username=f"late{n}") for n in range(6)]
    roster = Roster.objects.get(site=org.amsterdam)
    for person in more:
        _worked(roster, person, 0, late_minutes=20)
        _shift(roster, person, 2)
        if closed:
            PayLineRecord.objects.create(
                period=period,
                employee=person,
                employee_number=person.number,
                employee_name=person.full_name,
                pay_code="REGULAR",
                minutes=480,
                hours=Decimal(8),
                rate=Decimal("16.5"),
                amount=Decimal(132),
                rule="test",
            )
    large = [
        _queries(lambda: payroll_review(period=period)),
        _queries(lambda: client.get(review_url)),
    ]
    large.append(_queries(lambda: client.get(period_url)))
    assert large == small
    with django_assert_max_num_queries(small[1]):
        page = client.get(review_url, {"page": "2", "q": "late"}).content.decode()
    assert page.count('data-testid="review-row"') == 6


def test_review_page_takes_any_page_or_team_value(org: Org, login: Any) -> None:
    period = _site_of(org, 3)
    client = login(org.payroll)
    url = reverse("web:period-review", args=[period.pk])
    for params in ({"page": "abc"}, {"page": "-1"}, {"page": "9" * 30}, {"team": "x", "only": "1"}):
        response = client.get(url, params)
        assert response.status_code == 200
    assert client.get(url, {"page": "abc"}).content.decode().count('data-testid="review-row"') == 3


@pytest.mark.parametrize("gone", ["left", "moved to New York"])
def test_a_leaver_with_adjustments_is_in_the_next_periods_review(
    org: Org, login: Any, gone: str
) -> None:
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    _worked(roster, org.op_a2, 1)
    week = period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    saturday = _shift(roster, org.op_a1, 5)  # a forgotten shift, its punches received late
    for kind, at in (("in", saturday.start), ("out", saturday.end)):
        punches_ingest(
            items=[PunchInput(uuid.uuid4(), kind, at, employee_number=org.op_a1.number)],
            source="remote",
            device=None,
            now=AFTER + timedelta(days=1),  # after the close
        )
    if gone == "left":
        _move(org.op_a1, employment_end=week.end_date)  # with the first week
    else:
        _move(org.op_a1, team=org.team_b)
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    client = login(org.payroll)
    url = reverse("web:period-review", args=[following.pk])
    html = client.get(url).content.decode()
    assert html.count('data-testid="review-row"') == 1
    assert org.op_a1.number in html
    assert "132.00" in html  # 8 h at 16.50, booked as an adjustment
    closed = period_close(
        period=following,
        user=org.payroll,
        force_reason="test",
        approve_adjustments=True,
        now=AFTER + timedelta(days=7),  # the following week is over
    )
    (row,) = payroll_review(period=closed).rows
    assert (row.number, row.adjustments) == (org.op_a1.number, Decimal("132.00"))


def test_billable_hours_of_a_closed_period_keep_who_moved_away_since(org: Org) -> None:
    roster = _roster(org)
    client = queue_make(site=org.amsterdam, name="Acme", client_name="Acme Inc")
    shift = _shift(roster, org.op_a1, 0, queue=client)
    _punch(org.op_a1, "in", shift.start)
    _punch(org.op_a1, "out", shift.end)
    period = period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    _move(org.op_a1, team=org.team_b)
    assert billable_hours_csv(period=period).decode().splitlines()[1:] == [
        f"Acme Inc,Acme,{FIRST.isoformat()},8.00,WORKED,,"
    ]


def test_an_open_periods_payslip_shows_the_adjustments_its_review_shows(
    org: Org, login: Any
) -> None:
    """A forgotten Saturday of a closed week, punched late, is booked as an adjustment in the
    next open week: that week's payslip preview (page and API) carries it, so its gross
    equals the review's."""
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    _punched_late(org.op_a1, _shift(roster, org.op_a1, 5), received=AFTER + timedelta(days=1))
    _worked(roster, org.op_a1, 7)
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    review = payroll_review(period=following, adjustments=adjustments_pending(period=following))
    (row,) = review.rows
    assert row.adjustments == Decimal("132.00")
    answer = client_for(org.op_a1.user).get(f"/api/v1/me/payslips/{following.pk}").json()
    assert Decimal(answer["gross"]) == row.gross
    assert [x["amount"] for x in answer["lines"] if x["pay_code"] == "ADJUSTMENT"] == ["132.00"]
    page = login(org.op_a1.user).get(reverse("web:payslip", args=[following.pk]))
    assert "132.00" in page.content.decode()
