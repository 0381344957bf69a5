"""Each premium its own pay code (issue 25): evening, night, Saturday, Sunday (set apart),
weekend (one premium for both days) and holiday, so that a DATEV or ADP site can give each its
own wage type or earnings code. Lines frozen under the codes the premiums shared before keep
them (a closed period and its stored exports never change), a site's mapping of a shared code
is copied to the new codes (migration 0016), and a period frozen under the shared codes gets
its adjustments under them."""

import importlib
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from tests.conftest import Org
from tests.factories.punches import past_shift
from timeclock.errors import ExportCodesUnmapped
from timeclock.exports.datev import datev_lodas_txt
from timeclock.models import (
    EarningsCode,
    EmployeePayrollIds,
    PayLineRecord,
    PayPeriod,
    PayPolicy,
    PayrollExport,
    PayrollSiteAccount,
)
from timeclock.pay import PayCode
from timeclock.services.adjustments import adjustments_compute
from timeclock.services.payroll_exports import payroll_export
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 6, 1)
SATURDAY, SUNDAY = date(2026, 6, 6), date(2026, 6, 7)
WAGE_TYPES = {  # DATEV Lohnarten, one per premium (made up for the test)
    "REGULAR": "100",
    "NIGHT_PREMIUM": "102",
    "EVENING_PREMIUM": "103",
    "SATURDAY_PREMIUM": "105",
    "SUNDAY_PREMIUM": "106",
}


def _punch(org: Org, kind: str, at: datetime, received: datetime | None = None) -> None:
    item = PunchInput(
        event_id=uuid.uuid4(), kind=kind, occurred_at=at, employee_number=org.op_a1.number
    )
    punches_ingest(items=[item], source="remote", device=None, now=received or at)


def _worked(org: Org, day: date, hour: int, hours: int) -> None:
    shift = past_shift(employee=org.op_a1, day=day, hour=hour, hours=hours)
    _punch(org, "in", shift.start)
    _punch(org, "out", shift.end)


@pytest.fixture
def apart(org: Org) -> Org:
    """Amsterdam pays the evening 20-22 at +20 %, the night 22-06 at +40 %, Saturday at
    +30 % and Sunday at +50 % (test percentages); op_a1 works Saturday 16:00-23:00 and Sunday
    09:00-13:00 at 16.50."""
    PayPolicy.objects.create(
        site=org.amsterdam,
        night_premium=Decimal("0.40"),
        evening_start=time(20),
        evening_end=time(22),
        evening_premium=Decimal("0.20"),
        saturday_premium=Decimal("0.30"),
        sunday_premium=Decimal("0.50"),
    )
    _worked(org, SATURDAY, 16, 7)
    _worked(org, SUNDAY, 9, 4)
    return org


def _closed(org: Org) -> PayPeriod:
    period = period_create(site=org.amsterdam, start_date=MONDAY, end_date=SUNDAY)
    period_close(period=period, user=None, now=datetime(2026, 6, 8, 9, tzinfo=UTC))
    return period


def _datev(org: Org, codes: dict[str, str]) -> None:
    PayrollSiteAccount.objects.create(
        site=org.amsterdam, datev_consultant_number="1234567", datev_client_number="54321"
    )
    for pay_code, code in codes.items():
        kind = "hours" if pay_code == "REGULAR" else "amount"
        EarningsCode.objects.create(
            site=org.amsterdam, system="datev", pay_code=pay_code, code=code, kind=kind
        )
    EmployeePayrollIds.objects.create(employee=org.op_a1, datev_personnel_number="417")


@pytest.mark.django_db
def test_each_premium_is_frozen_under_its_own_code(apart: Org) -> None:
    """Saturday 16-23: 7 h, 2 h of evening (20-22) and 1 h of night (22-23); Sunday 9-13."""
    period = _closed(apart)
    lines = {
        r.pay_code: (r.minutes, r.amount)
        for r in PayLineRecord.objects.filter(period=period).exclude(pay_code="REGULAR")
    }
    assert lines == {
        "EVENING_PREMIUM": (120, Decimal("6.60")),  # 2 h x 16.50 x 20 %
        "NIGHT_PREMIUM": (60, Decimal("6.60")),  # 1 h x 16.50 x 40 %
        "SATURDAY_PREMIUM": (420, Decimal("34.65")),  # 7 h x 16.50 x 30 %
        "SUNDAY_PREMIUM": (240, Decimal("33.00")),  # 4 h x 16.50 x 50 %
    }


@pytest.mark.django_db
def test_datev_books_each_premium_under_its_own_wage_type(apart: Org) -> None:
    period = _closed(apart)
    _datev(apart, WAGE_TYPES)
    text = datev_lodas_txt(period=period).decode("ascii")
    bookings = [row for row in text.split("\r\n") if row.startswith("10;01/06/2026;417;")]
    assert bookings == [
        "10;01/06/2026;417;100;1;11,00;;",
        "10;01/06/2026;417;102;4;6,60;;",
        "10;01/06/2026;417;103;4;6,60;;",
        "10;01/06/2026;417;105;4;34,65;;",
        "10;01/06/2026;417;106;4;33,00;;",
    ]


@pytest.mark.django_db
def test_a_new_premium_code_unmapped_is_refused_naming_it(apart: Org) -> None:
    period = _closed(apart)
    _datev(apart, {"REGULAR": "100", "NIGHT_PREMIUM": "102"})
    with pytest.raises(ExportCodesUnmapped) as caught:
        payroll_export(period=period, format="datev")
    assert caught.value.extra["codes"] == ["EVENING_PREMIUM", "SATURDAY_PREMIUM", "SUNDAY_PREMIUM"]
    assert not PayrollExport.objects.exists()


@pytest.mark.django_db
def test_the_migration_copies_a_shared_codes_mapping_to_the_new_codes(org: Org) -> None:
    """A site that mapped NIGHT_PREMIUM and WEEKEND_PREMIUM exports its new codes under the
    same system codes until the officer gives them their own; a new code already mapped is
    left as it is; a site that mapped neither gets nothing."""
    for system, pay_code, code, kind in (
        ("datev", "NIGHT_PREMIUM", "102", "amount"),
        ("datev", "WEEKEND_PREMIUM", "104", "amount"),
        ("datev", "SUNDAY_PREMIUM", "106", "amount"),
        ("adp", "WEEKEND_PREMIUM", "WKD", "hours"),
    ):
        EarningsCode.objects.create(
            site=org.amsterdam, system=system, pay_code=pay_code, code=code, kind=kind
        )
    EarningsCode.objects.create(
        site=org.new_york, system="adp", pay_code="REGULAR", code="REG", kind="hours"
    )
    migration = importlib.import_module("timeclock.migrations.0016_premium_codes_apart")
    migration.copy_mappings(django_apps, None)
    migration.copy_mappings(django_apps, None)  # again: nothing more
    found = {
        (e.site_id, e.system, e.pay_code): (e.code, e.kind) for e in EarningsCode.objects.all()
    }
    ams = org.amsterdam.pk
    assert found == {
        (ams, "datev", "NIGHT_PREMIUM"): ("102", "amount"),
        (ams, "datev", "EVENING_PREMIUM"): ("102", "amount"),
        (ams, "datev", "WEEKEND_PREMIUM"): ("104", "amount"),
        (ams, "datev", "SATURDAY_PREMIUM"): ("104", "amount"),
        (ams, "datev", "SUNDAY_PREMIUM"): ("106", "amount"),
        (ams, "adp", "WEEKEND_PREMIUM"): ("WKD", "hours"),
        (ams, "adp", "SATURDAY_PREMIUM"): ("WKD", "hours"),
        (ams, "adp", "SUNDAY_PREMIUM"): ("WKD", "hours"),
        (org.new_york.pk, "adp", "REGULAR"): ("REG", "hours"),
    }


@pytest.mark.django_db
def test_a_period_frozen_under_the_shared_codes_keeps_them_and_adjusts_under_them(
    apart: Org,
) -> None:
    """A period closed before the premiums had codes of their own (its evening frozen as
    NIGHT_PREMIUM, Saturday and Sunday as WEEKEND_PREMIUM, as the reasons say): a punch that
    arrives later (Wednesday's shift) makes an adjustment of its regular hours only; its
    premiums are compared under the shared codes they were frozen under, so no pair of
    opposite adjustments (-NIGHT_PREMIUM +EVENING_PREMIUM) is made. The frozen lines and
    their stored export stay as they were."""
    period = _closed(apart)
    frozen = PayLineRecord.objects.filter(period=period)
    frozen.filter(pay_code="EVENING_PREMIUM").update(pay_code="NIGHT_PREMIUM")
    frozen.filter(pay_code__in=["SATURDAY_PREMIUM", "SUNDAY_PREMIUM"]).update(
        pay_code="WEEKEND_PREMIUM"
    )
    _datev(apart, {**WAGE_TYPES, "WEEKEND_PREMIUM": "104", "ADJUSTMENT": "150"})
    stored = payroll_export(period=period, format="datev")
    before = bytes(stored.content)
    wednesday = past_shift(employee=apart.op_a1, day=MONDAY + timedelta(days=2), hour=9, hours=8)
    received = datetime(2026, 6, 10, 9, tzinfo=UTC)
    _punch(apart, "in", wednesday.start, received)
    _punch(apart, "out", wednesday.end, received)
    following = period_create(
        site=apart.amsterdam, start_date=SUNDAY + timedelta(days=1), end_date=SUNDAY + timedelta(7)
    )
    found = adjustments_compute(period=following, now=datetime(2026, 6, 15, 9, tzinfo=UTC))
    assert [(a.adjusted_code, a.minutes, a.amount) for a in found] == [
        ("REGULAR", 480, Decimal("132.00"))
    ]
    assert sorted(frozen.values_list("pay_code", flat=True)) == [
        "NIGHT_PREMIUM",
        "NIGHT_PREMIUM",
        "REGULAR",
        "REGULAR",
        "WEEKEND_PREMIUM",
        "WEEKEND_PREMIUM",
    ]
    assert bytes(payroll_export(period=period, format="datev").content) == before
    assert b";104;4;" in before  # the weekend premium frozen shared, under its wage type


def test_the_codes_are_in_the_order_of_the_premiums() -> None:
    premiums = [code.value for code in PayCode if code.value.endswith("_PREMIUM")]
    assert premiums == [
        "NIGHT_PREMIUM",
        "EVENING_PREMIUM",
        "WEEKEND_PREMIUM",
        "SATURDAY_PREMIUM",
        "SUNDAY_PREMIUM",
        "HOLIDAY_PREMIUM",
        "MENTORING_PREMIUM",
    ]


@pytest.mark.django_db
def test_the_codes_page_maps_each_premium_apart(org: Org) -> None:
    """The earnings-code map page has a row per premium, each saved to its own code."""
    client = Client()
    client.force_login(org.payroll)
    url = reverse("web:payroll-codes")
    page = client.get(url, {"site": str(org.amsterdam.pk)}).content.decode()
    for label in (
        "Night premium",
        "Evening premium",
        "Weekend premium",
        "Saturday premium",
        "Sunday premium",
        "Holiday premium",
    ):
        assert f"<td>{label}</td>" in page
    form = {"site": str(org.amsterdam.pk)}
    for pay_code, code in WAGE_TYPES.items():
        form[f"datev:{pay_code}"] = code
        form[f"datev:{pay_code}:kind"] = "hours" if pay_code == "REGULAR" else "amount"
    assert client.post(url, form).status_code in (200, 302)
    saved = dict(
        EarningsCode.objects.filter(site=org.amsterdam, system="datev").values_list(
            "pay_code", "code"
        )
    )
    assert saved == WAGE_TYPES
