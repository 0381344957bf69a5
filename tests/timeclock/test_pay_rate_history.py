"""The pay rate history (issue 25 review): every change of an employee's rate is recorded
with its currency and first day (API, admin, the services), pay prices each worked day at the
rate in force on it, a change in the middle of a period splits its lines (explained on the
payslip), and adjustments re-work an old period at its own days' rates, not today's."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import Client, RequestFactory
from django.urls import reverse

from organisation.models import AuditEvent, Employee, PayRate
from organisation.services.organisation import employee_update
from tests.conftest import Org, client_for
from tests.factories import team_make
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db
AFTER = datetime(2026, 6, 9, 12, tzinfo=UTC)  # the week of FIRST is over
OLD = Decimal("16.5000")  # the factories' rate, from the employment start
WEDNESDAY = FIRST + timedelta(days=2)


def _detail(employee: Employee) -> str:
    return f"/api/v1/employees/{employee.pk}"


def _worked_week(org: Org, days: int = 5) -> None:
    roster = _roster(org)
    for day in range(days):
        shift = _shift(roster, org.op_a1, day)
        _punch(org.op_a1, "in", shift.start)
        _punch(org.op_a1, "out", shift.end)


def _week(start: date = FIRST, org: Any = None) -> PayPeriod:
    return period_create(site=org.amsterdam, start_date=start, end_date=start + timedelta(days=6))


def _regular(period: PayPeriod, employee: Employee) -> list[tuple[date, Decimal, Decimal]]:
    lines = PayLineRecord.objects.filter(period=period, employee=employee, pay_code="REGULAR")
    return [(r.work_date, r.rate, r.amount) for r in lines.order_by("work_date")]


def test_every_rate_is_recorded_with_its_currency_and_first_day(org: Org) -> None:
    (first,) = PayRate.objects.filter(employee=org.op_a1)
    assert (first.rate, first.currency, first.valid_from) == (
        OLD,
        "EUR",
        org.op_a1.employment_start,
    )
    api = client_for(org.manager_a)
    body = {"hourly_rate": "18.0000", "rate_valid_from": str(WEDNESDAY)}
    answer = api.patch(_detail(org.op_a1), body, format="json")
    assert answer.status_code == 200, answer.json()
    rows = PayRate.objects.filter(employee=org.op_a1).order_by("valid_from")
    assert [(r.valid_from, r.rate, r.recorded_by) for r in rows][1:] == [
        (WEDNESDAY, Decimal("18.0000"), org.manager_a)
    ]
    assert AuditEvent.objects.filter(action="pay_rate_recorded").exists()
    # A rate for a day to come is upcoming: recorded, the rate of today unchanged.
    later = str(datetime.now(UTC).date() + timedelta(days=40))
    upcoming = api.patch(
        _detail(org.op_a1), {"hourly_rate": "19", "rate_valid_from": later}, format="json"
    )
    assert upcoming.status_code == 200, upcoming.json()
    assert PayRate.objects.filter(employee=org.op_a1).count() == 3
    assert Employee.objects.get(pk=org.op_a1.pk).hourly_rate == Decimal("18.0000")
    # One before the employment start is refused on the field, nothing written.
    early = str(org.op_a1.employment_start - timedelta(days=1))
    refused = api.patch(
        _detail(org.op_a1), {"hourly_rate": "19", "rate_valid_from": early}, format="json"
    )
    assert refused.status_code == 400
    assert "rate_valid_from" in refused.json()["extra"]["fields"]
    assert PayRate.objects.filter(employee=org.op_a1).count() == 3


def test_a_back_dated_rate_leaves_the_rate_of_today_as_it_is(org: Org) -> None:
    employee_update(employee=org.op_a1, hourly_rate=Decimal("20"))  # from today
    employee_update(
        employee=Employee.objects.get(pk=org.op_a1.pk),
        hourly_rate=Decimal("18"),
        rate_valid_from=WEDNESDAY,
    )
    assert Employee.objects.get(pk=org.op_a1.pk).hourly_rate == Decimal("20.0000")
    assert PayRate.objects.filter(employee=org.op_a1).count() == 3


def test_a_rate_changed_mid_week_splits_the_pay_lines_and_the_payslip_says_why(
    org: Org,
) -> None:
    _worked_week(org)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("18"), rate_valid_from=WEDNESDAY)
    period = period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)
    assert _regular(period, org.op_a1) == [
        (FIRST, OLD, Decimal("132.00")),
        (FIRST + timedelta(days=1), OLD, Decimal("132.00")),
        (WEDNESDAY, Decimal("18.0000"), Decimal("144.00")),
        (FIRST + timedelta(days=3), Decimal("18.0000"), Decimal("144.00")),
        (FIRST + timedelta(days=4), Decimal("18.0000"), Decimal("144.00")),
    ]
    slip = client_for(org.op_a1.user).get(f"/api/v1/me/payslips/{period.pk}").json()
    assert Decimal(slip["gross"]) == Decimal("696.00")
    wednesday = next(line for line in slip["lines"] if line["work_date"] == str(WEDNESDAY))
    assert wednesday["rule"].endswith("at 18.0000 an hour, the rate from Wed 03 Jun")
    browser = Client()
    browser.force_login(org.op_a1.user)
    page = browser.get(reverse("web:payslip", args=[period.pk])).content.decode()
    assert "at 18.0000 an hour, the rate from Wed 3 Jun" in page


def test_an_adjustment_prices_the_old_days_at_their_rate_not_todays(org: Org) -> None:
    """A week closed at 16.50; the rate is raised to 25 from today; a Saturday of that week
    punched late is booked at 16.50 (it was 25.00 an hour, and the whole week re-priced)."""
    _worked_week(org, days=4)  # 32 h: Saturday's 8 h are regular
    period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("25"))  # from today
    saturday = _shift(_roster_of(org), org.op_a1, 5)
    for kind, at in (("in", saturday.start), ("out", saturday.end)):
        punches_ingest(
            items=[PunchInput(uuid.uuid4(), kind, at, employee_number=org.op_a1.number)],
            source="remote",
            device=None,
            now=AFTER + timedelta(days=1),
        )
    following = period_close(
        period=_week(FIRST + timedelta(days=7), org),
        user=org.payroll,
        force_reason="t",
        approve_adjustments=True,
        now=AFTER + timedelta(days=8),
    )
    adjustments = PayLineRecord.objects.filter(period=following, pay_code="ADJUSTMENT")
    assert [(a.adjusted_code, a.hours, a.rate, a.amount) for a in adjustments] == [
        ("REGULAR", Decimal("8.00"), OLD, Decimal("132.00"))
    ]


def test_a_rate_back_dated_into_a_closed_week_is_paid_as_an_adjustment(org: Org) -> None:
    _worked_week(org)
    period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("18"), rate_valid_from=WEDNESDAY)
    following = period_close(
        period=_week(FIRST + timedelta(days=7), org),
        user=org.payroll,
        force_reason="t",
        approve_adjustments=True,
        now=datetime.now(UTC),
    )
    (adjustment,) = PayLineRecord.objects.filter(period=following, pay_code="ADJUSTMENT")
    # Wednesday to Friday, 24 h at 1.50 more; Monday and Tuesday unchanged.
    assert (adjustment.adjusted_code, adjustment.hours, adjustment.amount) == (
        "REGULAR",
        Decimal("0.00"),
        Decimal("36.00"),
    )
    # Said as the same hours re-priced, not as a change of 0 h from late punches.
    assert [r["code"] for r in adjustment.reason] == ["adjustment_repriced"]
    assert "on the same hours" in adjustment.rule
    assert " 0.00 h" not in adjustment.rule
    # The payslip gives such a line (no hours) no rate, rather than a rate of 0.
    browser = Client()
    browser.force_login(org.op_a1.user)
    page = browser.get(reverse("web:payslip", args=[following.pk])).content.decode()
    row = next(r for r in page.split("<tr>") if "36.00" in r and "on the same hours" in r)
    assert 'data-label="Rate" class="num">\u2013</td>' in row


def test_a_rate_from_a_day_after_the_period_is_not_back_paid(org: Org) -> None:
    _worked_week(org)
    period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("25"))  # from today
    following = period_close(
        period=_week(FIRST + timedelta(days=7), org),
        user=org.payroll,
        force_reason="t",
        now=datetime.now(UTC),
    )
    assert not PayLineRecord.objects.filter(period=following, pay_code="ADJUSTMENT").exists()


def test_moving_to_a_site_in_another_currency_keeps_the_old_sites_days_at_their_rate(
    org: Org,
) -> None:
    """op_a1 moves to New York (USD) at 30.00 from today: their Amsterdam week, closed
    later, is paid at the euro rate of its days."""
    _worked_week(org, days=1)
    employee_update(employee=org.op_a1, team=org.team_b, hourly_rate=Decimal("30"))
    rows = PayRate.objects.filter(employee=org.op_a1).order_by("valid_from")
    assert [(r.currency, r.rate) for r in rows] == [("EUR", OLD), ("USD", Decimal("30.0000"))]
    period = period_close(period=_week(org=org), user=org.payroll, force_reason="t", now=AFTER)
    assert _regular(period, org.op_a1) == [(FIRST, OLD, Decimal("132.00"))]


def test_the_admin_records_a_changed_rate_from_today(org: Org) -> None:
    admin = admin_site._registry[Employee]
    request = RequestFactory().post("/admin/")
    request.user = org.admin
    employee = Employee.objects.get(pk=org.op_a1.pk)
    employee.hourly_rate = Decimal("21.0000")
    admin.save_model(request, employee, SimpleNamespace(changed_data=["hourly_rate"]), True)
    latest = PayRate.objects.filter(employee=org.op_a1).latest("valid_from")
    assert (latest.rate, latest.recorded_by) == (Decimal("21.0000"), org.admin)
    assert latest.valid_from > FIRST


def test_a_team_at_the_same_site_keeps_the_rate_history(org: Org) -> None:
    other = team_make(site=org.amsterdam, name="Team C")
    employee_update(employee=org.op_a1, team=other)
    assert PayRate.objects.filter(employee=org.op_a1).count() == 1


def _roster_of(org: Org) -> Any:
    from scheduling.models import Roster

    return Roster.objects.get(team=org.team_a)


def test_the_migration_gives_everyone_their_rate_of_today_from_their_start(org: Org) -> None:
    import importlib

    from django.apps import apps

    PayRate.objects.all().delete()  # as before 0012
    migration = importlib.import_module("organisation.migrations.0012_pay_rate_history")
    migration.rates_of_today(apps, None)
    rows = {r.employee_id: (r.rate, r.currency, r.valid_from) for r in PayRate.objects.all()}
    assert rows[org.op_b1.pk] == (OLD, "USD", org.op_b1.employment_start)
    assert rows[org.op_a1.pk] == (OLD, "EUR", org.op_a1.employment_start)
    assert len(rows) == Employee.objects.count()
