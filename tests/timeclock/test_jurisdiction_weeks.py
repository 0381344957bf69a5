"""The Dutch packs' checks that need more than one pay period or a policy the save never saw
(issue 25, review): a week split across two periods has one fine cap (BW 7:650 lid 5), also
when a closed period is worked out again for its adjustments; a fine that is no set amount
(lid 4) is not taken when pay is computed, whatever the policy says."""

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Org
from tests.factories.punches import fine_rules_received, past_shift
from timeclock.models import PayLineRecord, PayPeriod, PayPolicy, Punch
from timeclock.selectors.pay import payslip_get
from timeclock.services.adjustments import adjustments_compute
from timeclock.services.periods import period_close, period_create
from timeclock.services.punches import PunchInput, punches_ingest

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 6, 1)  # a week of June 2026; the site's workweek starts on Monday
# 16.50 an hour, 40 h over 5 days: a day's wage 132.00, half of it 66.00 a week.
CAP = Decimal("66.00")


@pytest.fixture
def fined(org: Org) -> Org:
    """Amsterdam fines 15.00 a late arrival (a set amount), to a named fund; op_a1 received
    the written rules long before."""
    PayPolicy.objects.create(
        site=org.amsterdam,
        fines_enabled=True,
        lateness_mode="per_occurrence",
        lateness_amount=Decimal(15),
        fine_destination="Stichting KWF",
    )
    fine_rules_received(org.op_a1)
    return org


def _punch(org: Org, kind: str, at: datetime, received: datetime) -> None:
    """op_a1's punch at `at`, as the clock stores it when it arrives at `received`."""
    item = PunchInput(
        event_id=uuid.uuid4(), kind=kind, occurred_at=at, employee_number=org.op_a1.number
    )
    punches_ingest(items=[item], source=Punch.Source.REMOTE, device=None, now=received)


def _late(org: Org, day: date) -> None:
    """op_a1's 09:00-17:00 shift on `day`, clocked in 20 minutes late."""
    shift = past_shift(employee=org.op_a1, day=day)
    in_at = shift.start + timedelta(minutes=20)
    _punch(org, "in", in_at, in_at)
    _punch(org, "out", shift.end, shift.end)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def _fines(slip: dict) -> list[dict]:  # type: ignore[type-arg]
    return [line for line in slip["lines"] if line["pay_code"] == "LATENESS_PENALTY"]


def _period(org: Org, first: int, last: int) -> PayPeriod:
    return period_create(
        site=org.amsterdam,
        start_date=MONDAY + timedelta(days=first),
        end_date=MONDAY + timedelta(days=last),
    )


def test_a_week_split_across_two_periods_has_one_cap(fined: Org) -> None:
    """Monday to Wednesday closed with 45.00 of fines; Thursday to Sunday may take the 21.00
    left of the week's 66.00: Thursday's 15.00, Friday's cut to 6.00, the reason on it."""
    for day in (0, 1, 2, 3, 4):
        _late(fined, MONDAY + timedelta(days=day))
    first = _period(fined, 0, 2)
    period_close(period=first, user=None, now=_at(MONDAY + timedelta(days=3)))
    assert sum(r.amount for r in first.lines.filter(pay_code="LATENESS_PENALTY")) == -45
    second = _period(fined, 3, 6)
    thursday, friday = _fines(payslip_get(employee=fined.op_a1, period=second))
    assert (thursday["amount"], friday["amount"]) == (Decimal(-15), Decimal("-6.00"))
    assert friday["rule"].endswith(
        "reduced to 6.00: fines in the week from 01 Jun are at most half a day's wage, 66.00, "
        "and 45.00 of it was taken in another pay period (BW art. 7:650)"
    )
    period_close(period=second, user=None, now=_at(MONDAY + timedelta(days=7)))
    week = PayLineRecord.objects.filter(employee=fined.op_a1, pay_code="LATENESS_PENALTY")
    assert -sum(r.amount for r in week) == CAP


def test_the_later_period_closed_first_leaves_the_earlier_what_is_left(fined: Org) -> None:
    """Closed out of order (Thursday to Sunday first, 30.00): Monday to Wednesday takes the
    36.00 left, in date order, whichever period closes first."""
    for day in (0, 1, 2, 3, 4):
        _late(fined, MONDAY + timedelta(days=day))
    later = _period(fined, 3, 6)
    period_close(period=later, user=None, now=_at(MONDAY + timedelta(days=7)))
    earlier = _period(fined, 0, 2)
    amounts = [f["amount"] for f in _fines(payslip_get(employee=fined.op_a1, period=earlier))]
    assert amounts == [Decimal(-15), Decimal(-15), Decimal("-6.00")]


def test_a_closed_period_worked_out_again_counts_the_other_period_not_itself(
    fined: Org,
) -> None:
    """Monday and Tuesday late (30.00, frozen in the first period), Thursday and Friday late
    (30.00, frozen in the second). Wednesday's punches arrive after both closed: the first
    period worked out again takes Wednesday's fine only up to the 6.00 the week has left
    (66.00 less the second period's 30.00; its own 30.00 is what is worked out again), so
    the adjustment is -6.00, not -15.00 (a week of 75.00) nor a refund."""
    for day in (0, 1, 3, 4):
        _late(fined, MONDAY + timedelta(days=day))
    wednesday = MONDAY + timedelta(days=2)
    first, second = _period(fined, 0, 2), _period(fined, 3, 6)
    # Wednesday's shift is published, its punches not in yet: an absence to pay nothing for.
    past_shift(employee=fined.op_a1, day=wednesday)
    period_close(period=first, user=None, now=_at(MONDAY + timedelta(days=3)))
    period_close(period=second, user=None, now=_at(MONDAY + timedelta(days=7)))
    received = _at(MONDAY + timedelta(days=9))
    _punch(fined, "in", _at(wednesday) + timedelta(minutes=20), received)
    _punch(fined, "out", _at(wednesday, 17), received)
    third = _period(fined, 7, 13)
    found = adjustments_compute(period=third, now=_at(MONDAY + timedelta(days=15)))
    fine = [a for a in found if a.adjusted_code == "LATENESS_PENALTY"]
    assert [(a.adjusts_id, a.amount) for a in fine] == [(first.pk, Decimal("-6.00"))]
    period_close(
        period=third,
        user=None,
        approve_adjustments=True,
        now=_at(MONDAY + timedelta(days=15)),
    )
    taken = PayLineRecord.objects.filter(employee=fined.op_a1).filter(
        pay_code="LATENESS_PENALTY"
    ) | PayLineRecord.objects.filter(employee=fined.op_a1, adjusted_code="LATENESS_PENALTY")
    assert -sum(r.amount for r in taken) == CAP


def test_a_fine_adjusted_since_counts_against_the_week(fined: Org) -> None:
    """A fine booked as an adjustment of the first period (a later close took 20.00 more for
    it) is taken in that period's week: the second period has 66.00 - 15.00 - 20.00 left."""
    _late(fined, MONDAY)
    _late(fined, MONDAY + timedelta(days=3))
    _late(fined, MONDAY + timedelta(days=4))
    first = _period(fined, 0, 2)
    period_close(period=first, user=None, now=_at(MONDAY + timedelta(days=3)))
    booked_in = PayPeriod.objects.create(
        site=fined.amsterdam,
        start_date=MONDAY + timedelta(days=21),
        end_date=MONDAY + timedelta(days=27),
        status=PayPeriod.Status.CLOSED,
    )
    PayLineRecord.objects.create(
        period=booked_in,
        employee=fined.op_a1,
        pay_code="ADJUSTMENT",
        minutes=0,
        hours=0,
        rate=0,
        amount=Decimal("-20.00"),
        rule="adjustment",
        adjusts=first,
        adjusted_code="LATENESS_PENALTY",
    )
    second = _period(fined, 3, 6)
    amounts = [f["amount"] for f in _fines(payslip_get(employee=fined.op_a1, period=second))]
    assert amounts == [Decimal(-15), Decimal("-15.00")]  # 31.00 left: both stand
    PayLineRecord.objects.filter(adjusts=first).update(amount=Decimal("-40.00"))
    amounts = [f["amount"] for f in _fines(payslip_get(employee=fined.op_a1, period=second))]
    assert amounts == [Decimal("-11.00"), Decimal("0.00")]  # 66 - 15 - 40 = 11.00 left


def test_a_per_minute_fine_at_a_dutch_site_is_not_taken_when_pay_is_computed(org: Org) -> None:
    """Lid 4: a policy fining per late minute that reached a Dutch site without the save's
    check (written before the packs, or the site's country changed since) takes nothing;
    the payslip says why, naming the article."""
    PayPolicy.objects.create(
        site=org.amsterdam,
        fines_enabled=True,
        lateness_mode="per_minute",
        lateness_amount=Decimal("0.50"),
        absence_mode="shift_pay_multiple",
        absence_amount=Decimal(1),
        fine_destination="Stichting KWF",
    )
    fine_rules_received(org.op_a1)
    _late(org, MONDAY)
    past_shift(employee=org.op_a1, day=MONDAY + timedelta(days=1))  # absent
    period = _period(org, 0, 1)
    slip = payslip_get(employee=org.op_a1, period=period)
    penalties = [line for line in slip["lines"] if line["pay_code"].endswith("PENALTY")]
    assert [p["amount"] for p in penalties] == [Decimal("0.00"), Decimal("0.00")]
    assert penalties[0]["rule"].endswith(
        "10.00 not deducted: BW art. 7:650 allows only fines of a set amount (lid 4), not per "
        "minute or a multiple of the shift's pay"
    )
    assert slip["gross"] == sum(
        line["amount"] for line in slip["lines"] if line["pay_code"] == "REGULAR"
    )


def test_a_site_moved_to_a_country_that_refuses_its_fines_is_not_changed(org: Org) -> None:
    """A Texas site's policy fines per late minute (federal law: the floor only). Moving the
    site to New York State (no fines at all) or to the Netherlands (set amounts only) is
    refused with the article named, nothing saved; a move that keeps the fines lawful, or a
    policy without fines, lets the site change."""
    from organisation.models import Site
    from organisation.services.organisation import site_update
    from timeclock.errors import PayPolicyUnlawful

    org.new_york.us_state = "TX"
    org.new_york.save()
    PayPolicy.objects.create(
        site=org.new_york, lateness_mode="per_minute", lateness_amount=Decimal("0.25")
    )
    with pytest.raises(PayPolicyUnlawful) as refused:
        site_update(site=org.new_york, us_state="NY")
    assert "NY Labor Law s. 193; 12 NYCRR 195-4.5(e)" in refused.value.message
    assert refused.value.extra["policy"] == str(PayPolicy.objects.get().pk)
    with pytest.raises(PayPolicyUnlawful) as refused:
        site_update(site=Site.objects.get(pk=org.new_york.pk), country_code="NL", us_state="")
    assert refused.value.extra["article"] == "BW art. 7:650"
    assert Site.objects.get(pk=org.new_york.pk).us_state == "TX"
    assert Site.objects.get(pk=org.new_york.pk).country_code == "US"
    site_update(site=Site.objects.get(pk=org.new_york.pk), us_state="CA")  # federal again
    PayPolicy.objects.update(lateness_mode="none")
    site_update(site=Site.objects.get(pk=org.new_york.pk), us_state="NY")
    assert Site.objects.get(pk=org.new_york.pk).us_state == "NY"


def test_the_site_api_answers_400_naming_the_article(org: Org) -> None:
    from tests.conftest import client_for

    PayPolicy.objects.create(
        site=org.new_york, lateness_mode="per_minute", lateness_amount=Decimal("0.25")
    )
    response = client_for(org.admin).patch(
        f"/api/v1/sites/{org.new_york.pk}", {"us_state": "NY"}, "json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "pay_policy_unlawful"
    assert "12 NYCRR 195-4.5(e)" in response.json()["message"]
    org.new_york.refresh_from_db()
    assert org.new_york.us_state == ""


def test_the_admin_page_says_why_the_country_is_not_changed(org: Org) -> None:
    """The same refusal on the Django admin's site page: said on the page, nothing saved."""
    from django.test import Client

    PayPolicy.objects.create(
        site=org.new_york, lateness_mode="per_minute", lateness_amount=Decimal("0.25")
    )
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    browser = Client()
    browser.force_login(org.admin)
    url = f"/admin/wfm/site/{org.new_york.pk}/change/"
    body = {
        "name": "New York",
        "timezone": "America/New_York",
        "country_code": "US",
        "us_state": "NY",
        "minimum_hourly_wage": "16.50",
    }
    answer = browser.post(url, body, follow=True)
    assert answer.status_code == 200
    assert "12 NYCRR 195-4.5(e)" in answer.content.decode()
    org.new_york.refresh_from_db()
    assert org.new_york.us_state == ""


NEW_YORK = ZoneInfo("America/New_York")


def test_a_us_week_split_across_two_periods_keeps_the_floor_for_the_week(org: Org) -> None:
    """29 CFR 531.35 per workweek (776.4) from the database: a federal (not New York State)
    site at the minimum wage 7.25, someone paid 7.25, late 6, 6, 7, 7 and 7 minutes Monday to
    Friday, fined 100.00 a late arrival. Monday and Tuesday closed: their pay rounds up a
    cent, so 0.01 of Monday's fine was taken. Wednesday to Sunday rounds down: the week as a
    whole has no room for a fine, so the second period takes none and gives the 0.01 back
    (the pure module's golden case, tests/timeclock/test_jurisdictions.py)."""
    site = org.new_york
    site.minimum_hourly_wage = Decimal("7.2500")
    site.save()
    employee = org.op_b1
    employee.hourly_rate = Decimal("7.2500")
    employee.save()
    employee.pay_rates.update(rate=Decimal("7.2500"))
    PayPolicy.objects.create(
        site=site, fines_enabled=True, lateness_mode="per_occurrence", lateness_amount=100
    )
    for day, late in enumerate((6, 6, 7, 7, 7)):
        shift = past_shift(employee=employee, day=MONDAY + timedelta(days=day))
        for kind, at in (("in", shift.start + timedelta(minutes=late)), ("out", shift.end)):
            item = PunchInput(
                event_id=uuid.uuid4(), kind=kind, occurred_at=at, employee_number=employee.number
            )
            punches_ingest(items=[item], source=Punch.Source.REMOTE, device=None, now=at)
    at = datetime.combine(MONDAY + timedelta(days=9), time(9), tzinfo=NEW_YORK)
    first = period_create(site=site, start_date=MONDAY, end_date=MONDAY + timedelta(days=1))
    period_close(period=first, user=None, now=at)
    assert [r.amount for r in first.lines.filter(pay_code="LATENESS_PENALTY")] == [Decimal("-0.01")]
    second = period_create(
        site=site, start_date=MONDAY + timedelta(days=2), end_date=MONDAY + timedelta(days=6)
    )
    slip = payslip_get(employee=employee, period=second)
    fines = [line for line in slip["lines"] if line["pay_code"] == "LATENESS_PENALTY"]
    assert [f["amount"] for f in fines] == [Decimal("0.01")]
    assert "given back" in fines[0]["rule"]
    period_close(period=second, user=None, now=at)
    week = PayLineRecord.objects.filter(employee=employee, pay_code="LATENESS_PENALTY")
    assert sum(r.amount for r in week) == 0
