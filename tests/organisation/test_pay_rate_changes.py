"""Pay rates to come and a site's currency change (issue 25 review): a raise agreed for next
month is recorded now, shown as upcoming, paid from its day only and becomes the hourly rate
when its day comes; a site's new currency records every employee's rates in it, converted
and audited, from the first day not in a closed period, while closed periods keep theirs; a
currency change without the conversion is refused with nothing written."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from organisation.errors import CurrencyConversionMissing
from organisation.models import AuditEvent, Employee, PayRate, Site
from organisation.selectors.pay_rates import pay_rate_history
from organisation.services.organisation import employee_update, site_update
from organisation.services.pay_rates import pay_rates_due, site_today
from tests.conftest import Org, client_for
from timeclock.models import PayPeriod
from timeclock.selectors.rates import rate_schedules_resolve

pytestmark = pytest.mark.django_db
OLD = Decimal("16.5000")  # the factories' rate


def test_a_rate_to_come_is_upcoming_and_paid_only_from_its_day(org: Org) -> None:
    today = site_today(org.op_a1)
    raise_day = today + timedelta(days=10)
    employee_update(
        employee=org.op_a1, hourly_rate=Decimal("19"), rate_valid_from=raise_day, actor=org.admin
    )
    employee = Employee.objects.select_related("team__site").get(pk=org.op_a1.pk)
    assert employee.hourly_rate == OLD  # the rate of today
    event = AuditEvent.objects.get(action="pay_rate_recorded")
    assert event.data == {"rate": "19", "currency": "EUR", "valid_from": str(raise_day)}
    rates = rate_schedules_resolve(employees=[employee], last=raise_day + timedelta(days=5))
    schedule = rates[str(employee.pk)]
    assert schedule.on(raise_day - timedelta(days=1)) == OLD
    assert schedule.on(raise_day) == Decimal("19.0000")
    assert [(r.rate, r.status) for r in pay_rate_history(employee=employee)] == [
        (Decimal("19.0000"), "upcoming"),
        (OLD, "in_force"),
    ]
    # Its day comes: the hourly rate follows (the beat task); before it, nothing changes.
    zone = ZoneInfo(employee.team.site.timezone)
    eve = datetime.combine(raise_day - timedelta(days=1), time(23), tzinfo=zone)
    assert pay_rates_due(now=eve) == 0
    assert pay_rates_due(now=eve + timedelta(hours=2)) == 1
    assert Employee.objects.get(pk=employee.pk).hourly_rate == Decimal("19.0000")
    assert pay_rates_due(now=eve + timedelta(hours=3)) == 0  # idempotent


def test_the_person_page_shows_an_upcoming_rate(org: Org) -> None:
    raise_day = site_today(org.op_a1) + timedelta(days=31)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("19"), rate_valid_from=raise_day)
    browser = Client()
    browser.force_login(org.manager_a)
    page = browser.get(reverse("web:person", args=[org.op_a1.pk])).content.decode()
    assert 'data-testid="pay-rates"' in page
    for said in ("19.0000", "upcoming", "in force"):
        assert said in page
    browser.cookies["django_language"] = "nl"
    dutch = browser.get(reverse("web:person", args=[org.op_a1.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    text = dutch.content.decode()
    for said in ("Uurloon", "19,0000", "komt nog", "geldt nu"):
        assert said in text


def _closed_week(site: Site, last: date) -> PayPeriod:
    return PayPeriod.objects.create(
        site=site,
        start_date=last - timedelta(days=6),
        end_date=last,
        status="closed",
        currency=site.currency,
        closed_at=datetime.combine(last + timedelta(days=1), time(9), tzinfo=UTC),
    )


def test_a_new_currency_records_the_rates_converted_from_the_first_open_day(org: Org) -> None:
    """Amsterdam pays in pounds from now on, at 0.85 pounds a euro: op_a1 (16.50 euro,
    and 18 euro agreed from a day to come) gets 14.0250 pounds from the day after the last
    closed week and 15.3000 from that day; the euro rows and the closed week stay."""
    today = site_today(org.op_a1)
    closed = _closed_week(org.amsterdam, today - timedelta(days=3))
    raise_day = today + timedelta(days=20)
    employee_update(employee=org.op_a1, hourly_rate=Decimal("18"), rate_valid_from=raise_day)
    site_update(
        site=org.amsterdam, currency="GBP", rate_conversion=Decimal("0.85"), actor=org.admin
    )
    pounds = PayRate.objects.filter(employee=org.op_a1, currency="GBP").order_by("valid_from")
    first_open = closed.end_date + timedelta(days=1)
    assert [(r.valid_from, r.rate, r.recorded_by) for r in pounds] == [
        (first_open, Decimal("14.0250"), org.admin),
        (raise_day, Decimal("15.3000"), org.admin),
    ]
    assert PayRate.objects.filter(employee=org.op_a1, currency="EUR").count() == 2
    employee = Employee.objects.select_related("team__site").get(pk=org.op_a1.pk)
    assert employee.hourly_rate == Decimal("14.0250")
    converted = AuditEvent.objects.filter(action="pay_rate_recorded", data__currency="GBP")
    assert converted.count() == 3  # op_a1's two, op_a2's one
    schedule = rate_schedules_resolve(employees=[employee], last=raise_day)[str(employee.pk)]
    assert schedule.on(first_open) == Decimal("14.0250")
    assert schedule.on(raise_day) == Decimal("15.3000")
    closed.refresh_from_db()
    assert closed.currency == "EUR"  # a closed period keeps the currency it was paid in


def test_a_new_currency_without_a_conversion_is_refused_and_nothing_is_written(
    org: Org,
) -> None:
    before = PayRate.objects.count()
    with pytest.raises(CurrencyConversionMissing):
        site_update(site=org.amsterdam, currency="GBP")
    assert Site.objects.get(pk=org.amsterdam.pk).currency == "EUR"
    assert PayRate.objects.count() == before
    api = client_for(org.admin)
    answer = api.patch(f"/api/v1/sites/{org.amsterdam.pk}", {"currency": "GBP"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "currency_conversion_missing"
    assert "rate_conversion" in answer.json()["extra"]["fields"]
    assert Site.objects.get(pk=org.amsterdam.pk).currency == "EUR"
    done = api.patch(
        f"/api/v1/sites/{org.amsterdam.pk}",
        {"currency": "GBP", "rate_conversion": "1"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert Employee.objects.get(pk=org.op_a1.pk).hourly_rate == OLD
    assert PayRate.objects.filter(employee=org.op_a1, currency="GBP").get().rate == OLD
    # A site's other changes write no rates.
    api.patch(f"/api/v1/sites/{org.amsterdam.pk}", {"name": "Amsterdam Zuid"}, format="json")
    assert (
        PayRate.objects.filter(currency="GBP").count()
        == Employee.objects.filter(team__site=org.amsterdam).count()
    )


def test_the_admin_does_not_change_a_sites_currency(org: Org) -> None:
    from django.contrib.admin.sites import site as admin_site
    from django.test import RequestFactory

    admin = admin_site._registry[Site]
    request = RequestFactory().get("/")
    assert "currency" in admin.get_readonly_fields(request, org.amsterdam)
    assert "currency" not in admin.get_readonly_fields(request, None)


def test_a_rate_recorded_the_evening_before_its_day_in_new_york_becomes_current(
    org: Org,
) -> None:
    """Recorded at 22:00 in New York (03:00 UTC of its first day) for the next local day:
    on that day it is the hourly rate (a filter on 'recorded before its day' in UTC missed
    it)."""
    zone = ZoneInfo("America/New_York")
    tomorrow = site_today(org.op_b1) + timedelta(days=1)
    employee_update(employee=org.op_b1, hourly_rate=Decimal("21"), rate_valid_from=tomorrow)
    evening = datetime.combine(tomorrow - timedelta(days=1), time(22), tzinfo=zone)
    PayRate.objects.filter(employee=org.op_b1, valid_from=tomorrow).update(recorded_at=evening)
    assert pay_rates_due(now=evening + timedelta(hours=1)) == 0
    assert pay_rates_due(now=evening + timedelta(hours=2, minutes=30)) == 1
    assert Employee.objects.get(pk=org.op_b1.pk).hourly_rate == Decimal("21.0000")
    # A week later nothing is looked at again.
    assert pay_rates_due(now=evening + timedelta(days=12)) == 0
