"""Payroll's per-employee timesheet (issue 25, item 4): reached from each review row with the
review's filters kept; payroll sees everyone, a manager their own teams' people, an operator
nobody; day by day the shifts, punches (corrections marked), worked and paid time, open
exceptions with where to resolve them, and the pay lines; a closed period its frozen lines.
The review's columns add up to the gross for every row, and carry the currency."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from organisation.roles import Role
from scheduling.models import Roster
from tests.conftest import Org
from tests.factories import employee_make, team_make, user_make
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from tests.timeclock.test_payroll_systems import _closed
from tests.web.test_payroll_review_scope import AFTER, _punched_late, _week, _worked
from timeclock.models import PayLineRecord, PayPeriod, Punch
from timeclock.pay import PayCode
from timeclock.selectors.payroll_review import (
    COLUMN_NAMES,
    COLUMNS,
    ReviewFilter,
    ReviewRow,
    payroll_review,
)
from timeclock.services.adjustments import adjustments_pending
from timeclock.services.corrections import correction_move
from timeclock.services.periods import period_close, period_create

pytestmark = pytest.mark.django_db


def _open_week(org: Org) -> PayPeriod:
    roster = _roster(org)
    late = _shift(roster, org.op_a1, 1)
    _punch(org.op_a1, "in", late.start + timedelta(minutes=20))
    _punch(org.op_a1, "out", late.end)
    _shift(roster, org.op_a2, 2)  # no punches: absent
    return period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))


def _url(period: PayPeriod, employee: Any, **query: str) -> str:
    url = reverse("web:period-timesheet", args=[period.pk, employee.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _sums(row: ReviewRow) -> Decimal:
    return sum((getattr(row, name) for name in COLUMN_NAMES), start=Decimal(0))


def test_every_pay_code_is_in_exactly_one_review_column() -> None:
    assert set(COLUMNS) == set(PayCode)


def _demo_like(org: Org) -> PayPeriod:
    """A closed week with a line of every pay code (Levi Vos's 2.00 h of training at 15.75
    among them) and a person with training only."""
    period = _closed(org)
    trainee = employee_make(team=org.team_a, username="levi")
    lines = [
        (org.op_a1, PayCode.TRAINING, "2.00", "15.7500", "31.50"),
        (org.op_a1, PayCode.MENTORING_PREMIUM, "3.00", "1.5000", "4.50"),
        (org.op_a1, PayCode.HOLIDAY_PREMIUM, "8.00", "4.1250", "33.00"),
        (org.op_a2, PayCode.ABSENCE_PENALTY, "0", "0", "-20.00"),
        (org.op_a2, PayCode.ADJUSTMENT, "1.50", "16.5000", "24.75"),
        (trainee, PayCode.TRAINING, "2.00", "15.7500", "31.50"),
    ]
    for person, code, hours, rate, amount in lines:
        PayLineRecord.objects.create(
            period=period,
            employee=person,
            employee_number=person.number,
            employee_name=person.full_name,
            team=org.team_a,
            pay_code=code,
            minutes=int(Decimal(hours) * 60),
            hours=Decimal(hours),
            rate=Decimal(rate),
            amount=Decimal(amount),
            rule="test",
            work_date=period.start_date,
        )
    return period


def trainee_name(org: Org) -> str:
    return PayLineRecord.objects.filter(employee__user__username="levi").first().employee_name


def test_review_columns_add_up_to_gross_for_every_row_with_the_currency(org: Org, login) -> None:
    period = _demo_like(org)
    review = payroll_review(period=period)
    assert len(review.rows) == 3
    for row in [*review.rows, review.totals]:
        assert _sums(row) == row.gross
        assert row.other == 0
    (levi,) = [r for r in review.rows if r.name == trainee_name(org)]
    assert (levi.training_hours, levi.training, levi.gross) == (
        Decimal("2.00"),
        Decimal("31.50"),
        Decimal("31.50"),
    )
    html = login(org.payroll).get(reverse("web:period-review", args=[period.pk])).content.decode()
    assert "Amounts in EUR" in html
    assert "Gross (EUR)" in html
    assert html.count('data-testid="timesheet-link"') == 3


def test_review_rows_link_to_the_timesheet_keeping_the_filters(org: Org, login) -> None:
    period = _open_week(org)
    client = login(org.payroll)
    review = reverse("web:period-review", args=[period.pk])
    html = client.get(review, {"team": str(org.team_a.pk), "q": "op_a1", "only": "1"})
    page = html.content.decode()
    link = _url(period, org.op_a1)
    assert f'href="{link}?team={org.team_a.pk}&amp;q=op_a1&amp;only=1"' in page
    sheet = client.get(link, {"team": str(org.team_a.pk), "q": "op_a1", "only": "1", "page": "2"})
    assert sheet.status_code == 200
    back = f'href="{review}?team={org.team_a.pk}&amp;q=op_a1&amp;only=1&amp;page=2"'
    assert back in sheet.content.decode()


def test_open_timesheet_shows_days_punches_exceptions_and_adds_up(org: Org, login) -> None:
    period = _open_week(org)
    punch = Punch.objects.filter(employee=org.op_a1, kind="out").get()
    correction_move(
        punch=punch,
        occurred_at=punch.occurred_at - timedelta(minutes=30),
        reason="left early",
        actor=org.manager_a,
    )
    html = login(org.payroll).get(_url(period, org.op_a1)).content.decode()
    assert html.count('data-testid="timesheet-shift"') == 1
    assert html.count('data-testid="punch"') == 2
    assert html.count('data-testid="punch-corrected"') == 1
    assert "corrected, was 17:00" in html  # in Amsterdam's time (15:00 UTC)
    assert "09:20" in html
    assert "16:30" in html
    assert 'data-testid="timesheet-exception"' in html
    assert f'href="{reverse("web:period", args=[period.pk])}#close"' in html
    (row,) = payroll_review(period=period, filters=_only(org.op_a1)).rows
    assert f"<strong>{row.gross:.2f}</strong>" in html
    assert "Late" in html
    # A manager is sent to the attendance page of the team from that day.
    managed = login(org.manager_a).get(_url(period, org.op_a1)).content.decode()
    assert f"{reverse('web:attendance')}?team={org.team_a.pk}&amp;since=2026-06-02" in managed


def _only(employee: Any) -> Any:
    return ReviewFilter(search=employee.number)


def test_scope_payroll_everyone_manager_own_teams_operator_none(org: Org, login) -> None:
    period = _open_week(org)
    other_manager = user_make(role=Role.MANAGER, username="manager_c")
    other_team = team_make(site=org.amsterdam, name="Team C", managers=[other_manager])
    stranger = employee_make(team=other_team, username="op_c1", employment_start=FIRST)
    _shift(Roster.objects.get(site=org.amsterdam), stranger, 3)
    payroll = login(org.payroll)
    for person in (org.op_a1, org.op_a2, stranger):
        assert payroll.get(_url(period, person)).status_code == 200
    manager = login(org.manager_a)
    assert manager.get(_url(period, org.op_a1)).status_code == 200
    assert manager.get(_url(period, stranger)).status_code == 404
    assert login(other_manager).get(_url(period, org.op_a1)).status_code == 404
    # A manager of New York only: Amsterdam's period is not theirs.
    assert login(org.manager_b).get(_url(period, org.op_b1)).status_code == 404
    assert login(org.op_a1.user).get(_url(period, org.op_a1)).status_code == 403
    # Someone the period does not pay, and a period that does not exist.
    assert payroll.get(_url(period, org.op_b1)).status_code == 404
    missing = reverse(
        "web:period-timesheet", args=["00000000-0000-0000-0000-000000000000", org.op_a1.pk]
    )
    assert payroll.get(missing).status_code == 404


def test_closed_timesheet_reads_the_frozen_lines(org: Org, login) -> None:
    period = _demo_like(org)
    frozen_name = org.op_a1.full_name
    org.op_a1.user.first_name = "Renamed"
    org.op_a1.user.save()
    html = login(org.payroll).get(_url(period, org.op_a1)).content.decode()
    assert 'data-testid="frozen-note"' in html
    assert frozen_name in html
    frozen = PayLineRecord.objects.filter(period=period, employee=org.op_a1)
    assert html.count('data-testid="pay-line"') == frozen.count()
    gross = sum(r.amount for r in frozen)
    (row,) = [r for r in payroll_review(period=period).rows if r.number == org.op_a1.number]
    assert row.gross == gross
    assert f"<strong>{gross:.2f}</strong>" in html
    assert "Gross (EUR)" in html
    # Someone the closed period did not pay: 404.
    assert login(org.payroll).get(_url(period, org.op_b1)).status_code == 404


def test_close_confirmation_approves_pending_adjustments_and_shows_the_gross(
    org: Org, login
) -> None:
    """A forgotten Saturday of a closed week, punched after its close, waits as an adjustment
    of the next week: the confirmation says closing approves it, shows the gross it locks
    (adjustment included), and closes when confirmed without ticking anything else."""
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    _punched_late(org.op_a1, _shift(roster, org.op_a1, 5), received=AFTER + timedelta(days=1))
    _worked(roster, org.op_a1, 7)
    following = period_create(
        site=org.amsterdam, start_date=FIRST + timedelta(days=7), end_date=FIRST + timedelta(13)
    )
    expected = payroll_review(period=following, adjustments=_pending(following)).totals.gross
    client = login(org.payroll)
    sheet = client.get(_url(following, org.op_a1)).content.decode()
    assert sheet.count('data-testid="pay-line"') == 2  # the Monday's and the adjustment
    assert f"<strong>{expected:.2f}</strong>" in sheet
    url = reverse("web:period", args=[following.pk])
    html = client.post(url, {"force_reason": "end of week"}).content.decode()
    assert 'data-testid="close-confirm"' in html
    assert "Closing also approves 1 adjustment line for earlier periods (132.00 EUR" in html
    assert f"Gross pay of {expected:,.2f} EUR" in html
    assert 'name="approve_adjustments" value="on"' in html
    assert 'name="approve_adjustments" id="id_approve_adjustments" checked' in html
    confirm = {"force_reason": "end of week", "confirm": "1", "approve_adjustments": "on"}
    client.post(url, confirm)
    closed = PayPeriod.objects.get(pk=following.pk)
    assert closed.status == "closed"
    assert payroll_review(period=closed).totals.gross == expected


def test_close_confirmation_without_adjustments_asks_for_no_approval(org: Org, login) -> None:
    period = _open_week(org)
    html = login(org.payroll).post(
        reverse("web:period", args=[period.pk]), {"force_reason": "end of week"}
    )
    page = html.content.decode()
    assert 'data-testid="close-gross"' in page
    assert 'data-testid="close-approves"' not in page
    assert 'name="approve_adjustments" value="on"' not in page


def _pending(period: PayPeriod) -> Any:
    return adjustments_pending(period=period)


# Session, user, groups, navigation, then the period, the person, the pending adjustments
# (open), the timesheet (shifts, breaks, punches, corrections, rules, time off), the pay
# policies, rates, pack and training (open) or the frozen lines (closed), the punches shown.
TIMESHEET_PAGE = {False: 33, True: 19}


@pytest.mark.parametrize("closed", [False, True])
def test_timesheet_queries_are_pinned_and_do_not_grow_with_days(
    org: Org, login, django_assert_num_queries, closed: bool
) -> None:
    roster = _roster(org)
    _worked(roster, org.op_a1, 0, late_minutes=20)
    period = _week(org)
    if closed:
        period = period_close(period=period, user=org.payroll, force_reason="t", now=AFTER)
    client = login(org.payroll)
    url = _url(period, org.op_a1)
    client.get(url)
    with django_assert_num_queries(TIMESHEET_PAGE[closed]):
        assert client.get(url).status_code == 200
    for day in (1, 2, 3, 4):  # more shifts, punches and corrections: no more queries
        shift = _worked(roster, org.op_a1, day, late_minutes=10 * day)
        punch = Punch.objects.filter(employee=org.op_a1, occurred_at=shift.end).get()
        correction_move(punch=punch, occurred_at=shift.end, reason="r", actor=org.manager_a)
    with django_assert_num_queries(TIMESHEET_PAGE[closed]):
        page = client.get(url).content.decode()
    assert page.count('data-testid="timesheet-shift"') == 5
