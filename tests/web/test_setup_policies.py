"""Pay policies on the payroll pages: a change is a new version paying the periods from the
day after the site's last pay period (never one already opened or closed), shown with its
first day; pay reads the version in effect on a period's first day; payroll and admins only."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from organisation.models import AuditEvent
from tests.conftest import Org
from tests.factories.history import site_today
from timeclock.models import PayPeriod, PayPolicy
from timeclock.selectors.pay import pay_policies_resolve
from timeclock.selectors.timesheets import attendance_rules_resolve
from timeclock.services.pay_policies import pay_policy_change
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db

OPEN_FIRST = date(2026, 12, 7)  # a Monday


@pytest.fixture
def open_period(org: Org) -> PayPeriod:
    return period_create(
        site=org.amsterdam, start_date=OPEN_FIRST, end_date=OPEN_FIRST + timedelta(days=6)
    )


def _body(**changes: Any) -> dict[str, Any]:
    return {
        "effective_from": str(OPEN_FIRST + timedelta(days=7)),
        "pay_frequency": "weekly",
        "rounding_minutes": "15",
        "weekly_overtime_hours": "38",
        "daily_overtime_hours": "",
        "overtime_multiplier": "1.5",
        "night_start": "21:00",
        "night_end": "06:00",
        "night_premium": "30",
        "weekend_premium": "10",
        "holiday_premium": "50",
        "grace_minutes": "3",
        "fines_enabled": "on",
        "fine_destination": "Stichting Het Vergeten Kind",  # not the employer: BW 7:650 lid 3
        "lateness_mode": "tiered",
        "lateness_amount": "0",
        "lateness_tiers": "5: 2.50, 15: 10",
        "absence_mode": "none",
        "absence_amount": "0",
    } | changes


def _url(org: Org, team: Any = None) -> str:
    query = f"?site={org.amsterdam.pk}" + (f"&team={team.pk}" if team else "")
    return reverse("web:policy-edit") + query


def test_a_change_pays_from_the_next_period_and_is_listed_with_its_first_day(
    org: Org, open_period: PayPeriod, login
) -> None:
    client = login(org.payroll)
    form = client.get(_url(org)).content.decode()
    next_start = OPEN_FIRST + timedelta(days=7)
    assert f'name="effective_from" value="{next_start}"' in form
    response = client.post(_url(org), _body())
    assert response.status_code == 302
    policy = PayPolicy.objects.get()
    assert policy.effective_from == next_start
    assert (policy.rounding_minutes, policy.grace_minutes) == (15, 3)
    assert policy.night_premium == Decimal("0.3")
    assert policy.lateness_tiers == [[5, "2.50"], [15, "10.00"]]
    listing = client.get(reverse("web:policies")).content.decode()
    assert "14 Dec 2026" in listing
    assert "planned" in listing
    assert AuditEvent.objects.filter(action="pay_policy_changed").exists()


def test_a_change_inside_an_opened_period_is_refused_beside_the_first_day(
    org: Org, open_period: PayPeriod, login
) -> None:
    for language, text in (("en", "from the next pay period"), ("nl", "volgende")):
        response = login(org.payroll, language=language).post(
            _url(org), _body(effective_from=str(OPEN_FIRST + timedelta(days=3)))
        )
        html = response.content.decode()
        assert text in html.split('id="id_effective_from_error">')[1].split("</p>")[0]
        assert 'aria-describedby="id_effective_from_error"' in html
    assert not PayPolicy.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"night_end": "21:00"}, "night_end"),
        ({"lateness_tiers": "five minutes: a lot"}, "lateness_tiers"),
        ({"lateness_tiers": ""}, "lateness_tiers"),
        ({"overtime_multiplier": "0.5"}, "overtime_multiplier"),
        ({"effective_from": "soon"}, "effective_from"),
    ],
)
def test_bad_values_are_refused_beside_their_field(
    org: Org, login, changes: dict[str, Any], field: str
) -> None:
    response = login(org.payroll).post(_url(org), _body(**changes))
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not PayPolicy.objects.exists()


def test_pay_and_attendance_read_the_version_in_effect_on_the_periods_first_day(
    org: Org, open_period: PayPeriod
) -> None:
    PayPolicy.objects.create(site=org.amsterdam, grace_minutes=5, weekly_overtime_hours=40)
    pay_policy_change(
        site=org.amsterdam,
        team=None,
        effective_from=OPEN_FIRST + timedelta(days=7),
        fields={"grace_minutes": 1, "weekly_overtime_hours": Decimal(36)},
        by=None,
    )
    people = [org.op_a1]
    this_week = pay_policies_resolve(employees=people, first=OPEN_FIRST, last=OPEN_FIRST)
    next_week = pay_policies_resolve(
        employees=people, first=OPEN_FIRST + timedelta(days=7), last=OPEN_FIRST
    )
    key = str(org.op_a1.pk)
    assert this_week[key].weekly_overtime_hours == 40
    assert next_week[key].weekly_overtime_hours == 36
    grace = attendance_rules_resolve(employees=people, on=OPEN_FIRST + timedelta(days=8))
    assert grace[key].grace_minutes == 1


def test_a_teams_version_comes_before_its_sites(org: Org, login) -> None:
    today_change = _body(effective_from=str(site_today(org.team_a) + timedelta(days=1)))
    login(org.payroll).post(_url(org), today_change)
    team_body = _body(
        effective_from=str(site_today(org.team_a) + timedelta(days=1)), grace_minutes="9"
    )
    del team_body["pay_frequency"]
    assert login(org.payroll).post(_url(org, org.team_a), team_body).status_code == 302
    found = pay_policies_resolve(
        employees=[org.op_a1],
        first=site_today(org.team_a) + timedelta(days=2),
        last=site_today(org.team_a),
    )
    assert found[str(org.op_a1.pk)].grace_minutes == 9


def test_payroll_and_admins_only(org: Org, login) -> None:
    for user in (org.manager_a, org.op_a1.user):
        assert login(user).get(reverse("web:policies")).status_code == 403
        assert login(user).post(_url(org), _body()).status_code == 403
    assert not PayPolicy.objects.exists()
    assert login(org.admin).get(reverse("web:policies")).status_code == 200
    assert login(org.payroll).get(reverse("web:policy-edit") + "?site=nope").status_code == 404
    other_team = f"?site={org.amsterdam.pk}&team={org.team_b.pk}"
    assert login(org.payroll).get(reverse("web:policy-edit") + other_team).status_code == 404


def test_the_first_day_and_other_errors_show_together(
    org: Org, open_period: PayPeriod, login
) -> None:
    body = _body(effective_from=str(OPEN_FIRST), night_end="21:00")
    html = login(org.payroll).post(_url(org), body).content.decode()
    assert 'id="id_effective_from_error"' in html
    assert 'id="id_night_end_error"' in html


def test_training_pay_is_set_on_the_page_and_refused_out_of_bounds(
    org: Org, open_period: PayPeriod, login
) -> None:
    """Training hours' multiplier and the mentoring premium on the policy page (issue 24
    review): they could be set nowhere; refused beside their field out of bounds, in Dutch
    too; the next version's form starts from them."""
    client = login(org.payroll)
    for changes, field in (
        ({"mentoring_premium_per_hour": "-1"}, "mentoring_premium_per_hour"),
        ({"training_rate_multiplier": "0.1"}, "training_rate_multiplier"),
        ({"training_rate_multiplier": "12"}, "training_rate_multiplier"),
    ):
        response = client.post(_url(org), _body(**changes))
        assert f'id="id_{field}_error"' in response.content.decode()
    assert not PayPolicy.objects.exists()
    dutch = login(org.payroll, language="nl").get(_url(org)).content.decode()
    assert "Mentortoeslag (per uur naast een trainee)" in dutch
    saved = client.post(
        _url(org), _body(training_rate_multiplier="1.1", mentoring_premium_per_hour="2.50")
    )
    assert saved.status_code == 302
    policy = PayPolicy.objects.get()
    assert (policy.training_rate_multiplier, policy.mentoring_premium_per_hour) == (
        Decimal("1.1"),
        Decimal("2.5"),
    )
    again = client.get(_url(org)).content.decode()
    assert 'name="mentoring_premium_per_hour" value="2.5"' in again
    defaults = client.post(_url(org), _body(effective_from=str(OPEN_FIRST + timedelta(days=14))))
    assert defaults.status_code == 302
    later = PayPolicy.objects.get(effective_from=OPEN_FIRST + timedelta(days=14))
    assert (later.training_rate_multiplier, later.mentoring_premium_per_hour) == (1, 0)
