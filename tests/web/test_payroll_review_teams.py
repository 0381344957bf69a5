"""A closed period's review filters by the team each line was paid in, frozen at the close
(issue 25 review): someone moved to another team or site since still shows under the team
they were paid in, not under their team of today; an open period's filter takes the team its
close will freeze (a person now at another site, paid on a team's roster here)."""

import importlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from organisation.models import Employee
from tests.conftest import Org
from tests.factories import team_make
from tests.timeclock.test_payroll import FIRST, _roster, _shift
from tests.web.test_payroll_review_scope import (
    AFTER,
    _move,
    _names,
    _punched_late,
    _week,
    _worked,
)
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.selectors.payroll_review import NO_TEAM, ReviewFilter, payroll_review
from timeclock.services.periods import period_close, period_create

pytestmark = pytest.mark.django_db


def _closed(org: Org) -> PayPeriod:
    roster = _roster(org)  # team A's
    _worked(roster, org.op_a1, 0)
    _worked(roster, org.op_a2, 1, late_minutes=30)
    return period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)


def test_the_close_freezes_the_team_each_line_was_paid_in(org: Org) -> None:
    period = _closed(org)
    lines = PayLineRecord.objects.filter(period=period)
    assert lines.count() == 2
    assert set(lines.values_list("team_id", flat=True)) == {org.team_a.pk}


def test_a_closed_period_filters_by_the_team_paid_in_not_the_team_of_today(org: Org) -> None:
    period = _closed(org)
    other_team = team_make(site=org.amsterdam, name="Team C")
    _move(org.op_a1, team=org.team_b)  # now in New York
    _move(org.op_a2, team=other_team)  # now in another team here
    everyone = payroll_review(period=period)
    team_a = payroll_review(period=period, filters=ReviewFilter(team=org.team_a))
    assert _names(team_a) == sorted([org.op_a1.number, org.op_a2.number])
    assert team_a.totals.gross == everyone.totals.gross
    assert team_a.totals.gross == sum(r.amount for r in PayLineRecord.objects.filter(period=period))
    assert team_a.lines == everyone.lines
    assert payroll_review(period=period, filters=ReviewFilter(team=other_team)).people == 0
    assert payroll_review(period=period, filters=ReviewFilter(team=NO_TEAM)).people == 0


def test_the_review_page_of_a_closed_period_filters_by_the_frozen_team(
    org: Org, login: Any
) -> None:
    period = _closed(org)
    other_team = team_make(site=org.amsterdam, name="Team C")
    _move(org.op_a2, team=other_team)
    client = login(org.payroll)
    url = reverse("web:period-review", args=[period.pk])
    team_a = client.get(url, {"team": str(org.team_a.pk)}).content.decode()
    assert team_a.count('data-testid="review-row"') == 2
    assert org.op_a2.number in team_a
    moved_to = client.get(url, {"team": str(other_team.pk)}).content.decode()
    assert moved_to.count('data-testid="review-row"') == 0
    none = client.get(url, {"team": NO_TEAM}).content.decode()
    assert none.count('data-testid="review-row"') == 0
    assert f'value="{NO_TEAM}" selected' in none
    dutch = login(org.payroll, language="nl").get(url).content.decode()
    assert "Geen team van deze vestiging" in dutch


def test_someone_moved_to_another_site_is_under_the_team_whose_roster_paid_them(
    org: Org,
) -> None:
    """op_a1 is in New York's team B already; their Amsterdam shift is on team A's roster:
    the open review lists them under team A (not under no team), and so does the close."""
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    _worked(roster, org.op_a2, 1)
    _move(org.op_a1, team=org.team_b)
    week = _week(org)
    for period in (week, None):
        if period is None:
            period = period_close(period=week, user=org.payroll, force_reason="test", now=AFTER)
        team_a = payroll_review(period=period, filters=ReviewFilter(team=org.team_a))
        assert _names(team_a) == sorted([org.op_a1.number, org.op_a2.number]), period.status
        assert payroll_review(period=period, filters=ReviewFilter(team=NO_TEAM)).people == 0
    lines = PayLineRecord.objects.filter(period=period, employee=org.op_a1)
    assert set(lines.values_list("team_id", flat=True)) == {org.team_a.pk}


def test_someone_paid_as_no_team_of_the_site_is_found_under_no_team(org: Org) -> None:
    """Shifts on a site roster (no team) of someone now in New York: paid as the site's
    stand-in team, frozen with no team, found under 'No team of this site'."""
    roster = _roster(org)
    roster.team = None
    roster.scope_key = f"site:{org.amsterdam.pk}"
    roster.save()
    _worked(roster, org.op_a1, 0)
    _move(org.op_a1, team=org.team_b)
    period = period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    lines = PayLineRecord.objects.filter(period=period, employee=org.op_a1)
    assert lines.exists()
    assert set(lines.values_list("team_id", flat=True)) == {None}
    nobody = payroll_review(period=period, filters=ReviewFilter(team=NO_TEAM))
    assert _names(nobody) == [org.op_a1.number]
    assert nobody.totals.gross == sum(r.amount for r in lines)
    assert payroll_review(period=period, filters=ReviewFilter(team=org.team_a)).people == 0


def test_the_migration_gives_lines_frozen_before_it_the_team_of_today_at_the_site(
    org: Org,
) -> None:
    period = _closed(org)
    PayLineRecord.objects.filter(period=period).update(team=None)  # as before 0013
    Employee.objects.filter(pk=org.op_a1.pk).update(team=org.team_b)  # now in New York
    migration = importlib.import_module("timeclock.migrations.0013_pay_line_team")
    migration.teams_of_today(apps, None)
    teams = dict(PayLineRecord.objects.filter(period=period).values_list("employee_id", "team_id"))
    assert teams == {org.op_a1.pk: None, org.op_a2.pk: org.team_a.pk}
    assert (
        payroll_review(period=period, filters=ReviewFilter(team=org.team_a)).totals.gross
        == sum(r.amount for r in PayLineRecord.objects.filter(period=period, employee=org.op_a2))
        > Decimal(0)
    )


def test_adjustment_lines_carry_the_team_the_person_is_paid_in_at_the_close(org: Org) -> None:
    """A Saturday of a closed week punched after its close is booked as an adjustment in the
    next week; the adjustment line is frozen with the team, like the other lines."""
    roster = _roster(org)
    _worked(roster, org.op_a1, 0)
    period_close(period=_week(org), user=org.payroll, force_reason="test", now=AFTER)
    _punched_late(org.op_a1, _shift(roster, org.op_a1, 5), received=AFTER + timedelta(days=1))
    start = FIRST + timedelta(days=7)
    following = period_create(
        site=org.amsterdam, start_date=start, end_date=start + timedelta(days=6)
    )
    closed = period_close(
        period=following,
        user=org.payroll,
        force_reason="test",
        approve_adjustments=True,
        now=AFTER + timedelta(days=8),
    )
    adjustment = PayLineRecord.objects.get(period=closed, pay_code="ADJUSTMENT")
    assert adjustment.team_id == org.team_a.pk
    team_a = payroll_review(period=closed, filters=ReviewFilter(team=org.team_a))
    assert team_a.totals.adjustments == adjustment.amount > 0
